/**
 * `leadpane setup --url URL --setup-token T --org NAME --email E [--name N]`: makes the first
 * organisation and admin of an empty deployment (POST /api/v1/setup with the SETUP_TOKEN secret)
 * and prints the admin's personal token alone on its last line. Works once per deployment.
 * The setup token may come from LEADPANE_SETUP_TOKEN instead of the command line.
 */
import { flag, parseArgs } from '../args';

const USAGE = 'Usage: leadpane setup --url URL --setup-token T --org NAME --email E [--name N]\n';

interface Problem {
  detail?: string;
  code?: string;
  errors?: { path: string; message: string }[];
}

export async function run(args: string[]): Promise<number> {
  const parsed = parseArgs(args);
  const url = flag(parsed, 'url') ?? process.env.LEADPANE_URL;
  const setupToken = flag(parsed, 'setup-token') ?? process.env.LEADPANE_SETUP_TOKEN;
  const org = flag(parsed, 'org');
  const email = flag(parsed, 'email');
  const name = flag(parsed, 'name');
  const missing = [!url && '--url', !setupToken && '--setup-token', !org && '--org', !email && '--email'].filter(Boolean);
  if (missing.length) {
    process.stderr.write(`leadpane setup: give ${missing.join(', ')}.\n${USAGE}`);
    return 2;
  }
  let target: URL;
  try {
    target = new URL('/api/v1/setup', url);
  } catch {
    process.stderr.write(`leadpane setup: --url is not a URL (${url}).\n`);
    return 2;
  }
  let res: Response;
  try {
    res = await fetch(target, {
      method: 'POST',
      headers: { authorization: `Bearer ${setupToken}`, 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ org, email, ...(name ? { name } : {}) }),
    });
  } catch (err) {
    process.stderr.write(`leadpane setup: cannot reach ${target.origin} (${(err as Error).message}).\n`);
    return 1;
  }
  const text = await res.text();
  if (!res.ok) {
    let problem: Problem = {};
    try {
      problem = JSON.parse(text) as Problem;
    } catch {
      // not problem+json: a proxy's page; say what came back
    }
    const fields = (problem.errors ?? []).map((e) => `  ${e.path}: ${e.message}`).join('\n');
    process.stderr.write(`leadpane setup: ${res.status} ${problem.detail ?? text.slice(0, 300)}${fields ? `\n${fields}` : ''}\n`);
    return 1;
  }
  const answer = JSON.parse(text) as { org: { name: string }; user: { email: string; name: string }; token: string };
  process.stdout.write(
    `Organisation "${answer.org.name}" is set up with ${answer.user.name} <${answer.user.email}> as its admin.\n` +
      `Sign in to the panes with this personal token (Settings → Tokens makes more). It is shown once; keep it secret.\n` +
      `Setup is done for good: remove the secret (npx wrangler secret delete SETUP_TOKEN).\n` +
      `${answer.token}\n`,
  );
  return 0;
}

/**
 * `leadpane token create --email E --role R [--org NAME] [--name TOKEN_NAME] --local`: adds the
 * user (and organisation) if needed in the local D1 that `npm start` uses and prints the new
 * token alone on its last line.
 * `leadpane token create --email E --url URL --token T`: the same through the API (admin token).
 */
import { flag, parseArgs } from '../args';
import { createLocalToken } from '../../scripts/lib/local';

const ROLES = ['manager', 'head', 'admin'];

export async function run(args: string[]): Promise<number> {
  const parsed = parseArgs(args, ['local']);
  const [sub] = parsed.positionals;
  if (sub !== 'create') {
    process.stderr.write('Usage: leadpane token create --email E --role manager|head|admin [--org NAME] --local\n');
    return 2;
  }
  const email = flag(parsed, 'email');
  const role = flag(parsed, 'role') ?? 'manager';
  if (!email || !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email)) {
    process.stderr.write('leadpane token: --email must be an email address.\n');
    return 2;
  }
  if (!ROLES.includes(role)) {
    process.stderr.write(`leadpane token: --role must be one of ${ROLES.join(', ')}.\n`);
    return 2;
  }
  if (parsed.flags.local) {
    const token = createLocalToken(
      { email, role, org: flag(parsed, 'org') ?? 'Demo', tokenName: flag(parsed, 'name') ?? 'cli' },
      { persistTo: flag(parsed, 'persist-to') },
    );
    process.stdout.write(`Token for ${email} (${role}); keep it secret, it is shown once:\n${token}\n`);
    return 0;
  }
  const url = flag(parsed, 'url');
  const admin = flag(parsed, 'token');
  if (!url || !admin) {
    process.stderr.write('leadpane token: give --local, or --url and --token of an admin.\n');
    return 2;
  }
  const headers = { authorization: `Bearer ${admin}`, 'content-type': 'application/json' };
  const users = (await (await fetch(`${url}/api/v1/users`, { headers })).json()) as { items?: { id: string; email: string }[] };
  let user = users.items?.find((u) => u.email.toLowerCase() === email.toLowerCase());
  if (!user) {
    const res = await fetch(`${url}/api/v1/users`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ email, name: email.split('@')[0], role }),
    });
    if (!res.ok) return fail(await res.text());
    user = (await res.json()) as { id: string; email: string };
  }
  const res = await fetch(`${url}/api/v1/tokens`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ name: flag(parsed, 'name') ?? 'cli', userId: user.id }),
  });
  if (!res.ok) return fail(await res.text());
  const { token } = (await res.json()) as { token: string };
  process.stdout.write(`Token for ${email}; keep it secret, it is shown once:\n${token}\n`);
  return 0;
}

function fail(problem: string): number {
  process.stderr.write(`leadpane token: ${problem}\n`);
  return 1;
}

/**
 * `npm run deploy`: Leadpane on your Cloudflare account in one command (after `npx wrangler login`).
 * Builds the panes, finds or creates the D1 database and writes its id into wrangler.jsonc,
 * applies the migrations remotely, deploys the Worker (which bundles it), writes both add-in
 * manifests for the deployed origin into dist/manifests/ and prints what to do next.
 *
 *   npm run deploy [-- --origin https://crm.example.com]
 *   npm run deploy -- --dry-run --origin https://crm.example.com
 *
 * --origin is where users reach the Worker (a custom domain); without it the workers.dev address
 * wrangler prints is used. --dry-run does everything that needs no account, offline: the build,
 * `wrangler deploy --dry-run` (the bundle in dist/worker/), the manifests for --origin, and the
 * list of migrations it would apply.
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { buildAddin } from './build';
import { quietEnv, ROOT } from './lib/local';
import { parseOrigin, writeManifests } from './manifests';

const WRANGLER = join(ROOT, 'node_modules/.bin/wrangler');
const CONFIG = join(ROOT, 'wrangler.jsonc');
export const PLACEHOLDER_ID = '00000000-0000-0000-0000-000000000000';
export const MIGRATIONS_DIR = 'worker/migrations';
export const BUNDLE_DIR = 'dist/worker';

export interface DeployOptions {
  dryRun: boolean;
  origin: string | null;
}

export function parseDeployArgs(argv: string[]): DeployOptions {
  const at = argv.indexOf('--origin');
  const raw = at >= 0 ? argv[at + 1] : argv.find((a) => a.startsWith('--origin='))?.slice('--origin='.length);
  if (at >= 0 && !raw) throw new Error('--origin needs a value, e.g. --origin https://crm.example.com');
  for (const a of argv)
    if (a.startsWith('--') && !['--dry-run', '--origin'].includes(a) && !a.startsWith('--origin='))
      throw new Error(`Unknown option ${a}. Usage: npm run deploy [-- --dry-run] [--origin https://crm.example.com]`);
  return { dryRun: argv.includes('--dry-run'), origin: raw ? parseOrigin(raw) : null };
}

/** The database wrangler.jsonc binds as DB: its name and id (the id may be the placeholder). */
export function configuredDatabase(text = readFileSync(CONFIG, 'utf8')): { name: string; id: string } {
  const name = /"database_name"\s*:\s*"([^"]+)"/.exec(text)?.[1];
  const id = /"database_id"\s*:\s*"([^"]*)"/.exec(text)?.[1];
  if (!name || id === undefined) throw new Error('wrangler.jsonc has no d1_databases entry with database_name and database_id.');
  return { name, id };
}

/** wrangler.jsonc with the database id replaced, comments and layout kept. */
export function withDatabaseId(text: string, id: string): string {
  return text.replace(/("database_id"\s*:\s*")[^"]*(")/, `$1${id}$2`);
}

/** The migration files wrangler applies, in order. */
export function migrationFiles(): string[] {
  return readdirSync(join(ROOT, MIGRATIONS_DIR))
    .filter((f) => /^\d{4}_.+\.sql$/.test(f))
    .sort();
}

/** Runs wrangler and answers its output; its output also streams to the terminal when `show`. */
function wrangler(args: string[], opts: { show?: boolean; env?: NodeJS.ProcessEnv } = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(WRANGLER, args, { cwd: ROOT, env: opts.env ?? quietEnv, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    const take = (stream: NodeJS.WriteStream) => (d: Buffer) => {
      out += d.toString();
      if (opts.show) stream.write(d);
    };
    child.stdout.on('data', take(process.stdout));
    child.stderr.on('data', take(process.stderr));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolve(out) : reject(new Error(`wrangler ${args.join(' ')} failed (exit ${code}).${opts.show ? '' : `\n${out}`}`)),
    );
  });
}

/** The id of the database named `name` on the account, creating it when there is none. */
async function ensureDatabase(name: string): Promise<{ id: string; created: boolean }> {
  const find = async () => {
    const out = await wrangler(['d1', 'list', '--json']);
    const list = JSON.parse(out.slice(out.indexOf('['))) as { name: string; uuid: string }[];
    return list.find((d) => d.name === name)?.uuid ?? null;
  };
  const existing = await find();
  if (existing) return { id: existing, created: false };
  console.log(`Creating the D1 database "${name}"...`);
  await wrangler(['d1', 'create', name], { show: true });
  const id = await find();
  if (!id) throw new Error(`wrangler created the database "${name}" but does not list it; run the deploy again.`);
  return { id, created: true };
}

const kib = (bytes: number) => `${(bytes / 1024).toFixed(0)} KiB`;

function nextSteps(origin: string, manifests: string[]): string {
  return `Next:
  1. The one-time setup secret (any 16+ random characters, e.g. from \`openssl rand -base64 24\`):
       npx wrangler secret put SETUP_TOKEN
  2. Your organisation and its first admin; the last line printed is the admin's personal token:
       npx leadpane setup --url ${origin} --setup-token <the secret> --org "Your company" --email you@company.com
     then remove the secret: npx wrangler secret delete SETUP_TOKEN
  3. Add the panes to Office from ${manifests.map((m) => relative(ROOT, m)).join(' and ')}
     (Excel: Add-ins → Upload My Add-in; Outlook: Get Add-ins → My add-ins → Add from file),
     or try them in a browser: ${origin}/excel/taskpane.html and ${origin}/outlook/taskpane.html
  4. In a pane, under Settings: invite the team, make their tokens, link your Microsoft 365 tenant.
     Microsoft 365 sign-in needs ENTRA_AUDIENCE (and for unlinked tenants ENTRA_ALLOWED_TENANTS) in wrangler.jsonc (README).`;
}

export async function deploy(opts: DeployOptions): Promise<void> {
  const db = configuredDatabase();
  buildAddin();

  if (opts.dryRun) {
    console.log('Dry run: nothing is created, migrated or deployed; no Cloudflare account is used.');
    await wrangler(['deploy', '--dry-run', '--outdir', BUNDLE_DIR]);
    const bundle = join(ROOT, BUNDLE_DIR, 'index.js');
    if (!existsSync(bundle)) throw new Error(`wrangler deploy --dry-run wrote no ${BUNDLE_DIR}/index.js`);
    console.log(`Worker bundle: ${BUNDLE_DIR}/index.js (${kib(statSync(bundle).size)}); panes: dist/addin/`);
    const files = migrationFiles();
    console.log(
      `Migrations it would apply to the remote D1 "${db.name}" (wrangler d1 migrations apply DB --remote), from ${MIGRATIONS_DIR}/:`,
    );
    for (const f of files) console.log(`  ${MIGRATIONS_DIR}/${f}`);
    console.log(
      db.id === PLACEHOLDER_ID
        ? `The database id in wrangler.jsonc is the placeholder: the deploy finds or creates "${db.name}" and writes its id there.`
        : `Database id in wrangler.jsonc: ${db.id}`,
    );
    if (opts.origin) {
      const written = writeManifests(opts.origin);
      for (const m of written) console.log(`Manifest for ${opts.origin}: ${relative(ROOT, m)}`);
      console.log(`\nAfter the real deploy (npm run deploy -- --origin ${opts.origin}):\n${nextSteps(opts.origin, written)}`);
    } else console.log('Give --origin https://your.domain to write the add-in manifests for it as well.');
    return;
  }

  const env = { ...quietEnv };
  let id = db.id;
  if (!id || id === PLACEHOLDER_ID) {
    const found = await ensureDatabase(db.name).catch((err: unknown) => {
      throw new Error(
        `Could not reach your Cloudflare account. Run \`npx wrangler login\` first (or set CLOUDFLARE_API_TOKEN).\n${err instanceof Error ? err.message : String(err)}`,
      );
    });
    id = found.id;
    writeFileSync(CONFIG, withDatabaseId(readFileSync(CONFIG, 'utf8'), id));
    console.log(`${found.created ? 'Created' : 'Found'} the D1 database "${db.name}" (${id}); its id is now in wrangler.jsonc.`);
  }
  console.log('Applying migrations to the remote D1...');
  await wrangler(['d1', 'migrations', 'apply', 'DB', '--remote'], { show: true, env });
  console.log('Deploying the Worker and the panes...');
  const out = await wrangler(['deploy'], { show: true, env });
  const deployed = /https:\/\/[a-z0-9.-]+\.workers\.dev\b/i.exec(out)?.[0] ?? null;
  const origin = opts.origin ?? (deployed ? parseOrigin(deployed) : null);
  if (!origin) {
    console.log(
      '\nDeployed. wrangler printed no workers.dev address: run `npm run manifests -- --origin https://your.domain` for the manifests.',
    );
    return;
  }
  const written = writeManifests(origin);
  console.log(`\nLeadpane is deployed at ${origin}`);
  for (const m of written) console.log(`Manifest for ${origin}: ${relative(ROOT, m)}`);
  console.log(`\n${nextSteps(origin, written)}`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  let opts: DeployOptions;
  try {
    opts = parseDeployArgs(process.argv.slice(2));
  } catch (err) {
    console.error(err instanceof Error ? err.message : err);
    process.exit(2);
  }
  deploy(opts).catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
}

/**
 * The embedded local runtime: the Workers runtime (workerd) with a local D1 (SQLite on disk).
 * Used by `npm start`, the CLI's --local commands, the end-to-end tests and the benchmarks.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const WRANGLER = join(ROOT, 'node_modules/.bin/wrangler');
const TSX = join(ROOT, 'node_modules/.bin/tsx');

export const quietEnv = {
  ...process.env,
  WRANGLER_SEND_METRICS: 'false',
  CLOUDFLARE_CF_FETCH_ENABLED: 'false',
  // wrangler asks nothing when it believes it runs non-interactively
  CI: process.env.CI ?? 'true',
  NO_COLOR: '1',
};

export interface LocalOptions {
  /** Folder of the local state; default is wrangler's `.wrangler/state` (what `npm start` uses). */
  persistTo?: string;
}

const persistArgs = (o: LocalOptions) => (o.persistTo ? ['--persist-to', o.persistTo] : []);

function wrangler(args: string[], opts: { input?: string } = {}): string {
  const res = spawnSync(WRANGLER, args, { cwd: ROOT, env: quietEnv, encoding: 'utf8', input: opts.input, maxBuffer: 64 * 1024 * 1024 });
  if (res.status !== 0) throw new Error(`wrangler ${args.slice(0, 3).join(' ')} failed:\n${res.stderr || res.stdout}`);
  return res.stdout;
}

export function applyMigrations(o: LocalOptions = {}): void {
  wrangler(['d1', 'migrations', 'apply', 'DB', '--local', ...persistArgs(o)]);
}

/** Runs SQL against the local D1 and answers the rows of the last statement. */
export function executeSql<T = Record<string, unknown>>(sql: string, o: LocalOptions = {}): T[] {
  const dir = join(ROOT, '.wrangler/tmp');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `exec-${process.pid}-${Date.now()}.sql`);
  writeFileSync(file, sql);
  const out = wrangler(['d1', 'execute', 'DB', '--local', '--json', '--file', file, ...persistArgs(o)]);
  const parsed = JSON.parse(out.slice(out.indexOf('['))) as { results: T[] }[];
  return parsed[parsed.length - 1]?.results ?? [];
}

export const sqlString = (v: string | null | undefined) => (v === null || v === undefined ? 'NULL' : `'${v.replace(/'/g, "''")}'`);

/** A random id in the ULID alphabet (same shape the Worker makes). */
export function ulid(): string {
  const A = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
  let t = Date.now();
  let time = '';
  for (let i = 0; i < 10; i++) {
    time = A[t % 32]! + time;
    t = Math.floor(t / 32);
  }
  return time + [...randomBytes(16)].map((b) => A[b & 31]).join('');
}

export function newToken(): string {
  return 'lp_' + randomBytes(32).toString('base64url');
}

export const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

/**
 * Adds a user (and the organisation) if needed and a new personal token for them, directly in the
 * local D1. Answers the token.
 */
export function createLocalToken(
  args: { email: string; role: string; org: string; name?: string; tokenName?: string },
  o: LocalOptions = {},
): string {
  const email = args.email.trim().toLowerCase();
  const now = new Date().toISOString();
  const token = newToken();
  const orgs = executeSql<{ id: string }>(`SELECT id FROM orgs WHERE name = ${sqlString(args.org)} ORDER BY created_at LIMIT 1;`, o);
  const orgId = orgs[0]?.id ?? ulid();
  const users = executeSql<{ id: string }>(
    `SELECT id FROM users WHERE org_id = ${sqlString(orgId)} AND email_norm = ${sqlString(email)};`,
    o,
  );
  const userId = users[0]?.id ?? ulid();
  const sql = [
    `INSERT OR IGNORE INTO orgs (id, name, created_at, updated_at) VALUES (${sqlString(orgId)}, ${sqlString(args.org)}, '${now}', '${now}');`,
    `INSERT OR IGNORE INTO users (id, org_id, email, email_norm, name, role, created_at, updated_at) VALUES (${sqlString(userId)}, ${sqlString(orgId)}, ${sqlString(args.email)}, ${sqlString(email)}, ${sqlString(args.name ?? email.split('@')[0]!)}, ${sqlString(args.role)}, '${now}', '${now}');`,
    `UPDATE users SET role = ${sqlString(args.role)}, active = 1 WHERE id = ${sqlString(userId)};`,
    `INSERT INTO api_tokens (id, org_id, user_id, name, prefix, hash, created_at) VALUES (${sqlString(ulid())}, ${sqlString(orgId)}, ${sqlString(userId)}, ${sqlString(args.tokenName ?? 'cli')}, ${sqlString(token.slice(0, 10))}, '${sha256(token)}', '${now}');`,
  ].join('\n');
  executeSql(sql, o);
  return token;
}

export async function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', rej);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => res(port));
    });
  });
}

export interface RunningServer {
  url: string;
  port: number;
  process: ChildProcess;
  stop(signal?: NodeJS.Signals): Promise<void>;
}

/**
 * Bundles the Worker once into `dir` (as `wrangler deploy --dry-run` does), so a test or benchmark
 * server runs a fixed build instead of watching and rebuilding the sources.
 */
export function bundleWorker(dir: string): string {
  const entry = join(dir, 'index.js');
  if (!existsSync(entry)) wrangler(['deploy', '--dry-run', '--outdir', dir]);
  return entry;
}

/**
 * Starts the local server (scripts/serve.ts: the Worker in workerd on the local D1) as a child
 * process group and waits until /api/v1/health answers.
 */
export async function startServer(
  opts: LocalOptions & {
    port: number;
    inherit?: boolean;
    timeoutMs?: number;
    bundleDir?: string;
    vars?: Record<string, string>;
    https?: boolean;
  },
): Promise<RunningServer> {
  ensureAssetsDir();
  const args = [join(ROOT, 'scripts/serve.ts'), '--port', String(opts.port), '--ip', '127.0.0.1', ...persistArgs(opts)];
  if (opts.bundleDir) args.push('--bundle', opts.bundleDir);
  if (opts.https) args.push('--https');
  for (const [k, v] of Object.entries(opts.vars ?? {})) args.push('--var', `${k}:${v}`);
  const child = spawn(TSX, args, {
    cwd: ROOT,
    env: quietEnv,
    stdio: opts.inherit ? 'inherit' : ['ignore', 'pipe', 'pipe'],
    detached: process.platform !== 'win32',
  });
  let log = '';
  child.stdout?.on('data', (d: Buffer) => (log += d.toString()).length > 20000 && (log = log.slice(-10000)));
  child.stderr?.on('data', (d: Buffer) => (log += d.toString()).length > 20000 && (log = log.slice(-10000)));
  const url = opts.https ? `https://localhost:${opts.port}` : `http://127.0.0.1:${opts.port}`;
  const deadline = Date.now() + (opts.timeoutMs ?? 60_000);
  let exited = false;
  child.on('exit', () => (exited = true));
  for (;;) {
    if (exited) throw new Error(`The local server exited before it was ready:\n${log}`);
    // Over HTTPS the certificate is trusted by the system, not by Node: wait for the ready line instead.
    if (
      opts.https
        ? log.includes('Ready on')
        : await fetch(`${url}/api/v1/health`).then(
            (r) => r.ok,
            () => false,
          )
    )
      break;
    if (Date.now() > deadline) {
      killTree(child, 'SIGKILL');
      throw new Error(`The local server did not answer /api/v1/health within ${opts.timeoutMs ?? 60_000} ms:\n${log}`);
    }
    await new Promise((r) => setTimeout(r, 150));
  }
  return {
    url,
    port: opts.port,
    process: child,
    stop: (signal = 'SIGTERM') =>
      new Promise<void>((res) => {
        if (exited) return res();
        child.once('exit', () => res());
        killTree(child, signal);
        setTimeout(() => {
          killTree(child, 'SIGKILL');
          res();
        }, 5000).unref();
      }),
  };
}

/** wrangler starts workerd children: signal the whole process group so none is left behind. */
export function killTree(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    try {
      child.kill(signal);
    } catch {
      // already gone
    }
  }
}

/** wrangler refuses to start when the static-assets folder is missing. */
export function ensureAssetsDir(): void {
  const dir = join(ROOT, 'dist/addin');
  if (!existsSync(dir)) mkdirSync(dir, { recursive: true });
  if (!existsSync(join(dir, 'index.html')))
    writeFileSync(
      join(dir, 'index.html'),
      '<!doctype html><title>Leadpane</title><p>Build the add-in with <code>npm run build</code>.</p>',
    );
}

/** Where `npm start` keeps the demo users' tokens and whether the demo was seeded. */
export const DEMO_STATE_FILE = join(ROOT, '.wrangler/leadpane-demo.json');

/** The state file of a local data folder: the default one, or beside another `persistTo`. */
export function demoStateFile(o: LocalOptions = {}): string {
  return o.persistTo ? join(o.persistTo, 'leadpane-demo.json') : DEMO_STATE_FILE;
}

/** Wipes the local D1 and the demo tokens: the next `npm start` seeds the demo afresh. */
export function wipeLocalData(o: LocalOptions = {}): void {
  rmSync(o.persistTo ?? join(ROOT, '.wrangler/state'), { recursive: true, force: true });
  rmSync(demoStateFile(o), { force: true });
}

export function readJson<T>(file: string): T | null {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as T;
  } catch {
    return null;
  }
}

/**
 * The first admin without SQL, as a team meets it: `npm start -- --empty` (no demo data, setup on
 * with SETUP_TOKEN) on a local D1 of its own, then `leadpane setup` from the command line. Once
 * only, racing setups make one organisation, a wrong secret is refused, and the token printed on
 * the last line signs in.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { executeSql, freePort, ROOT } from '../../scripts/lib/local';

const SETUP_TOKEN = `local-${crypto.randomUUID()}`;
let dir: string;
let url: string;
let start: ChildProcess;
let startLog = '';

interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

function cli(args: string[]): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const env: NodeJS.ProcessEnv = { ...process.env };
    delete env.LEADPANE_URL;
    delete env.LEADPANE_SETUP_TOKEN;
    const child = spawn(process.execPath, ['bin/leadpane.js', ...args], { cwd: ROOT, env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const setup = (org: string, email: string, token = SETUP_TOKEN) =>
  cli(['setup', '--url', url, '--setup-token', token, '--org', org, '--email', email]);
const lastLine = (text: string) => text.trim().split('\n').at(-1)!;
const orgCount = () => executeSql<{ n: number }>('SELECT count(*) AS n FROM orgs;', { persistTo: join(dir, 'state') })[0]!.n;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'leadpane-setup-'));
  const port = await freePort();
  url = `http://127.0.0.1:${port}`;
  start = spawn(join(ROOT, 'node_modules/.bin/tsx'), ['scripts/start.ts', '--empty', '--persist-to', join(dir, 'state')], {
    cwd: ROOT,
    env: { ...process.env, PORT: String(port), SETUP_TOKEN, WRANGLER_SEND_METRICS: 'false', CLOUDFLARE_CF_FETCH_ENABLED: 'false' },
  });
  start.stdout!.on('data', (d: Buffer) => (startLog += d.toString()));
  start.stderr!.on('data', (d: Buffer) => (startLog += d.toString()));
  const deadline = Date.now() + 170_000;
  while (!startLog.includes('Ctrl+C stops the server')) {
    if (start.exitCode !== null || Date.now() > deadline) throw new Error(`npm start -- --empty did not come up:\n${startLog}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}, 180_000);

afterAll(async () => {
  if (start && start.exitCode === null) {
    const closed = new Promise((r) => start.once('close', r));
    start.kill('SIGTERM');
    await Promise.race([closed, new Promise((r) => setTimeout(r, 15_000))]);
  }
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('npm start -- --empty and leadpane setup', () => {
  it('starts with no demo data and prints the setup command with its token', () => {
    expect(startLog).toContain('Started empty: no demo data.');
    expect(startLog).toContain(`npx leadpane setup --url http://localhost:`);
    expect(startLog).toContain(`--setup-token ${SETUP_TOKEN}`);
    expect(startLog).not.toContain('Demo users');
    expect(orgCount()).toBe(0);
  });

  it("refuses a wrong setup token with the server's problem and makes nothing", async () => {
    const res = await setup('Guess Ltd', 'guess@example.test', `${SETUP_TOKEN}-wrong`);
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/401 The setup token is wrong/);
    expect(res.stdout).toBe('');
    expect(orgCount()).toBe(0);
  });

  it("two setups racing make one organisation; the token on the winner's last line signs in as its admin", async () => {
    const [a, b] = await Promise.all([setup('Търговия ООД', 'maria@example.bg'), setup('Other Ltd', 'other@example.test')]);
    const codes = [a.code, b.code].sort();
    expect(codes).toEqual([0, 1]);
    const winner = a.code === 0 ? a : b;
    const loser = a.code === 0 ? b : a;
    expect(loser.stderr).toMatch(/409 This deployment is already set up/);
    const token = lastLine(winner.stdout);
    expect(token).toMatch(/^lp_[\w-]{43}$/);
    const me = await fetch(`${url}/api/v1/me`, { headers: { authorization: `Bearer ${token}` } });
    expect(me.status).toBe(200);
    const body = (await me.json()) as { user: { role: string; email: string }; org: { name: string } };
    expect(body.user.role).toBe('admin');
    expect([
      { org: 'Търговия ООД', email: 'maria@example.bg' },
      { org: 'Other Ltd', email: 'other@example.test' },
    ]).toContainEqual({ org: body.org.name, email: body.user.email });
    expect(orgCount()).toBe(1);

    // Once only: a later setup, with the right secret, is refused too.
    const late = await setup('Late Ltd', 'late@example.test');
    expect(late.code).toBe(1);
    expect(late.stderr).toMatch(/409/);
    expect(orgCount()).toBe(1);
  });

  it('says which options are missing', async () => {
    const res = await cli(['setup', '--url', url]);
    expect(res.code).toBe(2);
    expect(res.stderr).toContain('--setup-token, --org, --email');
  });
});

import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  applyMigrations,
  createLocalToken,
  executeSql,
  freePort,
  killTree,
  ROOT,
  startServer,
  type RunningServer,
} from '../../scripts/lib/local';

// The real local server (wrangler dev, local D1 on disk) and the real CLI, killed with SIGKILL
// in the middle of an import.
const ROWS = 10_000;
let dir: string;
let token: string;
let port: number;
let server: RunningServer;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'leadpane-e2e-import-'));
  applyMigrations({ persistTo: join(dir, 'state') });
  token = createLocalToken({ email: 'importer@e2e.local', role: 'head', org: 'E2E' }, { persistTo: join(dir, 'state') });
  port = await freePort();
  server = await startServer({ port, persistTo: join(dir, 'state'), bundleDir: join(dir, 'build') });
});

afterAll(async () => {
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

function writeCsv(file: string) {
  const lines = ['Отчет за клиенти;;;', ';;;', 'Име;Фирма;E-mail адрес;GSM'];
  for (let i = 0; i < ROWS; i++)
    lines.push(`Клиент ${i};Фирма ${i % 500} ООД;client${i}@firma${i % 500}.bg;0888${String(100000 + i).slice(-6)}`);
  writeFileSync(file, '\uFEFF' + lines.join('\r\n'));
}

function runImport(file: string): Promise<{ code: number; out: string; err: string }> {
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      [join(ROOT, 'bin/leadpane.js'), 'import', file, '--url', `http://127.0.0.1:${port}`, '--token', token, '--json'],
      { cwd: ROOT },
    );
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d));
    child.stderr.on('data', (d: Buffer) => (err += d));
    child.on('exit', (code) => resolve({ code: code ?? -1, out, err }));
  });
}

const leadCount = () =>
  executeSql<{ n: number; distinct_emails: number }>('SELECT count(*) AS n, count(DISTINCT email_norm) AS distinct_emails FROM leads;', {
    persistTo: join(dir, 'state'),
  })[0]!;

describe('an import through the real API and the CLI', () => {
  it('survives the server being killed mid-import: re-running resumes to exactly 10,000 rows', { timeout: 300_000 }, async () => {
    const file = join(dir, 'clients.csv');
    writeCsv(file);
    const first = runImport(file);
    // Kill the server (SIGKILL, the whole process group) once some chunks are in.
    const headers = { authorization: `Bearer ${token}` };
    for (;;) {
      const res = await fetch(`http://127.0.0.1:${port}/api/v1/imports`, { headers }).catch(() => null);
      const done = res?.ok ? (((await res.json()) as { items: { rowsDone: number }[] }).items[0]?.rowsDone ?? 0) : 0;
      if (done >= 3000) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    killTree(server.process, 'SIGKILL');
    await new Promise((r) => setTimeout(r, 1500));
    // The CLI keeps retrying while the server is down; bring it back on the same port and data.
    server = await startServer({ port, persistTo: join(dir, 'state'), bundleDir: join(dir, 'build') });
    const result = await first;
    expect(result.code, result.err).toBe(0);
    expect(JSON.parse(result.out.trim().split('\n').at(-1)!).counts).toMatchObject({ error: 0 });
    expect(leadCount()).toEqual({ n: ROWS, distinct_emails: ROWS });

    // Running the same command again changes nothing.
    const again = await runImport(file);
    expect(again.code, again.err).toBe(0);
    expect(leadCount()).toEqual({ n: ROWS, distinct_emails: ROWS });
  });
});

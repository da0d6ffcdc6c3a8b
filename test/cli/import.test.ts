/**
 * `leadpane import` against the real local server: what it finds on its own (kind, system), the dry
 * run's list of unknown values and matching rows, --values, and a later export imported again.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyMigrations, createLocalToken, executeSql, freePort, ROOT, startServer, type RunningServer } from '../../scripts/lib/local';

function cli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const env: NodeJS.ProcessEnv = { ...process.env };
    delete env.LEADPANE_URL;
    delete env.LEADPANE_TOKEN;
    const child = spawn(process.execPath, ['bin/leadpane.js', ...args], { cwd: ROOT, env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

// A Pipedrive deals export (its layout, our people), with one stage the team made up.
const HEADER =
  'Deal - ID,Deal - Title,Deal - Owner,Deal - Value,Deal - Currency,Deal - Organization,Deal - Contact person,Deal - Stage,Deal - Status,Deal - Deal created,Deal - Expected close date,Person - Email,Person - Phone,Organization - Address - Country of Address';
const rows = (budget: string) => [
  `9101,Calder Mills – rollout,Nia Brook,12000,GBP,Calder Mills Ltd,Owen Hale,Proposal Made,Open,2026-10-02 09:00:00,2027-01-29,owen@caldermills.co.uk,0113 496 0721,United Kingdom`,
  `9102,Pike & Sons – pilot,Nia Brook,${budget},USD,Pike & Sons Inc.,Maya Pike,Legal Sign-off,Open,2026-10-09 09:00:00,2027-02-26,maya@pikeandsons.com,(617) 555-0133,United States`,
  `9103,Ferrow – licence 2023,Nia Brook,5400,GBP,Ferrow Ltd,Ian Ferrow,Negotiations Started,Won,2023-03-01 09:00:00,2023-04-28,ian@ferrow.co.uk,029 2018 0544,United Kingdom`,
  `9104,Lune Studio – seats,Nia Brook,900,EUR,Lune Studio GmbH,Lena Voss,Qualified,Lost,2025-05-05 09:00:00,2025-06-30,lena@lunestudio.de,030 37528095,Germany`,
];

describe('leadpane import', () => {
  let dir: string;
  let state: string;
  let server: RunningServer;
  let token: string;
  const file = (name: string, budget: string) => {
    const path = join(dir, name);
    writeFileSync(path, [HEADER, ...rows(budget)].join('\r\n') + '\r\n');
    return path;
  };
  const base = () => ['--url', server.url, '--token', token];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'leadpane-import-'));
    state = join(dir, 'state');
    applyMigrations({ persistTo: state });
    token = createLocalToken({ email: 'nia@example.com', role: 'head', org: 'Brook Analytics', name: 'Nia Brook' }, { persistTo: state });
    server = await startServer({ port: await freePort(), persistTo: state });
  });
  afterAll(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('the dry run finds a deals export of Pipedrive on its own, lists the value it does not know, and writes nothing', async () => {
    const res = await cli(['import', file('deals.csv', '9800'), ...base(), '--dry-run']);
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).toContain('Dry run of deals.csv as deals from Pipedrive: 3 to create, 0 to update, 0 skipped, 1 with errors.');
    expect(res.stdout).toContain('stage "Legal Sign-off" in column "Deal - Stage" (1 rows): these rows are refused');
    expect(res.stdout).toContain('row 3, column "Deal - Stage": unknown_stage (Legal Sign-off)');
    expect(executeSql<{ n: number }>('SELECT count(*) AS n FROM deals', { persistTo: state })[0]!.n).toBe(0);
  });

  it('imports every row once the value is mapped with --values, then a changed re-export updates one deal and duplicates none', async () => {
    const map = join(dir, 'values.json');
    writeFileSync(map, JSON.stringify({ stage: { 'Legal Sign-off': 'negotiation' } }));
    const first = await cli(['import', file('deals.csv', '9800'), ...base(), '--values', map, '--json']);
    expect(first.code, first.stderr).toBe(0);
    const one = JSON.parse(first.stdout.trim().split('\n').pop()!);
    expect(one).toMatchObject({
      kind: 'deals',
      system: 'pipedrive',
      counts: { created: 4, updated: 0, skipped: 0, error: 0 },
      unknownValues: [],
    });

    // A week later the same account exported again, one value changed; no --values needed now.
    const later = file('deals-later.csv', '11250');
    const dry = await cli(['import', later, ...base(), '--mode', 'update', '--dry-run']);
    expect(dry.stdout).toContain('0 to create, 1 to update, 3 skipped, 0 with errors.');
    expect(dry.stdout).toContain('4 rows would match existing records (4 by source ID)');
    expect(dry.stdout).not.toContain('does not know');
    const again = await cli(['import', later, ...base(), '--mode', 'update', '--json']);
    expect(JSON.parse(again.stdout.trim().split('\n').pop()!).counts).toEqual({ created: 0, updated: 1, skipped: 3, error: 0 });
    const deals = executeSql<{ title: string; amount_minor: number; currency: string; stage: string }>(
      'SELECT title, amount_minor, currency, stage FROM deals ORDER BY title',
      { persistTo: state },
    );
    expect(deals).toEqual([
      { title: 'Calder Mills – rollout', amount_minor: 1_200_000, currency: 'GBP', stage: 'proposal' },
      { title: 'Ferrow – licence 2023', amount_minor: 540_000, currency: 'GBP', stage: 'won' },
      { title: 'Lune Studio – seats', amount_minor: 90_000, currency: 'EUR', stage: 'lost' },
      { title: 'Pike & Sons – pilot', amount_minor: 1_125_000, currency: 'USD', stage: 'negotiation' },
    ]);
  });

  it("reads an .xlsx as a stream, over more than one chunk: every row once, errors named by the sheet's own row, dates as dates", async () => {
    // A title row, a blank row, then the header: the data starts on the sheet's fourth row.
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Клиенти');
    sheet.addRow(['Клиенти от изложението, ноември 2026']);
    sheet.addRow([]);
    sheet.addRow(['Име', 'Фирма', 'E-mail', 'Телефон', 'Град', 'Дата']);
    for (let i = 0; i < 2_300; i++)
      sheet.addRow([
        `Клиент ${i}`,
        `Фирма ${i} ООД`,
        i === 1_700 ? 'not-an-email' : `klient${i}@firma${i}.bg`,
        `0888 ${String(200000 + i)}`,
        'Пловдив',
        new Date(Date.UTC(2026, 10, 1 + (i % 28))),
      ]);
    const path = join(dir, 'tradeshow.xlsx');
    await workbook.xlsx.writeFile(path);
    const res = await cli(['import', path, ...base(), '--as', 'leads', '--mode', 'create', '--json']);
    expect(res.code, res.stderr).toBe(0);
    const out = JSON.parse(res.stdout.trim().split('\n').pop()!);
    expect(out.counts).toEqual({ created: 2_299, updated: 0, skipped: 0, error: 1 });
    // Sheet rows count from 0 here: row 1,700 of the data is the sheet's row 1,704 (0-based 1,703).
    expect(out.errors).toEqual([{ row: 1_703, column: 'E-mail', field: 'email', reason: 'invalid_email', value: 'not-an-email' }]);
    const n = executeSql<{ n: number; c: number }>("SELECT count(*) AS n, count(DISTINCT email) AS c FROM leads WHERE city = 'Пловдив'", {
      persistTo: state,
    })[0]!;
    expect(n).toEqual({ n: 2_299, c: 2_299 });
  });

  it('refuses an unknown kind, system or currency and a --values file that is not a map, before sending anything', async () => {
    const f = file('deals.csv', '1');
    for (const [args, message] of [
      [['--as', 'contacts'], '--as must be auto, leads, deals or payments.'],
      [['--system', 'sap'], '--system must be one of'],
      [['--currency', 'XYZ'], '--currency must be an ISO 4217 code'],
    ] as const) {
      const res = await cli(['import', f, ...base(), ...args]);
      expect(res.code).toBe(2);
      expect(res.stderr).toContain(message);
    }
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ stages: {} }));
    const res = await cli(['import', f, ...base(), '--values', bad]);
    expect(res.code).toBe(2);
    expect(res.stderr).toContain('give an object with stage, status, currency, owner (not stages)');
  });
});

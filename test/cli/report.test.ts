/**
 * `leadpane report weekly` against the real local server, and the workbook it downloads opened by
 * a real spreadsheet engine (LibreOffice): the totals row's formulas must compute to the JSON
 * report's numbers, Cyrillic must survive and formula-like text must stay text.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isoWeekOf } from '../../shared/report/period';
import { SECTIONS, type SectionKey, type WeeklyReport } from '../../shared/report/definitions';
import { parseCsv } from '../../shared/sheet/csv';
import { unzip } from '../helpers/zip';
import { applyMigrations, createLocalToken, freePort, ROOT, startServer, type RunningServer } from '../../scripts/lib/local';

const ORG = 'Търговия ООД';
const HEAD = 'Иван Петров';
const EVIL_REASON = '=HYPERLINK("http://x","цена")';

interface CliResult {
  code: number | null;
  stdout: Buffer;
  stderr: string;
}

/** Runs bin/leadpane.js without blocking the event loop (the server's pipes keep draining). */
function cli(args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const base: NodeJS.ProcessEnv = { ...process.env };
    delete base.LEADPANE_URL;
    delete base.LEADPANE_TOKEN;
    const child = spawn(process.execPath, ['bin/leadpane.js', ...args], { cwd: ROOT, env: { ...base, ...env } });
    const out: Buffer[] = [];
    let err = '';
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout: Buffer.concat(out), stderr: err }));
  });
}

/** Every sheet of a workbook as CSV rows, computed by LibreOffice; fails loudly when it is missing. */
function openWithLibreOffice(file: string, dir: string): Map<string, string[][]> {
  const probe = spawnSync('soffice', ['--version'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0)
    throw new Error(
      'LibreOffice (soffice) is required for this test and was not found: apt-get install -y --no-install-recommends libreoffice-calc',
    );
  // 44,34,76: comma, double quote, UTF-8; token 12 = -1 writes every sheet to <name>-<Sheet>.csv.
  const filter = 'csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1';
  const res = spawnSync(
    'soffice',
    [`-env:UserInstallation=file://${join(dir, 'lo-profile')}`, '--headless', '--convert-to', filter, '--outdir', dir, file],
    { encoding: 'utf8', timeout: 90_000 },
  );
  const base = file
    .split('/')
    .pop()!
    .replace(/\.xlsx$/, '');
  const sheets = new Map<string, string[][]>();
  for (const f of readdirSync(dir))
    if (f.startsWith(`${base}-`) && f.endsWith('.csv'))
      sheets.set(f.slice(base.length + 1, -4), parseCsv(readFileSync(join(dir, f), 'utf8'), { delimiter: ',' }));
  if (!sheets.size) throw new Error(`LibreOffice wrote no CSV (status ${res.status}):\n${res.stdout}\n${res.stderr}`);
  return sheets;
}

describe('leadpane report weekly', () => {
  let dir: string;
  let server: RunningServer;
  let token: string;
  const week = isoWeekOf(new Date());

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'leadpane-report-'));
    const state = join(dir, 'state');
    applyMigrations({ persistTo: state });
    token = createLocalToken({ email: 'ivan@example.bg', role: 'head', org: ORG, name: HEAD }, { persistTo: state });
    server = await startServer({ port: await freePort(), persistTo: state });

    // A little week of work through the API: two leads, two deals won and one lost.
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const api = async (method: string, path: string, body: unknown, extra: Record<string, string> = {}) => {
      const res = await fetch(`${server.url}/api/v1${path}`, { method, headers: { ...headers, ...extra }, body: JSON.stringify(body) });
      const json = (await res.json()) as { id: string; version: number };
      if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
      return json;
    };
    await api('POST', '/leads', { source: 'email', fullName: 'Мария Георгиева' }, { 'idempotency-key': 'lead-1' });
    await api('POST', '/leads', { source: 'webform', fullName: 'Пётр Иванов' }, { 'idempotency-key': 'lead-2' });
    const deals = [
      { title: 'Доставка на оборудване', amountMinor: 120_000, to: { stage: 'won' } },
      { title: 'Поддръжка', amountMinor: 45_050, to: { stage: 'won' } },
      { title: 'Обучение', amountMinor: 30_000, to: { stage: 'lost', lostReason: EVIL_REASON, competitor: 'Конкурент АД' } },
    ];
    for (const [i, d] of deals.entries()) {
      const created = await api(
        'POST',
        '/deals',
        { title: d.title, amountMinor: d.amountMinor, currency: 'BGN' },
        { 'idempotency-key': `deal-${i}` },
      );
      await api('PATCH', `/deals/${created.id}`, { ...d.to, overrideReason: 'test seed' }, { 'if-match': `"${created.version}"` });
    }
  });

  afterAll(async () => {
    await server?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('downloads an xlsx whose totals rows LibreOffice computes to the JSON report numbers', async () => {
    const json = await cli(['report', 'weekly', '--week', week, '--format', 'json', '--lang', 'bg'], {
      LEADPANE_URL: server.url,
      LEADPANE_TOKEN: token,
    });
    expect(json.code, json.stderr).toBe(0);
    const report = JSON.parse(json.stdout.toString('utf8')) as WeeklyReport;
    const rowsOf = (key: SectionKey) => report.sections.find((s) => s.key === key)!.rows;
    expect(rowsOf('wonLost')).toEqual([
      ['lost', 'BGN', 1, 30_000, expect.any(Number)],
      ['won', 'BGN', 2, 165_050, expect.any(Number)],
    ]);

    const file = join(dir, 'r.xlsx');
    const xlsx = await cli([
      'report',
      'weekly',
      '--week',
      week,
      '--format',
      'xlsx',
      '--lang',
      'bg',
      '-o',
      file,
      '--url',
      server.url,
      '--token',
      token,
    ]);
    expect(xlsx.code, xlsx.stderr).toBe(0);
    expect(xlsx.stdout.length).toBe(0);
    expect(readFileSync(file).subarray(0, 4).toString('latin1')).toBe('PK\u0003\u0004');

    const sheets = openWithLibreOffice(file, dir);
    const summary = sheets.get('Обобщение')!;
    expect(summary, [...sheets.keys()].join(', ')).toBeDefined();
    expect(summary.flat()).toContain(week);
    expect(summary.flat()).toContain(`Организация: ${ORG}`);
    // The summary's table names each section's sheet and row count.
    const head = summary.findIndex((r) => r[0] === 'Раздел');
    const sheetOf = new Map(
      summary
        .slice(head + 1)
        .filter((r) => r[0])
        .map((r) => [r[0]!, { sheet: r[1]!, rows: Number(r[2]) }]),
    );
    expect(sheetOf.size).toBe(report.sections.length);

    let checkedTotals = 0;
    for (const s of report.sections) {
      const entry = sheetOf.get(s.title)!;
      expect(entry.rows, s.key).toBe(s.rows.length);
      const csv = sheets.get(entry.sheet)!;
      expect(csv, entry.sheet).toBeDefined();
      expect(csv[0], s.key).toEqual(s.columns.map((c) => c.label));
      const totalCols = s.columns.map((c, i) => (c.total ? i : -1)).filter((i) => i >= 0);
      const data = csv.slice(1, 1 + Math.max(1, s.rows.length));
      if (!totalCols.length) {
        expect(
          csv.slice(1 + Math.max(1, s.rows.length)).filter((r) => r.some(Boolean)),
          s.key,
        ).toEqual([]);
        continue;
      }
      const totals = csv[1 + Math.max(1, s.rows.length)]!;
      expect(totals[0], s.key).toBe('Общо');
      for (const i of totalCols) {
        const money = s.columns[i]!.type === 'money';
        const fromJson = s.rows.reduce((a, r) => a + Number(r[i] ?? 0), 0) / (money ? 100 : 1);
        const fromRows = data.reduce((a, r) => a + (r[i] ? Number(r[i]) : 0), 0);
        // The formula's result, computed by the spreadsheet (no cached value was written).
        expect(totals[i], `${s.key} ${s.columns[i]!.key}`).not.toBe('');
        expect(Number(totals[i]), `${s.key} ${s.columns[i]!.key}`).toBeCloseTo(fromRows, 6);
        expect(Number(totals[i]), `${s.key} ${s.columns[i]!.key}`).toBeCloseTo(fromJson, 6);
        checkedTotals++;
      }
    }
    expect(checkedTotals).toBeGreaterThan(10);

    // Known numbers: 2 won + 1 lost deals; 1200.00 + 450.50 won, 300.00 lost.
    const wonLost = sheets.get(sheetOf.get(SECTIONS.wonLost.title.bg)!.sheet)!;
    expect(wonLost[3]!.slice(0, 4)).toEqual(['Общо', '', '3', '1950.5']);
    // Cyrillic survives and the hostile lost reason is a text cell with its apostrophe.
    const reasons = sheets.get(sheetOf.get(SECTIONS.lostReasons.title.bg)!.sheet)!;
    expect(reasons[1]).toEqual([`'${EVIL_REASON}`, '1']);
    const competitors = sheets.get(sheetOf.get(SECTIONS.competitors.title.bg)!.sheet)!;
    expect(competitors[1]).toEqual(['Конкурент АД', '0', '1']);
    const byManager = sheets.get(sheetOf.get(SECTIONS.newLeadsByManager.title.bg)!.sheet)!;
    expect(byManager[1]![0]).toBe(HEAD);
  });

  it('prints CSV to stdout when no file is given', async () => {
    const res = await cli(['report', 'weekly', '--week', week, '--format', 'csv', '--url', server.url, '--token', token]);
    expect(res.code, res.stderr).toBe(0);
    const text = res.stdout.toString('utf8');
    expect(text.charCodeAt(0)).toBe(0xfeff);
    expect(text).toContain('Won and lost');
    expect(text).toContain(`"'=HYPERLINK(""http://x"",""цена"")"`);
  });

  it('writes the workbook byte-exact with --output: same parts as the API answers', async () => {
    const file = join(dir, 'direct.xlsx');
    const res = await cli([
      'report',
      'weekly',
      '--week',
      week,
      '--format',
      'xlsx',
      '--output',
      file,
      '--url',
      server.url,
      '--token',
      token,
    ]);
    expect(res.code, res.stderr).toBe(0);
    expect(res.stderr).toContain(file);
    const direct = await fetch(`${server.url}/api/v1/reports/weekly?week=${week}&format=xlsx`, {
      headers: { authorization: `Bearer ${token}` },
    });
    // unzip checks every entry's CRC-32: one altered byte (a text-mode write) fails here.
    const written = await unzip(readFileSync(file));
    const fromApi = await unzip(new Uint8Array(await direct.arrayBuffer()));
    expect([...written.keys()]).toEqual([...fromApi.keys()]);
    // Sheets and tables do not depend on when the report was generated.
    for (const [name, data] of fromApi)
      if (/^xl\/(worksheets|tables)\//.test(name)) expect(written.get(name)!.bytes, name).toEqual(data.bytes);
  });

  it('exits 1 with the problem detail when the server refuses', async () => {
    const bad = await cli(['report', 'weekly', '--week', '2026-W60', '--url', server.url, '--token', token]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('2026-W60 is not an ISO week.');
    expect(bad.stderr).toContain('/week');
    expect(bad.stdout.length).toBe(0);

    const unauthorised = await cli(['report', 'weekly', '--week', week, '--url', server.url, '--token', 'lp_not-a-token']);
    expect(unauthorised.code).toBe(1);
    expect(unauthorised.stderr).toMatch(/\(401/);
  });

  it('exits 2 on a wrong command line and 1 when the server cannot be reached', async () => {
    expect((await cli(['report', 'monthly', '--token', 't'])).code).toBe(2);
    expect((await cli(['report', 'weekly', '--format', 'pdf', '--token', 't'])).code).toBe(2);
    expect((await cli(['report', 'weekly', '-o'], { LEADPANE_TOKEN: 't' })).code).toBe(2);
    expect((await cli(['report', 'weekly'])).stderr).toContain('--token');
    const down = await cli(['report', 'weekly', '--url', `http://127.0.0.1:${await freePort()}`, '--token', 't']);
    expect(down.code).toBe(1);
    expect(down.stderr).toContain('cannot reach');
  });
});

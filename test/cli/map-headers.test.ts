import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../..', import.meta.url));
const fixture = (name: string): string => join(root, 'test', 'fixtures', 'sheet', name);

async function leadpane(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [join(root, 'bin', 'leadpane.js'), ...args], { cwd: root });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

let dir: string;

/** An English pipeline workbook: a merged title, a blank row, then the table. */
async function writeEnglishWorkbook(path: string): Promise<void> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('Pipeline');
  sheet.addRow(['Q1 pipeline — exported 12 March 2026']);
  sheet.mergeCells('A1:H1');
  sheet.addRow([]);
  sheet.addRow(['Deal Name', 'Account Name', 'Contact', 'E-mail Address', 'Stage', 'Amount (EUR)', 'Probability (%)', 'Close Date']);
  sheet.addRow([
    'Website redesign',
    'Globex Ltd',
    'Jane Doe',
    { text: 'jane@globex.com', hyperlink: 'mailto:jane@globex.com' },
    'Proposal',
    12000,
    0.4,
    new Date(Date.UTC(2026, 3, 30)),
  ]);
  sheet.addRow([
    'Support renewal',
    'Initech Inc',
    'Peter Gibbons',
    'peter@initech.com',
    'Closed Won',
    { formula: '1000*2', result: 2000 },
    1,
    new Date(Date.UTC(2026, 2, 1)),
  ]);
  await workbook.xlsx.writeFile(path);
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'leadpane-map-headers-'));
  await writeEnglishWorkbook(join(dir, 'pipeline.xlsx'));
  await writeFile(join(dir, 'broken.xlsx'), 'not a zip');
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('leadpane map-headers', () => {
  it('prints one JSON line for a Bulgarian windows-1251 CSV with a title and a blank row', async () => {
    const { code, stdout } = await leadpane('map-headers', fixture('bg-clients-cp1251.csv'));
    expect(code).toBe(0);
    expect(stdout.trim().split('\n')).toHaveLength(1);
    const out = JSON.parse(stdout) as { headerRow: number; mapping: Record<string, string | null> };
    expect(out.headerRow).toBe(2);
    expect(out.mapping).toMatchObject({
      Фирма: 'company',
      ЕИК: 'eik',
      'Тел.': 'phone',
      GSM: 'mobile',
      'Отг. търговец': 'owner',
      МОЛ: null,
    });
  });

  it('maps a Russian CSV with a BOM and semicolons', async () => {
    const { code, stdout } = await leadpane('map-headers', fixture('ru-deals-bom.csv'));
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({
      headerRow: 0,
      mapping: { Контрагент: 'company', ИНН: 'eik', Этап: 'stage', 'Сумма, руб.': 'amount', Примечание: 'notes' },
    });
  });

  it('reads the first sheet of an .xlsx below a merged title', async () => {
    const { code, stdout } = await leadpane('map-headers', join(dir, 'pipeline.xlsx'));
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual({
      headerRow: 2,
      mapping: {
        'Deal Name': 'dealTitle',
        'Account Name': 'company',
        Contact: 'fullName',
        'E-mail Address': 'email',
        Stage: 'stage',
        'Amount (EUR)': 'amount',
        'Probability (%)': 'probability',
        'Close Date': 'expectedCloseDate',
      },
    });
  });

  it('exits 1 with a clear message for a missing file', async () => {
    const { code, stdout, stderr } = await leadpane('map-headers', join(dir, 'nope.csv'));
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toContain('cannot read');
    expect(stderr).toContain('nope.csv');
  });

  it('exits 1 for an .xlsx that is not a workbook and for no file at all', async () => {
    expect((await leadpane('map-headers', join(dir, 'broken.xlsx'))).code).toBe(1);
    expect((await leadpane('map-headers')).code).toBe(1);
  });
});

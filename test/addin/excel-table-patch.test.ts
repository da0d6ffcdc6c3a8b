/// <reference types="office-js" />
// Patching a table by row key, on both workbook adapters: what the user typed since the pane read
// the table is never overwritten, rows are found by key wherever they moved, and Office gets the
// whole patch in three syncs. Also the browser-mode download: tables, the very hidden sheet, hidden
// columns and drop-downs survive a round trip, and charts become native chart parts.
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { createBrowserExcelHost } from '../../addin/office/excel-browser';
import { createOfficeExcelHost } from '../../addin/office/excel-office';
import { planTablePatch } from '../../addin/office/table-patch';
import { readXlsx } from '../../addin/office/xlsx-io';
import type { ExcelHost, Matrix, TablePatch } from '../../addin/office/types';
import { scriptedWorkbook } from '../../bench/lib/office-workbook';
import { part, unzip } from '../helpers/zip';

const HEADER = ['title', 'stage', 'id'];
const BODY: Matrix = [
  ['Alpha', 'new', 'a'],
  ['Beta', 'proposal', 'b'],
  ['Gamma', 'won', 'c'],
];

describe('planTablePatch', () => {
  it('finds rows by key wherever they are, and sets aside cells that changed since they were read', () => {
    const now: Matrix = [BODY[2]!, ['Beta', 'negotiation', 'b'], BODY[0]!];
    const plan = planTablePatch(now, {
      keyColumn: 2,
      set: [
        { at: { key: 'a' }, col: 1, value: 'qualified', expect: 'new' },
        { at: { key: 'b' }, col: 1, value: 'lost', expect: 'proposal' },
        { at: { key: 'zz' }, col: 0, value: 'x' },
      ],
      remove: [{ key: 'c', expect: ['Gamma', 'won'] }],
    });
    expect(plan.runs).toEqual([{ row: 2, col: 1, values: ['qualified'] }]);
    expect(plan.skippedCells.map((s) => s.at)).toEqual([{ key: 'b' }, { key: 'zz' }]);
    expect(plan.removeRows).toEqual([0]);
  });

  it('finds a row without a key by its cells, and writes adjacent cells as one run', () => {
    const plan = planTablePatch([['New deal', 'new', ''], ...BODY], {
      keyColumn: 2,
      set: [
        { at: { row: 3, match: ['New deal', 'new'] }, col: 2, value: 'd' },
        { at: { row: 3, match: ['New deal', 'new'] }, col: 3, value: 'created' },
      ],
    });
    expect(plan.runs).toEqual([{ row: 0, col: 2, values: ['d', 'created'] }]);
    expect(plan.skippedCells).toEqual([]);
  });
});

async function patchOn(host: ExcelHost, patch: TablePatch) {
  const result = await host.patchTable('Deals', patch);
  return { result, table: await host.readTable('Deals') };
}

const PATCH: TablePatch = {
  keyColumn: 2,
  set: [
    { at: { key: 'a' }, col: 1, value: 'qualified', expect: 'new' },
    { at: { key: 'b' }, col: 1, value: 'lost', expect: 'proposal' },
    { at: { key: 'a' }, col: 3, value: 'merged' },
  ],
  remove: [{ key: 'c', expect: ['Gamma', 'won'] }],
  append: [['Delta', 'new', 'd']],
};

describe('patchTable on both adapters', () => {
  it('in browser mode: sets, removes and appends by key, leaving what the user typed meanwhile', async () => {
    const host = createBrowserExcelHost({ sheets: { S: [HEADER, ...BODY, ['below', '', '']] } });
    await host.createTable('S', 'A1:C4', { name: 'Deals' });
    // The user changed Beta's stage after the pane read the table.
    await host.writeValues('S', 'B3', [['negotiation']]);
    const { result, table } = await patchOn(host, PATCH);
    expect(result).toEqual({ skippedCells: [{ at: { key: 'b' }, col: 1 }], skippedRows: [] });
    expect(table.rows).toEqual([
      ['Alpha', 'qualified', 'a'],
      ['Beta', 'negotiation', 'b'],
      ['Delta', 'new', 'd'],
    ]);
    const sheet = host.snapshot().sheets[0]!;
    // The column beside the table is written on the row's line, and what was below the table moved down.
    expect(sheet.values[1]![3]).toBe('merged');
    expect(sheet.values[4]![0]).toBe('below');
    expect(sheet.tables[0]!.address).toBe('A1:C4');
  });

  it('over Office.js: the same result in three syncs, whatever the number of cells', async () => {
    const wb = scriptedWorkbook({ S: [HEADER, ...BODY, ['below', '', '']] }, [{ name: 'Deals', sheet: 'S', address: 'A1:C4' }]);
    const host = createOfficeExcelHost({ run: wb.run });
    wb.sheets.S![2]![1] = 'negotiation';
    wb.stats.syncs = 0;
    const result = await host.patchTable('Deals', PATCH);
    expect(wb.stats.syncs).toBe(4);
    expect(result.skippedCells).toEqual([{ at: { key: 'b' }, col: 1 }]);
    expect(wb.sheets.S!.slice(0, 5).map((r) => r.slice(0, 4))).toEqual([
      HEADER,
      ['Alpha', 'qualified', 'a', 'merged'],
      ['Beta', 'negotiation', 'b'],
      ['Delta', 'new', 'd'],
      ['below', '', ''],
    ]);
    expect(wb.tables[0]!.address).toBe('A1:C4');
  });

  it('over Office.js: a patch without appends is three syncs for a thousand rows', async () => {
    const rows: Matrix = Array.from({ length: 1000 }, (_, i) => [`Deal ${i}`, 'new', `k${i}`]);
    const wb = scriptedWorkbook({ S: [HEADER, ...rows] }, [{ name: 'Deals', sheet: 'S', address: 'A1:C1001' }]);
    const host = createOfficeExcelHost({ run: wb.run });
    const set = rows.filter((_, i) => i % 5 === 0).map((r) => ({ at: { key: String(r[2]) }, col: 1, value: 'proposal', expect: 'new' }));
    await host.patchTable('Deals', { keyColumn: 2, set });
    expect(wb.stats.syncs).toBe(3);
    expect(wb.sheets.S!.filter((r) => r[1] === 'proposal')).toHaveLength(200);
  });

  it('hides a sheet and sets a drop-down, on both adapters', async () => {
    const wb = scriptedWorkbook({ S: [['x']], Sync: [['y']] });
    const office = createOfficeExcelHost({ run: wb.run });
    await office.setWorksheetVisibility('Sync', 'veryHidden');
    await office.setListValidation('S', 'B2:B10', ['new', 'won']);
    expect(wb.visibility.Sync).toBe('VeryHidden');
    expect(wb.validations).toEqual([{ sheet: 'S', address: 'B2:B10', source: 'new,won' }]);

    const browser = createBrowserExcelHost({ sheets: { S: [['x']], Sync: [['y']] } });
    await browser.setWorksheetVisibility('Sync', 'veryHidden');
    await browser.setListValidation('S', 'B2:B10', ['new', 'won']);
    const snap = browser.snapshot();
    expect(snap.sheets[1]!.visibility).toBe('veryHidden');
    expect(snap.sheets[0]!.validations).toEqual([{ address: 'B2:B10', values: ['new', 'won'] }]);
  });
});

describe('the browser-mode download', () => {
  it('opens again with its tables, very hidden sheet, hidden columns and drop-downs', async () => {
    const host = createBrowserExcelHost({ sheets: { Pipeline: [HEADER, ...BODY], 'Leadpane sync': [['meta', '{"a":1}']] } });
    await host.createTable('Pipeline', 'A1:C4', { name: 'Pipeline' });
    await host.setColumnsHidden('Pipeline', 'C:C', true);
    await host.setWorksheetVisibility('Leadpane sync', 'veryHidden');
    await host.setListValidation('Pipeline', 'B2:B4', ['new', 'proposal', 'won']);
    const bytes = await host.toXlsx();

    const again = createBrowserExcelHost();
    await again.openFile(Object.assign(new Blob([bytes as BlobPart]), { name: 'pipeline.xlsx' }));
    expect(await again.listTables()).toEqual([{ name: 'Pipeline', sheet: 'Pipeline' }]);
    expect((await again.readTable('Pipeline')).rows).toEqual(BODY);
    const snap = again.snapshot();
    expect(snap.activeSheet).toBe('Pipeline');
    expect(snap.sheets.map((s) => [s.name, s.visibility ?? 'visible', s.hiddenColumns])).toEqual([
      ['Pipeline', 'visible', [2]],
      ['Leadpane sync', 'veryHidden', []],
    ]);
    expect(snap.sheets[0]!.validations).toEqual([{ address: 'B2:B4', values: ['new', 'proposal', 'won'] }]);
    expect((await again.readUsedRange('Leadpane sync')).values).toEqual([['meta', '{"a":1}']]);
  });

  it('writes each chart the pane made as a chart part drawn from the sheet’s cells', async () => {
    const host = createBrowserExcelHost({ sheets: { Other: [['keep']] } });
    await host.addWorksheet('Weekly 2026-W27');
    await host.writeValues('Weekly 2026-W27', 'A1', [
      ['Stage', 'Value', '', 'Week', 'BGN'],
      ['proposal', 1200.5, '', '2026-W26', 10],
      ['won', 300, '', '2026-W27', 20],
    ]);
    await host.createTable('Weekly 2026-W27', 'A1:B3', { name: 'Pipe' });
    await host.addChart('Weekly 2026-W27', 'A1:B3', { kind: 'bar', title: 'Pipeline & more' });
    await host.addChart('Weekly 2026-W27', 'D1:E3', { kind: 'line', title: 'Won' });
    const bytes = await host.toXlsx();

    const parts = await unzip(bytes);
    const text = (p: string) => part(parts, p);
    const charts = [...parts.keys()].filter((k) => /^xl\/charts\/chart\d+\.xml$/.test(k)).sort();
    expect(charts).toEqual(['xl/charts/chart1.xml', 'xl/charts/chart2.xml']);
    expect(text('xl/charts/chart1.xml')).toContain("<c:f>'Weekly 2026-W27'!$B$2:$B$3</c:f>");
    expect(text('xl/charts/chart1.xml')).toContain('<c:barDir val="bar"/>');
    expect(text('xl/charts/chart1.xml')).toContain('Pipeline &amp; more');
    expect(text('xl/charts/chart2.xml')).toContain('<c:lineChart>');
    expect(text('[Content_Types].xml').match(/drawingml\.chart\+xml/g)).toHaveLength(2);
    expect(text('xl/worksheets/sheet2.xml')).toMatch(/<drawing r:id="rIdLpDrawing1"\/>/);
    expect(text('xl/worksheets/_rels/sheet2.xml.rels')).toContain('../drawings/drawing1.xml');
    expect(text('xl/worksheets/sheet1.xml')).not.toContain('<drawing');

    // exceljs (and so Excel's own reader) still opens it, with the table and the values.
    const read = await readXlsx(bytes);
    expect(read.map((s) => s.name)).toEqual(['Other', 'Weekly 2026-W27']);
    expect(read[1]!.tables).toEqual([{ name: 'Pipe', address: 'A1:B3', style: 'TableStyleMedium2' }]);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(bytes as never);
    expect(workbook.getWorksheet('Weekly 2026-W27')!.getCell('B2').value).toBe(1200.5);
  });
});

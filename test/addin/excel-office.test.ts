/// <reference types="office-js" />
// ExcelHost over Office.js, driven through office-addin-mock: whole 2-D blocks, one
// context.sync() per chunk (never per row), chunks under 2 MB, a timeout around every sync.
import { OfficeMockObject } from 'office-addin-mock';
import { describe, expect, it } from 'vitest';
import { cellsForWrite, chunkRows, columnLetters, parseRange, rangeAddress } from '../../addin/office/a1';
import { createOfficeExcelHost, type ExcelRun } from '../../addin/office/excel-office';
import type { Matrix } from '../../addin/office/types';

type Mock = OfficeMockObject & Record<string, unknown>;

/**
 * A scripted workbook: sheets hold 2-D values; every object the code asks for is an
 * OfficeMockObject (so reading a property before load + sync fails as in Excel), and
 * context.sync() syncs them all and counts.
 */
function scriptedExcel(sheets: Record<string, Matrix>, active = Object.keys(sheets)[0]!) {
  const created: OfficeMockObject[] = [];
  const track = <T extends OfficeMockObject>(mock: T) => (created.push(mock), mock);
  const stats = { syncs: 0, writes: [] as Array<{ sheet: string; address: string; bytes: number }>, syncsBetweenWrites: [] as number[] };
  const events: string[] = [];
  // office-addin-mock assigns values back onto the object in load() and sync(); those are not writes.
  let syncing = false;

  const rangeOf = (sheetName: string, address: string): Mock => {
    const box = parseRange(address);
    const grid = sheets[sheetName]!;
    const values = Array.from({ length: box.rows }, (_, r) =>
      Array.from({ length: box.cols }, (_, c) => grid[box.row + r]?.[box.col + c] ?? ''),
    );
    const range = track(
      new OfficeMockObject({ address: `${sheetName}!${address}`, values, rowCount: box.rows, columnCount: box.cols }),
    ) as Mock;
    // Writes: Office queues `range.values = ...` until the next sync.
    let pending: Matrix | null = null;
    Object.defineProperty(range, 'values', {
      get: () => (range as unknown as { _properties: Map<string, { _value: unknown }> })._properties.get('values')!._value,
      set: (rows: Matrix) => {
        if (syncing || !Array.isArray(rows)) return;
        pending = rows;
        stats.writes.push({ sheet: sheetName, address, bytes: new TextEncoder().encode(JSON.stringify(rows)).length });
        events.push('write');
      },
    });
    range.__apply = () => {
      if (!pending) return;
      pending.forEach((row, r) => row.forEach((v, c) => ((grid[box.row + r] ??= [])[box.col + c] = v)));
      pending = null;
    };
    return range;
  };

  const worksheet = (name: string): Mock =>
    track(
      new OfficeMockObject({
        name,
        getRange(address: string) {
          return rangeOf(name, address);
        },
        getUsedRangeOrNullObject() {
          const grid = sheets[name]!;
          const rows = grid.length;
          const cols = Math.max(0, ...grid.map((r) => r.length));
          const address = rows && cols ? rangeAddress(0, 0, rows, cols) : 'A1';
          return track(
            new OfficeMockObject({ address: `${name}!${address}`, rowCount: rows, columnCount: cols, isNullObject: rows === 0 }),
          );
        },
      }),
    ) as Mock;

  const context = new OfficeMockObject({
    workbook: {
      worksheets: {
        getItem: (name: string) => worksheet(name),
        getActiveWorksheet: () => worksheet(active),
        getItemOrNullObject: (name: string) =>
          track(new OfficeMockObject({ isNullObject: !(name in sheets), delete: () => delete sheets[name], activate: () => undefined })),
        add: (name: string) => {
          sheets[name] = [];
          return { name, activate: () => undefined };
        },
      },
    },
  }) as Mock;

  (context as { sync: () => Promise<void> }).sync = async () => {
    stats.syncs++;
    events.push('sync');
    syncing = true;
    try {
      await OfficeMockObject.prototype.sync.call(context);
      for (const mock of created) {
        (mock as Mock & { __apply?: () => void }).__apply?.();
        await mock.sync();
      }
    } finally {
      syncing = false;
    }
  };

  const run: ExcelRun = (batch) => batch(context as unknown as Excel.RequestContext);
  return { run, stats, events, sheets };
}

const rows = (count: number, width: number, cell: (r: number, c: number) => string | number): Matrix =>
  Array.from({ length: count }, (_, r) => Array.from({ length: width }, (_, c) => cell(r, c)));

describe('addresses and chunks', () => {
  it('names columns the way Excel does', () => {
    expect([0, 25, 26, 701, 702, 16383].map(columnLetters)).toEqual(['A', 'Z', 'AA', 'ZZ', 'AAA', 'XFD']);
    expect(rangeAddress(1, 2, 10, 3)).toBe('C2:E11');
    expect(parseRange('Sheet1!$B$3:D5')).toEqual({ row: 2, col: 1, rows: 3, cols: 3 });
    expect(parseRange('b3:xfd5')).toEqual({ row: 2, col: 1, rows: 3, cols: 16383 });
  });

  it('keeps every chunk under the byte limit and loses no row', () => {
    const values = rows(5000, 12, (r, c) => `Иван Петров ${r}-${c} Търговски директор`);
    const chunks = chunkRows(values, 500_000);
    expect(chunks.length).toBeGreaterThan(1);
    for (const chunk of chunks) expect(new TextEncoder().encode(JSON.stringify(chunk.rows)).length).toBeLessThan(500_000);
    expect(chunks.flatMap((c) => c.rows)).toEqual(values);
  });

  it('escapes text that a spreadsheet would run as a formula', () => {
    const [written] = cellsForWrite([['=SUM(A1)', '+359 2 987 6543', '-5', '@cmd', '\tx', '\rx', 'plain', 5, -5, null]], false);
    // null becomes "" because Excel skips nulls in range.values
    expect(written).toEqual(["'=SUM(A1)", "'+359 2 987 6543", "'-5", "'@cmd", "'\tx", "'\rx", 'plain', 5, -5, '']);
  });
});

describe('ExcelHost over Office.js', () => {
  it('writes 10,000 x 12 cells with a handful of syncs, one per chunk and none per row', async () => {
    const excel = scriptedExcel({ Pipeline: [] });
    const host = createOfficeExcelHost({ run: excel.run });
    const values = rows(10_000, 12, (r, c) => (c === 0 ? r : `Сделка ${r}/${c} — Акме ООД`));
    const progress: number[] = [];

    const result = await host.writeValues('Pipeline', 'A1', values, { onProgress: (n) => progress.push(n) });

    expect(result.address).toBe('A1:L10000');
    expect(excel.stats.syncs).toBe(result.chunks);
    expect(excel.stats.syncs).toBeGreaterThan(1);
    expect(excel.stats.syncs).toBeLessThanOrEqual(6);
    // Each chunk is one write followed by its sync: never two syncs for one write.
    expect(excel.events.join(',')).toBe(Array(result.chunks).fill('write,sync').join(','));
    for (const write of excel.stats.writes) expect(write.bytes).toBeLessThan(2 * 1024 * 1024);
    expect(progress.at(-1)).toBe(10_000);
    expect(excel.sheets.Pipeline![9_999]![11]).toBe('Сделка 9999/11 — Акме ООД');
  });

  it('writes a small block in one sync, escaping formulas and clearing nulls', async () => {
    const excel = scriptedExcel({ Leads: [] });
    const host = createOfficeExcelHost({ run: excel.run });
    await host.writeValues('Leads', 'B2', [
      ['=HYPERLINK("http://x")', null],
      ['+359 2 987 6543', 42],
    ]);
    expect(excel.stats.syncs).toBe(1);
    expect(excel.sheets.Leads![1]!.slice(1)).toEqual(['\'=HYPERLINK("http://x")', '']);
    expect(excel.sheets.Leads![2]!.slice(1)).toEqual(["'+359 2 987 6543", 42]);
  });

  it('refuses ragged rows before touching the workbook', async () => {
    const excel = scriptedExcel({ Leads: [] });
    const host = createOfficeExcelHost({ run: excel.run });
    await expect(host.writeValues('Leads', 'A1', [['a', 'b'], ['c']])).rejects.toThrow(/Row 2/);
    expect(excel.stats.syncs).toBe(0);
  });

  it('reads the used range in a few syncs', async () => {
    const grid = rows(10_000, 12, (r, c) => r * 100 + c);
    const excel = scriptedExcel({ Data: grid });
    const host = createOfficeExcelHost({ run: excel.run, readCellsPerSync: 50_000 });
    const read = await host.readUsedRange('Data');
    expect(read).toMatchObject({ sheet: 'Data', address: 'A1:L10000' });
    expect(read.values).toEqual(grid);
    // One sync for the size, then 120,000 cells at 50,000 a sync.
    expect(excel.stats.syncs).toBe(1 + 3);
  });

  it('answers an empty read for an empty sheet', async () => {
    const excel = scriptedExcel({ Empty: [] });
    const host = createOfficeExcelHost({ run: excel.run });
    expect(await host.readUsedRange('Empty')).toEqual({ sheet: 'Empty', address: '', values: [] });
  });

  it('gives up on a sync that never answers', async () => {
    const excel = scriptedExcel({ Leads: [] });
    const host = createOfficeExcelHost({
      run: (batch) => excel.run((context) => batch(Object.assign(Object.create(context), { sync: () => new Promise(() => undefined) }))),
      syncTimeoutMs: 30,
    });
    await expect(host.writeValues('Leads', 'A1', [['x']])).rejects.toMatchObject({ name: 'HostError', code: 'Timeout' });
  });

  it('replaces a worksheet with a fresh one of the same name', async () => {
    const excel = scriptedExcel({ Report: [['old']], Other: [] });
    const host = createOfficeExcelHost({ run: excel.run });
    await host.addWorksheet('Report', { replace: true, activate: true });
    expect(excel.stats.syncs).toBe(2);
    expect(Object.keys(excel.sheets)).toContain('Other');
  });
});

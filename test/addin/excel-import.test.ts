/// <reference types="office-js" />
// The Import tab's read + write-back path over Office.js (office-addin-mock), with a fake API:
// 10,000 rows x 12 columns take at most 12 context.sync() calls in all, results land only in the
// two columns at the right of the data, and a closed pane resumes without resending a chunk.
import { OfficeMockObject } from 'office-addin-mock';
import { describe, expect, it } from 'vitest';
import type { ImportChunkBody, ImportRowAnswer, ImportStartBody } from '../../addin/api/contract';
import {
  analyse,
  clearResume,
  ID_HEADER,
  pendingResume,
  runImport,
  STATUS_HEADER,
  writeBack,
  type ImportApi,
} from '../../addin/excel/import/import-run';
import { parseRange, rangeAddress } from '../../addin/office/a1';
import { createOfficeExcelHost, type ExcelRun } from '../../addin/office/excel-office';
import type { KeyValueStorage, Matrix } from '../../addin/office/types';

type Mock = OfficeMockObject & Record<string, unknown>;

/** A scripted workbook whose context.sync() applies queued writes and counts. */
function scriptedExcel(sheets: Record<string, Matrix>) {
  const created: Mock[] = [];
  const stats = { syncs: 0, written: [] as string[], hidden: [] as string[] };
  let syncing = false;
  const rangeOf = (sheetName: string, address: string): Mock => {
    if (/^[A-Z]+:[A-Z]+$/.test(address)) {
      // Whole columns: only hiding is asked of them.
      const cols = new OfficeMockObject({ address }) as Mock;
      Object.defineProperty(cols, 'columnHidden', { set: (v: boolean) => v && stats.hidden.push(address) });
      return cols;
    }
    const box = parseRange(address);
    const grid = sheets[sheetName]!;
    const values = Array.from({ length: box.rows }, (_, r) =>
      Array.from({ length: box.cols }, (_, c) => grid[box.row + r]?.[box.col + c] ?? ''),
    );
    const range = new OfficeMockObject({ address: `${sheetName}!${address}`, values, rowCount: box.rows, columnCount: box.cols }) as Mock;
    created.push(range);
    let pending: Matrix | null = null;
    Object.defineProperty(range, 'values', {
      get: () => (range as unknown as { _properties: Map<string, { _value: unknown }> })._properties.get('values')!._value,
      set: (rows: Matrix) => {
        if (syncing || !Array.isArray(rows)) return;
        pending = rows;
        stats.written.push(address);
      },
    });
    Object.defineProperty(range, 'columnHidden', { set: (v: boolean) => v && stats.hidden.push(address) });
    range.__apply = () => {
      if (!pending) return;
      pending.forEach((row, r) => row.forEach((v, c) => ((grid[box.row + r] ??= [])[box.col + c] = v)));
      pending = null;
    };
    return range;
  };
  const worksheet = (name: string): Mock => {
    const ws = new OfficeMockObject({
      name,
      getRange: (address: string) => rangeOf(name, address),
      getUsedRangeOrNullObject: () => {
        const grid = sheets[name]!;
        const cols = Math.max(0, ...grid.map((r) => r.length));
        const m = new OfficeMockObject({
          address: `${name}!${rangeAddress(0, 0, grid.length, cols)}`,
          rowCount: grid.length,
          columnCount: cols,
          isNullObject: grid.length === 0,
        }) as Mock;
        created.push(m);
        return m;
      },
    }) as Mock;
    created.push(ws);
    return ws;
  };
  const context = new OfficeMockObject({
    workbook: { worksheets: { getItem: (n: string) => worksheet(n), getActiveWorksheet: () => worksheet(Object.keys(sheets)[0]!) } },
  }) as Mock;
  (context as { sync: () => Promise<void> }).sync = async () => {
    stats.syncs++;
    syncing = true;
    try {
      for (const mock of created) {
        (mock as Mock & { __apply?: () => void }).__apply?.();
        await mock.sync();
      }
    } finally {
      syncing = false;
    }
  };
  const run: ExcelRun = (batch) => batch(context as unknown as Excel.RequestContext);
  return { run, stats, sheets };
}

function memoryStorage(): KeyValueStorage {
  const m = new Map<string, string>();
  return { get: (k) => m.get(k) ?? null, set: (k, v) => void m.set(k, v), remove: (k) => void m.delete(k) };
}

/** A fake import API: every row with an "@" in column C is created, others are errors; chunks apply once. */
function fakeApi(opts: { failAtChunk?: number } = {}) {
  const applied = new Map<number, ImportRowAnswer[]>();
  const calls = { start: [] as ImportStartBody[], chunks: [] as number[] };
  const api: ImportApi = {
    async start(body) {
      calls.start.push(body);
      return { id: 'IMP1' };
    },
    async chunk(_id, body: ImportChunkBody) {
      if (body.chunk === opts.failAtChunk) {
        opts.failAtChunk = undefined;
        throw new Error('pane closed');
      }
      calls.chunks.push(body.chunk);
      const rows =
        applied.get(body.chunk) ??
        body.rows.map((r, i): ImportRowAnswer => {
          const row = body.firstRow + i;
          return String(r[2]).includes('@')
            ? { row, status: 'created', id: `01J${String(row).padStart(23, '0')}`, errors: [] }
            : {
                row,
                status: 'error',
                id: null,
                errors: [{ row, column: 'Email', field: 'email', reason: 'invalid_email', value: String(r[2]) }],
              };
        });
      if (!body.dryRun) applied.set(body.chunk, rows);
      return { chunk: body.chunk, applied: true, dryRun: !!body.dryRun, counts: { created: 0, updated: 0, skipped: 0, error: 0 }, rows };
    },
    async rows() {
      return { items: [...applied.values()].flat(), nextCursor: null };
    },
    async finish() {
      return {};
    },
  };
  return { api, calls };
}

const ROWS = 10_000;
function sheet(): Matrix {
  const header = ['Име', 'Фирма', 'E-mail адрес', 'GSM', 'Град', 'Длъжност', 'Бележки', 'Сайт', 'Адрес', 'ЕИК', 'Източник', 'Статус'];
  const rows: Matrix = [header];
  for (let i = 0; i < ROWS; i++)
    rows.push([
      `Клиент ${i}`,
      `Фирма ${i % 50} ООД`,
      i === 7 ? 'not-an-email' : `c${i}@firma.bg`,
      `0888${String(100000 + i).slice(-6)}`,
      'София',
      'Управител',
      `бел ${i}`,
      'firma.bg',
      'ул. 1',
      '',
      'excel',
      'new',
    ]);
  return rows;
}

describe('the Import tab over Office.js', () => {
  it('imports 10,000 rows x 12 columns with at most 12 syncs, writing only the status and hidden id columns', async () => {
    const excel = scriptedExcel({ Clients: sheet() });
    const host = createOfficeExcelHost({ run: excel.run });
    const { api, calls } = fakeApi();
    const storage = memoryStorage();

    const analysis = analyse(await host.readUsedRange('Clients'));
    const result = await runImport({ api, storage, analysis, kind: 'leads', mode: 'skip', fields: {}, dryRun: false });
    await writeBack(host, analysis, result.results, (r) => (r.status === 'error' ? `error: ${r.errors[0]!.reason}` : r.status));

    expect(excel.stats.syncs).toBeLessThanOrEqual(12);
    expect(calls.chunks).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(calls.start[0]!.mapping.columns.find((c) => c.header === 'E-mail адрес')!.field).toBe('email');
    const grid = excel.sheets.Clients!;
    expect(grid[0]!.slice(12)).toEqual([STATUS_HEADER, ID_HEADER]);
    expect(grid[1]!.slice(12)).toEqual(['created', `01J${'1'.padStart(23, '0')}`]);
    expect(grid[8]![12]).toBe('error: invalid_email');
    expect(grid[8]![13]).toBe('');
    // The user's cells are as they were.
    expect(grid.slice(0, ROWS + 1).map((r) => r.slice(0, 12))).toEqual(sheet());
    expect(excel.stats.hidden).toEqual(['N:N']);
  });

  it('resumes after the pane closed mid-import: confirmed chunks are not sent again', async () => {
    const excel = scriptedExcel({ Clients: sheet() });
    const host = createOfficeExcelHost({ run: excel.run });
    const { api, calls } = fakeApi({ failAtChunk: 4 });
    const storage = memoryStorage();
    const analysis = analyse(await host.readUsedRange('Clients'));
    const options = { api, storage, analysis, kind: 'leads' as const, mode: 'skip' as const, fields: {}, dryRun: false };

    await expect(runImport(options)).rejects.toThrow('pane closed');
    expect(pendingResume(storage)).toMatchObject({ importId: 'IMP1', lastChunk: 3 });
    const again = await runImport({ ...options, analysis: analyse(await host.readUsedRange('Clients')) });

    expect(again.resumedFrom).toBe(4);
    expect(calls.start).toHaveLength(1);
    expect(calls.chunks).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(again.results).toHaveLength(ROWS);
    clearResume(storage);
    expect(pendingResume(storage)).toBeNull();
  });

  it('a dry run stores nothing to resume and reports row errors', async () => {
    const excel = scriptedExcel({ Clients: sheet().slice(0, 20) });
    const host = createOfficeExcelHost({ run: excel.run });
    const { api } = fakeApi();
    const storage = memoryStorage();
    const analysis = analyse(await host.readUsedRange('Clients'));
    const result = await runImport({ api, storage, analysis, kind: 'leads', mode: 'skip', fields: {}, dryRun: true });
    expect(result.results.filter((r) => r.status === 'error').map((r) => r.row)).toEqual([8]);
    expect(pendingResume(storage)).toBeNull();
  });
});

describe('the weekly sheet', () => {
  it('takes at most three syncs per section (one write, one table, one chart) and charts pipeline, activities and the won trend', async () => {
    const { writeReportSheet } = await import('../../addin/excel/report-sheet');
    const calls: string[] = [];
    const sheets: Record<string, Matrix> = {};
    // Each ExcelHost call below is one sync over Office.js for blocks this small (writeValues: one per chunk).
    const host = {
      kind: 'office' as const,
      addWorksheet: async (name: string) => void (sheets[name] = []),
      writeValues: async (_s: string, topLeft: string) => (calls.push(`write ${topLeft}`), { address: topLeft, chunks: 1 }),
      createTable: async (_s: string, address: string) => (calls.push(`table ${address}`), 'T'),
      addChart: async (_s: string, address: string, o: { kind: string }) => void calls.push(`chart ${o.kind} ${address}`),
    } as unknown as import('../../addin/office/types').ExcelHost;
    const col = (key: string, type = 'int') => ({ key, type, label: key, total: false });
    const report = {
      period: { label: '2026-W48', from: '', to: '' },
      sections: [
        {
          key: 'pipeline',
          title: 'Pipeline',
          columns: [
            col('stage', 'text'),
            col('currency', 'text'),
            col('countStart'),
            col('valueStart', 'money'),
            col('countEnd'),
            col('valueEnd', 'money'),
          ],
          rows: [
            ['new', 'BGN', 1, 100, 2, 300],
            ['proposal', 'BGN', 0, 0, 1, 500],
          ],
        },
        {
          key: 'wonLost',
          title: 'Won and lost',
          columns: [col('outcome', 'text'), col('currency', 'text'), col('count'), col('value', 'money')],
          rows: [['won', 'BGN', 1, 1000]],
        },
        {
          key: 'activities',
          title: 'Activities',
          columns: [col('manager', 'text'), col('email'), col('call'), col('meeting'), col('note'), col('total')],
          rows: [['Иван', 1, 2, 3, 4, 10]],
        },
        { key: 'openCases', title: 'Open cases', columns: [col('subject', 'text')], rows: [] },
      ],
    };
    const result = await writeReportSheet({
      excel: host,
      report,
      week: '2026-W48',
      trend: [
        { week: '2026-W47', value: 0 },
        { week: '2026-W48', value: 10 },
      ],
      labels: { noRows: '—', trendTitle: 'Won', week: 'Week', won: 'BGN' },
    });
    expect(result).toEqual({ sheet: 'Weekly 2026-W48', sections: 4 });
    const perSection = [0, 0, 0, 0];
    let s = -1;
    for (const c of calls) perSection[c.startsWith('write') ? ++s : s]!++;
    expect(perSection).toEqual([3, 3, 3, 1]);
    expect(calls.filter((c) => c.startsWith('chart')).map((c) => c.split(' ')[1])).toEqual(['bar', 'line', 'column']);
  });
});

describe('the trend weeks', () => {
  it('are the ISO weeks before a week, oldest first, across a year end with 53 weeks', async () => {
    const { weeksBefore } = await import('../../addin/excel/report-sheet');
    expect(weeksBefore('2026-W02', 3)).toEqual(['2025-W51', '2025-W52', '2026-W01']);
    expect(weeksBefore('2021-W01', 1)).toEqual(['2020-W53']);
    expect(weeksBefore('not a week', 2)).toEqual([]);
  });
});

describe('results next to a selection', () => {
  it('go right of the user’s other cells, never over them', async () => {
    const { createBrowserExcelHost } = await import('../../addin/office/excel-browser');
    const { readSource } = await import('../../addin/excel/import/import-run');
    const grid: Matrix = [
      ['Име', 'E-mail адрес', 'GSM', 'Бележка'],
      ['Иван Петров', 'ivan@a.bg', '0888123456', 'не пипай'],
      ['Мария Иванова', 'maria@b.bg', '0888123457', 'и това'],
    ];
    const host = createBrowserExcelHost({ sheets: { Data: grid }, selection: { sheet: 'Data', address: 'A1:C3' } });
    const analysis = analyse(await readSource(host, { kind: 'selection' }));
    const results: ImportRowAnswer[] = [
      { row: 1, status: 'created', id: '01JAAAAAAAAAAAAAAAAAAAAAAA', errors: [] },
      { row: 2, status: 'created', id: '01JBBBBBBBBBBBBBBBBBBBBBBB', errors: [] },
    ];
    await writeBack(host, analysis, results, (r) => r.status);
    const sheet = host.snapshot().sheets[0]!;
    expect(sheet.values.map((r) => r.slice(0, 4))).toEqual(grid);
    expect(sheet.values.map((r) => r.slice(4))).toEqual([
      [STATUS_HEADER, ID_HEADER],
      ['created', '01JAAAAAAAAAAAAAAAAAAAAAAA'],
      ['created', '01JBBBBBBBBBBBBBBBBBBBBBBB'],
    ]);
    expect(sheet.hiddenColumns).toEqual([5]);
  });
});

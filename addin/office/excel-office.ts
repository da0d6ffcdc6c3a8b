// ExcelHost over Office.js. Reads and writes whole 2-D blocks: one context.sync() per chunk,
// each chunk under 2 MB, and a timeout around every sync.
import { withTimeout } from './async';
import { MAX_CHUNK_BYTES, assertRectangular, cellsForWrite, chunkRows, parseCell, parseRange, rangeAddress, stripSheet } from './a1';
import { planTablePatch } from './table-patch';
import type { ChartKind, ExcelHost, Matrix, RangeRead, SheetVisibility, WriteOptions, WriteResult } from './types';

/** `Excel.run`, injectable so tests can pass office-addin-mock's context. */
export type ExcelRun = <T>(batch: (context: Excel.RequestContext) => Promise<T>) => Promise<T>;

export interface OfficeExcelOptions {
  run?: ExcelRun;
  /** Timeout of one context.sync(); a chunk of 2 MB takes a few seconds on a slow link. */
  syncTimeoutMs?: number;
  maxChunkBytes?: number;
  /**
   * Cells read per sync. Excel on the web caps a response at 5 MB; 50,000 cells of 20 bytes of
   * JSON each are about 1 MB, a safe margin for long text cells.
   */
  readCellsPerSync?: number;
}

const VISIBILITY: Record<SheetVisibility, 'Visible' | 'Hidden' | 'VeryHidden'> = {
  visible: 'Visible',
  hidden: 'Hidden',
  veryHidden: 'VeryHidden',
};

const CHART_TYPES: Record<ChartKind, 'ColumnClustered' | 'BarClustered' | 'Line' | 'Pie'> = {
  column: 'ColumnClustered',
  bar: 'BarClustered',
  line: 'Line',
  pie: 'Pie',
};

export function createOfficeExcelHost(options: OfficeExcelOptions = {}): ExcelHost {
  const run: ExcelRun = options.run ?? ((batch) => Excel.run(batch));
  const timeoutMs = options.syncTimeoutMs ?? 30_000;
  const maxChunkBytes = options.maxChunkBytes ?? MAX_CHUNK_BYTES;
  const readCellsPerSync = options.readCellsPerSync ?? 50_000;

  const sync = (context: Excel.RequestContext) => withTimeout(context.sync(), timeoutMs, 'Excel context.sync()');

  const sheetOf = (context: Excel.RequestContext, name: string | null | undefined) =>
    name ? context.workbook.worksheets.getItem(name) : context.workbook.worksheets.getActiveWorksheet();

  /** Reads a block known by its corner and size, a few thousand rows per sync. */
  async function readBlock(
    context: Excel.RequestContext,
    sheet: Excel.Worksheet,
    block: { row: number; col: number; rows: number; cols: number },
  ): Promise<Matrix> {
    const rowsPerSync = Math.max(1, Math.floor(readCellsPerSync / Math.max(1, block.cols)));
    const values: Matrix = [];
    for (let start = 0; start < block.rows; start += rowsPerSync) {
      const rows = Math.min(rowsPerSync, block.rows - start);
      const range = sheet.getRange(rangeAddress(block.row + start, block.col, rows, block.cols)).load('values');
      await sync(context);
      for (const row of range.values as Matrix) values.push(row);
    }
    return values;
  }

  /** Loads an address and size first (cheap), then the values chunk by chunk. */
  async function readLoaded(
    context: Excel.RequestContext,
    sheet: Excel.Worksheet,
    range: Excel.Range,
    sheetName: string,
  ): Promise<RangeRead> {
    range.load(['address', 'rowCount', 'columnCount', 'isNullObject']);
    await sync(context);
    if (range.isNullObject) return { sheet: sheetName, address: '', values: [] };
    const address = stripSheet(range.address);
    return { sheet: sheetName, address, values: await readBlock(context, sheet, parseRange(address)) };
  }

  return {
    kind: 'office',

    listWorksheets: () =>
      run(async (context) => {
        const sheets = context.workbook.worksheets.load('items/name');
        await sync(context);
        return sheets.items.map((s) => s.name);
      }),

    activeWorksheet: () =>
      run(async (context) => {
        const sheet = context.workbook.worksheets.getActiveWorksheet().load('name');
        await sync(context);
        return sheet.name;
      }),

    readRange: (sheetName, address) =>
      run(async (context) => {
        const sheet = sheetOf(context, sheetName).load('name');
        await sync(context);
        const bare = stripSheet(address);
        return { sheet: sheet.name, address: bare, values: await readBlock(context, sheet, parseRange(bare)) };
      }),

    readSelection: () =>
      run(async (context) => {
        const selected = context.workbook.getSelectedRange();
        const sheet = selected.worksheet.load('name');
        await sync(context);
        // A whole selected column is a million rows: read only where values are.
        const used = selected.getIntersectionOrNullObject(sheet.getUsedRange(true));
        return readLoaded(context, sheet, used, sheet.name);
      }),

    readUsedRange: (sheetName) =>
      run(async (context) => {
        const sheet = sheetOf(context, sheetName).load('name');
        const used = sheet.getUsedRangeOrNullObject(true);
        const read = await readLoaded(context, sheet, used, '');
        return { ...read, sheet: sheet.name };
      }),

    readTable: (name, opts = {}) =>
      run(async (context) => {
        const beside = opts.beside ?? 0;
        const table = context.workbook.tables.getItem(name);
        const sheet = table.worksheet.load('name');
        const header = table.getHeaderRowRange().load(['values', 'address']);
        const body = table.getDataBodyRange().load('address');
        await sync(context);
        const box = parseRange(stripSheet(body.address));
        const head = parseRange(stripSheet(header.address));
        const rows = await readBlock(context, sheet, { ...box, row: head.row, rows: box.rows + 1, cols: box.cols + beside });
        const headers = (beside ? rows[0]! : ((header.values as Matrix)[0] ?? [])).map((v) => String(v ?? ''));
        return { sheet: sheet.name, headers, rows: rows.slice(1) };
      }),

    listTables: () =>
      run(async (context) => {
        const tables = context.workbook.tables.load('items/name, items/worksheet/name');
        await sync(context);
        return tables.items.map((t) => ({ name: t.name, sheet: t.worksheet.name }));
      }),

    writeValues: async (sheetName: string, topLeft: string, values: Matrix, opts: WriteOptions = {}): Promise<WriteResult> => {
      const width = assertRectangular(values);
      const origin = parseCell(topLeft);
      if (values.length === 0 || width === 0) return { address: '', chunks: 0 };
      const chunks = chunkRows(cellsForWrite(values, opts.allowFormulas ?? false), maxChunkBytes);
      return run(async (context) => {
        const sheet = context.workbook.worksheets.getItem(sheetName);
        let written = 0;
        // One sync per chunk, by design: each chunk is one request under the payload limit.
        for (const chunk of chunks) {
          sheet.getRange(rangeAddress(origin.row + chunk.start, origin.col, chunk.rows.length, width)).values =
            chunk.rows as Excel.Range['values'];
          await sync(context);
          written += chunk.rows.length;
          opts.onProgress?.(written, values.length);
        }
        return { address: rangeAddress(origin.row, origin.col, values.length, width), chunks: chunks.length };
      });
    },

    addWorksheet: (name, opts = {}) =>
      run(async (context) => {
        const sheets = context.workbook.worksheets;
        const existing = sheets.getItemOrNullObject(name);
        existing.load('isNullObject');
        await sync(context);
        if (existing.isNullObject) {
          const added = sheets.add(name);
          if (opts.activate) added.activate();
          await sync(context);
          return;
        }
        if (opts.replace) {
          // Add the fresh sheet first: Excel refuses to delete the last visible sheet.
          const fresh = sheets.add(`lp-${Date.now().toString(36)}`);
          existing.delete();
          fresh.name = name;
          if (opts.activate) fresh.activate();
        } else if (opts.activate) {
          existing.activate();
        }
        await sync(context);
      }),

    createTable: (sheetName, address, opts = {}) =>
      run(async (context) => {
        const table = context.workbook.worksheets.getItem(sheetName).tables.add(stripSheet(address), true);
        if (opts.name) table.name = opts.name;
        table.style = opts.style ?? 'TableStyleMedium2';
        table.load('name');
        await sync(context);
        return table.name;
      }),

    addChart: (sheetName, sourceAddress, opts) =>
      run(async (context) => {
        const sheet = context.workbook.worksheets.getItem(sheetName);
        const chart = sheet.charts.add(CHART_TYPES[opts.kind], sheet.getRange(stripSheet(sourceAddress)), 'Auto');
        if (opts.title) chart.title.text = opts.title;
        if (opts.name) chart.name = opts.name;
        await sync(context);
      }),

    setColumnsHidden: (sheetName, columns, hidden) =>
      run(async (context) => {
        context.workbook.worksheets.getItem(sheetName).getRange(columns).columnHidden = hidden;
        await sync(context);
      }),

    // Reads the table as it is now (the user may have typed, sorted or added rows since the caller
    // read it), then queues every write, delete and append for one sync (appends over 2 MB take
    // one more sync per chunk): three syncs for a whole pipeline.
    patchTable: (name, patch) =>
      run(async (context) => {
        const table = context.workbook.tables.getItem(name);
        const sheet = table.worksheet.load('name');
        const body = table.getDataBodyRange().load(['address', 'rowCount', 'columnCount']);
        await sync(context);
        const box = parseRange(stripSheet(body.address));
        const values = await readBlock(context, sheet, box);
        const plan = planTablePatch(values, patch);
        for (const run_ of plan.runs) {
          sheet.getRange(rangeAddress(box.row + run_.row, box.col + run_.col, 1, run_.values.length)).values = cellsForWrite(
            [run_.values],
            false,
          ) as Excel.Range['values'];
        }
        // Whole sheet rows, bottom first: the columns the caller keeps beside the table move with their row.
        for (const row of plan.removeRows) sheet.getRange(`${box.row + row + 1}:${box.row + row + 1}`).delete('Up');
        const append = patch.append ?? [];
        if (plan.runs.length || plan.removeRows.length || !append.length) await sync(context);
        if (append.length) {
          const width = assertRectangular(append);
          // New rows go under the body as it is after the deletes; an Excel table always has a body row.
          let next = box.row + Math.max(0, box.rows - plan.removeRows.length);
          for (const chunk of chunkRows(cellsForWrite(append, false), maxChunkBytes)) {
            table.rows.add(undefined, chunk.rows.map((r) => r.slice(0, box.cols)) as Excel.Range['values']);
            if (width > box.cols)
              sheet.getRange(rangeAddress(next, box.col + box.cols, chunk.rows.length, width - box.cols)).values = chunk.rows.map((r) =>
                r.slice(box.cols),
              ) as Excel.Range['values'];
            next += chunk.rows.length;
            await sync(context);
          }
        }
        return { skippedCells: plan.skippedCells, skippedRows: plan.skippedRows };
      }),

    setWorksheetVisibility: (sheetName, visibility) =>
      run(async (context) => {
        context.workbook.worksheets.getItem(sheetName).visibility = VISIBILITY[visibility] as Excel.SheetVisibility;
        await sync(context);
      }),

    setListValidation: (sheetName, address, values) =>
      run(async (context) => {
        const validation = context.workbook.worksheets.getItem(sheetName).getRange(stripSheet(address)).dataValidation;
        validation.clear();
        validation.rule = { list: { inCellDropDown: true, source: values.join(',') } };
        await sync(context);
      }),
  };
}

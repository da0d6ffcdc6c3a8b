// ExcelHost over an in-memory workbook: browser mode (an opened .xlsx/.csv, downloaded back as
// .xlsx) and the tests' scripted Excel. Semantics follow Excel's where the panes depend on them:
// empty cells read as "", a leading apostrophe marks text, null in a write clears nothing.
import { assertRectangular, cellsForWrite, parseCell, parseRange, rangeAddress, stripSheet } from './a1';
import { decodeBytes } from '../../shared/sheet/decode';
import { parseCsv } from '../../shared/sheet/csv';
import { planTablePatch } from './table-patch';
import type { CellValue, ChartKind, ExcelHost, Matrix, RangeRead, SheetVisibility, WriteOptions, WriteResult } from './types';
import type { XlsxSheet } from './xlsx-io';

/** A worksheet is rectangular: ragged CSV rows are padded with empty cells to the widest. */
function padRows(rows: string[][]): Matrix {
  const width = Math.max(0, ...rows.map((r) => r.length));
  return rows.map((r) => (r.length < width ? [...r, ...Array<string>(width - r.length).fill('')] : r));
}

interface MemorySheet {
  name: string;
  cells: CellValue[][];
  tables: Array<{ name: string; address: string; style: string }>;
  charts: Array<{ kind: ChartKind; source: string; title?: string; name?: string }>;
  hiddenColumns: Set<number>;
  visibility: SheetVisibility;
  validations: Array<{ address: string; values: string[] }>;
}

export interface WorkbookSnapshot {
  fileName: string | null;
  activeSheet: string | null;
  sheets: Array<{
    name: string;
    values: Matrix;
    tables: Array<{ name: string; address: string; style: string }>;
    charts: Array<{ kind: ChartKind; source: string; title?: string; name?: string }>;
    hiddenColumns: number[];
    /** Present only for a hidden or very hidden sheet. */
    visibility?: SheetVisibility;
    /** Present only when the sheet has in-cell drop-downs. */
    validations?: Array<{ address: string; values: string[] }>;
  }>;
}

export interface BrowserExcelHost extends ExcelHost {
  readonly kind: 'browser';
  /** Replaces the workbook with these sheets (in order; the first visible one becomes active). */
  load(sheets: Record<string, Matrix> | XlsxSheet[], fileName?: string | null): void;
  /** Opens an .xlsx or .csv file chosen or dropped by the user. */
  openFile(file: Blob & { name: string }): Promise<void>;
  isOpen(): boolean;
  /** Grows with every change; cheap to compare in a render. */
  revision(): number;
  sheetNames(): string[];
  fileName(): string | null;
  setSelection(sheet: string, address: string): void;
  /** Everything the pane wrote, for a test to read back. */
  snapshot(): WorkbookSnapshot;
  toXlsx(): Promise<Uint8Array>;
  /** Offers the workbook as a .xlsx download. */
  download(fileName?: string): Promise<void>;
  /** Called after every change (so browser-mode UI can refresh); answers an unsubscribe. */
  onChange(listener: () => void): () => void;
}

const notFound = (what: string) => Object.assign(new Error(`${what} was not found`), { code: 'ItemNotFound' });

export function createBrowserExcelHost(initial?: {
  sheets: Record<string, Matrix>;
  selection?: { sheet: string; address: string };
}): BrowserExcelHost {
  let sheets: MemorySheet[] = [];
  let active: string | null = null;
  let selection: { sheet: string; address: string } | null = null;
  let name: string | null = null;
  const listeners = new Set<() => void>();
  let revision = 0;
  const changed = () => {
    revision++;
    listeners.forEach((l) => l());
  };

  const find = (sheetName: string | null | undefined): MemorySheet => {
    const wanted = sheetName ?? active;
    const sheet = sheets.find((s) => s.name.toLowerCase() === wanted?.toLowerCase());
    if (!sheet) throw notFound(`Worksheet "${wanted ?? ''}"`);
    return sheet;
  };

  const newSheet = (sheetName: string, values: Matrix = []): MemorySheet => ({
    name: sheetName,
    cells: values.map((row) => [...row]),
    tables: [],
    charts: [],
    hiddenColumns: new Set(),
    visibility: 'visible',
    validations: [],
  });

  const findTable = (tableName: string) => {
    for (const sheet of sheets) {
      const table = sheet.tables.find((t) => t.name.toLowerCase() === tableName.toLowerCase());
      if (table) return { sheet, table };
    }
    throw notFound(`Table "${tableName}"`);
  };

  /** Moves the tables of a sheet whose rows lie at or below `from` by `by` rows (deleted or inserted rows). */
  const shiftTables = (sheet: MemorySheet, from: number, by: number) => {
    for (const t of sheet.tables) {
      const box = parseRange(t.address);
      const end = box.row + box.rows - 1;
      if (end < from) continue;
      const start = box.row >= from ? Math.max(from, box.row + by) : box.row;
      t.address = rangeAddress(start, box.col, Math.max(1, end + by - start + 1), box.cols);
    }
  };

  const usedBox = (sheet: MemorySheet) => {
    let maxRow = -1;
    let maxCol = -1;
    let minRow = Infinity;
    let minCol = Infinity;
    sheet.cells.forEach((row, r) =>
      row.forEach((v, c) => {
        if (v !== null && v !== '') {
          maxRow = Math.max(maxRow, r);
          maxCol = Math.max(maxCol, c);
          minRow = Math.min(minRow, r);
          minCol = Math.min(minCol, c);
        }
      }),
    );
    return maxRow < 0 ? null : { row: minRow, col: minCol, rows: maxRow - minRow + 1, cols: maxCol - minCol + 1 };
  };

  const read = (sheet: MemorySheet, box: { row: number; col: number; rows: number; cols: number }): Matrix => {
    const out: Matrix = [];
    for (let r = 0; r < box.rows; r++) {
      const row = sheet.cells[box.row + r] ?? [];
      const cells: CellValue[] = [];
      for (let c = 0; c < box.cols; c++) cells.push(row[box.col + c] ?? '');
      out.push(cells);
    }
    return out;
  };

  const load = (input: Record<string, Matrix> | XlsxSheet[], fileName: string | null = null) => {
    const list: XlsxSheet[] = Array.isArray(input) ? input : Object.entries(input).map(([n, values]) => ({ name: n, values }));
    sheets = list.map((x) => {
      const sheet = newSheet(x.name, x.values);
      sheet.tables = (x.tables ?? []).map((t) => ({ name: t.name, address: t.address, style: t.style ?? 'TableStyleMedium2' }));
      sheet.hiddenColumns = new Set(x.hiddenColumns ?? []);
      sheet.visibility = x.visibility ?? 'visible';
      sheet.validations = (x.validations ?? []).map((v) => ({ address: v.address, values: [...v.values] }));
      return sheet;
    });
    active = (sheets.find((x) => x.visibility === 'visible') ?? sheets[0])?.name ?? null;
    selection = null;
    name = fileName;
    changed();
  };

  if (initial) {
    load(initial.sheets);
    selection = initial.selection ?? null;
  }

  const host: BrowserExcelHost = {
    kind: 'browser',
    load,

    async openFile(file) {
      const bytes = new Uint8Array(await file.arrayBuffer());
      const base = file.name.replace(/\.[^.]+$/, '') || 'Sheet1';
      if (/\.csv$|\.txt$/i.test(file.name) || file.type === 'text/csv') {
        load({ [base.slice(0, 31)]: padRows(parseCsv(decodeBytes(bytes).text)) }, file.name);
        return;
      }
      const { readXlsx } = await import('./xlsx-io');
      const read = await readXlsx(bytes);
      if (read.length === 0) throw new Error('The workbook has no sheets');
      load(read, file.name);
    },

    isOpen: () => sheets.length > 0,
    revision: () => revision,
    sheetNames: () => sheets.map((s) => s.name),
    fileName: () => name,
    setSelection(sheet, address) {
      selection = { sheet, address: stripSheet(address) };
    },

    async listWorksheets() {
      return sheets.map((s) => s.name);
    },

    async activeWorksheet() {
      if (!active) throw notFound('An open workbook');
      return active;
    },

    async readRange(sheetName, address): Promise<RangeRead> {
      const sheet = find(sheetName);
      const bare = stripSheet(address);
      return { sheet: sheet.name, address: bare, values: read(sheet, parseRange(bare)) };
    },

    async readSelection(): Promise<RangeRead> {
      if (!selection) return host.readUsedRange();
      const sheet = find(selection.sheet);
      const box = parseRange(selection.address);
      const used = usedBox(sheet);
      if (!used) return { sheet: sheet.name, address: '', values: [] };
      // As in Office: only the part of the selection that holds values.
      const row = Math.max(box.row, used.row);
      const col = Math.max(box.col, used.col);
      const rows = Math.min(box.row + box.rows, used.row + used.rows) - row;
      const cols = Math.min(box.col + box.cols, used.col + used.cols) - col;
      if (rows <= 0 || cols <= 0) return { sheet: sheet.name, address: '', values: [] };
      const inter = { row, col, rows, cols };
      return { sheet: sheet.name, address: rangeAddress(row, col, rows, cols), values: read(sheet, inter) };
    },

    async readUsedRange(sheetName): Promise<RangeRead> {
      const sheet = find(sheetName);
      const box = usedBox(sheet);
      if (!box) return { sheet: sheet.name, address: '', values: [] };
      return { sheet: sheet.name, address: rangeAddress(box.row, box.col, box.rows, box.cols), values: read(sheet, box) };
    },

    async readTable(tableName, opts = {}) {
      const { sheet, table } = findTable(tableName);
      const box = parseRange(table.address);
      const all = read(sheet, { ...box, cols: box.cols + (opts.beside ?? 0) });
      return { sheet: sheet.name, headers: (all[0] ?? []).map((v) => String(v ?? '')), rows: all.slice(1) };
    },

    async listTables() {
      return sheets.flatMap((s) => s.tables.map((t) => ({ name: t.name, sheet: s.name })));
    },

    async writeValues(sheetName: string, topLeft: string, values: Matrix, opts: WriteOptions = {}): Promise<WriteResult> {
      const width = assertRectangular(values);
      if (values.length === 0 || width === 0) return { address: '', chunks: 0 };
      const sheet = find(sheetName);
      const origin = parseCell(topLeft);
      const cells = cellsForWrite(values, opts.allowFormulas ?? false);
      cells.forEach((row, r) => {
        const target = (sheet.cells[origin.row + r] ??= []);
        row.forEach((v, c) => {
          // Excel keeps a leading apostrophe as a "this is text" mark, not as content.
          target[origin.col + c] = typeof v === 'string' && v.startsWith("'") ? v.slice(1) : v;
        });
      });
      // Fill holes so every row is a dense array (reads stay simple).
      for (let r = 0; r < sheet.cells.length; r++) sheet.cells[r] = Array.from(sheet.cells[r] ?? [], (v) => v ?? null);
      opts.onProgress?.(values.length, values.length);
      changed();
      return { address: rangeAddress(origin.row, origin.col, values.length, width), chunks: 1 };
    },

    async addWorksheet(sheetName, opts = {}) {
      const index = sheets.findIndex((s) => s.name.toLowerCase() === sheetName.toLowerCase());
      if (index < 0) sheets.push(newSheet(sheetName));
      else if (opts.replace) sheets[index] = newSheet(sheetName);
      if (opts.activate || !active) active = sheetName;
      changed();
    },

    async createTable(sheetName, address, opts = {}) {
      const sheet = find(sheetName);
      const taken = new Set(sheets.flatMap((s) => s.tables.map((t) => t.name.toLowerCase())));
      let tableName = opts.name ?? 'Table1';
      for (let n = 1; !opts.name && taken.has(tableName.toLowerCase()); n++) tableName = `Table${n}`;
      if (taken.has(tableName.toLowerCase())) throw Object.assign(new Error(`Table "${tableName}" exists`), { code: 'ItemAlreadyExists' });
      sheet.tables.push({ name: tableName, address: stripSheet(address), style: opts.style ?? 'TableStyleMedium2' });
      changed();
      return tableName;
    },

    async addChart(sheetName, sourceAddress, opts) {
      const chart: MemorySheet['charts'][number] = { kind: opts.kind, source: stripSheet(sourceAddress) };
      if (opts.title) chart.title = opts.title;
      if (opts.name) chart.name = opts.name;
      find(sheetName).charts.push(chart);
      changed();
    },

    async setColumnsHidden(sheetName, columns, hidden) {
      const sheet = find(sheetName);
      const [a = 'A', b = a] = columns.split(':');
      const from = parseCell(`${a.replace(/\d+/g, '')}1`).col;
      const to = parseCell(`${b.replace(/\d+/g, '')}1`).col;
      for (let c = Math.min(from, to); c <= Math.max(from, to); c++) {
        if (hidden) sheet.hiddenColumns.add(c);
        else sheet.hiddenColumns.delete(c);
      }
      changed();
    },

    async patchTable(tableName, patch) {
      const { sheet, table } = findTable(tableName);
      const box = parseRange(table.address);
      const bodyBox = { row: box.row + 1, col: box.col, rows: box.rows - 1, cols: box.cols };
      const plan = planTablePatch(bodyBox.rows > 0 ? read(sheet, bodyBox) : [], patch);
      const put = (row: number, col: number, v: CellValue) => {
        const target = (sheet.cells[row] ??= []);
        while (target.length < col) target.push(null);
        target[col] = typeof v === 'string' && v.startsWith("'") ? v.slice(1) : v;
      };
      for (const run of plan.runs) {
        const [escaped = []] = cellsForWrite([run.values], false);
        escaped.forEach((v, i) => put(bodyBox.row + run.row, bodyBox.col + run.col + i, v));
      }
      for (const row of plan.removeRows) {
        sheet.cells.splice(bodyBox.row + row, 1);
        shiftTables(sheet, bodyBox.row + row, -1);
      }
      const append = patch.append ?? [];
      if (append.length) {
        assertRectangular(append);
        const now = parseRange(table.address);
        const at = now.row + now.rows;
        sheet.cells.splice(at, 0, ...append.map(() => [] as CellValue[]));
        shiftTables(sheet, at, append.length);
        cellsForWrite(append, false).forEach((row, r) => row.forEach((v, c) => put(at + r, now.col + c, v)));
        table.address = rangeAddress(now.row, now.col, now.rows + append.length, now.cols);
      }
      for (let r = 0; r < sheet.cells.length; r++) sheet.cells[r] = Array.from(sheet.cells[r] ?? [], (v) => v ?? null);
      changed();
      return { skippedCells: plan.skippedCells, skippedRows: plan.skippedRows };
    },

    async setWorksheetVisibility(sheetName, visibility) {
      const sheet = find(sheetName);
      sheet.visibility = visibility;
      if (visibility !== 'visible' && active?.toLowerCase() === sheet.name.toLowerCase())
        active = sheets.find((x) => x.visibility === 'visible')?.name ?? active;
      changed();
    },

    async setListValidation(sheetName, address, values) {
      const sheet = find(sheetName);
      const bare = stripSheet(address);
      sheet.validations = [...sheet.validations.filter((v) => v.address !== bare), { address: bare, values: [...values] }];
      changed();
    },

    snapshot(): WorkbookSnapshot {
      return {
        fileName: name,
        activeSheet: active,
        sheets: sheets.map((s) => {
          const box = usedBox(s);
          return {
            name: s.name,
            values: box ? read(s, { row: 0, col: 0, rows: box.row + box.rows, cols: box.col + box.cols }) : [],
            tables: s.tables.map((t) => ({ ...t })),
            charts: s.charts.map((c) => ({ ...c })),
            hiddenColumns: [...s.hiddenColumns].sort((x, y) => x - y),
            ...(s.visibility !== 'visible' ? { visibility: s.visibility } : {}),
            ...(s.validations.length ? { validations: s.validations.map((v) => ({ address: v.address, values: [...v.values] })) } : {}),
          };
        }),
      };
    },

    async toXlsx() {
      const { writeXlsx } = await import('./xlsx-io');
      return writeXlsx(host.snapshot().sheets);
    },

    async download(fileName) {
      const bytes = await host.toXlsx();
      const blob = new Blob([bytes as BlobPart], { type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' });
      const url = URL.createObjectURL(blob);
      const link = document.createElement('a');
      link.href = url;
      link.download = fileName ?? `${(name ?? 'leadpane').replace(/\.[^.]+$/, '')}.xlsx`;
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    },

    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
  return host;
}

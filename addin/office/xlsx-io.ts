// .xlsx in and out for browser mode, with exceljs. exceljs is about 250 KB gzip in the browser, so
// this module is only ever imported dynamically, when the user opens or downloads a workbook.
import type * as ExcelJSModule from 'exceljs';
import { parseRange, rangeAddress } from './a1';
import { addCharts, type SheetCharts } from './xlsx-charts';
import type { CellValue, ChartKind, Matrix, SheetVisibility } from './types';

type ExcelJS = typeof ExcelJSModule;

async function loadExcelJs(): Promise<ExcelJS> {
  const mod = (await import('exceljs')) as ExcelJS & { default?: ExcelJS };
  // The browser build is UMD: the classes sit on the default export.
  return mod.default?.Workbook ? mod.default : mod;
}

/** Excel's date serial (days since 1899-12-30), as `range.values` answers for a date cell. */
export function dateToSerial(date: Date): number {
  return date.getTime() / 86_400_000 + 25_569;
}

function plain(value: ExcelJSModule.CellValue): CellValue {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  if (value instanceof Date) return dateToSerial(value);
  if (typeof value === 'object') {
    if ('richText' in value) return value.richText.map((r) => r.text).join('');
    if ('hyperlink' in value) return String(value.text ?? value.hyperlink);
    if ('error' in value) return String(value.error);
    if ('result' in value) return plain((value.result ?? '') as ExcelJSModule.CellValue);
    if ('formula' in value || 'sharedFormula' in value) return '';
  }
  return String(value);
}

export interface XlsxSheet {
  name: string;
  values: Matrix;
  tables?: Array<{ name: string; address: string; style?: string }>;
  hiddenColumns?: number[];
  visibility?: SheetVisibility;
  /** In-cell drop-downs: a range and its allowed values. */
  validations?: Array<{ address: string; values: string[] }>;
  /** Native charts: their kind, the block they draw (header row first) and title. */
  charts?: Array<{ kind: ChartKind; source: string; title?: string; name?: string }>;
}

const EXCEL_STATE: Record<SheetVisibility, 'visible' | 'hidden' | 'veryHidden'> = {
  visible: 'visible',
  hidden: 'hidden',
  veryHidden: 'veryHidden',
};

/** A list validation's allowed values from its formula ("\"a,b\""), or null for a range reference. */
function listValues(formula: string | undefined): string[] | null {
  const m = /^"(.*)"$/s.exec(formula ?? '');
  return m ? m[1]!.split(',') : null;
}

/** exceljs reads a validation of a range as one entry per cell: gathered back into one block per list. */
function validationsOf(model: Record<string, { type?: string; formulae?: string[] } | undefined>): XlsxSheet['validations'] {
  const byList = new Map<string, { values: string[]; row: number; col: number; endRow: number; endCol: number }>();
  for (const [address, v] of Object.entries(model)) {
    const values = v?.type === 'list' ? listValues(v.formulae?.[0]) : null;
    if (!values) continue;
    const box = parseRange(address);
    const key = values.join(',');
    const b = byList.get(key);
    if (!b) byList.set(key, { values, row: box.row, col: box.col, endRow: box.row + box.rows - 1, endCol: box.col + box.cols - 1 });
    else {
      b.row = Math.min(b.row, box.row);
      b.col = Math.min(b.col, box.col);
      b.endRow = Math.max(b.endRow, box.row + box.rows - 1);
      b.endCol = Math.max(b.endCol, box.col + box.cols - 1);
    }
  }
  return [...byList.values()].map((b) => ({
    address: rangeAddress(b.row, b.col, b.endRow - b.row + 1, b.endCol - b.col + 1),
    values: b.values,
  }));
}

/**
 * Reads every worksheet: values (formulas as their cached results), tables, hidden columns, hidden
 * sheets and drop-downs, so a workbook the pane downloaded opens again as the pane left it.
 */
export async function readXlsx(data: ArrayBuffer | Uint8Array): Promise<XlsxSheet[]> {
  const ExcelJS = await loadExcelJs();
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(data as never);
  const sheets: XlsxSheet[] = [];
  workbook.eachSheet((worksheet) => {
    const width = worksheet.columnCount;
    const values: Matrix = [];
    for (let r = 1; r <= worksheet.rowCount; r++) {
      const row = worksheet.getRow(r);
      const cells: CellValue[] = [];
      for (let c = 1; c <= width; c++) cells.push(plain(row.getCell(c).value));
      values.push(cells);
    }
    const sheet: XlsxSheet = { name: worksheet.name, values };
    // getTables() answers the tables themselves (its type says pairs).
    const tables = (worksheet.getTables() as unknown[])
      .map((t) => (t as { table?: { name?: string; tableRef?: string; style?: { theme?: string } } }).table)
      .filter((t): t is { name: string; tableRef: string; style?: { theme?: string } } => !!t?.name && !!t.tableRef)
      .map((t) => ({ name: t.name, address: t.tableRef, style: t.style?.theme ?? 'TableStyleMedium2' }));
    if (tables.length) sheet.tables = tables;
    const hidden: number[] = [];
    for (let c = 1; c <= Math.max(width, 1); c++) if (worksheet.getColumn(c).hidden) hidden.push(c - 1);
    if (hidden.length) sheet.hiddenColumns = hidden;
    if (worksheet.state === 'hidden' || worksheet.state === 'veryHidden') sheet.visibility = worksheet.state;
    const validations = validationsOf(
      (worksheet as unknown as { dataValidations: { model: Record<string, { type?: string; formulae?: string[] }> } }).dataValidations
        .model,
    );
    if (validations?.length) sheet.validations = validations;
    sheets.push(sheet);
  });
  return sheets;
}

/** Writes the sheets to an .xlsx file: tables as real Excel tables, charts as native charts. */
export async function writeXlsx(sheets: XlsxSheet[]): Promise<Uint8Array> {
  const ExcelJS = await loadExcelJs();
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Leadpane';
  for (const sheet of sheets) {
    const worksheet = workbook.addWorksheet(sheet.name);
    sheet.values.forEach((row, r) => {
      row.forEach((value, c) => {
        if (value !== null && value !== '') worksheet.getCell(r + 1, c + 1).value = value;
      });
    });
    for (const table of sheet.tables ?? []) {
      const [start = 'A1', end = start] = table.address.split(':');
      const first = worksheet.getCell(start);
      const last = worksheet.getCell(end);
      const header = sheet.values[Number(first.row) - 1] ?? [];
      const columns: ExcelJSModule.TableColumnProperties[] = [];
      for (let c = Number(first.col); c <= Number(last.col); c++) columns.push({ name: String(header[c - 1] ?? `Column${c}`) });
      const width = Number(last.col) - Number(first.col) + 1;
      const rows = sheet.values
        .slice(Number(first.row), Number(last.row))
        .map((row) => Array.from({ length: width }, (_, i) => row[Number(first.col) - 1 + i] ?? null));
      // Excel has no table without a body row (a new table gets an empty one): so does the file.
      if (rows.length === 0) rows.push(Array<CellValue>(width).fill(null));
      worksheet.addTable({
        name: table.name,
        ref: start,
        headerRow: true,
        style: { theme: (table.style ?? 'TableStyleMedium2') as ExcelJSModule.TableStyleProperties['theme'], showRowStripes: true },
        columns,
        rows,
      });
    }
    for (const c of sheet.hiddenColumns ?? []) worksheet.getColumn(c + 1).hidden = true;
    if (sheet.visibility && sheet.visibility !== 'visible') worksheet.state = EXCEL_STATE[sheet.visibility];
    const validations = (worksheet as unknown as { dataValidations: { add(address: string, rule: unknown): void } }).dataValidations;
    for (const v of sheet.validations ?? [])
      validations.add(v.address, {
        type: 'list',
        allowBlank: true,
        formulae: [`"${v.values.join(',')}"`],
      });
  }
  const bytes = new Uint8Array(await workbook.xlsx.writeBuffer());
  const charts: SheetCharts[] = sheets
    .map((sheet, index) => ({ index, name: sheet.name, values: sheet.values, charts: sheet.charts ?? [] }))
    .filter((s) => s.charts.length > 0);
  return charts.length ? addCharts(bytes, charts) : bytes;
}

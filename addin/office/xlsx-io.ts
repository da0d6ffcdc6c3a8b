// .xlsx in and out for browser mode, with exceljs. exceljs is about 250 KB gzip in the browser, so
// this module is only ever imported dynamically, when the user opens or downloads a workbook.
import type * as ExcelJSModule from 'exceljs';
import type { CellValue, Matrix } from './types';

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
}

/** Reads every worksheet's values (formulas as their cached results). */
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
    sheets.push({ name: worksheet.name, values });
  });
  return sheets;
}

/** Writes the sheets to an .xlsx file; tables become real Excel tables. Charts are not written. */
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
      const rows = sheet.values.slice(Number(first.row), Number(last.row)).map((row) => row.slice(Number(first.col) - 1, Number(last.col)));
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
  }
  return new Uint8Array(await workbook.xlsx.writeBuffer());
}

/**
 * Reads a spreadsheet file into rows of cells for the shared sheet pipeline: .xlsx (first sheet)
 * through exceljs, anything else as CSV text (UTF-8 with or without BOM, UTF-16 with BOM, or
 * windows-1251; `;`, `,` or tab detected).
 */
import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import ExcelJS from 'exceljs';
import { decodeBytes, parseCsv, type Cell, type TextEncodingName } from '../../shared/sheet';

export interface ReadSheet {
  rows: Cell[][];
  format: 'xlsx' | 'csv';
  /** For CSV: how the bytes were decoded. */
  encoding?: TextEncodingName;
}

const XLSX_EXTENSIONS = new Set(['.xlsx', '.xlsm']);
const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04]; // "PK\3\4": an .xlsx is a zip archive

/** An exceljs cell value as a plain cell: formulas give their result, rich text its text. */
function plainValue(value: ExcelJS.CellValue): Cell {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  if (value instanceof Date) return value;
  if (typeof value === 'object') {
    if ('richText' in value && Array.isArray(value.richText)) return value.richText.map((r) => r.text).join('');
    if ('result' in value) return plainValue(value.result as ExcelJS.CellValue);
    if ('text' in value && typeof value.text === 'string') return value.text;
    if ('error' in value) return null;
  }
  return null;
}

async function readXlsx(bytes: Buffer): Promise<Cell[][]> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
  const sheet = workbook.worksheets[0];
  if (!sheet) return [];
  const rows: Cell[][] = [];
  const width = sheet.columnCount;
  for (let r = 1; r <= sheet.rowCount; r++) {
    const row = sheet.getRow(r);
    const cells: Cell[] = [];
    for (let c = 1; c <= width; c++) {
      const cell = row.getCell(c);
      // A merged range holds its value once, in the top-left cell; the rest read as empty.
      cells.push(cell.isMerged && cell.master.address !== cell.address ? null : plainValue(cell.value));
    }
    while (cells.length > 0 && (cells[cells.length - 1] === null || cells[cells.length - 1] === '')) cells.pop();
    rows.push(cells);
  }
  return rows;
}

/**
 * Reads a .csv or .xlsx file. Throws (with the file name in the message) when it cannot be read.
 * @example const { rows } = await readSheetFile('clients.csv');
 */
export async function readSheetFile(path: string): Promise<ReadSheet> {
  const bytes = await readFile(path);
  const isZip = ZIP_MAGIC.every((b, i) => bytes[i] === b);
  if (XLSX_EXTENSIONS.has(extname(path).toLowerCase()) || isZip) {
    if (!isZip) throw new Error(`${path} is not an .xlsx workbook`);
    return { rows: await readXlsx(bytes), format: 'xlsx' };
  }
  const { text, encoding } = decodeBytes(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  return { rows: parseCsv(text), format: 'csv', encoding };
}

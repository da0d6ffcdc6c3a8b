/**
 * Reads a spreadsheet file into rows of cells for the shared sheet pipeline: .xlsx (first sheet)
 * as a stream (./xlsx-reader.ts), anything else as CSV text (UTF-8 with or without BOM, UTF-16 with BOM, or
 * windows-1251; `;`, `,` or tab detected).
 */
import { open, readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { decodeBytes, parseCsv, type Cell, type TextEncodingName } from '../../shared/sheet';
import { xlsxRows } from './xlsx-reader';

export interface ReadSheet {
  rows: Cell[][];
  format: 'xlsx' | 'csv';
  /** For CSV: how the bytes were decoded. */
  encoding?: TextEncodingName;
}

const XLSX_EXTENSIONS = new Set(['.xlsx', '.xlsm']);
const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04]; // "PK\3\4": an .xlsx is a zip archive

/** True when the file is an .xlsx workbook (by its zip signature), false for text; throws for an .xlsx that is not one. */
export async function isWorkbookFile(path: string): Promise<boolean> {
  const handle = await open(path, 'r');
  try {
    const head = Buffer.alloc(4);
    await handle.read(head, 0, 4, 0);
    const isZip = ZIP_MAGIC.every((b, i) => head[i] === b);
    if (XLSX_EXTENSIONS.has(extname(path).toLowerCase()) && !isZip) throw new Error(`${path} is not an .xlsx workbook`);
    return isZip;
  } finally {
    await handle.close();
  }
}

/**
 * The rows of an .xlsx file's first sheet, read as a stream: one row at a time, never the whole
 * workbook in memory, so a sheet of Excel's 1,048,576 rows costs what one chunk of it costs.
 * Gaps (rows that hold nothing) come as empty rows, so row numbers stay the sheet's own.
 * @example for await (const row of streamXlsxRows('pipeline.xlsx')) send(row);
 */
export const streamXlsxRows = (path: string): AsyncGenerator<Cell[]> => xlsxRows(path);

/**
 * Reads a .csv or .xlsx file. Throws (with the file name in the message) when it cannot be read.
 * @example const { rows } = await readSheetFile('clients.csv');
 */
export async function readSheetFile(path: string): Promise<ReadSheet> {
  const bytes = await readFile(path);
  const isZip = ZIP_MAGIC.every((b, i) => bytes[i] === b);
  if (XLSX_EXTENSIONS.has(extname(path).toLowerCase()) || isZip) {
    if (!isZip) throw new Error(`${path} is not an .xlsx workbook`);
    const rows: Cell[][] = [];
    for await (const row of xlsxRows(path)) rows.push(row);
    // Trailing empty rows are not data.
    while (rows.length && !rows[rows.length - 1]!.length) rows.pop();
    return { rows, format: 'xlsx' };
  }
  const { text, encoding } = decodeBytes(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  return { rows: parseCsv(text), format: 'csv', encoding };
}

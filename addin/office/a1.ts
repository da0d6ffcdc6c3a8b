// A1 addresses and chunking of large writes. Pure: no Office here. The formula-injection guard is
// shared/sheet/escape.ts, so a pane's write and the Worker's exports escape the same values.
import { escapeCell } from '../../shared/sheet/escape';
import { columnIndex } from '../../shared/xlsx/sheet-xml';
import { columnLetter } from '../../shared/xlsx/xml';
import type { Matrix } from './types';

// Column letters are the xlsx writer's, so an address a pane writes and a workbook we write agree:
// 0 -> "A", 25 -> "Z", 26 -> "AA", 16383 -> "XFD".
export { columnLetter as columnLetters };

/** Parses one cell ("B3", "$B$3") to 0-based row and column. */
export function parseCell(cell: string): { row: number; col: number } {
  const match = /^\$?([A-Za-z]{1,3})\$?(\d+)$/.exec(cell.trim());
  if (!match) throw new Error(`Not a cell address: ${cell}`);
  return { row: Number(match[2]) - 1, col: columnIndex(match[1]!.toUpperCase()) };
}

/** Parses "A1:C3" (or one cell, with or without "Sheet!") to 0-based corners. */
export function parseRange(address: string): { row: number; col: number; rows: number; cols: number } {
  const bare = address.includes('!') ? address.slice(address.lastIndexOf('!') + 1) : address;
  const [a, b] = bare.split(':');
  const start = parseCell(a!);
  const end = b ? parseCell(b) : start;
  return {
    row: Math.min(start.row, end.row),
    col: Math.min(start.col, end.col),
    rows: Math.abs(end.row - start.row) + 1,
    cols: Math.abs(end.col - start.col) + 1,
  };
}

/** The A1 address of a block, e.g. (0, 0, 10, 3) -> "A1:C10". */
export function rangeAddress(row: number, col: number, rows: number, cols: number): string {
  const start = `${columnLetter(col)}${row + 1}`;
  if (rows === 1 && cols === 1) return start;
  return `${start}:${columnLetter(col + cols - 1)}${row + rows}`;
}

/** Strips a "Sheet1!" or "'My sheet'!" prefix. */
export function stripSheet(address: string): string {
  return address.includes('!') ? address.slice(address.lastIndexOf('!') + 1) : address;
}

/**
 * Excel on the web refuses request payloads over 5 MB; we keep every write well under 2 MB
 * (1.8 MB of cell JSON leaves room for the request envelope).
 */
export const MAX_CHUNK_BYTES = 1_800_000;

const encoder = new TextEncoder();

/**
 * Splits rows into consecutive chunks whose JSON (UTF-8) stays under `maxBytes`. A single row
 * larger than that still forms its own chunk (Excel's per-cell limit is 32,767 characters).
 */
export function chunkRows(values: Matrix, maxBytes = MAX_CHUNK_BYTES): Array<{ start: number; rows: Matrix }> {
  const chunks: Array<{ start: number; rows: Matrix }> = [];
  let start = 0;
  let size = 2;
  for (let i = 0; i < values.length; i++) {
    const rowBytes = encoder.encode(JSON.stringify(values[i])).length + 1;
    if (i > start && size + rowBytes > maxBytes) {
      chunks.push({ start, rows: values.slice(start, i) });
      start = i;
      size = 2;
    }
    size += rowBytes;
  }
  if (values.length > start) chunks.push({ start, rows: values.slice(start) });
  return chunks;
}

/** Throws unless every row has the same number of cells; answers that number. */
export function assertRectangular(values: Matrix): number {
  const width = values[0]?.length ?? 0;
  values.forEach((row, i) => {
    if (row.length !== width) throw new Error(`Row ${i + 1} has ${row.length} cells, expected ${width}`);
  });
  return width;
}

/** Prepares values for `range.values`: escapes text and turns null into "" (Excel skips nulls). */
export function cellsForWrite(rows: Matrix, allowFormulas: boolean): Matrix {
  return rows.map((row) => row.map((v) => (v === null ? '' : allowFormulas ? v : escapeCell(v))));
}

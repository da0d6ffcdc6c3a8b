// Report answers as a 2-D block for cells: a header row, then one row per record.
import type { CellValue, Matrix } from '../office/types';

function cell(value: unknown): CellValue {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  return JSON.stringify(value);
}

function fromRecords(records: unknown[]): Matrix {
  const objects = records.filter((r): r is Record<string, unknown> => typeof r === 'object' && r !== null && !Array.isArray(r));
  if (objects.length === 0) return records.map((r) => (Array.isArray(r) ? r.map(cell) : [cell(r)]));
  const columns: string[] = [];
  for (const o of objects) for (const k of Object.keys(o)) if (!columns.includes(k)) columns.push(k);
  return [columns, ...objects.map((o) => columns.map((c) => cell(o[c])))];
}

/**
 * Accepts the shapes a report endpoint may answer with and returns header + rows:
 * `{columns, rows}` (rows as arrays or objects), `{rows | items | data: [...]}`, a bare array of
 * records, or a single record (one header row and one value row).
 */
export function toMatrix(body: unknown): Matrix {
  if (Array.isArray(body)) return fromRecords(body);
  if (typeof body !== 'object' || body === null) return [[cell(body)]];
  const o = body as Record<string, unknown>;
  const columns = Array.isArray(o.columns)
    ? o.columns.map((c) =>
        typeof c === 'object' && c ? cell((c as { name?: unknown; key?: unknown }).name ?? (c as { key?: unknown }).key) : cell(c),
      )
    : null;
  const rows = [o.rows, o.items, o.data].find(Array.isArray) as unknown[] | undefined;
  if (columns && rows) {
    const keys = Array.isArray(o.columns)
      ? o.columns.map((c) =>
          typeof c === 'object' && c ? String((c as { key?: unknown }).key ?? (c as { name?: unknown }).name) : String(c),
        )
      : [];
    return [columns, ...rows.map((r) => (Array.isArray(r) ? r.map(cell) : keys.map((k) => cell((r as Record<string, unknown>)[k]))))];
  }
  if (rows) return fromRecords(rows);
  return fromRecords([o]);
}

/** Pads rows so the block is rectangular (a dynamic array must be). */
export function rectangular(values: Matrix): Matrix {
  const width = Math.max(1, ...values.map((r) => r.length));
  return values.length === 0 ? [['']] : values.map((r) => (r.length < width ? [...r, ...Array<CellValue>(width - r.length).fill('')] : r));
}

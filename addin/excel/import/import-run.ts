// The Import tab's work, without React: map a block read from the sheet, send it in chunks of
// 1,000 rows (each chunk number applies once on the server, so a resend is harmless), remember the
// import id and the last confirmed chunk in partitioned storage (a closed pane resumes), and
// write the results back as two columns at the right of the data: a status column and a hidden
// Leadpane id column. The read is one call (a few syncs for 10,000 rows); the write-back is one
// writeValues call (one sync per 2 MB chunk) plus one sync to hide the id column.
import {
  analyseSheet,
  distinctValues,
  type CanonicalField,
  type HeaderMapping,
  type ImportKind,
  type SheetContext,
  type SourceSystem,
  type ValueMaps,
  type ValueQuestion,
} from '../../../shared/sheet';
import type { ImportChunkAnswer, ImportChunkBody, ImportRowAnswer, ImportStartBody } from '../../api/contract';
import { columnLetters, parseRange } from '../../office/a1';
import { RESUME_KEY, type ResumeState } from './resume';

import { pendingResume } from './resume';

export { clearResume, pendingResume } from './resume';
import type { CellValue, ExcelHost, KeyValueStorage, Matrix, RangeRead } from '../../office/types';

/** Rows per POST: the server's MAX_CHUNK_ROWS. */
export const CHUNK_ROWS = 1000;
/** Header texts of the write-back columns; the same in every language so a re-import finds them. */
export const STATUS_HEADER = 'Leadpane status';
export const ID_HEADER = 'Leadpane id';

/** The calls the import makes; the pane passes the API client's, tests a fake. */
export interface ImportApi {
  start(body: ImportStartBody): Promise<{ id: string }>;
  chunk(id: string, body: ImportChunkBody): Promise<ImportChunkAnswer>;
  rows(id: string, query: { cursor?: string; limit?: number }): Promise<{ items: ImportRowAnswer[]; nextCursor: string | null }>;
  finish(id: string): Promise<unknown>;
}

export interface Analysis {
  read: RangeRead;
  /** What the rows become: guessed from the headers, or as the user chose. */
  kind: ImportKind;
  /** Where the status column goes, counted from the block's first column (default: right after it). */
  outCol?: number;
  mapping: HeaderMapping;
  /** The system the rows were exported from, as found from the headers (null: a sheet kept by hand). */
  system: Exclude<SourceSystem, 'other'> | null;
  /** The sheet's country, date order and the currency its country pays in. */
  context: SheetContext;
  /** Column indexes (within the block) of earlier write-back columns, if the block has them. */
  statusCol: number | null;
  idCol: number | null;
}

/**
 * Detects the header row and maps each column for `kind` (guessed from the headers when not
 * given); earlier Leadpane columns are never imported.
 */
export function analyse(read: RangeRead & { outCol?: number }, kind?: ImportKind): Analysis {
  const sheet = analyseSheet(read.values, kind ? { kind } : {});
  const mapping = sheet.mapping;
  const header = read.values[mapping.headerRow] ?? [];
  const find = (text: string) => {
    const i = header.findIndex((h) => String(h ?? '').trim() === text);
    return i < 0 ? null : i;
  };
  const statusCol = find(STATUS_HEADER);
  const idCol = find(ID_HEADER);
  mapping.columns = mapping.columns.map((c) => (c.index === statusCol || c.index === idCol ? { ...c, field: null } : c));
  const analysis: Analysis = {
    read: { sheet: read.sheet, address: read.address, values: read.values },
    kind: sheet.kind,
    mapping,
    system: sheet.system,
    context: sheet.context,
    statusCol,
    idCol,
  };
  if (read.outCol !== undefined) analysis.outCol = read.outCol;
  return analysis;
}

/** The data rows (after the header) as the server wants them, with their block row numbers. */
function dataRows(a: Analysis): { firstRow: number; rows: Matrix } {
  const firstRow = a.mapping.headerRow + 1;
  return { firstRow, rows: a.read.values.slice(firstRow) };
}

/**
 * The distinct stage, status, currency and owner values under the columns as the user mapped them:
 * what the value-mapping step asks the API about.
 */
export function valueQuestions(
  a: Analysis,
  fields: Record<number, CanonicalField | null>,
  kind: ImportKind,
  system: SourceSystem,
): ValueQuestion[] {
  if (kind === 'payments') return [];
  const mapping = { ...a.mapping, columns: mappingBody(a, fields).columns.map((c) => ({ ...c, field: c.field as CanonicalField | null })) };
  return distinctValues(a.read.values, mapping as HeaderMapping, { kind, system });
}

export function mappingBody(a: Analysis, fields: Record<number, CanonicalField | null>): ImportStartBody['mapping'] {
  return {
    headerRow: a.mapping.headerRow,
    language: a.mapping.language,
    columns: a.mapping.columns.map((c) => ({
      index: c.index,
      header: c.header.slice(0, 500),
      field: c.index in fields ? fields[c.index]! : c.field,
      confidence: c.confidence,
      evidence: c.evidence,
      currency: c.currency,
    })),
  };
}

export interface RunOptions {
  api: ImportApi;
  storage: KeyValueStorage;
  analysis: Analysis;
  kind: ImportKind;
  mode: 'create' | 'update' | 'skip';
  /** Currency of amounts that name none (deals and payments). */
  currency?: string;
  /** The system the rows came from: their record IDs are keyed with it, its value choices kept for it. */
  system?: SourceSystem;
  /** The user's answers of the value-mapping step. */
  values?: ValueMaps;
  fields: Record<number, CanonicalField | null>;
  dryRun: boolean;
  fileName?: string;
  onProgress?: (rowsDone: number, rowsTotal: number) => void;
}

export interface RunResult {
  importId: string;
  results: ImportRowAnswer[];
  counts: { created: number; updated: number; skipped: number; error: number };
  resumedFrom: number;
}

/** What identifies "the same import": where the rows are, how many, and how they are mapped. */
function fingerprint(o: RunOptions): string {
  const { read } = o.analysis;
  const body = mappingBody(o.analysis, o.fields);
  return JSON.stringify([
    read.sheet,
    read.address,
    read.values.length,
    o.kind,
    o.mode,
    o.currency ?? null,
    o.system ?? null,
    o.values ?? null,
    body.headerRow,
    body.columns.map((c) => c.field),
  ]);
}

/** Sends the rows (or checks them, with dryRun) chunk by chunk; resumes a matching interrupted import. */
export async function runImport(o: RunOptions): Promise<RunResult> {
  const { firstRow, rows } = dataRows(o.analysis);
  const ids = o.analysis.idCol === null ? null : rows.map((r) => idOf(r[o.analysis.idCol!]));
  const total = Math.ceil(rows.length / CHUNK_ROWS);
  const fp = fingerprint(o);
  const saved = o.dryRun ? null : pendingResume(o.storage);
  const results: ImportRowAnswer[] = [];
  let importId: string;
  let start = 0;
  if (saved && saved.fingerprint === fp) {
    importId = saved.importId;
    start = saved.lastChunk + 1;
    // Results of the chunks already confirmed, page by page.
    for (let cursor: string | undefined; ;) {
      const page = await o.api.rows(importId, cursor === undefined ? { limit: 1000 } : { cursor, limit: 1000 });
      results.push(...page.items.filter((r) => r.row < firstRow + start * CHUNK_ROWS));
      if (!page.nextCursor) break;
      cursor = page.nextCursor;
    }
  } else {
    const body: ImportStartBody = { kind: o.kind, mode: o.mode, mapping: mappingBody(o.analysis, o.fields), rowsExpected: rows.length };
    if (o.fileName) body.fileName = o.fileName.slice(0, 300);
    const { context } = o.analysis;
    body.options = {
      ...(o.currency ? { defaultCurrency: o.currency } : {}),
      ...(o.system ? { system: o.system } : {}),
      sheetCountry: context.country,
      sheetCountries: context.countries.slice(0, 30),
      dateOrder: context.dateOrder,
      ...(o.values && o.kind !== 'payments' ? { values: o.values } : {}),
    };
    importId = (await o.api.start(body)).id;
    if (!o.dryRun) o.storage.set(RESUME_KEY, JSON.stringify({ fingerprint: fp, importId, lastChunk: -1 } satisfies ResumeState));
  }
  o.onProgress?.(Math.min(rows.length, start * CHUNK_ROWS), rows.length);
  for (let n = start; n < total; n++) {
    const from = n * CHUNK_ROWS;
    const slice = rows.slice(from, from + CHUNK_ROWS);
    const body: ImportChunkBody = { chunk: n, firstRow: firstRow + from, rows: slice.map((r) => r.map(cellForApi)) };
    if (ids) body.ids = ids.slice(from, from + CHUNK_ROWS);
    if (o.dryRun) body.dryRun = true;
    const answer = await o.api.chunk(importId, body);
    results.push(...answer.rows);
    if (!o.dryRun) o.storage.set(RESUME_KEY, JSON.stringify({ fingerprint: fp, importId, lastChunk: n } satisfies ResumeState));
    o.onProgress?.(Math.min(rows.length, from + slice.length), rows.length);
  }
  const counts = { created: 0, updated: 0, skipped: 0, error: 0 };
  for (const r of results) counts[r.status]++;
  return { importId, results, counts, resumedFrom: start };
}

/** Forgets the interrupted import (after the write-back, or when the user starts over). */

const ID_PATTERN = /^[0-9A-HJKMNP-TV-Z]{26}$|^[0-9a-f-]{36}$/i;
const idOf = (v: CellValue | undefined): string | null => (typeof v === 'string' && ID_PATTERN.test(v.trim()) ? v.trim() : null);
const cellForApi = (v: CellValue): CellValue => (typeof v === 'string' && v.length > 10_000 ? v.slice(0, 10_000) : v);

/** Translates a row's outcome for the status column. */
export type StatusText = (row: ImportRowAnswer) => string;

/**
 * Writes status + id next to the data (from the header row down) in one writeValues call, then
 * hides the id column. Cells outside those two columns are never written.
 */
export async function writeBack(
  excel: ExcelHost,
  a: Analysis,
  results: ImportRowAnswer[],
  statusText: StatusText,
): Promise<{ address: string; syncs: number }> {
  const box = a.read.address
    ? parseRange(a.read.address)
    : { row: 0, col: 0, rows: a.read.values.length, cols: a.read.values[0]?.length ?? 0 };
  const width = a.read.values[0]?.length ?? 0;
  const statusCol = a.statusCol ?? (a.idCol !== null && a.idCol === width - 1 ? width - 1 : (a.outCol ?? width));
  const idCol = a.idCol !== null && a.idCol === statusCol + 1 ? a.idCol : statusCol + 1;
  const byRow = new Map(results.map((r) => [r.row, r]));
  const first = a.mapping.headerRow;
  const block: Matrix = [[STATUS_HEADER, ID_HEADER]];
  for (let r = first + 1; r < a.read.values.length; r++) {
    const result = byRow.get(r);
    // A row the server skipped as empty keeps whatever it had.
    block.push(result ? [statusText(result), result.id ?? ''] : [cellOr(a, r, statusCol), cellOr(a, r, idCol)]);
  }
  const topLeft = `${columnLetters(box.col + statusCol)}${box.row + first + 1}`;
  const written = await excel.writeValues(a.read.sheet, topLeft, block);
  const idLetter = columnLetters(box.col + idCol);
  await excel.setColumnsHidden(a.read.sheet, `${idLetter}:${idLetter}`, true);
  return { address: written.address, syncs: written.chunks + 1 };
}

const cellOr = (a: Analysis, r: number, c: number): CellValue => a.read.values[r]?.[c] ?? '';

/**
 * Reads what the user chose: a table (with its position found in the sheet), the selection, or
 * the sheet's used range; always one read of the whole block.
 */
export async function readSource(
  excel: ExcelHost,
  source: { kind: 'selection' } | { kind: 'sheet' } | { kind: 'table'; name: string },
): Promise<RangeRead & { outCol?: number }> {
  if (source.kind === 'selection') {
    const read = await excel.readSelection();
    if (!read.address) return read;
    // A selection may have the user's cells to its right: then the results go right of everything.
    const used = await excel.readUsedRange(read.sheet);
    const sel = parseRange(read.address);
    const all = used.address ? parseRange(used.address) : sel;
    const header = read.values[0] ?? [];
    const ours = header.some((h) => h === STATUS_HEADER || h === ID_HEADER);
    return all.col + all.cols > sel.col + sel.cols && !ours ? { ...read, outCol: all.col + all.cols - sel.col } : read;
  }
  if (source.kind === 'sheet') return excel.readUsedRange();
  const tables = await excel.listTables();
  const sheet = tables.find((t) => t.name === source.name)?.sheet;
  const used = await excel.readUsedRange(sheet);
  const table = await excel.readTable(source.name);
  // Locate the table's header row in the used range, then cut the block out of it.
  const width = table.headers.length;
  for (let r = 0; r < used.values.length; r++) {
    const row = used.values[r]!;
    for (let c = 0; c + width <= row.length; c++) {
      if (table.headers.every((h, i) => String(row[c + i] ?? '') === h)) {
        const box = parseRange(used.address);
        const rows = table.rows.length + 1;
        // Earlier write-back columns right after the table come along; other cells never do.
        let extra = 0;
        while (extra < 2 && [STATUS_HEADER, ID_HEADER].includes(String(row[c + width + extra] ?? ''))) extra++;
        const values = used.values.slice(r, r + rows).map((x) => x.slice(c, c + width + extra));
        const cols = values[0]?.length ?? width;
        return {
          sheet: used.sheet,
          address: `${columnLetters(box.col + c)}${box.row + r + 1}:${columnLetters(box.col + c + cols - 1)}${box.row + r + rows}`,
          values,
        };
      }
    }
  }
  return { sheet: table.sheet, address: '', values: [table.headers, ...table.rows] };
}

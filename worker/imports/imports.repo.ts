import type { ImportKind } from '../../shared/sheet';
import { assertStatement } from '../lib/batch-assert';

export interface ImportDbRow {
  id: string;
  user_id: string;
  kind: ImportKind;
  mode: 'create' | 'update' | 'skip';
  file_name: string | null;
  mapping: string;
  options: string;
  system: string | null;
  status: 'open' | 'done';
  rows_expected: number | null;
  created_count: number;
  updated_count: number;
  skipped_count: number;
  error_count: number;
  chunk_count: number;
  created_at: string;
  updated_at: string;
}

export interface ChunkCounts {
  created: number;
  updated: number;
  skipped: number;
  error: number;
}

/** The import's row, for a batch or alone. */
export const selectImport = (db: D1Database, orgId: string, id: string) =>
  db.prepare('SELECT * FROM imports WHERE org_id = ?1 AND id = ?2').bind(orgId, id);

/** A chunk already applied (its counts and results), for a batch or alone. */
export const selectChunk = (db: D1Database, orgId: string, importId: string, chunkNo: number) =>
  db.prepare('SELECT * FROM import_chunks WHERE org_id = ?1 AND import_id = ?2 AND chunk_no = ?3').bind(orgId, importId, chunkNo);

export async function recentImports(db: D1Database, orgId: string): Promise<ImportDbRow[]> {
  const { results } = await db.prepare('SELECT * FROM imports WHERE org_id = ?1 ORDER BY id DESC LIMIT 50').bind(orgId).all<ImportDbRow>();
  return results;
}

export function insertImportStatement(db: D1Database, orgId: string, row: ImportDbRow): D1PreparedStatement {
  return db
    .prepare(
      'INSERT INTO imports (id, org_id, user_id, kind, mode, file_name, mapping, options, rows_expected, created_at, updated_at, system) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?10, ?11)',
    )
    .bind(
      row.id,
      orgId,
      row.user_id,
      row.kind,
      row.mode,
      row.file_name,
      row.mapping,
      row.options,
      row.rows_expected,
      row.created_at,
      row.system,
    );
}

/** Aborts the batch when rows [from, to) overlap a chunk already applied to the import. */
export function rowsFreeStatement(db: D1Database, orgId: string, importId: string, from: number, to: number): D1PreparedStatement {
  return assertStatement(
    db,
    `coalesce((SELECT first_row + row_count FROM import_chunks INDEXED BY import_chunks_rows
                    WHERE org_id = ?1 AND import_id = ?2 AND first_row < ?4 ORDER BY first_row DESC LIMIT 1), 0) <= ?3`,
    [orgId, importId, from, to],
  );
}

/** The chunk's row: a second copy of the same chunk fails on its primary key. */
export function insertChunkStatement(
  db: D1Database,
  orgId: string,
  importId: string,
  chunk: { no: number; firstRow: number; rowCount: number; counts: ChunkCounts; results: string },
  now: string,
): D1PreparedStatement {
  const { counts } = chunk;
  return db
    .prepare(
      `INSERT INTO import_chunks (org_id, import_id, chunk_no, first_row, row_count, created_count, updated_count, skipped_count, error_count, applied_at, results)
           VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)`,
    )
    .bind(
      orgId,
      importId,
      chunk.no,
      chunk.firstRow,
      chunk.rowCount,
      counts.created,
      counts.updated,
      counts.skipped,
      counts.error,
      now,
      chunk.results,
    );
}

/** Adds a chunk's counts to its import's. */
export function addCountsStatement(db: D1Database, orgId: string, importId: string, counts: ChunkCounts, now: string): D1PreparedStatement {
  return db
    .prepare(
      `UPDATE imports SET created_count = created_count + ?3, updated_count = updated_count + ?4, skipped_count = skipped_count + ?5,
                  error_count = error_count + ?6, chunk_count = chunk_count + 1, updated_at = ?7, version = version + 1 WHERE org_id = ?1 AND id = ?2`,
    )
    .bind(orgId, importId, counts.created, counts.updated, counts.skipped, counts.error, now);
}

/**
 * The chunks holding rows past `after` with rows of `status` (or any), in row order, each with
 * how many such rows.
 */
export async function chunkHeads(db: D1Database, orgId: string, importId: string, after: number, status: keyof ChunkCounts | undefined) {
  const count = status ? `${status}_count` : 'created_count + updated_count + skipped_count + error_count';
  const { results } = await db
    .prepare(
      `SELECT chunk_no, ${count} AS n FROM import_chunks
          WHERE org_id = ?1 AND import_id = ?2 AND first_row + row_count > ?3 AND ${count} > 0 ORDER BY first_row`,
    )
    .bind(orgId, importId, after)
    .all<{ chunk_no: number; n: number }>();
  return results;
}

/** The stored results (JSON) of these chunks. */
export async function chunkResults(db: D1Database, orgId: string, importId: string, chunkNos: number[]) {
  const { results } = await db
    .prepare('SELECT results FROM import_chunks WHERE org_id = ?1 AND import_id = ?2 AND chunk_no IN (SELECT value FROM json_each(?3))')
    .bind(orgId, importId, JSON.stringify(chunkNos))
    .all<{ results: string }>();
  return results;
}

export async function finishImport(db: D1Database, orgId: string, id: string, now: string): Promise<void> {
  await db
    .prepare(`UPDATE imports SET status = 'done', updated_at = ?3, version = version + 1 WHERE org_id = ?1 AND id = ?2`)
    .bind(orgId, id, now)
    .run();
}

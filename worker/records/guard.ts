/**
 * A SQL condition that holds only when this request's versioned write took effect. Its
 * placeholders are numbered from ?1; a statement with its own parameters shifts them past its own.
 */
export interface Guard {
  sql: string;
  params: unknown[];
}

/**
 * The guard renumbered to follow a statement's `by` own parameters: ?1 becomes ?(1 + by). Every
 * digit of a placeholder is read, so ?10 becomes ?(10 + by), never ?(1 + by) followed by "0".
 *
 * @example
 * shiftGuard({ sql: 'EXISTS (SELECT 1 FROM deals WHERE id = ?1)', params: ['d1'] }, 8).sql;
 * // 'EXISTS (SELECT 1 FROM deals WHERE id = ?9)'
 */
export function shiftGuard(guard: Guard, by: number): Guard {
  return { sql: guard.sql.replace(/\?(\d+)/g, (_, n: string) => `?${Number(n) + by}`), params: guard.params };
}

/** Holds once the row `id` of `table` is at `version`, written at `updatedAt` (by this request). */
export function versionGuard(table: string, id: string, version: number, updatedAt: string): Guard {
  return { sql: `EXISTS (SELECT 1 FROM ${table} WHERE id = ?1 AND version = ?2 AND updated_at = ?3)`, params: [id, version, updatedAt] };
}

/**
 * A statement that aborts its whole D1 batch unless `condition` holds at that point of the
 * transaction. Params of the condition are numbered from ?1.
 */
export function assertStatement(db: D1Database, condition: string, params: unknown[]): D1PreparedStatement {
  return db.prepare(`INSERT INTO batch_assert (ok) SELECT 0 WHERE NOT (${condition})`).bind(...params);
}

/** SQLite names the failed CHECK by its table in older versions, by its expression in newer ones. */
export function isAssertFailure(err: unknown): boolean {
  return err instanceof Error && /batch_assert|CHECK constraint failed: ok = 1\b/.test(err.message);
}

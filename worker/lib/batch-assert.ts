/**
 * A statement that aborts its whole D1 batch unless `condition` holds at that point of the
 * transaction. Params of the condition are numbered from ?1.
 */
export function assertStatement(db: D1Database, condition: string, params: unknown[]): D1PreparedStatement {
  return db.prepare(`INSERT INTO batch_assert (ok) SELECT 0 WHERE NOT (${condition})`).bind(...params);
}

export function isAssertFailure(err: unknown): boolean {
  return err instanceof Error && /batch_assert/.test(err.message);
}

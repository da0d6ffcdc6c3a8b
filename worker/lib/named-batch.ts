/**
 * Runs named reads in one D1 batch (one round trip) and answers each read's rows under its name,
 * so a caller never counts positions in a long list of statements. `after` run in the same batch
 * once the reads are done (an audit row, say); their results are dropped. `rowsRead` is D1's
 * rows read summed over the reads.
 *
 * @example
 * const { rows } = await namedBatch<{ users: { id: string }[]; org: { name: string }[] }>(db, {
 *   users: db.prepare('SELECT id FROM users WHERE org_id = ?1').bind(orgId),
 *   org: db.prepare('SELECT name FROM orgs WHERE id = ?1').bind(orgId),
 * });
 * rows.org[0]?.name;
 */
export async function namedBatch<R extends Record<string, unknown[]>>(
  db: D1Database,
  reads: { [K in keyof R]: D1PreparedStatement },
  after: D1PreparedStatement[] = [],
): Promise<{ rows: R; rowsRead: number }> {
  // Object keys keep their insertion order, so the batch runs the reads in the order written.
  const names = Object.keys(reads) as (keyof R & string)[];
  const results = await db.batch([...names.map((k) => reads[k]), ...after]);
  const rows: Record<string, unknown[]> = {};
  let rowsRead = 0;
  names.forEach((name, i) => {
    rows[name] = results[i]!.results;
    rowsRead += results[i]!.meta?.rows_read ?? 0;
  });
  return { rows: rows as R, rowsRead };
}

/**
 * Fixed-window counters in D1, so a limit holds across isolates and colos: a key's window opens
 * at its first hit and lasts `windowMs`. Limits are checked in order, narrowest first (an address,
 * then a whole form): each is one upsert, all in one batch (one round trip, one transaction), and
 * a request refused by a narrower limit is not counted against the wider ones, so one flooding
 * address cannot use up a form's budget for everyone else.
 */
export interface Limit {
  key: string;
  max: number;
}

export interface LimitResult {
  ok: boolean;
  /** Seconds until the exceeded window closes (0 when ok). */
  retryAfter: number;
}

export async function hitLimits(db: D1Database, limits: Limit[], windowMs: number, now = Date.now()): Promise<LimitResult> {
  const stmts = limits.map((limit, i) =>
    db
      .prepare(
        `INSERT INTO rate_limits (key, window_start, count)
         SELECT ?1, ?2, 1 WHERE NOT EXISTS (
           SELECT 1 FROM json_each(?4) p JOIN rate_limits r ON r.key = p.value ->> 0 WHERE r.count > p.value ->> 1)
         ON CONFLICT (key) DO UPDATE SET
           count = CASE WHEN rate_limits.window_start > ?2 - ?3 THEN rate_limits.count + 1 ELSE 1 END,
           window_start = CASE WHEN rate_limits.window_start > ?2 - ?3 THEN rate_limits.window_start ELSE ?2 END
         RETURNING window_start, count`,
      )
      .bind(limit.key, now, windowMs, JSON.stringify(limits.slice(0, i).map((l) => [l.key, l.max]))),
  );
  const results = await db.batch<{ window_start: number; count: number }>(stmts);
  for (const [i, res] of results.entries()) {
    const row = res.results[0];
    if (row && row.count > limits[i]!.max)
      return { ok: false, retryAfter: Math.max(1, Math.ceil((row.window_start + windowMs - now) / 1000)) };
  }
  return { ok: true, retryAfter: 0 };
}

/** Deletes windows that closed long ago; for the scheduled handler. */
export async function purgeRateLimits(db: D1Database, olderThanMs = 3600_000, now = Date.now()): Promise<void> {
  await db
    .prepare('DELETE FROM rate_limits WHERE window_start < ?1')
    .bind(now - olderThanMs)
    .run();
}

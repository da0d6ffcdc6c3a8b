export interface QuotaRow {
  id: string;
  user_id: string;
  period: string;
  amount_minor: number;
  currency: string;
  version: number;
  updated_at: string;
}

/** Quotas of a period and a user, or all, by period and user (at most 1,000). */
export async function listQuotas(db: D1Database, orgId: string, period: string | undefined, owner: string | null | undefined) {
  const where = ['org_id = ?1'];
  const params: unknown[] = [orgId];
  if (period) where.push(`period = ?${params.push(period)}`);
  if (owner) where.push(`user_id = ?${params.push(owner)}`);
  const { results } = await db
    .prepare(`SELECT * FROM quotas WHERE ${where.join(' AND ')} ORDER BY period, user_id LIMIT 1000`)
    .bind(...params)
    .all<QuotaRow>();
  return results;
}

/** Sets the user's quota of a period in a currency; answers the row. */
export function putQuotaStatement(
  db: D1Database,
  orgId: string,
  q: { id: string; userId: string; period: string; amountMinor: number; currency: string },
  now: string,
): D1PreparedStatement {
  return db
    .prepare(
      `INSERT INTO quotas (id, org_id, user_id, period, amount_minor, currency, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7)
           ON CONFLICT (org_id, user_id, period, currency) DO UPDATE SET amount_minor = excluded.amount_minor, version = version + 1, updated_at = excluded.updated_at
           RETURNING *`,
    )
    .bind(q.id, orgId, q.userId, q.period, q.amountMinor, q.currency, now);
}

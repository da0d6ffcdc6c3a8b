// The reads behind the Excel custom functions (functions.routes.ts): sums of deals and quotas.

/** The organisation's users named by id or email (case-insensitive) among `named`. */
export async function usersNamed(db: D1Database, orgId: string, named: string[]): Promise<{ id: string; email_norm: string }[]> {
  const { results } = await db
    .prepare(
      `SELECT id, email_norm FROM users WHERE org_id = ?1 AND (id IN (SELECT value FROM json_each(?2)) OR email_norm IN (SELECT lower(value) FROM json_each(?2)))`,
    )
    .bind(orgId, JSON.stringify(named))
    .all<{ id: string; email_norm: string }>();
  return results;
}

/** For a batch: count and sum of live deals by owner, stage and currency. */
export function pipelineByOwnerStatement(db: D1Database, orgId: string): D1PreparedStatement {
  return db
    .prepare(
      `SELECT owner_id, stage, currency, count(*) AS n, sum(amount_minor) AS v FROM deals
              WHERE org_id = ?1 AND deleted_at IS NULL GROUP BY owner_id, stage, currency`,
    )
    .bind(orgId);
}

/** For a batch: count and sum of deals won in [from, toExclusive) by owner, currency and day. */
export function wonByDayStatement(db: D1Database, orgId: string, from: string, toExclusive: string): D1PreparedStatement {
  return db
    .prepare(
      `SELECT owner_id, currency, substr(closed_at, 1, 10) AS day, count(*) AS n, sum(amount_minor) AS v FROM deals
              WHERE org_id = ?1 AND deleted_at IS NULL AND stage = 'won' AND closed_at >= ?2 AND closed_at < ?3
              GROUP BY owner_id, currency, day`,
    )
    .bind(orgId, from, toExclusive);
}

/** For a batch: every user's quotas of these periods. */
export function quotasOfPeriodsStatement(db: D1Database, orgId: string, periods: string[]): D1PreparedStatement {
  return db
    .prepare(
      'SELECT user_id, period, currency, amount_minor AS v FROM quotas WHERE org_id = ?1 AND period IN (SELECT value FROM json_each(?2)) ORDER BY currency',
    )
    .bind(orgId, JSON.stringify(periods));
}

/** Count and sum of live deals in these stages by stage and currency, of one owner or all. */
export async function pipelineTotals(db: D1Database, orgId: string, stages: string[], owner: string | null) {
  const params: unknown[] = [orgId, JSON.stringify(stages)];
  const byOwner = owner ? ` AND owner_id = ?${params.push(owner)}` : '';
  // deals_stage (org_id, stage, id)
  const { results } = await db
    .prepare(
      `SELECT stage, currency, count(*) AS n, sum(amount_minor) AS v FROM deals
        WHERE org_id = ?1 AND deleted_at IS NULL AND stage IN (SELECT value FROM json_each(?2))${byOwner}
        GROUP BY stage, currency`,
    )
    .bind(...params)
    .all<{ stage: string; currency: string; n: number; v: number }>();
  return results;
}

/** Count and sum of deals won in [from, toExclusive) by currency, of one owner or all. */
export async function wonTotals(db: D1Database, orgId: string, from: string, toExclusive: string, owner: string | null) {
  const params: unknown[] = [orgId, from, toExclusive];
  const byOwner = owner ? ` AND owner_id = ?${params.push(owner)}` : '';
  const { results } = await db
    .prepare(
      `SELECT currency, count(*) AS n, sum(amount_minor) AS v FROM deals
        WHERE org_id = ?1 AND deleted_at IS NULL AND stage = 'won' AND closed_at >= ?2 AND closed_at < ?3${byOwner}
        GROUP BY currency ORDER BY currency`,
    )
    .bind(...params)
    .all<{ currency: string; n: number; v: number }>();
  return results;
}

/** An owner's quotas of a period and what they won in [from, to), by currency, in one batch. */
export async function quotaAndWon(db: D1Database, orgId: string, owner: string, period: string, from: string, to: string) {
  const [quotas, won] = await db.batch<{ currency: string; v: number }>([
    db
      .prepare('SELECT currency, amount_minor AS v FROM quotas WHERE org_id = ?1 AND user_id = ?2 AND period = ?3 ORDER BY currency')
      .bind(orgId, owner, period),
    db
      .prepare(
        `SELECT currency, sum(amount_minor) AS v FROM deals WHERE org_id = ?1 AND owner_id = ?2 AND deleted_at IS NULL AND stage = 'won'
           AND closed_at >= ?3 AND closed_at < ?4 GROUP BY currency`,
      )
      .bind(orgId, owner, from, to),
  ]);
  return { quotas: quotas!.results, won: won!.results };
}

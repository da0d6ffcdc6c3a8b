import { STAGE_PROBABILITY } from '../../shared/schemas';
import { planPeriods, type Period } from '../../shared/report/period';

/**
 * The weekly report's snapshots (migrations 0006, 0009): the pipeline at an instant, the weighted
 * forecast and the amounts won as of a period's end, stored once the instant has passed so a past
 * week reads a few stored rows instead of the organisation's whole stage history.
 */

const DAY = 86_400_000;
/** deal_stage_history.valid_to of a row that still holds (the column's default, migration 0005). */
const STILL_HOLDS = '9999-12-31T23:59:59.999Z';

/** The windows of a period ending at `to`: its month and quarter, and the forecast's horizons. */
export function windowsOf(to: string) {
  const plan = planPeriods(new Date(Date.parse(to) - 1).toISOString());
  const horizon4w = new Date(Date.parse(to) + 28 * DAY).toISOString();
  return {
    plan,
    horizon4w,
    // The forecast looks at deals closing before the later of the 4-week horizon and the quarter's end.
    forecastEnd: (plan.quarterEnd > horizon4w ? plan.quarterEnd : horizon4w).slice(0, 10),
    wonSince: minIso(plan.monthStart, plan.quarterStart),
  };
}

type SnapshotKind = 'pipeline' | 'forecast' | 'won';

/**
 * The snapshot tables. Each instant computed gets a marker row (`marker`, matched by `isMarker`),
 * so an instant with nothing to store also counts as computed.
 */
const SNAPSHOTS: Record<SnapshotKind, { table: string; marker: string; isMarker: string }> = {
  pipeline: {
    table: 'pipeline_snapshots',
    marker: `(org_id, at, owner_id, stage, currency, deals, value_minor) VALUES (?1, ?2, '', '', '', 0, 0)`,
    isMarker: `owner_id = '' AND stage = '' AND currency = ''`,
  },
  forecast: {
    table: 'forecast_snapshots',
    marker: `(org_id, at, owner_id, stage, currency, in4w, in_quarter, deals, value_minor, weighted_minor) VALUES (?1, ?2, '', '', '', 0, 0, 0, 0, 0)`,
    isMarker: `owner_id = '' AND stage = ''`,
  },
  won: {
    table: 'won_snapshots',
    marker: `(org_id, at, owner_id, currency, in_month, value_minor) VALUES (?1, ?2, '', '', 0, 0)`,
    isMarker: `owner_id = '' AND currency = ''`,
  },
};

/**
 * Makes sure the snapshots of a period's passed instants are stored: the pipeline at both ends,
 * the forecast and the won amounts at its end. Answers which are stored ('pipeline:<at>',
 * 'forecast:<at>', 'won:<at>'). Computing them reads the stage history of the whole
 * organisation (seconds at a million deals), so the nightly job does it for the week just ended
 * before anyone asks; a report asked first does it itself.
 */
export async function storeSnapshots(db: D1Database, orgId: string, period: Period, at: Date): Promise<Set<string>> {
  const { from, to } = period;
  const now = at.toISOString();
  const wanted: [SnapshotKind, string][] = [];
  for (const t of [from, to]) if (t <= now) wanted.push(['pipeline', t]);
  if (to <= now) wanted.push(['forecast', to], ['won', to]);
  const stored = new Set<string>();
  if (!wanted.length) return stored;

  const { results: have } = await db
    .prepare(
      wanted
        .map(
          ([kind], i) =>
            `SELECT '${kind}:' || at AS k FROM ${SNAPSHOTS[kind].table} WHERE org_id = ?1 AND at = ?${i + 2} AND ${SNAPSHOTS[kind].isMarker}`,
        )
        .join(' UNION ALL '),
    )
    .bind(orgId, ...wanted.map(([, t]) => t))
    .all<{ k: string }>();
  for (const h of have) stored.add(h.k);

  const { plan, horizon4w, forecastEnd, wonSince } = windowsOf(to);
  const fill: Record<SnapshotKind, (t: string) => D1PreparedStatement> = {
    pipeline: (t) =>
      db
        .prepare(
          `INSERT OR IGNORE INTO pipeline_snapshots (org_id, at, owner_id, stage, currency, deals, value_minor)
           SELECT ?1, ?2, coalesce(d.owner_id, ''), h.to_stage, h.currency, count(*), sum(h.amount_minor)
             FROM deal_stage_history h JOIN deals d INDEXED BY deals_report ON d.id = h.deal_id
            WHERE h.org_id = ?1 AND h.valid_to > ?2 AND h.changed_at < ?2 GROUP BY 3, 4, 5`,
        )
        .bind(orgId, t),
    forecast: (t) =>
      db
        .prepare(
          `INSERT OR IGNORE INTO forecast_snapshots (org_id, at, owner_id, stage, currency, deals, value_minor, weighted_minor, in4w, in_quarter)
           ${forecastSql({ org: '?1', at: '?2', horizonEnd: '?3', in4w: '?4', quarterEnd: '?5', owner: null, perOwner: true })}`,
        )
        .bind(orgId, t, forecastEnd, horizon4w, plan.quarterEnd),
    won: (t) =>
      db
        .prepare(
          `INSERT OR IGNORE INTO won_snapshots (org_id, at, owner_id, currency, in_month, value_minor)
           SELECT ?1, ?2, coalesce(owner_id, ''), currency, in_month, v FROM (${wonSql({ org: '?1', at: '?2', monthStart: '?3', since: '?4', owner: null })})`,
        )
        .bind(orgId, t, plan.monthStart, wonSince),
  };
  const writes: D1PreparedStatement[] = [];
  for (const [kind, t] of wanted) {
    if (stored.has(`${kind}:${t}`)) continue;
    writes.push(fill[kind](t), db.prepare(`INSERT OR IGNORE INTO ${SNAPSHOTS[kind].table} ${SNAPSHOTS[kind].marker}`).bind(orgId, t));
    stored.add(`${kind}:${t}`);
  }
  if (writes.length) await db.batch(writes);
  return stored;
}

/** A read of the report's batch: its SQL and the parameters it binds after the report's own. */
export interface ReportRead {
  sql: string;
  extra?: unknown[];
}

/**
 * The report's reads of the snapshot figures for a period: the pipeline at both ends, the amounts
 * won and the forecast at its end. Each reads the stored snapshot where `stored` has it (past
 * instants), else computes it from the stage history (the running week is live). The SQL binds ?1
 * org, ?2 from, ?3 to and, when `scoped`, ?4 owner; `n` is how many of those there are, the
 * extras bind after them.
 */
export function snapshotReads(
  stored: Set<string>,
  period: Period,
  scoped: boolean,
  n: number,
): Record<'pipeline' | 'won' | 'forecast', ReportRead> {
  const { from, to } = period;
  const by = (col: string) => (scoped ? ` AND ${col} = ?4` : '');
  const { plan, horizon4w, forecastEnd, wonSince } = windowsOf(to);

  // The pipeline as of an instant: the history rows that held then (changed before, valid after).
  const holding = (at: string) => `h.org_id = ?1 AND h.valid_to > ${at} AND h.changed_at < ${at}`;
  const ownerJoin = scoped ? ' JOIN deals d INDEXED BY deals_report ON d.id = h.deal_id' : '';
  const pipelineAt = (label: 'start' | 'end', param: '?2' | '?3', at: string) =>
    stored.has(`pipeline:${at}`)
      ? `SELECT '${label}' AS at, stage, currency, sum(deals) AS n, sum(value_minor) AS v FROM pipeline_snapshots
          WHERE org_id = ?1 AND at = ${param} AND stage != ''${scoped ? ' AND owner_id = ?4' : ''} GROUP BY stage, currency`
      : `SELECT '${label}' AS at, h.to_stage AS stage, h.currency, count(*) AS n, sum(h.amount_minor) AS v FROM deal_stage_history h${ownerJoin}
          WHERE ${holding(param)}${by('d.owner_id')} GROUP BY h.to_stage, h.currency`;

  // The running week's end for the organisation: the pipeline stored at the week's start, minus
  // the rows that stopped holding since, plus the rows that began since and still hold. That reads
  // the week's changes instead of every open deal (a scan of the open deals was a third of the
  // running week's report): each part is one range of the covering index on (valid_to,
  // changed_at), the rows still holding split out so their changed_at range is seekable.
  // Managers' scopes stay live: the stored owner is the one at the start.
  const pipelineEnd =
    !stored.has(`pipeline:${to}`) && stored.has(`pipeline:${from}`) && !scoped
      ? `SELECT 'end' AS at, stage, currency, sum(n) AS n, sum(v) AS v FROM (
           SELECT stage, currency, deals AS n, value_minor AS v FROM pipeline_snapshots WHERE org_id = ?1 AND at = ?2 AND stage != ''
           UNION ALL
           SELECT h.to_stage, h.currency, -1, -h.amount_minor FROM deal_stage_history h INDEXED BY deal_stage_history_valid
            WHERE h.org_id = ?1 AND h.valid_to > ?2 AND h.valid_to <= ?3 AND h.changed_at < ?2
           UNION ALL
           SELECT h.to_stage, h.currency, 1, h.amount_minor FROM deal_stage_history h INDEXED BY deal_stage_history_valid
            WHERE h.org_id = ?1 AND h.valid_to = '${STILL_HOLDS}' AND h.changed_at >= ?2 AND h.changed_at < ?3
           UNION ALL
           SELECT h.to_stage, h.currency, 1, h.amount_minor FROM deal_stage_history h INDEXED BY deal_stage_history_valid
            WHERE h.org_id = ?1 AND h.valid_to > ?3 AND h.valid_to < '${STILL_HOLDS}' AND h.changed_at >= ?2 AND h.changed_at < ?3)
         GROUP BY stage, currency HAVING sum(n) > 0`
      : pipelineAt('end', '?3', to);

  return {
    pipeline: { sql: `${pipelineAt('start', '?2', from)} UNION ALL ${pipelineEnd}` },
    won: stored.has(`won:${to}`)
      ? {
          sql: `SELECT nullif(owner_id, '') AS owner_id, currency, value_minor AS v, in_month FROM won_snapshots
            WHERE org_id = ?1 AND at = ?3 AND currency != ''${by('owner_id')}`,
        }
      : {
          sql: wonSql({ org: '?1', at: '?3', monthStart: `?${n + 1}`, since: `?${n + 2}`, owner: scoped ? '?4' : null }),
          extra: [plan.monthStart, wonSince],
        },
    forecast: stored.has(`forecast:${to}`)
      ? {
          sql: `SELECT stage, currency, sum(deals) AS n, sum(value_minor) AS v, sum(weighted_minor) AS w, in4w, in_quarter AS inQuarter
             FROM forecast_snapshots WHERE org_id = ?1 AND at = ?3 AND stage != ''${by('owner_id')} GROUP BY stage, currency, in4w, in_quarter`,
        }
      : {
          sql: forecastSql({
            org: '?1',
            at: '?3',
            horizonEnd: `?${n + 1}`,
            in4w: `?${n + 2}`,
            quarterEnd: `?${n + 3}`,
            owner: scoped ? '?4' : null,
            perOwner: false,
          }),
          extra: [forecastEnd, horizon4w, plan.quarterEnd],
        },
  };
}

interface Params {
  org: string;
  at: string;
  owner: string | null;
}

/** Amounts won from `since` up to `at`, by owner and currency, flagged when won in the month. */
function wonSql(p: Params & { monthStart: string; since: string }): string {
  return `SELECT d.owner_id, h.currency, sum(h.amount_minor) AS v, h.changed_at >= ${p.monthStart} AS in_month
            FROM deal_stage_history h JOIN deals d INDEXED BY deals_report ON d.id = h.deal_id
           WHERE h.org_id = ${p.org} AND h.changed_at >= ${p.since} AND h.changed_at < ${p.at} AND h.to_stage = 'won'
             AND (h.from_stage IS NULL OR h.from_stage != 'won') AND h.undated = 0${p.owner ? ` AND d.owner_id = ${p.owner}` : ''}
           GROUP BY d.owner_id, h.currency, in_month`;
}

/**
 * The weighted forecast of the deals open at `at`, by stage and currency (and owner, for a
 * snapshot), flagged by whether each closes within 4 weeks and within the quarter.
 * Summed here, not row by row in the Worker: a 100,000-deal pipeline has tens of thousands of
 * open deals. The deals closing in the window are set aside first, then one pass over the stage
 * rows holding at `at` finds theirs (cheaper than one index probe per deal).
 */
function forecastSql(p: Params & { horizonEnd: string; in4w: string; quarterEnd: string; perOwner: boolean }): string {
  const weight = Object.entries(STAGE_PROBABILITY)
    .map(([stage, pct]) => `WHEN '${stage}' THEN ${pct}`)
    .join(' ');
  const owner = p.perOwner ? `${p.org}, ${p.at}, coalesce(closing.owner_id, ''), ` : '';
  return `WITH closing AS MATERIALIZED (
         SELECT d.id, d.expected_close, d.owner_id FROM deals d
          WHERE d.org_id = ${p.org} AND d.expected_close >= substr(${p.at}, 1, 10) AND d.expected_close < ${p.horizonEnd}${p.owner ? ` AND d.owner_id = ${p.owner}` : ''})
       SELECT ${owner}h.to_stage AS stage, h.currency, count(*) AS n, sum(h.amount_minor) AS v,
              sum(CAST(h.amount_minor * (CASE h.to_stage ${weight} ELSE 0 END) / 100.0 + 0.5 AS INTEGER)) AS w,
              (closing.expected_close || 'T00:00:00.000Z') < ${p.in4w} AS in4w,
              (closing.expected_close || 'T00:00:00.000Z') < ${p.quarterEnd} AS inQuarter
         FROM deal_stage_history h CROSS JOIN closing ON closing.id = h.deal_id
        WHERE h.org_id = ${p.org} AND h.valid_to > ${p.at} AND h.changed_at < ${p.at} AND h.to_stage IN ('new', 'qualified', 'proposal', 'negotiation')
        GROUP BY ${p.perOwner ? '3, ' : ''}h.to_stage, h.currency, in4w, inQuarter`;
}

const minIso = (a: string, b: string) => (a < b ? a : b);

// A deal's history as its sheet tells it: created on the sheet's created date, won or lost on its
// close date, written as a backfill (deal_stage_history.import_id, migration 0017). The weekly
// report reads wins and losses from that history, so a win from 2024 counts in its week of 2024,
// never in the week it was imported.
import type { ImportRecord } from '../../shared/sheet';
import type { Rec } from '../records/spec';
import { newId } from '../lib/ids';

const CLOSED = new Set(['won', 'lost']);

/** The start of a sheet's calendar day (UTC), never later than `now`. */
const dayAt = (date: string | undefined, now: string): string | null => {
  if (!date) return null;
  const at = `${date}T00:00:00.000Z`;
  return at < now ? at : now;
};

const later = (a: string, b: string) => (a > b ? a : b);
const justAfter = (iso: string) => new Date(Date.parse(iso) + 1).toISOString();

/** One history row: [id, deal, from, to, amount, currency, changed at, undated]. */
export type HistoryRow = [string, string, string | null, string, number, string, string, 0 | 1];

/**
 * A new deal from a sheet: its created time becomes the sheet's created date, its close time the
 * close date, and its history the open stage from the created date, then won or lost on the close
 * date. A closed deal without a close date is closed "undated": counted in no week.
 */
export function newDealHistory(rec: Rec, r: ImportRecord, now: string): HistoryRow[] {
  const created = dayAt(r.createdAt, now);
  if (created) rec.createdAt = created;
  const stage = rec.stage as string;
  const row = (from: string | null, to: string, at: string, undated: 0 | 1 = 0): HistoryRow => [
    newId(),
    rec.id,
    from,
    to,
    rec.amountMinor as number,
    rec.currency as string,
    at,
    undated,
  ];
  if (!CLOSED.has(stage)) return [row(null, stage, created ?? now)];
  const closed = dayAt(r.expectedCloseDate, now);
  rec.closedAt = closed;
  const open = r.openStage ?? 'new';
  if (closed) {
    // A deal is open from its created date until it closes.
    if (created && created < closed) return [row(null, open, created), row(open, stage, closed)];
    return [row(null, stage, closed)];
  }
  return created && created < now ? [row(null, open, created), row(open, stage, now, 1)] : [row(null, stage, now, 1)];
}

/**
 * A deal the sheet changed: a move to won or lost happens on the sheet's close date (never before
 * the deal's last known change), any other change when the import sees it.
 */
export function changedDealHistory(before: Rec, after: Rec, r: ImportRecord, lastChange: string | undefined, now: string): HistoryRow[] {
  if (before.stage === after.stage && before.amountMinor === after.amountMinor) return [];
  const becomesClosed = before.stage !== after.stage && CLOSED.has(after.stage as string);
  let at = now;
  let undated: 0 | 1 = 0;
  if (becomesClosed) {
    const closed = dayAt(r.expectedCloseDate, now);
    after.closedAt = closed;
    if (closed) at = lastChange ? later(closed, justAfter(lastChange)) : closed;
    else undated = 1;
  }
  if (at > now) at = now;
  return [
    [newId(), after.id, before.stage as string, after.stage as string, after.amountMinor as number, after.currency as string, at, undated],
  ];
}

/** The latest history time of each deal (the history index serves it). */
export async function lastChanges(db: D1Database, orgId: string, dealIds: string[]): Promise<Map<string, string>> {
  if (!dealIds.length) return new Map();
  const { results } = await db
    .prepare(
      `SELECT h.deal_id, max(h.changed_at) AS at FROM json_each(?2) j
         JOIN deal_stage_history h ON h.org_id = ?1 AND h.deal_id = j.value GROUP BY h.deal_id`,
    )
    .bind(orgId, JSON.stringify([...new Set(dealIds)]))
    .all<{ deal_id: string; at: string }>();
  return new Map(results.map((r) => [r.deal_id, r.at]));
}

/**
 * The statements that write the rows, oldest first (each row ends the one before it), and, when
 * a row lies in the past, drop the report snapshots made after it: those instants' pipeline,
 * forecast and wins are computed again from the history that now includes it.
 */
export function historyStatements(
  db: D1Database,
  orgId: string,
  userId: string,
  importId: string,
  rows: HistoryRow[],
  now: string,
): D1PreparedStatement[] {
  if (!rows.length) return [];
  const sorted = [...rows].sort((a, b) => (a[6] < b[6] ? -1 : a[6] > b[6] ? 1 : 0));
  const out = [
    db
      .prepare(
        `INSERT INTO deal_stage_history (id, org_id, deal_id, from_stage, to_stage, amount_minor, currency, changed_by, changed_at, import_id, undated)
         SELECT value ->> 0, ?1, value ->> 1, value ->> 2, value ->> 3, value ->> 4, value ->> 5, ?2, value ->> 6, ?3, value ->> 7 FROM json_each(?4)`,
      )
      .bind(orgId, userId, importId, JSON.stringify(sorted)),
  ];
  const earliest = sorted[0]![6];
  if (earliest < now)
    for (const table of ['pipeline_snapshots', 'forecast_snapshots', 'won_snapshots'])
      out.push(db.prepare(`DELETE FROM ${table} WHERE org_id = ?1 AND at > ?2`).bind(orgId, earliest));
  return out;
}

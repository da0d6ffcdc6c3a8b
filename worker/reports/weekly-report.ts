import { isoWeekOf, weekPeriod, type Period } from '../../shared/report/period';
import type { Lang, WeeklyReport } from '../../shared/report/definitions';
import { activitiesSection, openCasesSection, overdueFollowUpsSection, vipNoContactSection } from '../../shared/report/sections/activity';
import type { ActivityCountRow, OpenCaseRow, OverdueTaskRow, VipCompanyRow } from '../../shared/report/sections/activity';
import { competitorsSection, lostReasonsSection, wonLostByWeekSection, wonLostSection } from '../../shared/report/sections/closed';
import type { ClosedDayRow, ClosedRow } from '../../shared/report/sections/closed';
import { creditWatchSection, type PaymentRow } from '../../shared/report/sections/credit-watch';
import {
  conversionSection,
  newLeadsByManagerSection,
  newLeadsBySourceSection,
  type LeadCountRow,
} from '../../shared/report/sections/leads';
import { movementsSection, pipelineSection, type MovementRow, type PipelineRow } from '../../shared/report/sections/pipeline';
import { forecastSection, planVsActualSection, type ForecastRow, type QuotaRow, type WonRow } from '../../shared/report/sections/plan';
import { AppError } from '../http/errors';
import { namedBatch } from '../lib/named-batch';
import { snapshotReads, storeSnapshots, windowsOf, type ReportRead } from './report-snapshots';

const DAY = 86_400_000;

/** Whom a report covers: the organisation, or one manager's own records (named from the report's own reads). */
export interface ScopeRef {
  kind: 'org' | 'manager';
  id: string | null;
}

/** The rows of each of the report's reads, by the read's name. */
interface WeeklyRows extends Record<string, unknown[]> {
  leads: LeadCountRow[];
  convertedInPeriod: { n: number }[];
  pipeline: PipelineRow[];
  movements: MovementRow[];
  closed: ClosedRow[];
  quotas: QuotaRow[];
  won: WonRow[];
  forecast: ForecastRow[];
  activities: ActivityCountRow[];
  overdueTasks: OverdueTaskRow[];
  vipCompanies: VipCompanyRow[];
  users: { id: string; name: string }[];
  openCases: OpenCaseRow[];
  payments: PaymentRow[];
  org: { name: string }[];
  closedByDay: ClosedDayRow[];
}

/**
 * Computes the weekly report for a period and scope from dated rows and the deal stage history,
 * so the same period gives the same numbers whenever it is asked for (forecast and VIP contact
 * are as of the period's end). `clock` is the report's now: it decides which instants have passed
 * (and so have stored snapshots) and stamps `generatedAt`.
 */
export async function weeklyReport(
  db: D1Database,
  orgId: string,
  period: Period,
  scope: ScopeRef,
  lang: Lang = 'en',
  clock: () => Date = () => new Date(),
  /** Statements to run in the report's batch after its reads (the export's audit row): one D1 round trip fewer. */
  alsoRun: D1PreparedStatement[] = [],
): Promise<WeeklyReport> {
  const { from, to } = period;
  const owner = scope.kind === 'manager' ? scope.id : null;
  // Each query binds ?1 org, ?2 from, ?3 to and, when scoped, ?4 owner.
  const by = (col: string) => (owner ? ` AND ${col} = ?4` : '');
  const params = owner ? [orgId, from, to, owner] : [orgId, from, to];
  // D1 refuses more bindings than the statement's highest ?N, so bind just as many as it uses.
  const q = (sql: string, extra: unknown[] = []) => {
    const used = Math.max(0, ...[...sql.matchAll(/\?(\d+)/g)].map((m) => Number(m[1])));
    return db.prepare(sql).bind(...[...params, ...extra].slice(0, used));
  };
  const read = (r: ReportRead) => q(r.sql, r.extra);
  const { plan } = windowsOf(to);
  // Overdue follow-ups and ages are measured at the period's end, or now while the period runs
  // (the time of day, not `clock`: a caller sets `clock` to choose which instants have stored
  // snapshots, and a past week's numbers must not move with it).
  const asOf = minIso(to, new Date().toISOString());
  const n = params.length;

  const ownerJoin = owner ? ' JOIN deals d INDEXED BY deals_report ON d.id = h.deal_id' : '';
  // Past instants read stored snapshots (made on first use, or by the nightly job); the running week is live.
  const stored = await storeSnapshots(db, orgId, period, clock());
  const snap = snapshotReads(stored, period, !!owner, n);

  const { rows, rowsRead } = await namedBatch<WeeklyRows>(
    db,
    {
      leads: q(`SELECT source, owner_id, count(*) AS n, sum(converted_at IS NOT NULL) AS converted FROM leads
                WHERE org_id = ?1 AND created_at >= ?2 AND created_at < ?3 AND deleted_at IS NULL${by('owner_id')} GROUP BY source, owner_id`),
      convertedInPeriod: q(
        `SELECT count(*) AS n FROM leads WHERE org_id = ?1 AND converted_at >= ?2 AND converted_at < ?3${by('owner_id')}`,
      ),
      pipeline: read(snap.pipeline),
      movements: q(`SELECT h.from_stage, h.to_stage, count(*) AS n FROM deal_stage_history h${ownerJoin}
                WHERE h.org_id = ?1 AND h.changed_at >= ?2 AND h.changed_at < ?3 AND h.from_stage IS NOT NULL AND h.from_stage != h.to_stage
                  AND h.undated = 0${by('d.owner_id')}
                GROUP BY h.from_stage, h.to_stage`),
      // Won and lost deals of the period (a win or loss imported without its date belongs to no
      // period: migration 0017), summed here in one pass (a week of a million-deal
      // organisation closes thousands): by outcome and currency (k = 'o'), lost reasons ('r'), and
      // competitors ('c'). A won deal counts for every competitor linked to it and the one named on
      // it; a lost deal for the linked ones marked "lost to", else the one named on it.
      closed: q(`WITH closed AS MATERIALIZED (
                  SELECT h.rowid AS hid, h.to_stage AS outcome, h.currency, h.amount_minor, d.id AS deal_id, d.lost_reason, d.competitor,
                         julianday(h.changed_at) - julianday(d.created_at) AS cycle
                    FROM deal_stage_history h JOIN deals d INDEXED BY deals_report ON d.id = h.deal_id
                   WHERE h.org_id = ?1 AND h.changed_at >= ?2 AND h.changed_at < ?3 AND h.to_stage IN ('won', 'lost')
                     AND (h.from_stage IS NULL OR h.from_stage != h.to_stage) AND h.undated = 0${by('d.owner_id')}),
                linked AS MATERIALIZED (
                  SELECT cl.hid, cl.outcome, c.name FROM closed cl
                    JOIN deal_competitors dc ON dc.org_id = ?1 AND dc.deal_id = cl.deal_id AND dc.deleted_at IS NULL
                    JOIN competitors c ON c.id = dc.competitor_id
                   WHERE cl.outcome = 'won' OR dc.lost_to)
                SELECT 'o' AS k, outcome AS a, currency AS b, count(*) AS n, sum(amount_minor) AS v, sum(cycle) AS cycle FROM closed GROUP BY outcome, currency
                UNION ALL
                SELECT 'r', coalesce(lost_reason, '—'), NULL, count(*), NULL, NULL FROM closed WHERE outcome = 'lost' GROUP BY 2
                UNION ALL
                SELECT 'c', name, NULL, sum(outcome = 'won'), sum(outcome = 'lost'), NULL FROM (
                  SELECT hid, outcome, name FROM linked
                  UNION
                  SELECT hid, outcome, competitor FROM closed
                   WHERE coalesce(competitor, '') != '' AND (outcome = 'won' OR hid NOT IN (SELECT hid FROM linked)))
                GROUP BY name`),
      quotas: q(
        `SELECT q.user_id, u.name, q.period, q.currency, q.amount_minor FROM quotas q JOIN users u ON u.id = q.user_id
                WHERE q.org_id = ?1 AND q.period IN (?${n + 1}, ?${n + 2})${by('q.user_id')}`,
        [plan.month, plan.quarter],
      ),
      won: read(snap.won),
      forecast: read(snap.forecast),
      activities: q(`SELECT owner_id, type, count(*) AS n FROM activities
                WHERE org_id = ?1 AND occurred_at >= ?2 AND occurred_at < ?3 AND deleted_at IS NULL${by('owner_id')} GROUP BY owner_id, type`),
      overdueTasks: q(
        `SELECT t.title, t.assignee_id, t.due_at FROM tasks t
                WHERE t.org_id = ?1 AND t.deleted_at IS NULL AND t.due_at < ?${n + 1} AND (t.done = 0 OR t.done_at >= ?${n + 1})${by('t.assignee_id')}
                ORDER BY t.due_at LIMIT 500`,
        [asOf],
      ),
      vipCompanies: q(`SELECT c.name, c.vip_tier, (SELECT max(a.occurred_at) FROM activities a
                         WHERE a.org_id = c.org_id AND a.company_id = c.id AND a.occurred_at < ?3 AND a.deleted_at IS NULL) AS last
                   FROM companies c WHERE c.org_id = ?1 AND c.vip_tier > 0 AND c.deleted_at IS NULL${by('c.owner_id')}
                 `),
      users: db.prepare(`SELECT id, name FROM users WHERE org_id = ?1`).bind(orgId),
      // Cases open at the period's end; a VIP's complaint is high priority, so it comes first.
      openCases:
        q(`SELECT c.kind, c.subject, co.name AS company, c.priority, c.created_at FROM cases c LEFT JOIN companies co ON co.id = c.company_id
                 WHERE c.org_id = ?1 AND c.deleted_at IS NULL AND c.created_at < ?3
                   AND (c.status IN ('open', 'in_progress') OR c.resolved_at >= ?3)${by('c.owner_id')}
                 ORDER BY c.priority_rank DESC, c.created_at LIMIT 500`),
      // Payment history of the clients in scope, for their credit score at the start and end of the period.
      payments:
        q(`SELECT p.company_id, co.name, co.credit_limit_minor, co.credit_currency, p.amount_minor, p.currency, p.issued_on, p.due_on, p.paid_on
                   FROM payments p JOIN companies co ON co.id = p.company_id
                  WHERE p.org_id = ?1 AND p.deleted_at IS NULL AND co.deleted_at IS NULL AND p.issued_on < substr(?3, 1, 10)${by('co.owner_id')}`),
      org: db.prepare(`SELECT name FROM orgs WHERE id = ?1`).bind(orgId),
      // Won and lost of the eight weeks up to the period's end, by day, outcome and currency: the
      // weeks are made from the days below, and nothing adds one currency to another.
      closedByDay: q(
        `SELECT substr(h.changed_at, 1, 10) AS day, h.to_stage AS outcome, h.currency, count(*) AS n, sum(h.amount_minor) AS v
           FROM deal_stage_history h JOIN deals d INDEXED BY deals_report ON d.id = h.deal_id
          WHERE h.org_id = ?1 AND h.changed_at >= ?${n + 1} AND h.changed_at < ?3 AND h.to_stage IN ('won', 'lost')
            AND (h.from_stage IS NULL OR h.from_stage != h.to_stage) AND h.undated = 0${by('d.owner_id')}
          GROUP BY 1, 2, 3`,
        [trendStart(to)],
      ),
    },
    alsoRun,
  );

  const names = new Map<string, string>(rows.users.map((u) => [u.id, u.name]));
  const scopeName = scope.kind === 'org' ? String(rows.org[0]?.name ?? '') : names.get(scope.id!);
  if (scopeName === undefined) throw new AppError('not_found', 'No such manager in your organisation.');

  return {
    kind: 'weekly',
    period,
    scope: { kind: scope.kind, id: scope.id, name: scopeName },
    generatedAt: clock().toISOString(),
    sections: [
      newLeadsBySourceSection(rows.leads, lang),
      newLeadsByManagerSection(rows.leads, names, lang),
      conversionSection(rows.leads, rows.convertedInPeriod[0]?.n ?? 0, lang),
      pipelineSection(rows.pipeline, lang),
      movementsSection(rows.movements, lang),
      wonLostSection(rows.closed, lang),
      wonLostByWeekSection(rows.closedByDay, lang),
      lostReasonsSection(rows.closed, lang),
      competitorsSection(rows.closed, lang),
      // Plan vs actual: quotas of the month and quarter containing the period's end.
      planVsActualSection(rows.quotas, rows.won, plan, lang),
      forecastSection(rows.forecast, plan.quarter, lang),
      activitiesSection(rows.activities, names, lang),
      overdueFollowUpsSection(rows.overdueTasks, names, asOf, lang),
      openCasesSection(rows.openCases, asOf, lang),
      vipNoContactSection(rows.vipCompanies, asOf, lang),
      creditWatchSection(rows.payments, from, to, lang),
    ],
    stats: { rowsRead },
  };
}

/** The Monday that starts the eighth ISO week back from the period's end (its own week included). */
function trendStart(to: string): string {
  const last = weekPeriod(isoWeekOf(new Date(Date.parse(to) - 1)))!;
  return new Date(Date.parse(last.from) - 7 * 7 * DAY).toISOString();
}

const minIso = (a: string, b: string) => (a < b ? a : b);

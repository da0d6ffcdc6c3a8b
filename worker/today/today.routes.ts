import { Hono } from 'hono';
import { OPEN_STAGES, TodayQuery } from '../../shared/schemas';
import { cases } from '../cases/cases.repo';
import { deals } from '../deals/deals.repo';
import type { AppEnv } from '../http/env';
import { AppError, notFound } from '../http/errors';
import { doc } from '../http/openapi';
import { query } from '../http/validate';
import { tasks } from '../tasks/tasks.repo';

doc({
  method: 'get',
  path: '/api/v1/today',
  summary:
    "A manager's day: tasks due today and overdue (each with its client, contact, deal and lead names), open deals without activity for staleDays, open cases (VIP first)",
  tag: 'Today',
  query: TodayQuery,
});

/** Each list of the day shows at most this many; the full lists are one filter away. */
const LIMIT = 100;
const DAY_MS = 86_400_000;

/** Milliseconds the zone is ahead of UTC at an instant (e.g. +3 h for Europe/Sofia in summer). */
function zoneOffsetMs(tz: string, at: number): number {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    })
      .formatToParts(new Date(at))
      .map((p) => [p.type, p.value]),
  );
  const asUtc = Date.UTC(
    Number(parts.year),
    Number(parts.month) - 1,
    Number(parts.day),
    Number(parts.hour),
    Number(parts.minute),
    Number(parts.second),
  );
  return asUtc - Math.floor(at / 1000) * 1000;
}

/** The UTC instant a local date's midnight falls on in a zone (two passes settle DST days). */
function localMidnight(date: string, tz: string): number {
  const naive = Date.parse(date + 'T00:00:00Z');
  const first = naive - zoneOffsetMs(tz, naive);
  return naive - zoneOffsetMs(tz, first);
}

function localDate(tz: string, at: number): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(at));
}

/**
 * A task with the names of what it is for: the client (its own company, else its deal's), the
 * contact, the deal and the lead, so the day's list says whom each follow-up is about.
 */
const TASK_WITH_CLIENT = `SELECT t.*, coalesce(co.name, dco.name) AS client_name, coalesce(t.company_id, d.company_id) AS client_id,
       ct.full_name AS contact_name, d.title AS deal_title, coalesce(l.full_name, l.company_name, l.email) AS lead_name
  FROM tasks t
  LEFT JOIN deals d ON d.id = t.deal_id AND d.org_id = t.org_id AND d.deleted_at IS NULL
  LEFT JOIN companies co ON co.id = t.company_id AND co.org_id = t.org_id AND co.deleted_at IS NULL
  LEFT JOIN companies dco ON dco.id = d.company_id AND dco.org_id = t.org_id AND dco.deleted_at IS NULL
  LEFT JOIN contacts ct ON ct.id = t.contact_id AND ct.org_id = t.org_id AND ct.deleted_at IS NULL
  LEFT JOIN leads l ON l.id = t.lead_id AND l.org_id = t.org_id AND l.deleted_at IS NULL`;

const taskWithClient = (r: Record<string, unknown>) => ({
  ...tasks.toRecord(r),
  clientId: (r.client_id as string | null) ?? null,
  clientName: (r.client_name as string | null) ?? null,
  contactName: (r.contact_name as string | null) ?? null,
  dealTitle: (r.deal_title as string | null) ?? null,
  leadName: (r.lead_name as string | null) ?? null,
});

export const todayRoutes = new Hono<AppEnv>().get('/', query(TodayQuery), async (c) => {
  const p = c.get('principal');
  const db = c.env.DB;
  const q = c.req.valid('query');
  const owner = q.owner === 'me' ? p.userId : q.owner;
  if (owner !== p.userId) {
    if (p.role === 'manager') throw new AppError('forbidden', "Managers see their own day; a head of sales sees anyone's.");
    const user = await db.prepare('SELECT id FROM users WHERE org_id = ?1 AND id = ?2').bind(p.orgId, owner).first();
    if (!user) throw notFound('User');
  }
  const tz = q.tz ?? 'UTC';
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
  } catch {
    throw new AppError('validation_failed', 'The time zone is unknown.', {
      errors: [{ path: '/tz', code: 'invalid_time_zone', message: 'Use an IANA zone such as Europe/Sofia.' }],
    });
  }
  const now = Date.now();
  const date = q.date ?? localDate(tz, now);
  const start = new Date(localMidnight(date, tz)).toISOString();
  const end = new Date(localMidnight(new Date(Date.parse(date + 'T00:00:00Z') + DAY_MS).toISOString().slice(0, 10), tz)).toISOString();
  const staleBefore = new Date(now - q.staleDays * DAY_MS).toISOString();
  const open = OPEN_STAGES.map((s) => `'${s}'`).join(', ');

  const [due, overdue, stale, openCases] = await db.batch<Record<string, unknown>>([
    // tasks_due (org_id, assignee_id, done, due_at); the names by primary key
    db
      .prepare(
        `${TASK_WITH_CLIENT} WHERE t.org_id = ?1 AND t.assignee_id = ?2 AND t.done = 0 AND t.deleted_at IS NULL AND t.due_at >= ?3 AND t.due_at < ?4 ORDER BY t.due_at LIMIT ${LIMIT}`,
      )
      .bind(p.orgId, owner, start, end),
    db
      .prepare(
        `${TASK_WITH_CLIENT} WHERE t.org_id = ?1 AND t.assignee_id = ?2 AND t.done = 0 AND t.deleted_at IS NULL AND t.due_at < ?3 ORDER BY t.due_at LIMIT ${LIMIT}`,
      )
      .bind(p.orgId, owner, start),
    // deals_owner, then activities_deal (org_id, deal_id, occurred_at) for each deal's last activity.
    db
      .prepare(
        `SELECT * FROM (
           SELECT d.*, (SELECT max(a.occurred_at) FROM activities a WHERE a.org_id = d.org_id AND a.deal_id = d.id AND a.deleted_at IS NULL) AS last_activity_at
             FROM deals d WHERE d.org_id = ?1 AND d.owner_id = ?2 AND d.deleted_at IS NULL AND d.stage IN (${open})
         ) WHERE coalesce(last_activity_at, created_at) < ?3
         ORDER BY coalesce(last_activity_at, created_at) LIMIT ${LIMIT}`,
      )
      .bind(p.orgId, owner, staleBefore),
    // cases_owner (org_id, owner_id, priority_rank, id)
    db
      .prepare(
        `SELECT * FROM cases WHERE org_id = ?1 AND owner_id = ?2 AND deleted_at IS NULL AND status IN ('open', 'in_progress') ORDER BY priority_rank DESC, id DESC LIMIT ${LIMIT}`,
      )
      .bind(p.orgId, owner),
  ]);
  return c.json({
    owner,
    date,
    tz,
    dueToday: due!.results.map(taskWithClient),
    overdue: overdue!.results.map(taskWithClient),
    staleDeals: stale!.results.map((r) => {
      const last = (r.last_activity_at as string | null) ?? null;
      return {
        ...deals.toRecord(r),
        lastActivityAt: last,
        daysSinceActivity: Math.floor((now - Date.parse(last ?? (r.created_at as string))) / DAY_MS),
      };
    }),
    openCases: openCases!.results.map((r) => cases.toRecord(r)),
  });
});

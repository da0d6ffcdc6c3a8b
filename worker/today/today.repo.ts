import { OPEN_STAGES } from '../../shared/schemas';
import { cases } from '../cases/cases.repo';
import { deals } from '../deals/deals.repo';
import type { Rec } from '../records/spec';
import { tasks } from '../tasks/tasks.repo';

/** Each list of the day shows at most this many; the full lists are one filter away. */
const LIMIT = 100;

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

/**
 * The owner's day in one batch: open tasks due in [start, end) and before start, open deals
 * without activity since staleBefore (with their last activity), and open cases.
 */
export async function dayOf(db: D1Database, orgId: string, owner: string, window: { start: string; end: string; staleBefore: string }) {
  const open = OPEN_STAGES.map((s) => `'${s}'`).join(', ');
  const [due, overdue, stale, openCases] = await db.batch<Record<string, unknown>>([
    // tasks_due (org_id, assignee_id, done, due_at); the names by primary key
    db
      .prepare(
        `${TASK_WITH_CLIENT} WHERE t.org_id = ?1 AND t.assignee_id = ?2 AND t.done = 0 AND t.deleted_at IS NULL AND t.due_at >= ?3 AND t.due_at < ?4 ORDER BY t.due_at LIMIT ${LIMIT}`,
      )
      .bind(orgId, owner, window.start, window.end),
    db
      .prepare(
        `${TASK_WITH_CLIENT} WHERE t.org_id = ?1 AND t.assignee_id = ?2 AND t.done = 0 AND t.deleted_at IS NULL AND t.due_at < ?3 ORDER BY t.due_at LIMIT ${LIMIT}`,
      )
      .bind(orgId, owner, window.start),
    // deals_owner, then activities_deal (org_id, deal_id, occurred_at) for each deal's last activity.
    db
      .prepare(
        `SELECT * FROM (
           SELECT d.*, (SELECT max(a.occurred_at) FROM activities a WHERE a.org_id = d.org_id AND a.deal_id = d.id AND a.deleted_at IS NULL) AS last_activity_at
             FROM deals d WHERE d.org_id = ?1 AND d.owner_id = ?2 AND d.deleted_at IS NULL AND d.stage IN (${open})
         ) WHERE coalesce(last_activity_at, created_at) < ?3
         ORDER BY coalesce(last_activity_at, created_at) LIMIT ${LIMIT}`,
      )
      .bind(orgId, owner, window.staleBefore),
    // cases_owner (org_id, owner_id, priority_rank, id)
    db
      .prepare(
        `SELECT * FROM cases WHERE org_id = ?1 AND owner_id = ?2 AND deleted_at IS NULL AND status IN ('open', 'in_progress') ORDER BY priority_rank DESC, id DESC LIMIT ${LIMIT}`,
      )
      .bind(orgId, owner),
  ]);
  return {
    dueToday: due!.results.map(taskWithClient),
    overdue: overdue!.results.map(taskWithClient),
    staleDeals: stale!.results.map((r): Rec & { lastActivityAt: string | null } => ({
      ...deals.toRecord(r),
      lastActivityAt: (r.last_activity_at as string | null) ?? null,
    })),
    openCases: openCases!.results.map((r) => cases.toRecord(r)),
  };
}

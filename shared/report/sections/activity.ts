import { section, type Cell, type Lang, type ReportSection } from '../definitions';
import { byText, DAY, daysBetween, nameOf } from './order';

/** Activities of the period by owner and type. */
export interface ActivityCountRow {
  owner_id: string | null;
  type: string;
  n: number;
}

/** A task that is due and not done at the report's instant. */
export interface OverdueTaskRow {
  title: string;
  assignee_id: string | null;
  due_at: string;
}

/** A case open at the period's end. */
export interface OpenCaseRow {
  kind: string;
  subject: string;
  company: string | null;
  priority: string;
  created_at: string;
}

/** A VIP client and its last activity before the period's end (null: none ever). */
export interface VipCompanyRow {
  name: string;
  vip_tier: number;
  last: string | null;
}

/**
 * Emails, calls, meetings and notes by manager, with their total.
 *
 * @example activitiesSection([{ owner_id: 'U1', type: 'call', n: 3 }], new Map([['U1', 'Ана']])).rows // [['Ана', 0, 3, 0, 0, 3]]
 */
export function activitiesSection(rows: ActivityCountRow[], names: ReadonlyMap<string, string>, lang: Lang = 'en'): ReportSection {
  const act = new Map<string | null, Record<string, number>>();
  for (const r of rows) {
    const a = act.get(r.owner_id) ?? { email: 0, call: 0, meeting: 0, note: 0 };
    a[r.type] = (a[r.type] ?? 0) + r.n;
    act.set(r.owner_id, a);
  }
  return section(
    'activities',
    [...act]
      .map(([id, a]) => [nameOf(names, id), a.email!, a.call!, a.meeting!, a.note!, a.email! + a.call! + a.meeting! + a.note!] as Cell[])
      .sort(byText),
    lang,
  );
}

/**
 * Overdue tasks in the order read (earliest due first), with whole days overdue at `asOf`.
 *
 * @example
 * overdueFollowUpsSection([{ title: 'Call', assignee_id: null, due_at: '2026-11-20T09:00:00.000Z' }], new Map(), '2026-11-23T00:00:00.000Z').rows
 * // [['Call', '—', '2026-11-20', 2]]
 */
export function overdueFollowUpsSection(
  rows: OverdueTaskRow[],
  names: ReadonlyMap<string, string>,
  asOf: string,
  lang: Lang = 'en',
): ReportSection {
  return section(
    'overdueFollowUps',
    rows.map((r) => [r.title, nameOf(names, r.assignee_id), String(r.due_at).slice(0, 10), daysBetween(r.due_at, asOf)] as Cell[]),
    lang,
  );
}

/**
 * Open cases in the order read (highest priority first), with their age in whole days at `asOf`.
 *
 * @example
 * openCasesSection([{ kind: 'complaint', subject: 'Late', company: null, priority: 'high', created_at: '2026-11-20T00:00:00.000Z' }], '2026-11-23T00:00:00.000Z').rows
 * // [['complaint', 'Late', null, 'high', 3]]
 */
export function openCasesSection(rows: OpenCaseRow[], asOf: string, lang: Lang = 'en'): ReportSection {
  return section(
    'openCases',
    rows.map((r) => [r.kind, r.subject, r.company ?? null, r.priority, daysBetween(r.created_at, asOf)] as Cell[]),
    lang,
  );
}

/**
 * VIP clients with no activity in the 30 days up to `asOf`, with the day of the last one and the
 * days since (null when there never was one).
 *
 * @example
 * vipNoContactSection([{ name: 'Acme', vip_tier: 2, last: null }], '2026-11-23T00:00:00.000Z').rows // [['Acme', 2, null, null]]
 */
export function vipNoContactSection(rows: VipCompanyRow[], asOf: string, lang: Lang = 'en'): ReportSection {
  const cutoff = new Date(Date.parse(asOf) - 30 * DAY).toISOString();
  return section(
    'vipNoContact',
    rows
      .filter((r) => !r.last || r.last < cutoff)
      .map((r) => [r.name, r.vip_tier, r.last ? String(r.last).slice(0, 10) : null, r.last ? daysBetween(r.last, asOf) : null] as Cell[])
      .sort(byText),
    lang,
  );
}

import { nameKey, normalizeEmail, toE164 } from '../../shared/identity';
import { auditStatement } from '../lib/audit';
import { assertStatement } from '../lib/batch-assert';
import { deleteKeysStatement } from '../records/identity-keys';
import type { Rec } from '../records/spec';
import type { Principal } from '../http/env';

/** What an erased record shows in place of a name; the row itself stays, so deals and reports keep their links. */
export const ERASED_NAME = 'Erased person';
export const ERASED_SUBJECT = '[erased]';

type Row = Record<string, unknown>;

/** Ids of `table`'s rows of contact ?2 or of one of the leads in ?3 (a JSON array): one index probe each way. */
const ofPerson = (table: string) =>
  `SELECT id FROM ${table} WHERE org_id = ?1 AND contact_id = ?2
   UNION SELECT id FROM ${table} WHERE org_id = ?1 AND lead_id IN (SELECT value FROM json_each(?3))`;

/**
 * A person's rows across tables: ?1 the organisation, ?2 the contact, ?3 its leads' ids as a JSON
 * array. Each is looked up by index; an OR of the contact and the leads made SQLite walk the whole
 * organisation's rows (migrations 0013 and 0014 add the indexes).
 */
export const PERSON_SQL = {
  activities: `SELECT * FROM activities WHERE id IN (${ofPerson('activities')}) AND deleted_at IS NULL ORDER BY occurred_at`,
  tasks: `SELECT * FROM tasks WHERE id IN (${ofPerson('tasks')}) AND deleted_at IS NULL ORDER BY id`,
  cases: `SELECT * FROM cases WHERE org_id = ?1 AND contact_id = ?2 AND deleted_at IS NULL ORDER BY id`,
  audit: `SELECT id, user_id, action, entity, entity_id, details, at FROM audit_log WHERE id IN (
            SELECT id FROM audit_log WHERE org_id = ?1 AND entity = 'contact' AND entity_id = ?2
            UNION ALL
            SELECT id FROM audit_log WHERE org_id = ?1 AND entity = 'lead' AND entity_id IN (SELECT value FROM json_each(?3)))
          ORDER BY at, id`,
  /** Every row that names the person, deleted ones too: what the erase reaches. */
  traces: `SELECT 'activity' AS entity, id FROM activities WHERE id IN (${ofPerson('activities')})
           UNION ALL SELECT 'task', id FROM tasks WHERE id IN (${ofPerson('tasks')})
           UNION ALL SELECT 'case', id FROM cases WHERE org_id = ?1 AND contact_id = ?2
           UNION ALL SELECT 'deal', id FROM deals WHERE id IN (${ofPerson('deals')})`,
  /**
   * The leads ?3 (deleted ones too), ?4 the new name, ?5 the time. `+org_id` keeps SQLite from
   * walking the organisation's leads by an org_id index instead of probing the ids.
   */
  eraseLeads: `UPDATE leads SET full_name = ?4, first_name = NULL, last_name = NULL, email = NULL, email_norm = NULL, phone = NULL, phone_e164 = NULL,
                      title = NULL, address = NULL, notes = NULL, needs = NULL, name_key = '', person_key = NULL, version = version + 1, updated_at = ?5
                WHERE id IN (SELECT value FROM json_each(?3)) AND +org_id = ?1`,
  /** Deleted activities too: the erase leaves no personal data behind. ?4 the new subject, ?5 the time. */
  eraseActivities: `UPDATE activities SET subject = ?4, excerpt = NULL, name_key = '', version = version + 1, updated_at = ?5
                     WHERE id IN (${ofPerson('activities')})`,
  /** The person's follow-ups keep their dates and links; their text is about the person and goes. */
  eraseTasks: `UPDATE tasks SET title = ?4, notes = NULL, name_key = '', version = version + 1, updated_at = ?5
                WHERE id IN (${ofPerson('tasks')})`,
  /** The person's complaints and proposals keep status and response times (the reports use them), not their text. */
  eraseCases: `UPDATE cases SET subject = ?4, description = NULL, name_key = '', version = version + 1, updated_at = ?5
                WHERE org_id = ?1 AND contact_id = ?2`,
};

/** The live leads among ids (a JSON array). */
export const liveLeads = (db: D1Database, orgId: string, idsJson: string): Promise<Row[]> =>
  rows(db, `SELECT * FROM leads WHERE org_id = ?1 AND id IN (SELECT value FROM json_each(?2)) AND deleted_at IS NULL`, orgId, idsJson);

/**
 * The ids of leads sharing an email or phone with the contact: one probe of the leads' index a key.
 * The erase asks for deleted leads too (`withDeleted`), so that none keeps the person's data.
 */
export async function matchingLeadIds(db: D1Database, orgId: string, contactId: string, withDeleted = false): Promise<string[]> {
  const states = withDeleted ? ['l.deleted_at IS NULL', 'l.deleted_at IS NOT NULL'] : ['l.deleted_at IS NULL'];
  const probes = states.flatMap((state) =>
    (['email_norm', 'phone_e164'] as const).map(
      (col) =>
        `SELECT l.id FROM identity_keys c CROSS JOIN leads l ON l.org_id = c.org_id AND l.${col} = c.value AND ${state}
          WHERE c.org_id = ?1 AND c.entity = 'contact' AND c.entity_id = ?2 AND c.kind = '${col === 'email_norm' ? 'email' : 'phone'}'`,
    ),
  );
  const { results } = await db.prepare(probes.join(' UNION ')).bind(orgId, contactId).all<{ id: string }>();
  return results.map((r) => r.id);
}

export async function rows(db: D1Database, sql: string, ...params: unknown[]): Promise<Row[]> {
  return (
    await db
      .prepare(sql)
      .bind(...params)
      .all<Row>()
  ).results;
}

/** Needles shorter than this would erase unrelated text (an initial, a two-digit extension). */
const MIN_NEEDLE = 5;
/** D1 binds at most 100 parameters a statement; the erase's statements keep ten for themselves. */
const MAX_NEEDLES = 40;

/**
 * The strings that name the person, as they may be written in free text: names, e-mail addresses
 * (as written and lower-cased) and phone numbers (as written, without spaces, in E.164 with and
 * without "+", and in the national form with its leading 0).
 *
 * @example personNeedles([{ fullName: 'Мария Иванова', email: 'Maria@acme.bg', phone: '0888 123 456' }])
 *   // ['Мария Иванова', 'Maria@acme.bg', 'maria@acme.bg', '0888 123 456', '0888123456', '+359888123456', '359888123456']
 */
export function personNeedles(people: { fullName?: unknown; names?: unknown[]; emails?: unknown[]; phones?: unknown[] }[]): string[] {
  const out = new Set<string>();
  const add = (v: unknown) => {
    if (typeof v === 'string' && v.trim().length >= MIN_NEEDLE) out.add(v.trim());
  };
  for (const person of people) {
    add(person.fullName);
    for (const n of person.names ?? []) add(n);
    for (const e of person.emails ?? []) {
      add(e);
      add(typeof e === 'string' ? normalizeEmail(e) : null);
    }
    for (const ph of person.phones ?? []) {
      if (typeof ph !== 'string') continue;
      add(ph);
      add(ph.replace(/[\s().-]/g, ''));
      const e164 = toE164(ph);
      if (!e164) continue;
      add(e164);
      add(e164.slice(1));
      // The national form: Bulgarian and most European numbers drop the country code for a 0.
      if (e164.startsWith('+359')) add('0' + e164.slice(4));
    }
  }
  // Longest first, so a full name is replaced before a part of it.
  return [...out].sort((a, b) => b.length - a.length).slice(0, MAX_NEEDLES);
}

/** SQL that replaces every needle (bound from ?first on) in `col` with the erased marker. */
function redacted(col: string, first: number, count: number): string {
  let sql = col;
  for (let i = 0; i < count; i++) sql = `replace(${sql}, ?${first + i}, '${ERASED_SUBJECT}')`;
  return sql;
}

/** A condition that holds when `col` holds one of the needles. */
function mentions(col: string, first: number, count: number): string {
  if (!count) return '0';
  return `(${Array.from({ length: count }, (_, i) => `instr(${col}, ?${first + i}) > 0`).join(' OR ')})`;
}

export interface PersonTraces {
  leadIds: string[];
  /** Ids by entity of the rows linked to the person: activity, task, case, deal. */
  linked: Record<'activity' | 'task' | 'case' | 'deal', string[]>;
  needles: string[];
  /** The person's deals whose text names them, as they will read after the erase (with the version read). */
  deals: { id: string; version: number; title: string; nextStep: string | null; lostReason: string | null }[];
}

/** Text with every needle (any case) replaced by the erased marker. */
export function redactText<T extends string | null>(text: T, needles: string[]): T {
  if (!text) return text;
  let out: string = text;
  for (const n of needles) {
    const at = out.toLowerCase().indexOf(n.toLowerCase());
    if (at < 0) continue;
    out = out.replace(new RegExp(n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'giu'), ERASED_SUBJECT);
  }
  return out as T;
}

/** Everything the erase of a contact reaches, read before its batch. */
export async function personTraces(db: D1Database, orgId: string, contact: Rec): Promise<PersonTraces> {
  const leadIds = await matchingLeadIds(db, orgId, contact.id, true);
  const ids = JSON.stringify(leadIds);
  const [traces, leadRows] = await Promise.all([
    rows(db, PERSON_SQL.traces, orgId, contact.id, ids),
    rows(
      db,
      `SELECT full_name, first_name, last_name, email, phone FROM leads WHERE id IN (SELECT value FROM json_each(?2)) AND +org_id = ?1`,
      orgId,
      ids,
    ),
  ]);
  const linked: PersonTraces['linked'] = { activity: [], task: [], case: [], deal: [] };
  for (const t of traces) linked[t.entity as keyof typeof linked].push(t.id as string);
  const fullName = (first: unknown, last: unknown) => [first, last].filter((x) => typeof x === 'string' && x).join(' ');
  const needles = personNeedles([
    {
      fullName: contact.fullName,
      names: [fullName(contact.firstName, contact.lastName), fullName(contact.lastName, contact.firstName)],
      emails: (contact.emails as unknown[]) ?? [],
      phones: (contact.phones as unknown[]) ?? [],
    },
    ...leadRows.map((l) => ({
      fullName: l.full_name,
      names: [fullName(l.first_name, l.last_name)],
      emails: [l.email],
      phones: [l.phone],
    })),
  ]);
  const dealRows = linked.deal.length
    ? await rows(
        db,
        'SELECT id, version, title, next_step, lost_reason FROM deals WHERE id IN (SELECT value FROM json_each(?2)) AND +org_id = ?1',
        orgId,
        JSON.stringify(linked.deal),
      )
    : [];
  const deals = dealRows
    .map((d) => ({
      id: d.id as string,
      version: d.version as number,
      title: redactText(d.title as string, needles),
      nextStep: redactText(d.next_step as string | null, needles),
      lostReason: redactText(d.lost_reason as string | null, needles),
      changed:
        d.title !== redactText(d.title as string, needles) ||
        d.next_step !== redactText(d.next_step as string | null, needles) ||
        d.lost_reason !== redactText(d.lost_reason as string | null, needles),
    }))
    .filter((d) => d.changed)
    .map(({ changed: _, ...d }) => d);
  return { leadIds, linked, needles, deals };
}

/**
 * The erase of one person as one batch (one transaction), led by an assertion that the contact is
 * still at `version`:
 * - the contact and its leads lose every personal field, and the contact its identity keys;
 * - the person's activities, follow-ups and cases keep their dates, links and statuses, not their text;
 * - the deals made for them keep their figures; their name, e-mail and phone are cut from their
 *   text (read first: a deal changed meanwhile fails the batch, to be retried);
 * - audit entries of the person's records keep which fields changed, not the values; other
 *   entries of their deals lose the person's name, e-mail and phone;
 * - refused import rows (which quote their cells) and stored answers to retried requests (kept a
 *   day) lose them too: those are found by searching the organisation's rows of those two tables;
 * - the erase itself is audited with counts only.
 */
export function eraseStatements(
  db: D1Database,
  p: Principal,
  contact: Rec,
  version: number,
  t: PersonTraces,
  now: string,
): D1PreparedStatement[] {
  const o = p.orgId;
  const ids = JSON.stringify(t.leadIds);
  const n = t.needles.length;
  const personEntities = JSON.stringify([
    ['contact', contact.id],
    ...t.leadIds.map((id) => ['lead', id]),
    ...t.linked.activity.map((id) => ['activity', id]),
    ...t.linked.task.map((id) => ['task', id]),
    ...t.linked.case.map((id) => ['case', id]),
  ]);
  const deals = JSON.stringify(t.linked.deal);
  const needleStatements = n
    ? [
        db
          .prepare(
            `UPDATE audit_log SET details = ${redacted('details', 3, n)}
              WHERE id IN (SELECT a.id FROM json_each(?2) j JOIN audit_log a ON a.org_id = ?1 AND a.entity = 'deal' AND a.entity_id = j.value)
                AND ${mentions('details', 3, n)}`,
          )
          .bind(o, deals, ...t.needles),
        // Only chunks with refused rows quote cells.
        db
          .prepare(
            `UPDATE import_chunks SET results = ${redacted('results', 2, n)} WHERE org_id = ?1 AND error_count > 0 AND ${mentions('results', 2, n)}`,
          )
          .bind(o, ...t.needles),
        db
          .prepare(
            `UPDATE idempotency_keys SET response = ${redacted('response', 2, n)} WHERE org_id = ?1 AND ${mentions('response', 2, n)}`,
          )
          .bind(o, ...t.needles),
      ]
    : [];
  return [
    assertStatement(db, 'EXISTS (SELECT 1 FROM contacts WHERE org_id = ?1 AND id = ?2 AND version = ?3 AND deleted_at IS NULL)', [
      o,
      contact.id,
      version,
    ]),
    db
      .prepare(
        `UPDATE contacts SET first_name = NULL, middle_name = NULL, last_name = NULL, full_name = ?4, title = NULL, emails = '[]', phones = '[]',
                email_norm = NULL, phone_e164 = NULL, notes = NULL, name_key = '', version = version + 1, updated_at = ?3
          WHERE org_id = ?1 AND id = ?2`,
      )
      .bind(o, contact.id, now, ERASED_NAME),
    db.prepare(PERSON_SQL.eraseLeads).bind(o, contact.id, ids, ERASED_NAME, now),
    deleteKeysStatement(db, o, 'contact', contact.id),
    db.prepare(PERSON_SQL.eraseActivities).bind(o, contact.id, ids, ERASED_SUBJECT, now),
    db.prepare(PERSON_SQL.eraseTasks).bind(o, contact.id, ids, ERASED_SUBJECT, now),
    db.prepare(PERSON_SQL.eraseCases).bind(o, contact.id, ids, ERASED_SUBJECT, now),
    // The deals made for the person keep their figures; their text loses the person (read above, at these versions).
    ...(t.deals.length
      ? [
          assertStatement(
            db,
            'NOT EXISTS (SELECT 1 FROM json_each(?2) j JOIN deals d ON d.id = j.value ->> 0 WHERE d.org_id = ?1 AND d.version != j.value ->> 1)',
            [o, JSON.stringify(t.deals.map((d) => [d.id, d.version]))],
          ),
          db
            .prepare(
              `UPDATE deals SET title = (SELECT r.value ->> 1 FROM json_each(?2) r WHERE r.value ->> 0 = deals.id),
                      next_step = (SELECT r.value ->> 2 FROM json_each(?2) r WHERE r.value ->> 0 = deals.id),
                      lost_reason = (SELECT r.value ->> 3 FROM json_each(?2) r WHERE r.value ->> 0 = deals.id),
                      name_key = (SELECT r.value ->> 4 FROM json_each(?2) r WHERE r.value ->> 0 = deals.id),
                      version = version + 1, updated_at = ?3
                WHERE id IN (SELECT value ->> 0 FROM json_each(?2)) AND +org_id = ?1`,
            )
            .bind(o, JSON.stringify(t.deals.map((d) => [d.id, d.title, d.nextStep, d.lostReason, nameKey(d.title)])), now),
        ]
      : []),
    ...needleStatements,
    // The person's own audit entries: which fields changed stays, the values go.
    db
      .prepare(
        `UPDATE audit_log SET details = CASE
            WHEN json_valid(details) AND json_type(details, '$.changes') = 'object'
              THEN json_object('erased', json('true'), 'fields', (SELECT json_group_array(key) FROM json_each(audit_log.details, '$.changes')))
            ELSE json_object('erased', json('true')) END
          WHERE details IS NOT NULL
            AND id IN (SELECT a.id FROM json_each(?2) j JOIN audit_log a ON a.org_id = ?1 AND a.entity = j.value ->> 0 AND a.entity_id = j.value ->> 1)`,
      )
      .bind(o, personEntities),
    auditStatement(db, p, 'erase', 'contact', contact.id, {
      leads: t.leadIds.length,
      activities: t.linked.activity.length,
      tasks: t.linked.task.length,
      cases: t.linked.case.length,
      deals: t.linked.deal.length,
    }),
  ];
}

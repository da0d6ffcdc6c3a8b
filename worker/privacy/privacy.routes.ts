import { Hono } from 'hono';
import { z } from 'zod';
import { escapeCell } from '../../shared/sheet/escape';
import { contacts } from '../contacts/contacts.repo';
import { companies } from '../companies/companies.repo';
import { leads } from '../leads/leads.repo';
import { auditStatement } from '../lib/audit';
import { requireRole } from '../lib/auth';
import { assertStatement, isAssertFailure } from '../lib/batch-assert';
import type { AppEnv } from '../lib/env';
import { AppError, notFound } from '../lib/errors';
import { nowIso } from '../lib/ids';
import { doc } from '../lib/openapi';
import { query } from '../lib/validate';
import { etag, requireIfMatch } from '../lib/versioning';

export const ExportQuery = z.strictObject({ format: z.enum(['json', 'csv']).default('json') });

doc(
  {
    method: 'get',
    path: '/api/v1/contacts/:id/export',
    summary:
      'Everything held about one person (data subject access): the contact, its company, leads with the same email or phone, activities, tasks, cases and audit entries; json or csv',
    tag: 'Privacy',
    query: ExportQuery,
  },
  {
    method: 'post',
    path: '/api/v1/contacts/:id/erase',
    summary:
      "Erase a person's personal data (right to erasure): the contact's and matching leads' (deleted ones too) personal fields and identity keys (a lead's are its columns); activities anonymised, links kept",
    tag: 'Privacy',
    roles: ['head', 'admin'],
    ifMatch: true,
  },
);

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
 * organisation's rows (migration 0013 adds the indexes).
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
};

/**
 * The ids of leads sharing an email or phone with the contact: one probe of the leads' index a key.
 * The erase asks for deleted leads too (`withDeleted`), so that none keeps the person's data.
 */
async function matchingLeadIds(db: D1Database, orgId: string, contactId: string, withDeleted = false): Promise<string[]> {
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

async function rows(db: D1Database, sql: string, ...params: unknown[]): Promise<Row[]> {
  return (
    await db
      .prepare(sql)
      .bind(...params)
      .all<Row>()
  ).results;
}

/** Snake-case DB rows to the API's camelCase, JSON columns parsed. */
function camel(row: Row): Row {
  const out: Row = {};
  for (const [k, v] of Object.entries(row)) {
    if (k === 'org_id' || k === 'name_key' || k === 'person_key') continue;
    const key = k.replace(/_([a-z])/g, (_, ch: string) => ch.toUpperCase());
    out[key] = k === 'details' && typeof v === 'string' ? safeJson(v) : v;
  }
  return out;
}

function safeJson(s: string): unknown {
  try {
    return JSON.parse(s);
  } catch {
    return s;
  }
}

const csvCell = (v: unknown): string => {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  const s = escapeCell(typeof v === 'string' ? v : JSON.stringify(v));
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

/** The export as long-format CSV (section, id, field, value): one line per field, formula-escaped, BOM for Excel. */
export function exportToCsv(data: Record<string, Row | Row[] | null>): string {
  const lines = ['section,id,field,value'];
  for (const [section, value] of Object.entries(data)) {
    const list = value === null ? [] : Array.isArray(value) ? value : [value];
    for (const rec of list)
      for (const [field, v] of Object.entries(rec)) if (field !== 'id') lines.push([section, rec.id, field, v].map(csvCell).join(','));
  }
  return '\uFEFF' + lines.join('\r\n') + '\r\n';
}

/** Routes under /contacts/:id. */
export const privacyRoutes = new Hono<AppEnv>()
  .get('/:id/export', query(ExportQuery), async (c) => {
    const p = c.get('principal');
    const db = c.env.DB;
    const id = c.req.param('id');
    const contact = await contacts.get(db, p.orgId, id);
    if (!contact) throw notFound('Contact');
    const leadIds = await matchingLeadIds(db, p.orgId, id);
    const ids = JSON.stringify(leadIds);
    const company = typeof contact.companyId === 'string' ? await companies.get(db, p.orgId, contact.companyId) : null;
    const leadRecs = (
      await rows(
        db,
        `SELECT * FROM leads WHERE org_id = ?1 AND id IN (SELECT value FROM json_each(?2)) AND deleted_at IS NULL`,
        p.orgId,
        ids,
      )
    ).map((r) => leads.toRecord(r));
    const data = {
      contact: contact as Row,
      company: company as Row | null,
      leads: leadRecs as Row[],
      activities: (await rows(db, PERSON_SQL.activities, p.orgId, id, ids)).map(camel),
      tasks: (await rows(db, PERSON_SQL.tasks, p.orgId, id, ids)).map(camel),
      cases: (await rows(db, PERSON_SQL.cases, p.orgId, id)).map(camel),
      audit: (await rows(db, PERSON_SQL.audit, p.orgId, id, ids)).map(camel),
    };
    const format = c.req.valid('query').format;
    // The export is itself audited: who took a copy of this person's data, and when (no data in the entry).
    await auditStatement(db, p, 'export', 'contact', id, { kind: 'personal-data', format, leads: leadIds.length }).run();
    if (format === 'csv')
      return c.body(exportToCsv(data), 200, {
        'content-type': 'text/csv; charset=utf-8',
        'content-disposition': `attachment; filename="leadpane-contact-${id}.csv"`,
      });
    return c.json({ exportedAt: nowIso(), ...data });
  })
  .post('/:id/erase', requireRole('head', 'admin'), async (c) => {
    const p = c.get('principal');
    const db = c.env.DB;
    const id = c.req.param('id');
    const contact = await contacts.get(db, p.orgId, id);
    if (!contact) throw notFound('Contact');
    const version = requireIfMatch(c);
    if (version !== contact.version)
      throw new AppError('precondition_failed', 'The contact changed since you read it; read it again and retry.', { current: contact });
    const leadIds = JSON.stringify(await matchingLeadIds(db, p.orgId, id, true));
    const now = nowIso();
    const o = p.orgId;
    // One batch, one transaction: the first statement aborts it unless the version is still ours.
    try {
      await db.batch([
        assertStatement(db, 'EXISTS (SELECT 1 FROM contacts WHERE org_id = ?1 AND id = ?2 AND version = ?3 AND deleted_at IS NULL)', [
          o,
          id,
          version,
        ]),
        db
          .prepare(
            `UPDATE contacts SET first_name = NULL, middle_name = NULL, last_name = NULL, full_name = ?4, title = NULL, emails = '[]', phones = '[]',
                    email_norm = NULL, phone_e164 = NULL, notes = NULL, name_key = '', version = version + 1, updated_at = ?3
              WHERE org_id = ?1 AND id = ?2`,
          )
          .bind(o, id, now, ERASED_NAME),
        db.prepare(PERSON_SQL.eraseLeads).bind(o, id, leadIds, ERASED_NAME, now),
        db.prepare(`DELETE FROM identity_keys WHERE org_id = ?1 AND entity = 'contact' AND entity_id = ?2`).bind(o, id),
        db.prepare(PERSON_SQL.eraseActivities).bind(o, id, leadIds, ERASED_SUBJECT, now),
        auditStatement(db, p, 'erase', 'contact', id, { leads: JSON.parse(leadIds).length }),
      ]);
    } catch (err) {
      if (isAssertFailure(err))
        throw new AppError('precondition_failed', 'The contact changed while it was being erased; read it again and retry.');
      throw err;
    }
    const after = await contacts.get(db, o, id);
    c.header('etag', etag(after!.version));
    return c.json(after);
  });

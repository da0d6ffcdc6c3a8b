import { Hono } from 'hono';
import { z } from 'zod';
import { csvField } from '../../shared/sheet/csv';
import { contacts } from '../contacts/contacts.repo';
import { companies } from '../companies/companies.repo';
import { leads } from '../leads/leads.repo';
import { auditStatement } from '../lib/audit';
import { requireRole } from '../auth/auth';
import { isAssertFailure } from '../lib/batch-assert';
import type { AppEnv } from '../http/env';
import { AppError, notFound } from '../http/errors';
import { nowIso } from '../lib/ids';
import { doc } from '../http/openapi';
import { query } from '../http/validate';
import { etag, requireIfMatch } from '../http/versioning';
import { eraseStatements, liveLeads, matchingLeadIds, PERSON_SQL, personTraces, rows } from './privacy.repo';

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

type Row = Record<string, unknown>;

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

// Nested values (a JSON column read back as an object) are written as their JSON text.
const csvCell = (v: unknown): string =>
  csvField(
    v === null || v === undefined || typeof v === 'number' || typeof v === 'boolean' || typeof v === 'string' ? v : JSON.stringify(v),
  );

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
    const leadRecs = (await liveLeads(db, p.orgId, ids)).map((r) => leads.toRecord(r));
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
    const traces = await personTraces(db, p.orgId, contact);
    try {
      await db.batch(eraseStatements(db, p, contact, version, traces, nowIso()));
    } catch (err) {
      if (isAssertFailure(err))
        throw new AppError('precondition_failed', 'The contact changed while it was being erased; read it again and retry.');
      throw err;
    }
    const after = await contacts.get(db, p.orgId, id);
    c.header('etag', etag(after!.version));
    return c.json(after);
  });

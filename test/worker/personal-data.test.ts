import { env } from 'cloudflare:workers';
import { afterAll, describe, expect, it } from 'vitest';
import { app } from '../../worker/app';
import { PERSON_SQL } from '../../worker/privacy/privacy.repo';
import { newCounts, printCounts } from '../probes/counts';
import { makeCaller } from './probes/http';
import { makeOrg } from './harness';

void app;
const send = makeCaller(app, { ...env, RATE_LIMIT_PER_MIN: '0' });
const counts = newCounts();
afterAll(() => printCounts('worker/personal-data', counts));

async function person() {
  const org = await makeOrg('Privacy');
  const t = org.head.token;
  const company = (await send('POST', '/api/v1/companies', { token: t, body: { name: 'Acme AD' } })).json;
  const contact = (
    await send('POST', '/api/v1/contacts', {
      token: t,
      body: { fullName: 'Maria Ivanova', emails: ['maria@acme.bg'], phones: ['0888 111 222'], companyId: company.id, notes: 'likes tea' },
    })
  ).json;
  const lead = (await send('POST', '/api/v1/leads', { token: t, body: { source: 'email', fullName: 'Maria I.', email: 'Maria@Acme.bg' } }))
    .json;
  const other = (
    await send('POST', '/api/v1/leads', { token: t, body: { source: 'email', fullName: 'Someone Else', email: 'else@acme.bg' } })
  ).json;
  const activity = (
    await send('POST', '/api/v1/activities', {
      token: t,
      body: { type: 'email', subject: 'Maria asks for a quote', contactId: contact.id, companyId: company.id },
    })
  ).json;
  const task = (await send('POST', '/api/v1/tasks', { token: t, body: { title: 'Call Maria back', contactId: contact.id } })).json;
  const kase = (
    await send('POST', '/api/v1/cases', { token: t, body: { kind: 'complaint', subject: 'Late delivery', contactId: contact.id } })
  ).json;
  counts.requests += 7;
  return { org, company, contact, lead, other, activity, task, kase };
}

describe('personal data export', () => {
  it('GET /contacts/:id/export answers everything about the person and audits it', async () => {
    const p = await person();
    const res = await send('GET', `/api/v1/contacts/${p.contact.id}/export`, { token: p.org.manager.token });
    counts.requests++;
    expect(res.status, res.text).toBe(200);
    expect(res.json.contact.id).toBe(p.contact.id);
    expect(res.json.company.id).toBe(p.company.id);
    expect(res.json.leads.map((l: { id: string }) => l.id)).toEqual([p.lead.id]);
    expect(res.json.activities.map((a: { id: string }) => a.id)).toEqual([p.activity.id]);
    expect(res.json.tasks.map((a: { id: string }) => a.id)).toEqual([p.task.id]);
    expect(res.json.cases.map((a: { id: string }) => a.id)).toEqual([p.kase.id]);
    expect(res.json.audit.length).toBeGreaterThan(0);
    const audit = await env.DB.prepare(
      `SELECT count(*) AS n FROM audit_log WHERE org_id = ?1 AND action = 'export' AND entity = 'contact' AND entity_id = ?2`,
    )
      .bind(p.org.orgId, p.contact.id)
      .first<{ n: number }>();
    expect(audit!.n).toBe(1);
    const csv = await send('GET', `/api/v1/contacts/${p.contact.id}/export?format=csv`, { token: p.org.manager.token });
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(csv.text).toContain('maria@acme.bg');
    expect(csv.text.split('\r\n')[0]).toBe('\uFEFFsection,id,field,value');
  });

  it('another organisation gets 404 and nothing of the person', async () => {
    const p = await person();
    const stranger = await makeOrg('Stranger');
    const res = await send('GET', `/api/v1/contacts/${p.contact.id}/export?format=csv`, { token: stranger.head.token });
    const erase = await send('POST', `/api/v1/contacts/${p.contact.id}/erase`, {
      token: stranger.head.token,
      headers: { 'if-match': '"1"' },
    });
    counts.requests += 2;
    expect(res.status).toBe(404);
    expect(erase.status).toBe(404);
    const leaked = [res.text, erase.text].some((t) => t.includes('maria') || t.includes('Maria'));
    if (leaked) counts.cross_org_leaks++;
    expect(leaked).toBe(false);
  });
});

describe('personal data erasure', () => {
  it('POST /contacts/:id/erase needs head, If-Match, and erases the person across contacts, leads, keys and activities in one go', async () => {
    const p = await person();
    // A lead with the person's phone, since deleted: its data is still held, so it is erased too.
    const gone = (
      await send('POST', '/api/v1/leads', {
        token: p.org.head.token,
        body: { source: 'call', fullName: 'M. Ivanova', phone: '+359888111222' },
      })
    ).json;
    expect((await send('DELETE', `/api/v1/leads/${gone.id}`, { token: p.org.head.token, headers: { 'if-match': '"1"' } })).status).toBe(
      204,
    );
    const url = `/api/v1/contacts/${p.contact.id}/erase`;
    expect((await send('POST', url, { token: p.org.manager.token, headers: { 'if-match': '"1"' } })).status).toBe(403);
    expect((await send('POST', url, { token: p.org.head.token })).status).toBe(428);
    expect((await send('POST', url, { token: p.org.head.token, headers: { 'if-match': '"7"' } })).status).toBe(412);
    const res = await send('POST', url, { token: p.org.head.token, headers: { 'if-match': '"1"' } });
    counts.requests += 4;
    expect(res.status, res.text).toBe(200);
    expect(res.headers.get('etag')).toBe('"2"');
    const db = env.DB;
    const contact = await db.prepare('SELECT * FROM contacts WHERE id = ?1').bind(p.contact.id).first<Record<string, unknown>>();
    expect(contact).toMatchObject({
      full_name: 'Erased person',
      emails: '[]',
      phones: '[]',
      email_norm: null,
      phone_e164: null,
      notes: null,
      company_id: p.company.id,
    });
    const lead = await db.prepare('SELECT * FROM leads WHERE id = ?1').bind(p.lead.id).first<Record<string, unknown>>();
    expect(lead).toMatchObject({ email: null, email_norm: null, phone_e164: null, person_key: null, full_name: 'Erased person' });
    const deleted = await db.prepare('SELECT * FROM leads WHERE id = ?1').bind(gone.id).first<Record<string, unknown>>();
    expect(deleted).toMatchObject({ phone: null, phone_e164: null, full_name: 'Erased person' });
    expect(deleted!.deleted_at).not.toBeNull();
    const other = await db.prepare('SELECT email FROM leads WHERE id = ?1').bind(p.other.id).first<{ email: string }>();
    expect(other!.email).toBe('else@acme.bg');
    const keys = await db
      .prepare(`SELECT count(*) AS n FROM identity_keys WHERE org_id = ?1 AND entity_id IN (?2, ?3)`)
      .bind(p.org.orgId, p.contact.id, p.lead.id)
      .first<{ n: number }>();
    expect(keys!.n).toBe(0);
    const activity = await db
      .prepare('SELECT subject, excerpt, contact_id, company_id FROM activities WHERE id = ?1')
      .bind(p.activity.id)
      .first<Record<string, unknown>>();
    expect(activity).toEqual({ subject: '[erased]', excerpt: null, contact_id: p.contact.id, company_id: p.company.id });
    const audit = await db
      .prepare(`SELECT details FROM audit_log WHERE org_id = ?1 AND action = 'erase' AND entity_id = ?2`)
      .bind(p.org.orgId, p.contact.id)
      .first<{ details: string }>();
    expect(JSON.parse(audit!.details)).toEqual({ leads: 2, activities: 1, tasks: 1, cases: 1, deals: 0 });
    // Nothing findable any more by the person's email.
    const match = await send('GET', '/api/v1/match?email=maria@acme.bg', { token: p.org.head.token });
    expect(match.text).not.toContain(p.contact.id);
    expect(match.text).not.toContain(p.lead.id);
  });
});

describe("a person's rows", () => {
  it('are found through indexes on the contact and its leads, never by walking the organisation', async () => {
    for (const [name, sql] of Object.entries(PERSON_SQL)) {
      const params = name.startsWith('erase')
        ? ['o', 'c', '["l1","l2"]', 'x', 'now']
        : ['o', 'c', '["l1","l2"]'].slice(0, name === 'cases' ? 2 : 3);
      const { results } = await env.DB.prepare(`EXPLAIN QUERY PLAN ${sql}`)
        .bind(...params)
        .all<{ detail: string }>();
      const plan = results.map((r) => r.detail).join(' | ');
      // A search on the organisation alone reads every one of its rows in that table.
      expect(plan, name).not.toMatch(/USING (COVERING )?INDEX \w+ \(org_id=\?\)/);
      expect(plan, name).not.toMatch(/SCAN (activities|tasks|cases|audit_log)\b/);
      expect(plan, name).toMatch(/\((org_id=\? AND (contact_id|entity)=\?|id=\?)/);
      expect(plan, name).not.toMatch(/SCAN leads\b/);
    }
  });
});

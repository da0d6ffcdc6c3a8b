import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { LEAD_KEY_HITS } from '../../worker/imports/identity-lookup';
import { MATCH_SQL } from '../../worker/match/match.repo';
import { build, call, countRows, makeOrg, type Member } from './harness';

async function lead(who: Member, o: Record<string, unknown>) {
  const res = await call(who, 'POST', '/api/v1/leads', { body: build.lead(o) });
  expect(res.status).toBe(201);
  return res.json;
}

describe('lead conversion', () => {
  it('creates company, contact, deal and activity in one go when nothing matches', async () => {
    const org = await makeOrg();
    const l = await lead(org.manager, {
      fullName: 'Иван Петров',
      email: 'ivan@acme.bg',
      phone: '0888 123 456',
      companyName: 'Акме ООД',
      eik: '831642181',
      interest: 'CRM',
    });
    const res = await call(org.manager, 'POST', `/api/v1/leads/${l.id}/convert`, { body: { amountMinor: 500000 } });
    expect(res.status).toBe(201);
    expect(res.json.reused).toEqual({ company: null, contact: null });
    expect(res.json.company).toMatchObject({ name: 'Акме ООД', eik: '831642181' });
    expect(res.json.contact).toMatchObject({ fullName: 'Иван Петров', companyId: res.json.company.id });
    expect(res.json.deal).toMatchObject({
      companyId: res.json.company.id,
      contactId: res.json.contact.id,
      amountMinor: 500000,
      stage: 'qualified',
      leadId: l.id,
    });
    expect(res.json.lead).toMatchObject({ status: 'converted', version: 2, convertedDealId: res.json.deal.id });
    for (const t of ['companies', 'contacts', 'deals', 'activities']) expect(await countRows(t, org.orgId)).toBe(1);
    const stored = await call(org.manager, 'GET', `/api/v1/leads/${l.id}`);
    expect(stored.json.status).toBe('converted');
  });

  it.each([
    ['EIK', { companyName: 'Other name', eik: '831642181' }, 'eik'],
    ['VAT', { companyName: 'Other name', vat: 'BG175074752' }, 'vat'],
    ['email domain', { companyName: 'Other name', email: 'new.person@acme.bg' }, 'domain'],
    ['name key', { companyName: 'AKME OOD' }, 'name'],
  ])('reuses the company when its %s matches', async (_label, fields, kind) => {
    const org = await makeOrg();
    const company = (
      await call(org.head, 'POST', '/api/v1/companies', {
        body: { name: 'Акме ООД', eik: '831642181', vat: 'BG175074752', website: 'acme.bg' },
      })
    ).json;
    const l = await lead(org.manager, { fullName: 'Someone New', ...fields });
    const res = await call(org.manager, 'POST', `/api/v1/leads/${l.id}/convert`, { body: {} });
    expect(res.status).toBe(201);
    expect(res.json.company.id).toBe(company.id);
    expect(res.json.reused.company).toBe(kind);
    expect(await countRows('companies', org.orgId)).toBe(1);
  });

  it('never takes a company from a free-mail domain', async () => {
    const org = await makeOrg();
    await call(org.head, 'POST', '/api/v1/companies', { body: { name: 'Some Firm', email: 'office@gmail.com', domain: 'gmail.com' } });
    const l = await lead(org.manager, { fullName: 'Free Mailer', email: 'free.mailer@gmail.com', companyName: 'Brand New Ltd' });
    const res = await call(org.manager, 'POST', `/api/v1/leads/${l.id}/convert`, { body: {} });
    expect(res.json.reused.company).toBeNull();
    expect(res.json.company.name).toBe('Brand New Ltd');
  });

  it('reuses the contact whose email matches', async () => {
    const org = await makeOrg();
    const contact = (await call(org.head, 'POST', '/api/v1/contacts', { body: { fullName: 'Ivan Petrov', emails: ['Ivan@Acme.bg'] } }))
      .json;
    const l = await lead(org.manager, { fullName: 'Иван Петров', email: 'ivan@acme.bg' });
    const res = await call(org.manager, 'POST', `/api/v1/leads/${l.id}/convert`, { body: { createDeal: false } });
    expect(res.json.contact.id).toBe(contact.id);
    expect(res.json.reused.contact).toBe('email');
    expect(res.json.deal).toBeNull();
  });

  it('leaves nothing behind when any statement fails', async () => {
    const org = await makeOrg();
    const l = await lead(org.manager, { fullName: 'Atomic Person', email: 'atomic@firm.bg', companyName: 'Atomic Firm' });
    await env.DB.prepare(`CREATE TRIGGER fail_deals BEFORE INSERT ON deals BEGIN SELECT RAISE(ABORT, 'deal insert refused'); END`).run();
    try {
      const res = await call(org.manager, 'POST', `/api/v1/leads/${l.id}/convert`, { body: {} });
      expect(res.status).toBe(500);
      expect(res.headers.get('content-type')).toMatch(/problem\+json/);
      expect(res.text).not.toContain('deal insert refused');
    } finally {
      await env.DB.prepare('DROP TRIGGER fail_deals').run();
    }
    for (const t of ['companies', 'contacts', 'deals', 'activities', 'deal_stage_history']) expect(await countRows(t, org.orgId)).toBe(0);
    expect((await call(org.manager, 'GET', `/api/v1/leads/${l.id}`)).json).toMatchObject({ status: 'new', version: 1 });
  });

  it('a stale If-Match or a second conversion is refused', async () => {
    const org = await makeOrg();
    const l = await lead(org.manager, { companyName: 'Once Ltd' });
    expect((await call(org.manager, 'POST', `/api/v1/leads/${l.id}/convert`, { body: {}, headers: { 'if-match': '"9"' } })).status).toBe(
      412,
    );
    expect((await call(org.manager, 'POST', `/api/v1/leads/${l.id}/convert`, { body: {} })).status).toBe(201);
    expect((await call(org.manager, 'POST', `/api/v1/leads/${l.id}/convert`, { body: {} })).status).toBe(409);
    expect(await countRows('deals', org.orgId)).toBe(1);
  });
});

describe('match', () => {
  it('finds contacts by email and phone, companies by domain and EIK, and says which keys matched', async () => {
    const org = await makeOrg();
    const company = (
      await call(org.head, 'POST', '/api/v1/companies', { body: { name: 'Глобекс АД', eik: '175074752', website: 'https://globex.bg' } })
    ).json;
    const contact = (
      await call(org.head, 'POST', '/api/v1/contacts', {
        body: { fullName: 'Мария Иванова', emails: ['maria@globex.bg'], phones: ['+359 888 111 222'], companyId: company.id },
      })
    ).json;
    const res = await call(org.manager, 'GET', '/api/v1/match?email=MARIA@globex.bg&phone=0888111222&eik=175074752&email=boss@globex.bg');
    expect(res.status).toBe(200);
    expect(res.json.contacts[0]).toMatchObject({ contact: { id: contact.id }, company: { id: company.id } });
    expect(res.json.contacts[0].matched.sort()).toEqual(['email', 'phone']);
    expect(res.json.companies[0].company.id).toBe(company.id);
    expect(res.json.companies[0].matched.sort()).toEqual(['domain', 'eik']);
  });

  it('matches a transliterated name', async () => {
    const org = await makeOrg();
    const contact = (await call(org.head, 'POST', '/api/v1/contacts', { body: { fullName: 'Георги Николов' } })).json;
    const res = await call(org.manager, 'GET', '/api/v1/match?name=Georgi%20Nikolov');
    expect(res.json.contacts.map((c: { contact: { id: string } }) => c.contact.id)).toEqual([contact.id]);
  });

  it('finds a lead captured from an email by its address', async () => {
    const org = await makeOrg();
    const l = await lead(org.manager, { email: 'prospect@newco.bg', source: 'email', externalRef: '<m1@newco.bg>' });
    const res = await call(org.manager, 'GET', '/api/v1/match?email=prospect@newco.bg');
    expect(res.json.leads.map((x: { lead: { id: string } }) => x.lead.id)).toEqual([l.id]);
  });

  it("finds a lead by email, phone or the person's name, says which matched, and not once it is deleted", async () => {
    const org = await makeOrg();
    const l = await lead(org.manager, {
      fullName: 'Стоян Колев',
      email: 'Stoyan@Kolev.bg',
      phone: '0887 654 321',
      companyName: 'Колев ЕООД',
    });
    const other = await lead(org.manager, { fullName: 'Стоян Колев Младши', email: 'junior@kolev.bg' });
    const found = async (q: string) => (await call(org.manager, 'GET', `/api/v1/match?${q}`)).json.leads;
    expect(await found('email=stoyan@kolev.bg')).toMatchObject([{ lead: { id: l.id }, matched: ['email'] }]);
    expect(await found('phone=%2B359887654321')).toMatchObject([{ lead: { id: l.id }, matched: ['phone'] }]);
    // The person's name alone: not the company's, and not a longer name that starts with it.
    expect(await found('name=Stoyan%20Kolev')).toMatchObject([{ lead: { id: l.id }, matched: ['name'] }]);
    const all = await found('name=Stoyan%20Kolev&phone=0887654321&email=junior@kolev.bg');
    const matched = Object.fromEntries(all.map((x: { lead: { id: string }; matched: string[] }) => [x.lead.id, x.matched.sort()]));
    expect(matched).toEqual({ [l.id]: ['name', 'phone'], [other.id]: ['email'] });
    await call(org.manager, 'DELETE', `/api/v1/leads/${l.id}`, { headers: { 'if-match': '"1"' } });
    expect(await found('email=stoyan@kolev.bg&phone=0887654321&name=Stoyan%20Kolev')).toEqual([]);
  });

  it("moves a lead's stored name key into its own column when the database is migrated", async () => {
    const org = await makeOrg();
    const l = await lead(org.manager, { fullName: 'Георги Николов', companyName: 'Никон ООД' });
    // The lead as it was stored before: no person_key, its name as an identity_keys row.
    await env.DB.batch([
      env.DB.prepare('UPDATE leads SET person_key = NULL WHERE id = ?1').bind(l.id),
      env.DB.prepare(
        `INSERT INTO identity_keys (org_id, kind, value, entity, entity_id) VALUES (?1, 'name', 'georgi nikolov', 'lead', ?2)`,
      ).bind(org.orgId, l.id),
    ]);
    const migration = env.TEST_MIGRATIONS.find((m) => m.name.startsWith('0011_'))!;
    const data = migration.queries.filter((q) => /^\s*(UPDATE|DELETE)/.test(q));
    expect(data).toHaveLength(2);
    await env.DB.batch(data.map((q) => env.DB.prepare(q)));
    expect(await env.DB.prepare('SELECT person_key FROM leads WHERE id = ?1').bind(l.id).first('person_key')).toBe('georgi nikolov');
    expect(await countRows('identity_keys', org.orgId)).toBe(0);
    expect((await call(org.manager, 'GET', '/api/v1/match?name=Georgi%20Nikolov')).json.leads).toMatchObject([{ lead: { id: l.id } }]);
  });

  it("looks a lead's keys up through their own indexes, never by walking the organisation's leads", async () => {
    const { results } = await env.DB.prepare(`EXPLAIN QUERY PLAN ${LEAD_KEY_HITS}`)
      .bind('o', '["a@b.bg"]', '["+359887654321"]', '["stoyan kolev"]')
      .all<{ detail: string }>();
    const plan = results.map((r) => r.detail).join(' | ');
    for (const index of ['leads_email', 'leads_phone', 'leads_person']) expect(plan).toContain(`USING INDEX ${index} (org_id=? AND`);
    expect(plan).not.toMatch(/SCAN (l|leads)\b/);
  });

  it('fetches the matched companies and contacts by their ids, never by walking the organisation', async () => {
    const keys = '[["email","a@b.bg"],["domain","b.bg"],["eik","175074752"]]';
    for (const sql of [MATCH_SQL.contacts, MATCH_SQL.companies]) {
      const { results } = await env.DB.prepare(`EXPLAIN QUERY PLAN ${sql}`).bind('o', keys).all<{ detail: string }>();
      const plan = results.map((r) => r.detail).join(' | ');
      expect(plan).toMatch(/SEARCH (companies|contacts) USING INDEX \w+ \(org_id=\? AND id=\?\)/);
      // A search on the organisation alone reads every one of its companies or contacts.
      expect(plan).not.toMatch(/SEARCH (companies|contacts|c) USING INDEX \w+ \(org_id=\?\)/);
      expect(plan).not.toMatch(/SCAN (companies|contacts|c)\b/);
    }
  });

  it('answers the 30 best records, the strongest evidence first, each contact with its company', async () => {
    const org = await makeOrg();
    const co = (await call(org.head, 'POST', '/api/v1/companies', { body: { name: 'Намесен ООД' } })).json;
    for (let i = 0; i < 32; i++) await call(org.head, 'POST', '/api/v1/contacts', { body: { fullName: 'Петър Петров', companyId: co.id } });
    const strong = (await call(org.head, 'POST', '/api/v1/contacts', { body: { fullName: 'Петър Петров', emails: ['petar@namesen.bg'] } }))
      .json;
    const res = await call(org.manager, 'GET', '/api/v1/match?name=Petar%20Petrov&email=petar@namesen.bg');
    expect(res.json.contacts).toHaveLength(30);
    expect(res.json.contacts[0]).toMatchObject({ contact: { id: strong.id }, company: null });
    expect(res.json.contacts[0].matched.sort()).toEqual(['email', 'name']);
    expect(res.json.contacts.slice(1).every((c: { company: { id: string } | null }) => c.company?.id === co.id)).toBe(true);
    expect(res.json.companies).toEqual([]);
  });

  it('a deleted contact no longer matches', async () => {
    const org = await makeOrg();
    const contact = (await call(org.head, 'POST', '/api/v1/contacts', { body: { fullName: 'Gone Person', emails: ['gone@firm.bg'] } }))
      .json;
    await call(org.head, 'DELETE', `/api/v1/contacts/${contact.id}`, { headers: { 'if-match': '"1"' } });
    expect((await call(org.manager, 'GET', '/api/v1/match?email=gone@firm.bg')).json.contacts).toEqual([]);
  });
});

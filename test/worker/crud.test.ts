import { describe, expect, it } from 'vitest';
import { env } from 'cloudflare:workers';
import { deals } from '../../worker/deals/deals.repo';
import { updateRecord } from '../../worker/records/writes';
import { build, call, countRows, dbWith, makeOrg } from './harness';

describe('companies, contacts, leads, deals, activities and tasks', () => {
  it('post then get answers the record with its version as ETag', async () => {
    const org = await makeOrg();
    const created = await call(org.manager, 'POST', '/api/v1/companies', {
      body: build.company({ name: '„Акме Трейд“ ЕООД', eik: '831 642 181', website: 'https://www.acme.bg' }),
    });
    expect(created.status).toBe(201);
    expect(created.headers.get('etag')).toBe('"1"');
    expect(created.json).toMatchObject({
      name: '„Акме Трейд“ ЕООД',
      eik: '831642181',
      domain: 'acme.bg',
      vipTier: 0,
      version: 1,
      ownerId: org.manager.userId,
    });
    const read = await call(org.manager, 'GET', `/api/v1/companies/${created.json.id}`);
    expect(read.status).toBe(200);
    expect(read.json).toEqual(created.json);
  });

  it('patch with the current version bumps it and records an audit row', async () => {
    const org = await makeOrg();
    const deal = (await call(org.manager, 'POST', '/api/v1/deals', { body: build.deal() })).json;
    const res = await call(org.manager, 'PATCH', `/api/v1/deals/${deal.id}`, {
      body: { stage: 'proposal' },
      headers: { 'if-match': '"1"' },
    });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ stage: 'proposal', probability: 50, version: 2 });
    expect(res.headers.get('etag')).toBe('"2"');
    expect(await countRows('audit_log', org.orgId)).toBe(2);
    expect(await countRows('deal_stage_history', org.orgId)).toBe(2);
  });

  it('two updates from the same version: the second gets 412 with the current row and nothing is lost', async () => {
    const org = await makeOrg();
    const deal = (await call(org.head, 'POST', '/api/v1/deals', { body: build.deal() })).json;
    const first = await call(org.head, 'PATCH', `/api/v1/deals/${deal.id}`, {
      body: { nextStep: 'send the offer' },
      headers: { 'if-match': '"1"' },
    });
    const second = await call(org.head, 'PATCH', `/api/v1/deals/${deal.id}`, {
      body: { amountMinor: 999 },
      headers: { 'if-match': '"1"' },
    });
    expect(first.status).toBe(200);
    expect(second.status).toBe(412);
    expect(second.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(second.json.code).toBe('precondition_failed');
    expect(second.json.current).toMatchObject({ nextStep: 'send the offer', version: 2, amountMinor: 100_000 });
  });

  it('patch without If-Match answers 428', async () => {
    const org = await makeOrg();
    const c = (await call(org.manager, 'POST', '/api/v1/contacts', { body: build.contact() })).json;
    const res = await call(org.manager, 'PATCH', `/api/v1/contacts/${c.id}`, { body: { title: 'CEO' } });
    expect(res.status).toBe(428);
    expect(res.json.code).toBe('precondition_required');
  });

  it('delete is soft and restore brings the record back', async () => {
    const org = await makeOrg();
    const t = (await call(org.manager, 'POST', '/api/v1/tasks', { body: build.task({ dueAt: '2026-12-01T09:00:00Z' }) })).json;
    expect((await call(org.manager, 'DELETE', `/api/v1/tasks/${t.id}`, { headers: { 'if-match': '"1"' } })).status).toBe(204);
    expect((await call(org.manager, 'GET', `/api/v1/tasks/${t.id}`)).status).toBe(404);
    const restored = await call(org.manager, 'POST', `/api/v1/tasks/${t.id}/restore`, { headers: { 'if-match': '"2"' } });
    expect(restored.status).toBe(200);
    expect(restored.json.version).toBe(3);
    expect((await call(org.manager, 'GET', `/api/v1/tasks/${t.id}`)).status).toBe(200);
  });

  it('lists page with a cursor and filter by owner, stage and updated-since', async () => {
    const org = await makeOrg();
    // Two of the manager's deals came in won, signed off by the head of sales.
    for (let i = 0; i < 5; i++)
      await call(i < 2 ? org.head : org.manager, 'POST', '/api/v1/deals', {
        body: build.deal(i < 2 ? { stage: 'won', overrideReason: 'Signed on paper', ownerId: org.manager.userId } : { stage: 'new' }),
      });
    await call(org.head, 'POST', '/api/v1/deals', { body: build.deal() });
    const page1 = await call(org.manager, 'GET', '/api/v1/deals?limit=2&owner=me');
    expect(page1.json.items).toHaveLength(2);
    const page2 = await call(org.manager, 'GET', `/api/v1/deals?limit=2&owner=me&cursor=${page1.json.nextCursor}`);
    const page3 = await call(org.manager, 'GET', `/api/v1/deals?limit=2&owner=me&cursor=${page2.json.nextCursor}`);
    expect(page3.json.nextCursor).toBeNull();
    const ids = [...page1.json.items, ...page2.json.items, ...page3.json.items].map((d: { id: string }) => d.id);
    expect(new Set(ids).size).toBe(5);
    expect((await call(org.manager, 'GET', '/api/v1/deals?stage=won')).json.items).toHaveLength(2);
    const since = await call(org.manager, 'GET', `/api/v1/deals?updatedSince=${encodeURIComponent('2000-01-01T00:00:00Z')}`);
    expect(since.json.items).toHaveLength(6);
  });

  it('text search finds Cyrillic and Latin spellings alike', async () => {
    const org = await makeOrg();
    await call(org.manager, 'POST', '/api/v1/contacts', { body: build.contact({ fullName: 'Иван Петров' }) });
    await call(org.manager, 'POST', '/api/v1/contacts', { body: build.contact({ fullName: 'Maria Georgieva' }) });
    const latin = await call(org.manager, 'GET', '/api/v1/contacts?q=petrov');
    expect(latin.json.items.map((c: { fullName: string }) => c.fullName)).toEqual(['Иван Петров']);
    const cyr = await call(org.manager, 'GET', `/api/v1/contacts?q=${encodeURIComponent('Георгиева')}`);
    expect(cyr.json.items.map((c: { fullName: string }) => c.fullName)).toEqual(['Maria Georgieva']);
  });

  it("a manager cannot change a colleague's deal but a head can", async () => {
    const org = await makeOrg();
    const deal = (await call(org.manager2, 'POST', '/api/v1/deals', { body: build.deal() })).json;
    const denied = await call(org.manager, 'PATCH', `/api/v1/deals/${deal.id}`, {
      body: { stage: 'lost' },
      headers: { 'if-match': '"1"' },
    });
    expect(denied.status).toBe(403);
    const allowed = await call(org.head, 'PATCH', `/api/v1/deals/${deal.id}`, { body: { stage: 'lost' }, headers: { 'if-match': '"1"' } });
    expect(allowed.status).toBe(200);
    expect(allowed.json.closedAt).toBeTruthy();
  });

  it('logging the same external id twice makes one activity', async () => {
    const org = await makeOrg();
    const body = build.activity({ type: 'email', externalId: '<abc@mail.example>' });
    const a = await call(org.manager, 'POST', '/api/v1/activities', { body });
    const b = await call(org.manager, 'POST', '/api/v1/activities', { body });
    expect(a.status).toBe(201);
    expect(b.status).toBe(200);
    expect(b.json.id).toBe(a.json.id);
    expect(await countRows('activities', org.orgId)).toBe(1);
  });

  it("a reference to a record of no one's organisation is a field error", async () => {
    const org = await makeOrg();
    const res = await call(org.manager, 'POST', '/api/v1/deals', { body: build.deal({ companyId: '01HZZZZZZZZZZZZZZZZZZZZZZZ' }) });
    expect(res.status).toBe(422);
    expect(res.json.errors).toEqual([expect.objectContaining({ path: '/companyId', code: 'unknown_reference' })]);
  });

  it('an update sets only the columns it changes, so the indexes of the others are not rewritten', async () => {
    const org = await makeOrg();
    const deal = (await call(org.manager, 'POST', '/api/v1/deals', { body: build.deal({ amountMinor: 5000, nextStep: 'Оферта' }) })).json;
    const written: number[] = [];
    // The batch's first statement is the UPDATE; D1 counts index entries among rows written.
    const db = dbWith({
      batch: async <T = unknown>(stmts: D1PreparedStatement[]) => {
        const results = await env.DB.batch<T>(stmts);
        written.push(results[0]!.meta.rows_written);
        return results;
      },
    });
    const p = { userId: org.manager.userId, orgId: org.orgId, role: 'manager' as const, email: '', name: 'manager', tokenId: null };
    const after = await updateRecord(db, deals, p, deal.id, 1, (before) => ({ ...before, nextStep: 'Обаждане в петък' }));
    expect(after).toMatchObject({ version: 2, nextStep: 'Обаждане в петък', amountMinor: 5000 });
    // The row, plus the one index that holds updated_at (old entry out, new entry in).
    expect(written[0]).toBeLessThanOrEqual(3);
    const read = await call(org.manager, 'GET', `/api/v1/deals/${deal.id}`);
    expect(read.json).toEqual({ ...deal, nextStep: 'Обаждане в петък', version: 2, updatedAt: after.updatedAt });
    // A change of stage still moves the deal between the stage index's entries.
    const moved = await call(org.manager, 'PATCH', `/api/v1/deals/${deal.id}`, {
      body: { stage: 'proposal' },
      headers: { 'if-match': '"2"' },
    });
    expect(moved.status).toBe(200);
    const byStage = await call(org.manager, 'GET', '/api/v1/deals?stage=proposal');
    expect(byStage.json.items.map((d: { id: string }) => d.id)).toEqual([deal.id]);
    expect((await call(org.manager, 'GET', '/api/v1/deals?stage=new')).json.items).toEqual([]);
  });
});

describe('external references', () => {
  it('a lead captured again from the same email answers the first lead, also when the captures race; another source makes its own', async () => {
    const org = await makeOrg();
    const body = build.lead({ source: 'email', externalRef: '<quote-1@client.bg>' });
    const first = await call(org.manager, 'POST', '/api/v1/leads', { body });
    expect(first.status).toBe(201);
    const again = await call(org.manager, 'POST', '/api/v1/leads', { body: { ...body, fullName: 'Someone else' } });
    expect(again.status).toBe(200);
    expect(again.json).toMatchObject({ id: first.json.id, fullName: body.fullName });
    expect(again.headers.get('etag')).toBe('"1"');
    const webform = await call(org.manager, 'POST', '/api/v1/leads', { body: { ...body, source: 'webform' } });
    expect(webform.status).toBe(201);
    expect(webform.json.id).not.toBe(first.json.id);

    const raced = await Promise.all(
      Array.from({ length: 8 }, () =>
        call(org.manager, 'POST', '/api/v1/leads', { body: build.lead({ source: 'email', externalRef: '<quote-2@client.bg>' }) }),
      ),
    );
    expect(raced.map((r) => r.status).sort()).toEqual([200, 200, 200, 200, 200, 200, 200, 201]);
    expect(new Set(raced.map((r) => r.json.id)).size).toBe(1);
    const rows = await env.DB.prepare(`SELECT count(*) AS n FROM leads WHERE org_id = ?1 AND external_ref = '<quote-2@client.bg>'`)
      .bind(org.orgId)
      .first<{ n: number }>();
    expect(rows!.n).toBe(1);
  });

  it("a patch that takes another lead's reference is a 409 naming the field and changes nothing", async () => {
    const org = await makeOrg();
    const a = (await call(org.head, 'POST', '/api/v1/leads', { body: build.lead({ source: 'email', externalRef: '<a@x.bg>' }) })).json;
    const b = (await call(org.head, 'POST', '/api/v1/leads', { body: build.lead({ source: 'email', externalRef: '<b@x.bg>' }) })).json;
    const res = await call(org.head, 'PATCH', `/api/v1/leads/${b.id}`, {
      body: { externalRef: a.externalRef },
      headers: { 'if-match': '"1"' },
    });
    expect(res.status).toBe(409);
    expect(res.headers.get('content-type')).toMatch(/problem\+json/);
    expect(res.json.errors).toEqual([expect.objectContaining({ path: '/externalRef', code: 'duplicate' })]);
    const after = (await call(org.head, 'GET', `/api/v1/leads/${b.id}`)).json;
    expect(after).toMatchObject({ externalRef: '<b@x.bg>', version: 1 });
  });
});

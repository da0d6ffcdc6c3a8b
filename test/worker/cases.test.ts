import { describe, expect, it } from 'vitest';
import { caseSpec } from '../../worker/cases/cases.repo';
import { competitorSpec } from '../../worker/competitors/competitors.repo';
import { formSpec } from '../../worker/forms/forms.repo';
import { build, call, countRows, explainList, makeOrg } from './harness';

const complaint = (o: Record<string, unknown> = {}) => ({ kind: 'complaint', subject: 'The delivery came late', ...o });

describe('cases: complaints and proposals', () => {
  it('a complaint of a VIP client is high priority by itself and is listed first', async () => {
    const org = await makeOrg();
    // A head of sales sets the VIP tier.
    const vip = (await call(org.head, 'POST', '/api/v1/companies', { body: build.company({ vipTier: 2 }) })).json;
    const plain = (await call(org.manager, 'POST', '/api/v1/companies', { body: build.company() })).json;
    const c1 = await call(org.manager, 'POST', '/api/v1/cases', { body: complaint({ companyId: vip.id }) });
    const c2 = await call(org.manager, 'POST', '/api/v1/cases', { body: complaint({ companyId: plain.id }) });
    const c3 = await call(org.manager, 'POST', '/api/v1/cases', {
      body: { kind: 'proposal', subject: 'Offer a yearly plan', companyId: vip.id },
    });
    expect(c1.status).toBe(201);
    expect(c1.json).toMatchObject({
      priority: 'high',
      status: 'open',
      ownerId: org.manager.userId,
      firstResponseAt: null,
      responseMinutes: null,
    });
    expect(c2.json.priority).toBe('normal');
    expect(c3.json.priority).toBe('normal');
    const list = await call(org.manager, 'GET', '/api/v1/cases');
    expect(list.json.items.map((c: { id: string }) => c.id)).toEqual([c1.json.id, c3.json.id, c2.json.id]);
  });

  it("a VIP client's complaint cannot be lowered, and moving a complaint to a VIP client escalates it", async () => {
    const org = await makeOrg();
    const vip = (await call(org.head, 'POST', '/api/v1/companies', { body: build.company({ vipTier: 1 }) })).json;
    const created = (await call(org.manager, 'POST', '/api/v1/cases', { body: complaint({ priority: 'low' }) })).json;
    expect(created.priority).toBe('low');
    const moved = await call(org.manager, 'PATCH', `/api/v1/cases/${created.id}`, {
      body: { companyId: vip.id },
      headers: { 'if-match': '"1"' },
    });
    expect(moved.json.priority).toBe('high');
    const lowered = await call(org.manager, 'PATCH', `/api/v1/cases/${created.id}`, {
      body: { priority: 'low' },
      headers: { 'if-match': '"2"' },
    });
    expect(lowered.json.priority).toBe('high');
  });

  it('respond records the first response once, moves the case to in progress and logs the note as an activity', async () => {
    const org = await makeOrg();
    const deal = (await call(org.manager, 'POST', '/api/v1/deals', { body: build.deal() })).json;
    const kase = (await call(org.manager, 'POST', '/api/v1/cases', { body: complaint({ dealId: deal.id }) })).json;
    const res = await call(org.head, 'POST', `/api/v1/cases/${kase.id}/respond`, {
      body: { note: 'Called the client, a new delivery is on its way', via: 'call' },
    });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ status: 'in_progress', version: 2, responseMinutes: 0 });
    expect(res.json.firstResponseAt).toBeTruthy();
    const acts = await call(org.head, 'GET', `/api/v1/activities?dealId=${deal.id}`);
    expect(acts.json.items).toEqual([
      expect.objectContaining({ type: 'call', direction: 'out', excerpt: 'Called the client, a new delivery is on its way' }),
    ]);
    const again = await call(org.head, 'POST', `/api/v1/cases/${kase.id}/respond`, {});
    expect(again.json).toMatchObject({ version: 2, firstResponseAt: res.json.firstResponseAt });
  });

  it('respond with a stale If-Match answers 412 and logs nothing', async () => {
    const org = await makeOrg();
    const kase = (await call(org.manager, 'POST', '/api/v1/cases', { body: complaint() })).json;
    await call(org.manager, 'PATCH', `/api/v1/cases/${kase.id}`, { body: { description: 'More detail' }, headers: { 'if-match': '"1"' } });
    const res = await call(org.manager, 'POST', `/api/v1/cases/${kase.id}/respond`, {
      body: { note: 'hello' },
      headers: { 'if-match': '"1"' },
    });
    expect(res.status).toBe(412);
    expect(res.headers.get('content-type')).toMatch(/problem\+json/);
    expect(await countRows('activities', org.orgId)).toBe(0);
  });

  it('resolving stamps the resolution time and reopening clears it', async () => {
    const org = await makeOrg();
    const kase = (await call(org.manager, 'POST', '/api/v1/cases', { body: complaint() })).json;
    const resolved = await call(org.manager, 'PATCH', `/api/v1/cases/${kase.id}`, {
      body: { status: 'resolved' },
      headers: { 'if-match': '"1"' },
    });
    expect(resolved.json).toMatchObject({ status: 'resolved', resolutionMinutes: 0, responseMinutes: 0 });
    expect(resolved.json.resolvedAt).toBeTruthy();
    const reopened = await call(org.manager, 'PATCH', `/api/v1/cases/${kase.id}`, {
      body: { status: 'open' },
      headers: { 'if-match': '"2"' },
    });
    expect(reopened.json).toMatchObject({ status: 'open', resolvedAt: null, resolutionMinutes: null });
    expect(reopened.json.firstResponseAt).toBe(resolved.json.firstResponseAt);
  });

  it('lists filter by status, kind, companyId and owner, and page by priority then id without gaps', async () => {
    const org = await makeOrg();
    const co = (await call(org.manager, 'POST', '/api/v1/companies', { body: build.company() })).json;
    const priorities = ['low', 'high', 'normal', 'high', 'low', 'normal', 'normal'];
    for (const [i, priority] of priorities.entries())
      await call(i < 5 ? org.manager : org.manager2, 'POST', '/api/v1/cases', {
        body: { kind: i % 2 ? 'proposal' : 'complaint', subject: `Case ${i}`, priority, companyId: i < 3 ? co.id : null },
      });
    const pages: { priority: string; id: string }[] = [];
    let cursor: string | null = '';
    while (cursor !== null) {
      const page: { json: { items: { priority: string; id: string }[]; nextCursor: string | null } } = await call(
        org.head,
        'GET',
        `/api/v1/cases?limit=2${cursor ? `&cursor=${cursor}` : ''}`,
      );
      pages.push(...page.json.items);
      cursor = page.json.nextCursor;
    }
    expect(pages.map((c) => c.priority)).toEqual(['high', 'high', 'normal', 'normal', 'normal', 'low', 'low']);
    expect(new Set(pages.map((c) => c.id)).size).toBe(7);
    expect((await call(org.head, 'GET', '/api/v1/cases?kind=proposal')).json.items).toHaveLength(3);
    expect((await call(org.head, 'GET', `/api/v1/cases?companyId=${co.id}`)).json.items).toHaveLength(3);
    expect((await call(org.manager2, 'GET', '/api/v1/cases?owner=me')).json.items).toHaveLength(2);
    expect((await call(org.head, 'GET', '/api/v1/cases?status=open')).json.items).toHaveLength(7);
    expect((await call(org.head, 'GET', '/api/v1/cases?status=resolved')).json.items).toHaveLength(0);
  });

  it('a case needs a kind and a subject, and its references must be in the organisation', async () => {
    const org = await makeOrg();
    const bad = await call(org.manager, 'POST', '/api/v1/cases', { body: { kind: 'praise', subject: '' } });
    expect(bad.status).toBe(422);
    expect(bad.json.errors.map((e: { path: string }) => e.path).sort()).toEqual(['/kind', '/subject']);
    const ref = await call(org.manager, 'POST', '/api/v1/cases', { body: complaint({ companyId: '01HZZZZZZZZZZZZZZZZZZZZZZZ' }) });
    expect(ref.status).toBe(422);
    expect(ref.json.errors[0]).toMatchObject({ path: '/companyId', code: 'unknown_reference' });
  });

  it('delete is soft and restore brings the case back', async () => {
    const org = await makeOrg();
    const kase = (await call(org.manager, 'POST', '/api/v1/cases', { body: complaint() })).json;
    expect((await call(org.manager, 'DELETE', `/api/v1/cases/${kase.id}`, { headers: { 'if-match': '"1"' } })).status).toBe(204);
    expect((await call(org.manager, 'GET', '/api/v1/cases')).json.items).toHaveLength(0);
    expect((await call(org.manager, 'POST', `/api/v1/cases/${kase.id}/restore`, { headers: { 'if-match': '"2"' } })).status).toBe(200);
    expect((await call(org.manager, 'GET', '/api/v1/cases')).json.items).toHaveLength(1);
  });
});

describe('every list query of cases, competitors and web forms uses an index', () => {
  // The SQL is captured from the real list code for every filter, then explained on the real D1.
  const specs = [caseSpec, competitorSpec, formSpec];
  const variants: [string, Record<string, unknown>][] = [];
  for (const spec of specs) {
    variants.push(
      [`${spec.table} unfiltered`, {}],
      [`${spec.table} q`, { q: 'petrov' }],
      [`${spec.table} updatedSince`, { updatedSince: '2026-01-01T00:00:00Z' }],
    );
    variants.push([
      `${spec.table} next page`,
      { cursor: spec.listOrder ? 'WzIsIjAxSFpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaIl0' : 'WyIwMUhaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWiJd' },
    ]);
    for (const key of Object.keys(spec.filters)) variants.push([`${spec.table} by ${key}`, { [key]: 'x' }]);
  }
  it.each(variants)('%s is served by an index, in order, without a table scan', async (label, filters) => {
    const spec = specs.find((s) => label.startsWith(s.table + ' '))!;
    const plan = await explainList(spec, filters);
    expect(plan).toMatch(/SEARCH \w+ USING (COVERING )?INDEX/);
    expect(plan).not.toMatch(/SCAN (cases|competitors|web_forms)\b/);
    expect(plan, 'the order comes from the index').not.toMatch(/TEMP B-TREE/);
  });
});

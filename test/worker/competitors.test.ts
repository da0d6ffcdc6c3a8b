import { describe, expect, it } from 'vitest';
import { build, call, countRows, makeOrg } from './harness';

describe('competitors', () => {
  it('create, read, update with If-Match, search and soft delete by a head', async () => {
    const org = await makeOrg();
    const created = await call(org.manager, 'POST', '/api/v1/competitors', {
      body: { name: 'Соларис ЕООД', website: 'https://www.solaris.bg/en', notes: 'Cheaper, slow delivery' },
    });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({ name: 'Соларис ЕООД', domain: 'solaris.bg', version: 1 });
    const patched = await call(org.manager, 'PATCH', `/api/v1/competitors/${created.json.id}`, {
      body: { notes: 'Dropped prices by 10%' },
      headers: { 'if-match': '"1"' },
    });
    expect(patched.json).toMatchObject({ notes: 'Dropped prices by 10%', version: 2 });
    const found = await call(org.manager, 'GET', '/api/v1/competitors?q=solaris');
    expect(found.json.items.map((c: { id: string }) => c.id)).toEqual([created.json.id]);
    expect((await call(org.manager, 'DELETE', `/api/v1/competitors/${created.json.id}`, { headers: { 'if-match': '"2"' } })).status).toBe(
      403,
    );
    expect((await call(org.head, 'DELETE', `/api/v1/competitors/${created.json.id}`, { headers: { 'if-match': '"2"' } })).status).toBe(204);
    expect((await call(org.manager, 'GET', '/api/v1/competitors')).json.items).toHaveLength(0);
  });

  it('a competitor is linked to a deal with its price; linking it again updates the link, never duplicates it', async () => {
    const org = await makeOrg();
    const deal = (await call(org.manager, 'POST', '/api/v1/deals', { body: build.deal({ currency: 'EUR' }) })).json;
    const rival = (await call(org.manager, 'POST', '/api/v1/competitors', { body: { name: 'Rival Ltd' } })).json;
    const first = await call(org.manager, 'POST', `/api/v1/deals/${deal.id}/competitors`, {
      body: { competitorId: rival.id, priceMinor: 90_000_00, notes: 'offered 5% less' },
    });
    expect(first.status).toBe(201);
    expect(first.json).toMatchObject({
      competitorId: rival.id,
      competitorName: 'Rival Ltd',
      priceMinor: 90_000_00,
      currency: 'EUR',
      lostTo: false,
      version: 1,
    });
    const again = await call(org.manager, 'POST', `/api/v1/deals/${deal.id}/competitors`, {
      body: { competitorId: rival.id, priceMinor: 85_000_00, currency: 'EUR' },
    });
    expect(again.status).toBe(200);
    expect(again.json).toMatchObject({ id: first.json.id, priceMinor: 85_000_00, version: 2 });
    const list = await call(org.manager, 'GET', `/api/v1/deals/${deal.id}/competitors`);
    expect(list.json.items).toEqual([expect.objectContaining({ id: first.json.id, priceMinor: 85_000_00, version: 2 })]);
    expect(await countRows('deal_competitors', org.orgId)).toBe(1);
  });

  it('a lost deal records its reason and the one competitor it was lost to', async () => {
    const org = await makeOrg();
    const deal = (await call(org.manager, 'POST', '/api/v1/deals', { body: build.deal() })).json;
    const [a, b] = [
      (await call(org.manager, 'POST', '/api/v1/competitors', { body: { name: 'Alpha' } })).json,
      (await call(org.manager, 'POST', '/api/v1/competitors', { body: { name: 'Beta' } })).json,
    ];
    await call(org.manager, 'POST', `/api/v1/deals/${deal.id}/competitors`, {
      body: { competitorId: a.id, priceMinor: 80_000, lostTo: true },
    });
    await call(org.manager, 'POST', `/api/v1/deals/${deal.id}/competitors`, {
      body: { competitorId: b.id, priceMinor: 70_000, lostTo: true },
    });
    const lost = await call(org.manager, 'PATCH', `/api/v1/deals/${deal.id}`, {
      body: { stage: 'lost', lostReason: 'price', competitor: 'Beta' },
      headers: { 'if-match': '"1"' },
    });
    expect(lost.json).toMatchObject({ stage: 'lost', lostReason: 'price' });
    const links = (await call(org.manager, 'GET', `/api/v1/deals/${deal.id}/competitors`)).json.items;
    expect(
      links.map((l: { competitorName: string; lostTo: boolean; priceMinor: number }) => [l.competitorName, l.lostTo, l.priceMinor]),
    ).toEqual([
      ['Beta', true, 70_000],
      ['Alpha', false, 80_000],
    ]);
  });

  it('unlinking removes the competitor from the deal; unlinking again answers 404', async () => {
    const org = await makeOrg();
    const deal = (await call(org.manager, 'POST', '/api/v1/deals', { body: build.deal() })).json;
    const rival = (await call(org.manager, 'POST', '/api/v1/competitors', { body: { name: 'Gone' } })).json;
    await call(org.manager, 'POST', `/api/v1/deals/${deal.id}/competitors`, { body: { competitorId: rival.id } });
    expect((await call(org.manager, 'DELETE', `/api/v1/deals/${deal.id}/competitors/${rival.id}`)).status).toBe(204);
    expect((await call(org.manager, 'GET', `/api/v1/deals/${deal.id}/competitors`)).json.items).toEqual([]);
    expect((await call(org.manager, 'DELETE', `/api/v1/deals/${deal.id}/competitors/${rival.id}`)).status).toBe(404);
    const relinked = await call(org.manager, 'POST', `/api/v1/deals/${deal.id}/competitors`, { body: { competitorId: rival.id } });
    expect(relinked.status).toBe(201);
  });

  it("another organisation's competitor is a field error, and a colleague's deal is off limits to a manager", async () => {
    const org = await makeOrg();
    const other = await makeOrg();
    const theirs = (await call(other.manager, 'POST', '/api/v1/competitors', { body: { name: 'Theirs' } })).json;
    const deal = (await call(org.manager, 'POST', '/api/v1/deals', { body: build.deal() })).json;
    const res = await call(org.manager, 'POST', `/api/v1/deals/${deal.id}/competitors`, { body: { competitorId: theirs.id } });
    expect(res.status).toBe(422);
    expect(res.json.errors[0]).toMatchObject({ path: '/competitorId', code: 'unknown_reference' });
    const mine = (await call(org.manager, 'POST', '/api/v1/competitors', { body: { name: 'Mine' } })).json;
    const colleagues = (await call(org.manager2, 'POST', '/api/v1/deals', { body: build.deal() })).json;
    expect(
      (await call(org.manager, 'POST', `/api/v1/deals/${colleagues.id}/competitors`, { body: { competitorId: mine.id } })).status,
    ).toBe(403);
    expect((await call(org.manager, 'GET', `/api/v1/deals/${colleagues.id}/competitors`)).status).toBe(200);
  });
});

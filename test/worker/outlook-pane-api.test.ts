// What the Outlook pane asks of the API: one case per email and kind, a deal lost to a
// competitor in one change (the weekly win/loss report reads it at once), and Today's follow-ups
// with the names of whom they are for.
import { describe, expect, it } from 'vitest';
import { isoWeekOf } from '../../shared/report/period';
import { caseSpec } from '../../worker/cases/cases.repo';
import { build, call, countRows, explainList, makeOrg } from './harness';

const complaint = (o: Record<string, unknown> = {}) => ({ kind: 'complaint', subject: 'Доставката закъсня', ...o });
const rowsOf = (report: { sections: Array<{ key: string; rows: unknown[][] }> }, key: string) =>
  report.sections.find((s) => s.key === key)!.rows;

describe('a case opened from an email', () => {
  it('a second complaint from the same message answers the first one instead of making another', async () => {
    const org = await makeOrg();
    const company = (await call(org.manager, 'POST', '/api/v1/companies', { body: build.company() })).json;
    const messageId = '<complaint-1@client.example>';
    const first = await call(org.manager, 'POST', '/api/v1/cases', {
      body: complaint({ companyId: company.id, sourceMessageId: messageId, description: 'Two pallets missing', priority: 'high' }),
    });
    expect(first.status).toBe(201);
    expect(first.json).toMatchObject({ sourceMessageId: messageId, priority: 'high', description: 'Two pallets missing' });
    const second = await call(org.manager, 'POST', '/api/v1/cases', {
      body: complaint({ companyId: company.id, sourceMessageId: messageId, description: 'clicked again' }),
    });
    expect(second.status).toBe(200);
    expect(second.json).toMatchObject({ id: first.json.id, description: 'Two pallets missing', version: 1 });
    expect(await countRows('cases', org.orgId)).toBe(1);
    // The card counts it among the open complaints at once.
    const card = (await call(org.manager, 'GET', `/api/v1/companies/${company.id}/card`)).json;
    expect(card.openCases.map((c: { id: string }) => c.id)).toEqual([first.json.id]);
  });

  it('a proposal from the same message is a case of its own, and each is found by the message', async () => {
    const org = await makeOrg();
    const messageId = '<both-1@client.example>';
    const kase = (await call(org.manager, 'POST', '/api/v1/cases', { body: complaint({ sourceMessageId: messageId }) })).json;
    const proposal = await call(org.manager, 'POST', '/api/v1/cases', {
      body: { kind: 'proposal', subject: 'Offer a yearly plan', sourceMessageId: messageId },
    });
    expect(proposal.status).toBe(201);
    expect(proposal.json.id).not.toBe(kase.id);
    const found = await call(org.manager, 'GET', `/api/v1/cases?sourceMessageId=${encodeURIComponent(messageId)}&kind=complaint`);
    expect(found.json.items.map((c: { id: string }) => c.id)).toEqual([kase.id]);
    const other = await call(org.manager, 'GET', `/api/v1/cases?sourceMessageId=${encodeURIComponent('<other@client.example>')}`);
    expect(other.json.items).toEqual([]);
  });

  it('the same message id in another organisation is another case', async () => {
    const a = await makeOrg();
    const b = await makeOrg();
    const body = complaint({ sourceMessageId: '<shared@client.example>' });
    expect((await call(a.manager, 'POST', '/api/v1/cases', { body })).status).toBe(201);
    expect((await call(b.manager, 'POST', '/api/v1/cases', { body })).status).toBe(201);
  });

  it('the list of an email’s cases is served by an index', async () => {
    const plan = await explainList(caseSpec, { sourceMessageId: '<m@x>', kind: 'complaint' });
    expect(plan).toMatch(/USING INDEX cases_source_message/);
    expect(plan).not.toMatch(/SCAN cases/);
  });
});

describe('POST /deals/:id/lose', () => {
  async function dealWithRivals() {
    const org = await makeOrg();
    const deal = await call(org.manager, 'POST', '/api/v1/deals', { body: build.deal({ currency: 'EUR', stage: 'proposal' }) });
    const rival = (await call(org.manager, 'POST', '/api/v1/competitors', { body: { name: 'Rival E2E Ltd' } })).json;
    const other = (await call(org.manager, 'POST', '/api/v1/competitors', { body: { name: 'Other Rival' } })).json;
    await call(org.manager, 'POST', `/api/v1/deals/${deal.json.id}/competitors`, { body: { competitorId: other.id, lostTo: true } });
    return { org, deal: deal.json, rival, other };
  }

  it('marks the deal lost with its reason and the one competitor it lost to, and the weekly report counts it', async () => {
    const { org, deal, rival, other } = await dealWithRivals();
    const res = await call(org.manager, 'POST', `/api/v1/deals/${deal.id}/lose`, {
      body: { lostReason: 'Цена', competitorId: rival.id, priceMinor: 41_000_00, notes: '10% below our offer' },
      headers: { 'if-match': `"${deal.version}"` },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('etag')).toBe(`"${deal.version + 1}"`);
    expect(res.json.deal).toMatchObject({ stage: 'lost', lostReason: 'Цена', competitor: 'Rival E2E Ltd', probability: 0 });
    expect(res.json.deal.closedAt).toBeTruthy();
    expect(res.json.competitors).toEqual([
      expect.objectContaining({
        competitorId: rival.id,
        lostTo: true,
        priceMinor: 41_000_00,
        currency: 'EUR',
        notes: '10% below our offer',
      }),
      expect.objectContaining({ competitorId: other.id, lostTo: false }),
    ]);
    const report = (await call(org.head, 'GET', `/api/v1/reports/weekly?week=${isoWeekOf(new Date())}`)).json;
    expect(rowsOf(report, 'competitors')).toEqual([['Rival E2E Ltd', 0, 1]]);
    expect(rowsOf(report, 'lostReasons')).toEqual([['Цена', 1]]);
  });

  it('without a competitor it records the reason only', async () => {
    const org = await makeOrg();
    const deal = (await call(org.manager, 'POST', '/api/v1/deals', { body: build.deal() })).json;
    const res = await call(org.manager, 'POST', `/api/v1/deals/${deal.id}/lose`, {
      body: { lostReason: 'Нет бюджета' },
      headers: { 'if-match': '"1"' },
    });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ deal: { stage: 'lost', lostReason: 'Нет бюджета', competitor: null }, competitors: [] });
  });

  it('a stale version answers 412 and links nothing', async () => {
    const { org, deal, rival } = await dealWithRivals();
    await call(org.manager, 'PATCH', `/api/v1/deals/${deal.id}`, { body: { nextStep: 'Call' }, headers: { 'if-match': '"1"' } });
    const res = await call(org.manager, 'POST', `/api/v1/deals/${deal.id}/lose`, {
      body: { lostReason: 'Price', competitorId: rival.id },
      headers: { 'if-match': '"1"' },
    });
    expect(res.status).toBe(412);
    expect(res.headers.get('content-type')).toMatch(/problem\+json/);
    const links = (await call(org.manager, 'GET', `/api/v1/deals/${deal.id}/competitors`)).json.items;
    expect(links.map((l: { competitorId: string; lostTo: boolean }) => [l.competitorId, l.lostTo])).not.toContainEqual([rival.id, true]);
    expect((await call(org.manager, 'GET', `/api/v1/deals/${deal.id}`)).json.stage).toBe('proposal');
  });

  it("a manager cannot lose a colleague's deal (403 not_owner), a head can", async () => {
    const { org, deal, rival } = await dealWithRivals();
    const refused = await call(org.manager2, 'POST', `/api/v1/deals/${deal.id}/lose`, {
      body: { lostReason: 'Price', competitorId: rival.id },
      headers: { 'if-match': '"1"' },
    });
    expect(refused.status).toBe(403);
    expect(refused.json.errors).toEqual([expect.objectContaining({ code: 'not_owner', path: '/ownerId' })]);
    const byHead = await call(org.head, 'POST', `/api/v1/deals/${deal.id}/lose`, {
      body: { lostReason: 'Price', competitorId: rival.id },
      headers: { 'if-match': '"1"' },
    });
    expect(byHead.status).toBe(200);
  });

  it('needs If-Match, a reason and a competitor of the organisation', async () => {
    const { org, deal } = await dealWithRivals();
    const stranger = await makeOrg();
    const theirs = (await call(stranger.manager, 'POST', '/api/v1/competitors', { body: { name: 'Elsewhere' } })).json;
    const noVersion = await call(org.manager, 'POST', `/api/v1/deals/${deal.id}/lose`, { body: { lostReason: 'Price' } });
    expect(noVersion.status).toBe(428);
    const noReason = await call(org.manager, 'POST', `/api/v1/deals/${deal.id}/lose`, { body: {}, headers: { 'if-match': '"1"' } });
    expect(noReason.status).toBe(422);
    expect(noReason.json.errors[0].path).toBe('/lostReason');
    const foreign = await call(org.manager, 'POST', `/api/v1/deals/${deal.id}/lose`, {
      body: { lostReason: 'Price', competitorId: theirs.id },
      headers: { 'if-match': '"1"' },
    });
    expect(foreign.status).toBe(422);
    expect(foreign.json.errors).toEqual([expect.objectContaining({ path: '/competitorId', code: 'unknown_reference' })]);
    expect((await call(org.manager, 'GET', `/api/v1/deals/${deal.id}`)).json.stage).toBe('proposal');
  });
});

describe("Today's follow-ups", () => {
  it('each task says whom it is for: its company, else its deal’s company, its contact, deal and lead', async () => {
    const org = await makeOrg();
    const company = (await call(org.manager, 'POST', '/api/v1/companies', { body: build.company({ name: 'Акме Трейд ЕООД' }) })).json;
    const contact = (await call(org.manager, 'POST', '/api/v1/contacts', { body: build.contact({ fullName: 'Мария Иванова' }) })).json;
    const deal = (await call(org.manager, 'POST', '/api/v1/deals', { body: build.deal({ title: '40 лиценза', companyId: company.id }) }))
      .json;
    const lead = (await call(org.manager, 'POST', '/api/v1/leads', { body: build.lead({ fullName: 'Олег Семенов' }) })).json;
    const dueAt = new Date(Date.now() - 60_000).toISOString();
    const make = async (title: string, links: Record<string, unknown>) =>
      (await call(org.manager, 'POST', '/api/v1/tasks', { body: build.task({ title, dueAt, ...links }) })).json.id as string;
    const byDeal = await make('by deal', { dealId: deal.id, contactId: contact.id });
    const byLead = await make('by lead', { leadId: lead.id });
    const alone = await make('alone', {});
    const day = (await call(org.manager, 'GET', '/api/v1/today?tz=UTC')).json;
    const all = [...day.dueToday, ...day.overdue];
    const find = (id: string) => all.find((t: { id: string }) => t.id === id);
    expect(find(byDeal)).toMatchObject({
      clientId: company.id,
      clientName: 'Акме Трейд ЕООД',
      contactName: 'Мария Иванова',
      dealTitle: '40 лиценза',
      leadName: null,
    });
    expect(find(byLead)).toMatchObject({ clientId: null, clientName: null, leadName: 'Олег Семенов' });
    expect(find(alone)).toMatchObject({ clientName: null, contactName: null, dealTitle: null, leadName: null });
  });
});

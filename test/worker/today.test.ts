import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { app } from '../../worker/app';
import { build, call, dbWith, makeOrg, type Member } from './harness';

const DAY = 86_400_000;
const ago = (days: number) => new Date(Date.now() - days * DAY).toISOString();
const task = (who: Member, o: Record<string, unknown>) => call(who, 'POST', '/api/v1/tasks', { body: build.task(o) });

describe('today', () => {
  it("lists the caller's tasks due today and overdue, by the day in the caller's time zone", async () => {
    const org = await makeOrg();
    // Sofia is UTC+2 on 10 March 2026: its day runs from 09T22:00Z to 10T22:00Z.
    const early = (await task(org.manager, { title: 'Early call', dueAt: '2026-03-09T22:30:00Z' })).json;
    const noon = (await task(org.manager, { title: 'Noon', dueAt: '2026-03-10T10:00:00Z' })).json;
    const yesterdayLate = (await task(org.manager, { title: 'Late yesterday', dueAt: '2026-03-09T21:30:00Z' })).json;
    const lastWeek = (await task(org.manager, { title: 'Last week', dueAt: '2026-03-02T09:00:00Z' })).json;
    const afterMidnight = (await task(org.manager, { title: 'Tomorrow just after midnight', dueAt: '2026-03-10T22:30:00Z' })).json;
    await task(org.manager, { title: 'Done', dueAt: '2026-03-10T09:00:00Z', done: true });
    await task(org.manager2, { title: 'Colleague', dueAt: '2026-03-10T09:00:00Z' });
    const res = await call(org.manager, 'GET', '/api/v1/today?date=2026-03-10&tz=Europe/Sofia');
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ owner: org.manager.userId, date: '2026-03-10', tz: 'Europe/Sofia' });
    expect(res.json.dueToday.map((t: { id: string }) => t.id)).toEqual([early.id, noon.id]);
    expect(res.json.overdue.map((t: { id: string }) => t.id)).toEqual([lastWeek.id, yesterdayLate.id]);
    const utc = await call(org.manager, 'GET', '/api/v1/today?date=2026-03-10');
    expect(utc.json.dueToday.map((t: { id: string }) => t.id)).toEqual([noon.id, afterMidnight.id]);
  });

  it('stale deals are open deals without an activity for staleDays, oldest silence first', async () => {
    const org = await makeOrg();
    const deal = async (o: Record<string, unknown> = {}) =>
      (await call(org.manager, 'POST', '/api/v1/deals', { body: build.deal(o) })).json as { id: string };
    const quiet = await deal();
    const busy = await deal();
    const fresh = await deal();
    const silentSinceCreated = await deal();
    // Created won: the head of sales' reason stands in for the document package, as the rules ask.
    const won = (
      await call(org.head, 'POST', '/api/v1/deals', {
        body: build.deal({ stage: 'won', overrideReason: 'Signed on paper', ownerId: org.manager.userId }),
      })
    ).json as { id: string };
    await call(org.manager, 'POST', '/api/v1/activities', { body: build.activity({ dealId: quiet.id, occurredAt: ago(20) }) });
    await call(org.manager, 'POST', '/api/v1/activities', { body: build.activity({ dealId: busy.id, occurredAt: ago(30) }) });
    await call(org.manager, 'POST', '/api/v1/activities', { body: build.activity({ dealId: busy.id, occurredAt: ago(2) }) });
    await env.DB.prepare('UPDATE deals SET created_at = ?2 WHERE id = ?1').bind(silentSinceCreated.id, ago(40)).run();
    await env.DB.prepare('UPDATE deals SET created_at = ?2 WHERE id = ?1').bind(won.id, ago(40)).run();
    const res = await call(org.manager, 'GET', '/api/v1/today');
    expect(res.json.staleDeals.map((d: { id: string }) => d.id)).toEqual([silentSinceCreated.id, quiet.id]);
    expect(res.json.staleDeals[1]).toMatchObject({ daysSinceActivity: 20, lastActivityAt: expect.any(String) });
    expect(res.json.staleDeals[0]).toMatchObject({ daysSinceActivity: 40, lastActivityAt: null });
    const strict = await call(org.manager, 'GET', '/api/v1/today?staleDays=1');
    expect(strict.json.staleDeals.map((d: { id: string }) => d.id)).toEqual([silentSinceCreated.id, quiet.id, busy.id]);
    void fresh;
  });

  it("shows the owner's open cases, high priority first", async () => {
    const org = await makeOrg();
    const vip = (await call(org.manager, 'POST', '/api/v1/companies', { body: build.company({ vipTier: 1 }) })).json;
    const normal = (await call(org.manager, 'POST', '/api/v1/cases', { body: { kind: 'proposal', subject: 'Idea' } })).json;
    const urgent = (await call(org.manager, 'POST', '/api/v1/cases', { body: { kind: 'complaint', subject: 'Broken', companyId: vip.id } }))
      .json;
    await call(org.manager, 'POST', '/api/v1/cases', { body: { kind: 'complaint', subject: 'Closed', status: 'rejected' } });
    await call(org.manager2, 'POST', '/api/v1/cases', { body: { kind: 'complaint', subject: 'Not mine' } });
    const res = await call(org.manager, 'GET', '/api/v1/today');
    expect(res.json.openCases.map((c: { id: string }) => c.id)).toEqual([urgent.id, normal.id]);
  });

  it("a head sees any manager's day; a manager only their own; an unknown user is 404", async () => {
    const org = await makeOrg();
    await task(org.manager, { title: 'Overdue', dueAt: ago(3) });
    const head = await call(org.head, 'GET', `/api/v1/today?owner=${org.manager.userId}`);
    expect(head.status).toBe(200);
    expect(head.json.overdue).toHaveLength(1);
    expect((await call(org.manager2, 'GET', `/api/v1/today?owner=${org.manager.userId}`)).status).toBe(403);
    const other = await makeOrg();
    expect((await call(org.head, 'GET', `/api/v1/today?owner=${other.manager.userId}`)).status).toBe(404);
    const badTz = await call(org.manager, 'GET', '/api/v1/today?tz=Mars/Olympus');
    expect(badTz.status).toBe(422);
    expect(badTz.json.errors[0].path).toBe('/tz');
  });
});

describe('every query of today, the client and credit cards, payments, documents and deal competitors is served by an index', () => {
  /** Calls the app with a D1 that records each bound statement, then explains them on the real D1. */
  async function plansOf(who: Member, path: string): Promise<{ sql: string; plan: string }[]> {
    const seen: { sql: string; params: unknown[] }[] = [];
    const db = dbWith({
      prepare: (sql: string) => {
        const stmt = env.DB.prepare(sql);
        return new Proxy(stmt, {
          get(s, k) {
            if (k === 'bind') return (...params: unknown[]) => (seen.push({ sql, params }), s.bind(...params));
            const v = Reflect.get(s, k, s);
            return typeof v === 'function' ? v.bind(s) : v;
          },
        });
      },
    });
    const res = await app.request(path, { headers: { authorization: `Bearer ${who.token}` } }, { ...env, DB: db });
    expect(res.status, path).toBe(200);
    const out: { sql: string; plan: string }[] = [];
    for (const { sql, params } of seen) {
      if (!/^\s*SELECT/i.test(sql) || /api_tokens/.test(sql)) continue;
      const { results } = await env.DB.prepare(`EXPLAIN QUERY PLAN ${sql}`)
        .bind(...params)
        .all<{ detail: string }>();
      out.push({ sql, plan: results.map((r) => r.detail).join(' | ') });
    }
    return out;
  }

  it.each([
    ['today', (_ids: Record<string, string>) => `/api/v1/today?staleDays=3&tz=Europe/Sofia`],
    ['the client card', (ids: Record<string, string>) => `/api/v1/companies/${ids.company}/card`],
    ['the credit card', (ids: Record<string, string>) => `/api/v1/companies/${ids.company}/credit?asOf=2026-06-30`],
    ['the payments list', (ids: Record<string, string>) => `/api/v1/companies/${ids.company}/payments`],
    ['the document checklist', (ids: Record<string, string>) => `/api/v1/deals/${ids.deal}/documents`],
    ['the competitors of a deal', (ids: Record<string, string>) => `/api/v1/deals/${ids.deal}/competitors`],
  ])('%s', async (_label, path) => {
    const org = await makeOrg();
    const company = (await call(org.manager, 'POST', '/api/v1/companies', { body: build.company() })).json;
    const deal = (await call(org.manager, 'POST', '/api/v1/deals', { body: build.deal({ companyId: company.id }) })).json;
    const plans = await plansOf(org.manager, path({ company: company.id, deal: deal.id }));
    expect(plans.length).toBeGreaterThan(0);
    for (const { sql, plan } of plans) {
      // Every table is searched through an index; only json_each and constant rows may be scanned.
      const scans = plan.split(' | ').filter((line) => /^SCAN /.test(line) && !/VIRTUAL TABLE|CONSTANT ROW|SUBQUERY/i.test(line));
      expect(scans, `${sql}\n${plan}`).toEqual([]);
    }
  });
});

// The custom functions' endpoints on the real app and local D1, checked against numbers computed
// here from the deals the test created.
import { describe, expect, it } from 'vitest';
import { build, call, makeOrg, type Member } from './harness';

type Deal = { id: string; stage: string; currency: string; amountMinor: number; ownerId: string };
const OVERRIDE = { 'x-override-reason': 'test data' };

/** A deal of `who`'s; one created won is signed off by a head of sales (`signer`), who overrides the document rule. */
async function deal(who: Member, o: Record<string, unknown>, signer: Member = who): Promise<Deal> {
  const won = o.stage === 'won';
  const res = await call(won ? signer : who, 'POST', '/api/v1/deals', {
    body: build.deal(won ? { ownerId: who.userId, ...o } : o),
    headers: OVERRIDE,
  });
  expect(res.status, res.text).toBe(201);
  return res.json as Deal;
}

async function seed() {
  const org = await makeOrg();
  const mine = [
    await deal(org.manager, { stage: 'new', amountMinor: 10_000, currency: 'BGN' }),
    await deal(org.manager, { stage: 'proposal', amountMinor: 25_050, currency: 'BGN' }),
    await deal(org.manager, { stage: 'proposal', amountMinor: 7_000, currency: 'EUR' }),
    await deal(org.manager, { stage: 'won', amountMinor: 40_000, currency: 'BGN' }, org.head),
    await deal(org.manager, { stage: 'won', amountMinor: 5_000, currency: 'EUR' }, org.head),
    await deal(org.manager, { stage: 'lost', amountMinor: 99_000, currency: 'BGN' }),
  ];
  const theirs = [
    await deal(org.manager2, { stage: 'proposal', amountMinor: 3_000, currency: 'BGN' }),
    await deal(org.manager2, { stage: 'won', amountMinor: 12_345, currency: 'BGN' }, org.head),
  ];
  return { org, mine, theirs, all: [...mine, ...theirs] };
}

/** The same aggregation, written independently: group by keys, count and sum. */
function group(deals: Deal[], keys: Array<keyof Deal>): Array<Array<string | number>> {
  const m = new Map<string, { key: string[]; n: number; v: number }>();
  for (const d of deals) {
    const key = keys.map((k) => String(d[k]));
    const g = m.get(key.join('|')) ?? { key, n: 0, v: 0 };
    g.n++;
    g.v += d.amountMinor;
    m.set(key.join('|'), g);
  }
  const order = ['new', 'qualified', 'proposal', 'negotiation', 'won', 'lost'];
  return [...m.values()]
    .sort((a, b) => order.indexOf(a.key[0]!) - order.indexOf(b.key[0]!) || a.key.join('|').localeCompare(b.key.join('|')))
    .map((g) => [...g.key, g.n, g.v]);
}

const today = () => new Date().toISOString().slice(0, 10);
const open = (d: Deal) => ['new', 'qualified', 'proposal', 'negotiation'].includes(d.stage);

describe('custom function endpoints', () => {
  it('get /api/v1/reports/fn/pipeline answers open deals by stage and currency, a manager only their own', async () => {
    const { org, mine, all } = await seed();
    const asHead = await call(org.head, 'GET', '/api/v1/reports/fn/pipeline');
    expect(asHead.status, asHead.text).toBe(200);
    expect(asHead.json).toEqual({
      columns: ['stage', 'currency', 'count', 'valueMinor'],
      rows: group(all.filter(open), ['stage', 'currency']),
    });

    const asManager = await call(org.manager, 'GET', '/api/v1/reports/fn/pipeline');
    expect(asManager.json.rows).toEqual(group(mine.filter(open), ['stage', 'currency']));

    const oneStage = await call(org.head, 'GET', '/api/v1/reports/fn/pipeline?stage=won');
    expect(oneStage.json.rows).toEqual(
      group(
        all.filter((d) => d.stage === 'won'),
        ['stage', 'currency'],
      ),
    );
  });

  it('get /api/v1/reports/fn/won counts deals won between two dates by currency, for one owner by email or id', async () => {
    const { org, mine, all } = await seed();
    const res = await call(org.head, 'GET', `/api/v1/reports/fn/won?from=${today()}&to=${today()}`);
    expect(res.status, res.text).toBe(200);
    const byCurrency = (ds: Deal[]) =>
      group(
        ds.filter((d) => d.stage === 'won'),
        ['currency'],
      ).sort((a, b) => String(a[0]).localeCompare(String(b[0])));
    expect(res.json).toEqual({ columns: ['currency', 'count', 'valueMinor'], rows: byCurrency(all) });

    const one = await call(org.head, 'GET', `/api/v1/reports/fn/won?from=${today()}&to=${today()}&owner=${org.manager.userId}`);
    expect(one.json.rows).toEqual(byCurrency(mine));

    const before = await call(org.head, 'GET', '/api/v1/reports/fn/won?from=2020-01-01&to=2020-12-31');
    expect(before.json.rows).toEqual([]);
  });

  it('get /api/v1/reports/fn/quota answers quota, actual and attainment for a month', async () => {
    const { org, mine } = await seed();
    const period = today().slice(0, 7);
    const put = await call(org.head, 'PUT', '/api/v1/quotas', {
      body: { userId: org.manager.userId, period, amountMinor: 80_000, currency: 'BGN' },
    });
    expect(put.status, put.text).toBe(200);
    const res = await call(org.head, 'GET', `/api/v1/reports/fn/quota?owner=${org.manager.userId}&period=${period}`);
    expect(res.status, res.text).toBe(200);
    const actual = mine.filter((d) => d.stage === 'won' && d.currency === 'BGN').reduce((s, d) => s + d.amountMinor, 0);
    expect(res.json).toEqual({
      columns: ['quotaMinor', 'actualMinor', 'attainment', 'currency'],
      rows: [[80_000, actual, actual / 80_000, 'BGN']],
    });
    // "me" works for the manager; a colleague's quota does not.
    expect((await call(org.manager, 'GET', `/api/v1/reports/fn/quota?owner=me&period=${period}`)).json.rows[0][1]).toBe(actual);
    expect((await call(org.manager, 'GET', `/api/v1/reports/fn/quota?owner=${org.manager2.userId}&period=${period}`)).status).toBe(403);
  });

  it('get /api/v1/reports/fn/report answers one weekly section as header + rows, the same as the weekly report', async () => {
    const { org } = await seed();
    const week = (await call(org.head, 'GET', '/api/v1/reports/weekly?scope=org')).json.period.label as string;
    const weekly = await call(org.head, 'GET', `/api/v1/reports/weekly?week=${week}&scope=org&section=wonLost`);
    const res = await call(org.head, 'GET', `/api/v1/reports/fn/report?kind=weekly&period=${week}&section=wonLost`);
    expect(res.status, res.text).toBe(200);
    const s = weekly.json.sections[0];
    expect(res.json).toEqual({ title: s.title, columns: s.columns.map((c: { label: string }) => c.label), rows: s.rows });
  });

  it('fills in arguments a formula leaves out: this month, me, last week, the pipeline section', async () => {
    const { org, mine } = await seed();
    const won = await call(org.manager, 'GET', '/api/v1/reports/fn/won');
    expect(won.status, won.text).toBe(200);
    expect(won.json.rows.map((r: unknown[]) => r[0]).sort()).toEqual(
      [...new Set(mine.filter((d) => d.stage === 'won').map((d) => d.currency))].sort(),
    );
    expect((await call(org.manager, 'GET', '/api/v1/reports/fn/quota')).json).toEqual({
      columns: ['quotaMinor', 'actualMinor', 'attainment', 'currency'],
      rows: [],
    });
    const report = await call(org.head, 'GET', '/api/v1/reports/fn/report');
    expect(report.status, report.text).toBe(200);
    expect(report.json.columns).toContain('Stage');
  });

  it('answers problem+json for bad arguments and strangers', async () => {
    const { org } = await seed();
    const bad = await call(org.head, 'GET', '/api/v1/reports/fn/won?from=July&to=2026-07-31');
    expect(bad.status).toBe(422);
    expect(bad.headers.get('content-type')).toContain('application/problem+json');
    const unknown = await call(org.head, 'GET', '/api/v1/reports/fn/quota?owner=nobody@example.com&period=2026-11');
    expect(unknown.status).toBe(422);
    expect(unknown.json.errors[0].path).toBe('/owner');
    const other = await makeOrg();
    const stranger = await call(other.head, 'GET', `/api/v1/reports/fn/quota?owner=${org.manager.userId}&period=2026-11`);
    expect(stranger.status).toBe(422);
    expect((await call(null, 'GET', '/api/v1/reports/fn/pipeline')).status).toBe(401);
  });
});

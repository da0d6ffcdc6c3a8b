import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { scoreCredit } from '../../shared/credit/score';
import { weekPeriod } from '../../shared/report/period';
import { STAGE_PROBABILITY, type Stage } from '../../shared/schemas';
import { newId } from '../../worker/lib/ids';
import { weeklyReport, type ScopeRef } from '../../worker/reports/weekly-report';
import { nightly } from '../../worker/index';
import { call, makeOrg } from './harness';

// A week of an organisation's life, written straight into D1 with the dates it happened on.
// The expected numbers are computed below in plain TypeScript from these same arrays, not by SQL.
const W = weekPeriod('2026-W47')!; // 2026-11-16 .. 2026-11-23
const at = (day: string, hour = 10) => `${day}T${String(hour).padStart(2, '0')}:00:00.000Z`;

interface HistoryRow {
  deal: string;
  from: Stage | null;
  to: Stage;
  amount: number;
  at: string;
}

async function seedWeek() {
  const org = await makeOrg('Report Co');
  const m1 = org.manager.userId;
  const m2 = org.manager2.userId;
  const leads = [
    { source: 'email', owner: m1, created: at('2026-11-16'), converted: at('2026-11-18') },
    { source: 'email', owner: m1, created: at('2026-11-17'), converted: null },
    { source: 'email', owner: m2, created: at('2026-11-20'), converted: null },
    { source: 'webform', owner: m2, created: at('2026-11-22', 23), converted: null },
    { source: 'call', owner: m1, created: at('2026-11-23', 0), converted: null }, // next week
    { source: 'excel', owner: m1, created: at('2026-11-09'), converted: at('2026-11-19') }, // older lead converted this week
  ];
  const deals = [
    { id: newId(), owner: m1, created: at('2026-11-02'), currency: 'BGN', lostReason: null, competitor: null, expectedClose: '2026-11-20' },
    {
      id: newId(),
      owner: m1,
      created: at('2026-11-17'),
      currency: 'BGN',
      lostReason: 'Цена',
      competitor: 'Pipedrive',
      expectedClose: '2026-11-30',
    },
    { id: newId(), owner: m2, created: at('2026-11-05'), currency: 'EUR', lostReason: null, competitor: null, expectedClose: '2026-12-10' },
    { id: newId(), owner: m2, created: at('2026-11-24'), currency: 'EUR', lostReason: null, competitor: null, expectedClose: '2026-12-01' },
    {
      id: newId(),
      owner: m2,
      created: at('2026-11-03'),
      currency: 'BGN',
      lostReason: null,
      competitor: 'Bitrix24',
      expectedClose: '2027-02-01',
    },
  ];
  const [a, b, c, d, e] = deals.map((x) => x.id) as [string, string, string, string, string];
  const history: HistoryRow[] = [
    { deal: a, from: null, to: 'new', amount: 100_000, at: at('2026-11-02') },
    { deal: a, from: 'new', to: 'proposal', amount: 100_000, at: at('2026-11-10') },
    { deal: a, from: 'proposal', to: 'won', amount: 120_000, at: at('2026-11-19') },
    { deal: b, from: null, to: 'new', amount: 50_000, at: at('2026-11-17') },
    { deal: b, from: 'new', to: 'lost', amount: 50_000, at: at('2026-11-21') },
    { deal: c, from: null, to: 'qualified', amount: 300_000, at: at('2026-11-05') },
    { deal: c, from: 'qualified', to: 'negotiation', amount: 300_000, at: at('2026-11-12') },
    { deal: c, from: 'negotiation', to: 'negotiation', amount: 350_000, at: at('2026-11-18') },
    { deal: d, from: null, to: 'new', amount: 70_000, at: at('2026-11-24') },
    { deal: e, from: null, to: 'proposal', amount: 80_000, at: at('2026-11-03') },
  ];
  const activities = [
    { owner: m1, type: 'email', at: at('2026-11-16'), company: null as string | null },
    { owner: m1, type: 'call', at: at('2026-11-17'), company: null },
    { owner: m1, type: 'call', at: at('2026-11-22', 22), company: null },
    { owner: m2, type: 'meeting', at: at('2026-11-19'), company: null },
    { owner: m2, type: 'note', at: at('2026-11-25'), company: null }, // next week
  ];
  const tasks = [
    { title: 'Overdue call', assignee: m1, due: at('2026-11-12'), done: 0, doneAt: null as string | null },
    { title: 'Done in time', assignee: m1, due: at('2026-11-12'), done: 1, doneAt: at('2026-11-20') },
    { title: 'Done later', assignee: m2, due: at('2026-11-20'), done: 1, doneAt: at('2026-11-26') },
    { title: 'Due next week', assignee: m2, due: at('2026-11-25'), done: 0, doneAt: null },
  ];
  const vip = [
    { id: newId(), name: 'Quiet VIP АД', tier: 2, lastContact: at('2026-10-10') },
    { id: newId(), name: 'Busy VIP ООД', tier: 1, lastContact: at('2026-11-15') },
  ];
  for (const v of vip) activities.push({ owner: m1, type: 'call', at: v.lastContact, company: v.id });
  const quotas = [{ user: m1, period: '2026-11', amount: 500_000, currency: 'BGN' }];

  const o = org.orgId;
  const s: D1PreparedStatement[] = [];
  for (const l of leads)
    s.push(
      env.DB.prepare(
        `INSERT INTO leads (id, org_id, source, status, owner_id, name_key, created_at, updated_at, converted_at) VALUES (?1, ?2, ?3, ?4, ?5, 'x', ?6, ?6, ?7)`,
      ).bind(newId(), o, l.source, l.converted ? 'converted' : 'new', l.owner, l.created, l.converted),
    );
  for (const x of deals) {
    const last = history.filter((h) => h.deal === x.id).at(-1)!;
    s.push(
      env.DB.prepare(
        `INSERT INTO deals (id, org_id, title, amount_minor, currency, stage, probability, owner_id, lost_reason, competitor, expected_close, name_key, created_at, updated_at) VALUES (?1, ?2, 'Deal', ?3, ?4, ?5, 0, ?6, ?7, ?8, ?9, 'deal', ?10, ?10)`,
      ).bind(x.id, o, last.amount, x.currency, last.to, x.owner, x.lostReason, x.competitor, x.expectedClose, x.created),
    );
  }
  for (const h of history) {
    const cur = deals.find((x) => x.id === h.deal)!.currency;
    s.push(
      env.DB.prepare(
        `INSERT INTO deal_stage_history (id, org_id, deal_id, from_stage, to_stage, amount_minor, currency, changed_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)`,
      ).bind(newId(), o, h.deal, h.from, h.to, h.amount, cur, h.at),
    );
  }
  for (const x of activities)
    s.push(
      env.DB.prepare(
        `INSERT INTO activities (id, org_id, type, subject, occurred_at, owner_id, company_id, name_key, created_at, updated_at) VALUES (?1, ?2, ?3, 's', ?4, ?5, ?6, 's', ?4, ?4)`,
      ).bind(newId(), o, x.type, x.at, x.owner, x.company),
    );
  for (const t of tasks)
    s.push(
      env.DB.prepare(
        `INSERT INTO tasks (id, org_id, title, due_at, done, done_at, assignee_id, name_key, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 't', ?4, ?4)`,
      ).bind(newId(), o, t.title, t.due, t.done, t.doneAt, t.assignee),
    );
  for (const v of vip)
    s.push(
      env.DB.prepare(
        `INSERT INTO companies (id, org_id, name, vip_tier, name_key, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, 'v', ?5, ?5)`,
      ).bind(v.id, o, v.name, v.tier, at('2026-01-01')),
    );
  for (const q of quotas)
    s.push(
      env.DB.prepare(
        `INSERT INTO quotas (id, org_id, user_id, period, amount_minor, currency, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7)`,
      ).bind(newId(), o, q.user, q.period, q.amount, q.currency, at('2026-11-01')),
    );
  await env.DB.batch(s);
  return { org, leads, deals, history, activities, tasks, vip, quotas };
}

type Seed = Awaited<ReturnType<typeof seedWeek>>;
const inWeek = (t: string) => t >= W.from && t < W.to;

/** The pipeline as of an instant, by walking each deal's history in TypeScript. */
function pipelineAt(seed: Seed, instant: string) {
  const out = new Map<string, [number, number]>();
  for (const d of seed.deals) {
    const last = seed.history.filter((h) => h.deal === d.id && h.at < instant).at(-1);
    if (!last) continue;
    const k = `${last.to}|${d.currency}`;
    const cur = out.get(k) ?? [0, 0];
    out.set(k, [cur[0] + 1, cur[1] + last.amount]);
  }
  return out;
}

const rowsOf = (report: any, key: string) => report.sections.find((s: { key: string }) => s.key === key).rows as any[][];

describe('the weekly report', () => {
  it('equals an independent computation over the seeded week', async () => {
    const seed = await seedWeek();
    const res = await call(seed.org.head, 'GET', '/api/v1/reports/weekly?week=2026-W47');
    expect(res.status).toBe(200);
    const r = res.json;
    expect(r.period).toEqual({ label: '2026-W47', from: W.from, to: W.to });

    const created = seed.leads.filter((l) => inWeek(l.created));
    const bySource = Object.fromEntries(['email', 'webform'].map((s) => [s, created.filter((l) => l.source === s).length]));
    expect(Object.fromEntries(rowsOf(r, 'newLeadsBySource'))).toEqual(bySource);
    expect(rowsOf(r, 'conversion')[0]).toEqual([
      created.length,
      created.filter((l) => l.converted).length,
      0.25,
      seed.leads.filter((l) => l.converted && inWeek(l.converted)).length,
    ]);

    const start = pipelineAt(seed, W.from);
    const end = pipelineAt(seed, W.to);
    const expectedPipeline = [...new Set([...start.keys(), ...end.keys()])].map((k) => [
      ...k.split('|'),
      ...(start.get(k) ?? [0, 0]),
      ...(end.get(k) ?? [0, 0]),
    ]);
    expect(rowsOf(r, 'pipeline')).toEqual(expect.arrayContaining(expectedPipeline));
    expect(rowsOf(r, 'pipeline')).toHaveLength(expectedPipeline.length);

    const moves = seed.history.filter((h) => inWeek(h.at) && h.from && h.from !== h.to);
    expect(
      rowsOf(r, 'movements')
        .map((m) => `${m[0]}>${m[1]}`)
        .sort(),
    ).toEqual(moves.map((m) => `${m.from}>${m.to}`).sort());

    const won = seed.history.filter((h) => inWeek(h.at) && h.to === 'won');
    const lost = seed.history.filter((h) => inWeek(h.at) && h.to === 'lost');
    const cycle = (h: HistoryRow) => (Date.parse(h.at) - Date.parse(seed.deals.find((d) => d.id === h.deal)!.created)) / 86_400_000;
    expect(rowsOf(r, 'wonLost')).toEqual([
      ['lost', 'BGN', lost.length, lost.reduce((a, h) => a + h.amount, 0), cycle(lost[0]!)],
      ['won', 'BGN', won.length, won.reduce((a, h) => a + h.amount, 0), cycle(won[0]!)],
    ]);
    expect(rowsOf(r, 'lostReasons')).toEqual([['Цена', 1]]);
    expect(rowsOf(r, 'competitors')).toEqual([['Pipedrive', 0, 1]]);

    // Plan: November quota of manager 1 against what they won in November up to the week's end.
    const wonNov = seed.history.filter((h) => h.to === 'won' && h.at >= '2026-11-01' && h.at < W.to).reduce((a, h) => a + h.amount, 0);
    expect(rowsOf(r, 'planVsActual')).toEqual([[expect.any(String), '2026-11', 'BGN', 500_000, wonNov, wonNov / 500_000]]);

    // Forecast: deals open at the week's end, closing within 4 weeks of it, weighted by stage.
    const open4w = seed.deals.filter((d) => {
      const last = seed.history.filter((h) => h.deal === d.id && h.at < W.to).at(-1);
      return last && !['won', 'lost'].includes(last.to) && d.expectedClose < '2026-12-21';
    });
    const fc = rowsOf(r, 'forecast').filter((x) => x[0] === 'next4Weeks');
    const expectedFc = open4w.map((d) => {
      const last = seed.history.filter((h) => h.deal === d.id && h.at < W.to).at(-1)!;
      return ['next4Weeks', d.currency, 1, last.amount, Math.round((last.amount * STAGE_PROBABILITY[last.to]) / 100)];
    });
    expect(fc).toEqual(expectedFc);

    const acts = seed.activities.filter((a) => inWeek(a.at));
    const total = rowsOf(r, 'activities').reduce((a, row) => a + row[5], 0);
    expect(total).toBe(acts.length);

    const overdue = seed.tasks.filter((t) => t.due < W.to && (!t.done || (t.doneAt ?? '') >= W.to)).map((t) => t.title);
    expect(
      rowsOf(r, 'overdueFollowUps')
        .map((x) => x[0])
        .sort(),
    ).toEqual(overdue.sort());

    const quiet = seed.vip.filter((v) => Date.parse(W.to) - Date.parse(v.lastContact) > 30 * 86_400_000).map((v) => v.name);
    expect(rowsOf(r, 'vipNoContact').map((x) => x[0])).toEqual(quiet);
  });

  it('lists the complaints and proposals open at the end of the week, high priority first, with their age', async () => {
    const org = await makeOrg('Cases Co');
    const co = newId();
    const insert = (
      subject: string,
      kind: string,
      priority: string,
      rank: number,
      created: string,
      status = 'open',
      resolved: string | null = null,
    ) =>
      env.DB.prepare(
        `INSERT INTO cases (id, org_id, kind, subject, status, priority, priority_rank, company_id, owner_id, resolved_at, name_key, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, 'k', ?11, ?11)`,
      ).bind(newId(), org.orgId, kind, subject, status, priority, rank, co, org.manager.userId, resolved, created);
    await env.DB.batch([
      env.DB.prepare(
        `INSERT INTO companies (id, org_id, name, vip_tier, name_key, created_at, updated_at) VALUES (?1, ?2, 'Алфа ООД', 3, 'a', ?3, ?3)`,
      ).bind(co, org.orgId, at('2026-10-01')),
      insert('Повредена пратка', 'complaint', 'high', 3, at('2026-11-20')),
      insert('Нов ценоразпис', 'proposal', 'normal', 2, at('2026-11-10')),
      insert('Закъсняла фактура', 'complaint', 'normal', 2, at('2026-11-05'), 'resolved', at('2026-11-25')), // resolved after the week
      insert('Стар въпрос', 'complaint', 'low', 1, at('2026-11-01'), 'resolved', at('2026-11-12')), // resolved before its end
      insert('Следващата седмица', 'complaint', 'high', 3, at('2026-11-24')), // opened after it
    ]);
    const r = (await call(org.head, 'GET', '/api/v1/reports/weekly?week=2026-W47')).json;
    const days = (created: string) => Math.floor((Date.parse(W.to) - Date.parse(created)) / 86_400_000);
    expect(rowsOf(r, 'openCases')).toEqual([
      ['complaint', 'Повредена пратка', 'Алфа ООД', 'high', days(at('2026-11-20'))],
      ['complaint', 'Закъсняла фактура', 'Алфа ООД', 'normal', days(at('2026-11-05'))],
      ['proposal', 'Нов ценоразпис', 'Алфа ООД', 'normal', days(at('2026-11-10'))],
    ]);
  });

  it('names the clients whose credit score worsened during the week, with the score at both ends', async () => {
    const org = await makeOrg('Credit Co');
    const slipping = newId();
    const steady = newId();
    const invoice = (company: string, no: string, due: string, paid: string | null) =>
      env.DB.prepare(
        `INSERT INTO payments (id, org_id, company_id, invoice_no, amount_minor, currency, issued_on, due_on, paid_on, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, 1000000, 'BGN', ?5, ?6, ?7, ?8, ?8)`,
      ).bind(newId(), org.orgId, company, no, '2026-10-01', due, paid, at('2026-10-01'));
    await env.DB.batch([
      env.DB.prepare(
        `INSERT INTO companies (id, org_id, name, credit_limit_minor, credit_currency, name_key, created_at, updated_at) VALUES (?1, ?2, 'Бавно плащащи ООД', 500000, 'BGN', 'b', ?3, ?3)`,
      ).bind(slipping, org.orgId, at('2026-09-01')),
      env.DB.prepare(
        `INSERT INTO companies (id, org_id, name, name_key, created_at, updated_at) VALUES (?1, ?2, 'Точни АД', 't', ?3, ?3)`,
      ).bind(steady, org.orgId, at('2026-09-01')),
      // Falls due during the week and stays unpaid: overdue, and over the credit limit, by its end.
      invoice(slipping, 'F-1', '2026-11-18', null),
      invoice(steady, 'F-2', '2026-11-18', '2026-11-17'),
    ]);
    const r = (await call(org.head, 'GET', '/api/v1/reports/weekly?week=2026-W47')).json;
    const card = (asOf: string) =>
      scoreCredit({
        asOf,
        creditLimitMinor: 500000,
        currency: 'BGN',
        invoices: [{ amountMinor: 1000000, currency: 'BGN', issuedOn: '2026-10-01', dueOn: '2026-11-18', paidOn: null }],
      });
    const before = card('2026-11-15');
    const after = card('2026-11-22');
    expect(after.score).toBeLessThan(before.score);
    expect(rowsOf(r, 'creditWatch')).toEqual([
      ['Бавно плащащи ООД', before.score, after.score, after.grade, 1000000, 'BGN', after.reasons[0]],
    ]);
  });

  it('counts win/loss by competitor from the competitors linked to each deal and the one named on it', async () => {
    const org = await makeOrg('Rivals Co');
    const o = org.orgId;
    const [bitrix, amo] = [newId(), newId()];
    const deal = (id: string, stage: 'won' | 'lost', competitor: string | null) =>
      env.DB.prepare(
        `INSERT INTO deals (id, org_id, title, amount_minor, currency, stage, probability, owner_id, competitor, name_key, created_at, updated_at)
         VALUES (?1, ?2, 'Deal', 100000, 'BGN', ?3, 0, ?4, ?5, 'deal', ?6, ?6)`,
      ).bind(id, o, stage, org.manager.userId, competitor, at('2026-11-02'));
    const closed = (id: string, stage: 'won' | 'lost') =>
      env.DB.prepare(
        `INSERT INTO deal_stage_history (id, org_id, deal_id, from_stage, to_stage, amount_minor, currency, changed_at) VALUES (?1, ?2, ?3, 'negotiation', ?4, 100000, 'BGN', ?5)`,
      ).bind(newId(), o, id, stage, at('2026-11-19'));
    const link = (dealId: string, competitorId: string, lostTo: 0 | 1) =>
      env.DB.prepare(
        `INSERT INTO deal_competitors (id, org_id, deal_id, competitor_id, lost_to, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)`,
      ).bind(newId(), o, dealId, competitorId, lostTo, at('2026-11-10'));
    const [won, lost, lostNamed] = [newId(), newId(), newId()];
    await env.DB.batch([
      env.DB.prepare(
        `INSERT INTO competitors (id, org_id, name, name_key, created_at, updated_at) VALUES (?1, ?2, 'Bitrix24', 'b', ?4, ?4), (?3, ?2, 'amoCRM', 'a', ?4, ?4)`,
      ).bind(bitrix, o, amo, at('2026-10-01')),
      deal(won, 'won', null),
      deal(lost, 'lost', null),
      deal(lostNamed, 'lost', 'Pipedrive'),
      closed(won, 'won'),
      closed(lost, 'lost'),
      closed(lostNamed, 'lost'),
      // Won against both; lost to Bitrix24 although amoCRM also bid.
      link(won, bitrix, 0),
      link(won, amo, 0),
      link(lost, bitrix, 1),
      link(lost, amo, 0),
    ]);
    const r = (await call(org.head, 'GET', '/api/v1/reports/weekly?week=2026-W47')).json;
    const expected = [
      ['Bitrix24', 1, 1],
      ['amoCRM', 1, 0],
      ['Pipedrive', 0, 1],
    ].sort((a, b) => String(a[0]).localeCompare(String(b[0])));
    expect(rowsOf(r, 'competitors')).toEqual(expected);
  });

  it('gives the same numbers next month', async () => {
    const seed = await seedWeek();
    const before = (await call(seed.org.head, 'GET', '/api/v1/reports/weekly?week=2026-W47')).json;
    // Later life: a deal moves on, a task gets done, a new lead arrives.
    await env.DB.batch([
      env.DB.prepare(
        `INSERT INTO deal_stage_history (id, org_id, deal_id, from_stage, to_stage, amount_minor, currency, changed_at) VALUES (?1, ?2, ?3, 'negotiation', 'won', 350000, 'EUR', '2026-12-15T10:00:00.000Z')`,
      ).bind(newId(), seed.org.orgId, seed.deals[2]!.id),
      env.DB.prepare(`UPDATE tasks SET done = 1, done_at = '2026-12-01T00:00:00.000Z' WHERE org_id = ?1 AND done = 0`).bind(seed.org.orgId),
      env.DB.prepare(
        `INSERT INTO leads (id, org_id, source, status, name_key, created_at, updated_at) VALUES (?1, ?2, 'call', 'new', 'x', '2026-12-02T00:00:00.000Z', '2026-12-02T00:00:00.000Z')`,
      ).bind(newId(), seed.org.orgId),
    ]);
    const after = (await call(seed.org.head, 'GET', '/api/v1/reports/weekly?week=2026-W47')).json;
    expect(after.sections).toEqual(before.sections);
  });

  it('reads a past week from stored snapshots with the numbers the history itself gives', async () => {
    const seed = await seedWeek();
    // Asked before the week began, nothing has passed yet: every section is computed from the history.
    const before = () => new Date('2026-11-15T12:00:00.000Z');
    const scopes: ScopeRef[] = [
      { kind: 'org', id: null },
      { kind: 'manager', id: seed.org.manager.userId },
      { kind: 'manager', id: seed.org.manager2.userId },
    ];
    for (const scope of scopes) {
      const live = await weeklyReport(env.DB, seed.org.orgId, W, scope, 'en', before);
      const first = await weeklyReport(env.DB, seed.org.orgId, W, scope);
      const again = await weeklyReport(env.DB, seed.org.orgId, W, scope);
      expect(first.sections).toEqual(live.sections);
      expect(again.sections).toEqual(live.sections);
    }
    const kept = await env.DB.prepare(
      `SELECT (SELECT count(*) FROM forecast_snapshots WHERE org_id = ?1 AND stage != '') AS forecast,
              (SELECT count(*) FROM won_snapshots WHERE org_id = ?1 AND currency != '') AS won`,
    )
      .bind(seed.org.orgId)
      .first<{ forecast: number; won: number }>();
    expect(kept!.forecast).toBeGreaterThan(0);
    expect(kept!.won).toBeGreaterThan(0);
  });

  it("computes the running week's pipeline from the stored start and the week's changes, with the numbers the history gives", async () => {
    const seed = await seedWeek();
    const before = () => new Date('2026-11-15T12:00:00.000Z');
    // Mid-week: the week's start has passed (its pipeline is stored), its end has not.
    const midWeek = () => new Date('2026-11-19T12:00:00.000Z');
    const scopes: ScopeRef[] = [
      { kind: 'org', id: null },
      { kind: 'manager', id: seed.org.manager.userId },
    ];
    for (const scope of scopes) {
      const live = await weeklyReport(env.DB, seed.org.orgId, W, scope, 'en', before);
      const running = await weeklyReport(env.DB, seed.org.orgId, W, scope, 'en', midWeek);
      expect(running.sections).toEqual(live.sections);
    }
    const stored = await env.DB.prepare(`SELECT count(*) AS n FROM pipeline_snapshots WHERE org_id = ?1 AND at = ?2`)
      .bind(seed.org.orgId, W.from)
      .first<{ n: number }>();
    expect(stored!.n).toBeGreaterThan(0);
    const org = await weeklyReport(env.DB, seed.org.orgId, W, scopes[0]!, 'en', midWeek);
    // Deals moved during the week: the start and the end differ, so the week's changes were applied.
    expect(rowsOf(org, 'pipeline').some((r) => r[2] !== r[4] || r[3] !== r[5])).toBe(true);
  });

  it('is CSV with a BOM and formula-escaped text for Power Query and spreadsheets', async () => {
    const seed = await seedWeek();
    await env.DB.prepare(`UPDATE deals SET lost_reason = '=HYPERLINK("http://evil")' WHERE org_id = ?1 AND lost_reason IS NOT NULL`)
      .bind(seed.org.orgId)
      .run();
    const res = await call(seed.org.head, 'GET', '/api/v1/reports/weekly?week=2026-W47&format=csv&lang=bg');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/csv/);
    expect(res.text.charCodeAt(0)).toBe(0xfeff);
    expect(res.text).toContain('Нови запитвания по източник');
    expect(res.text).toContain(`"'=HYPERLINK(""http://evil"")"`);
    expect(res.text).not.toMatch(/(^|,)=HYPERLINK/m);
  });

  it('lets a manager see only their own scope', async () => {
    const seed = await seedWeek();
    expect((await call(seed.org.manager, 'GET', '/api/v1/reports/weekly?week=2026-W47')).status).toBe(403);
    const mine = await call(seed.org.manager, 'GET', '/api/v1/reports/weekly?week=2026-W47&scope=me');
    expect(mine.status).toBe(200);
    const mineLeads = seed.leads.filter((l) => inWeek(l.created) && l.owner === seed.org.manager.userId).length;
    expect(rowsOf(mine.json, 'newLeadsBySource').reduce((a, x) => a + x[1], 0)).toBe(mineLeads);
    expect(
      (await call(seed.org.manager, 'GET', `/api/v1/reports/weekly?week=2026-W47&scope=manager:${seed.org.manager2.userId}`)).status,
    ).toBe(403);
  });

  it('names its scope and records each export once in the audit log; a manager from elsewhere is a 404 that records nothing', async () => {
    const seed = await seedWeek();
    const other = await makeOrg('Other Co');
    const exports = async () =>
      (await env.DB.prepare(`SELECT count(*) AS n FROM audit_log WHERE org_id = ?1 AND action = 'export' AND entity = 'report'`)
        .bind(seed.org.orgId)
        .first<{ n: number }>())!.n;
    const org = await call(seed.org.head, 'GET', '/api/v1/reports/weekly?week=2026-W47');
    expect(org.json.scope).toEqual({ kind: 'org', id: null, name: 'Report Co' });
    const managerName = (await call(seed.org.manager, 'GET', '/api/v1/me')).json.user.name;
    const mine = await call(seed.org.manager, 'GET', '/api/v1/reports/weekly?week=2026-W47&scope=me&format=csv');
    expect(mine.status).toBe(200);
    expect(await exports()).toBe(2);
    const row = await env.DB.prepare(
      `SELECT user_id, details FROM audit_log WHERE org_id = ?1 AND action = 'export' AND entity = 'report' ORDER BY at DESC, id DESC LIMIT 1`,
    )
      .bind(seed.org.orgId)
      .first<{ user_id: string; details: string }>();
    expect(row!.user_id).toBe(seed.org.manager.userId);
    expect(JSON.parse(row!.details)).toEqual({ kind: 'weekly', period: '2026-W47', scope: 'me', format: 'csv' });
    const json = await call(seed.org.manager, 'GET', '/api/v1/reports/weekly?week=2026-W47&scope=me');
    expect(json.json.scope).toEqual({ kind: 'manager', id: seed.org.manager.userId, name: managerName });

    const foreign = await call(seed.org.head, 'GET', `/api/v1/reports/weekly?week=2026-W47&scope=manager:${other.manager.userId}`);
    expect(foreign.status).toBe(404);
    expect(foreign.headers.get('content-type')).toMatch(/problem\+json/);
    expect(await exports()).toBe(3);
  });

  it('stamps generatedAt with the clock it is given, not the time of the machine', async () => {
    const org = await makeOrg();
    const clock = () => new Date('2026-11-24T08:30:00.000Z');
    const report = await weeklyReport(env.DB, org.orgId, W, { kind: 'org', id: null }, 'en', clock);
    expect(report.generatedAt).toBe('2026-11-24T08:30:00.000Z');
  });

  it('rejects a week that does not exist', async () => {
    const org = await makeOrg();
    const res = await call(org.head, 'GET', '/api/v1/reports/weekly?week=2026-W60');
    expect(res.status).toBe(422);
    expect(res.json.errors[0].path).toBe('/week');
  });
});

describe('the nightly job', () => {
  it('stores the snapshots of the week just ended for every organisation and forgets expired idempotency keys', async () => {
    const seed = await seedWeek();
    await env.DB.prepare(
      `INSERT INTO idempotency_keys (org_id, key, request_hash, state, status, response, headers, created_at) VALUES (?1, 'old', 'h', 'done', 201, '{}', '{}', '2020-01-01T00:00:00.000Z')`,
    )
      .bind(seed.org.orgId)
      .run();
    // Monday 00:15 of 2026-W48: 2026-W47 has just ended.
    await nightly(env as never, new Date('2026-11-23T00:15:00.000Z'));
    const marks = await env.DB.prepare(
      `SELECT (SELECT count(*) FROM pipeline_snapshots WHERE org_id = ?1 AND at IN (?2, ?3) AND owner_id = '' AND stage = '' AND currency = '') AS pipeline,
              (SELECT count(*) FROM forecast_snapshots WHERE org_id = ?1 AND at = ?3 AND owner_id = '' AND stage = '') AS forecast,
              (SELECT count(*) FROM won_snapshots WHERE org_id = ?1 AND at = ?3 AND owner_id = '' AND currency = '') AS won,
              (SELECT count(*) FROM idempotency_keys WHERE org_id = ?1 AND key = 'old') AS oldKeys`,
    )
      .bind(seed.org.orgId, W.from, W.to)
      .first();
    expect(marks).toEqual({ pipeline: 2, forecast: 1, won: 1, oldKeys: 0 });
    // The week's report now reads them, with the numbers the history gives.
    const live = await weeklyReport(env.DB, seed.org.orgId, W, { kind: 'org', id: null }, 'en', () => new Date('2026-11-15T00:00:00.000Z'));
    expect((await call(seed.org.head, 'GET', '/api/v1/reports/weekly?week=2026-W47')).json.sections).toEqual(live.sections);
  });
});

describe('quotas', () => {
  it('a head sets a quota, setting it again updates it, a manager cannot', async () => {
    const org = await makeOrg();
    const body = { userId: org.manager.userId, period: '2026-Q4', amountMinor: 1_000_000, currency: 'BGN' };
    expect((await call(org.head, 'PUT', '/api/v1/quotas', { body })).json).toMatchObject({ amountMinor: 1_000_000, version: 1 });
    expect((await call(org.head, 'PUT', '/api/v1/quotas', { body: { ...body, amountMinor: 2_000_000 } })).json).toMatchObject({
      amountMinor: 2_000_000,
      version: 2,
    });
    expect((await call(org.manager, 'PUT', '/api/v1/quotas', { body })).status).toBe(403);
    const list = await call(org.manager, 'GET', '/api/v1/quotas?owner=me');
    expect(list.json.items).toHaveLength(1);
  });
});

describe('the pipeline as of an instant', () => {
  it('drops a deal from the day it is deleted and brings it back from the day it is restored', async () => {
    const org = await makeOrg();
    const deal = (await call(org.head, 'POST', '/api/v1/deals', { body: { title: 'Soon gone', amountMinor: 70_000, stage: 'proposal' } }))
      .json;
    const pipelineNow = async () => {
      const now = new Date(Date.now() + 1000).toISOString().slice(0, 10);
      const r = (await call(org.head, 'GET', `/api/v1/reports/weekly?from=${now}&to=${now}`)).json;
      return rowsOf(r, 'pipeline')
        .filter((x) => x[0] === 'proposal')
        .reduce((a, x) => a + x[4], 0);
    };
    expect(await pipelineNow()).toBe(1);
    const del = await call(org.head, 'DELETE', `/api/v1/deals/${deal.id}`, { headers: { 'if-match': '"1"' } });
    expect(del.status, del.text).toBe(204);
    expect(await pipelineNow()).toBe(0);
    expect((await call(org.head, 'POST', `/api/v1/deals/${deal.id}/restore`, { headers: { 'if-match': '"2"' } })).status).toBe(200);
    expect(await pipelineNow()).toBe(1);
    const { results } = await env.DB.prepare(`SELECT count(*) AS open FROM deal_stage_history WHERE deal_id = ?1 AND valid_to > '9000'`)
      .bind(deal.id)
      .all<{ open: number }>();
    expect(results[0]!.open).toBe(1);
  });
});

// POST /api/v1/reports/fn/batch: the calls of one recalculation in one request. Each answer must
// be exactly what the call's own GET route answers, errors included, one call's problem never
// spoiling the others.
import { describe, expect, it } from 'vitest';
import { build, call, makeOrg, type Member } from './harness';

const OVERRIDE = { 'x-override-reason': 'test data' };

async function seed() {
  const org = await makeOrg();
  const deal = async (who: Member, o: Record<string, unknown>) => {
    const res = await call(who, 'POST', '/api/v1/deals', { body: build.deal(o), headers: OVERRIDE });
    expect(res.status, res.text).toBe(201);
  };
  await deal(org.manager, { stage: 'new', amountMinor: 10_000, currency: 'BGN' });
  await deal(org.manager, { stage: 'proposal', amountMinor: 25_050, currency: 'EUR' });
  await deal(org.manager, { stage: 'won', amountMinor: 40_000, currency: 'BGN' });
  await deal(org.manager, { stage: 'won', amountMinor: 5_000, currency: 'EUR' });
  await deal(org.manager2, { stage: 'proposal', amountMinor: 3_000, currency: 'BGN' });
  await deal(org.manager2, { stage: 'won', amountMinor: 12_345, currency: 'BGN' });
  const period = new Date().toISOString().slice(0, 7);
  for (const [user, amount] of [
    [org.manager.userId, 80_000],
    [org.manager2.userId, 50_000],
  ] as const) {
    const res = await call(org.head, 'PUT', '/api/v1/quotas', { body: { userId: user, period, amountMinor: amount, currency: 'BGN' } });
    expect(res.status, res.text).toBe(200);
  }
  return { org, period };
}

const PATHS = { PIPELINE: 'pipeline', WON: 'won', QUOTA: 'quota', REPORT: 'report' } as const;
type Fn = keyof typeof PATHS;

/** What the call's own route answers: the body on 200, the problem (without its request id) otherwise. */
async function single(who: Member, fn: Fn, args: Record<string, string>) {
  const res = await call(who, 'GET', `/api/v1/reports/fn/${PATHS[fn]}?${new URLSearchParams(args)}`);
  if (res.status === 200) return res.json;
  const { requestId: _r, ...problem } = res.json;
  return { error: problem };
}

async function batch(who: Member, calls: Array<{ fn: Fn; args: Record<string, string> }>) {
  const res = await call(who, 'POST', '/api/v1/reports/fn/batch', { body: { calls } });
  expect(res.status, res.text).toBe(200);
  return (res.json.results as Array<Record<string, any>>).map((r) => {
    if (!('error' in r)) return r;
    const { requestId: _r, ...problem } = r.error;
    return { error: problem };
  });
}

describe('post /api/v1/reports/fn/batch', () => {
  it('answers every call exactly as its own route does, for a head and for a manager', async () => {
    const { org, period } = await seed();
    const today = new Date().toISOString().slice(0, 10);
    const calls: Array<{ fn: Fn; args: Record<string, string> }> = [
      { fn: 'PIPELINE', args: {} },
      { fn: 'PIPELINE', args: { stage: 'proposal' } },
      { fn: 'PIPELINE', args: { owner: 'me' } },
      { fn: 'WON', args: { from: `${period}-01`, to: today } },
      { fn: 'WON', args: {} },
      { fn: 'QUOTA', args: { owner: 'me', period } },
      { fn: 'QUOTA', args: {} },
      { fn: 'REPORT', args: { kind: 'weekly', section: 'wonLost' } },
      { fn: 'REPORT', args: { section: 'pipeline', lang: 'bg' } },
    ];
    for (const who of [org.head, org.manager]) {
      const answers = await batch(who, calls);
      const expected = [];
      for (const c of calls) expected.push(await single(who, c.fn, c.args));
      expect(answers).toEqual(expected);
    }
    // The numbers are real: the head sees both managers' won deals this month.
    const won = (await batch(org.head, [{ fn: 'WON', args: { from: `${period}-01`, to: today } }]))[0]!;
    expect(won.rows).toEqual([
      ['BGN', 2, 52_345],
      ['EUR', 1, 5_000],
    ]);
  });

  it("answers each call's problem in its place while the others succeed", async () => {
    const { org } = await seed();
    const calls: Array<{ fn: Fn; args: Record<string, string> }> = [
      { fn: 'WON', args: { from: 'July', to: '2026-07-31' } },
      { fn: 'PIPELINE', args: { owner: org.manager2.userId } },
      { fn: 'QUOTA', args: { owner: 'nobody@example.com' } },
      { fn: 'WON', args: { from: '2026-07-31', to: '2026-07-01' } },
      { fn: 'PIPELINE', args: { stage: 'proposal' } },
    ];
    const answers = await batch(org.manager, calls);
    const expected = [];
    for (const c of calls) expected.push(await single(org.manager, c.fn, c.args));
    expect(answers).toEqual(expected);
    expect(answers.map((a) => (a.error ? a.error.status : 200))).toEqual([422, 403, 422, 422, 200]);
    expect(answers[1]!.error.errors[0].code).toBe('not_owner');
  });

  it('computes each distinct weekly report once and refuses a fifth distinct week in one batch', async () => {
    const { org } = await seed();
    const weeks = ['2026-W20', '2026-W21', '2026-W22', '2026-W23', '2026-W24'];
    const calls = weeks.flatMap((w) => ['wonLost', 'pipeline'].map((section) => ({ fn: 'REPORT' as const, args: { period: w, section } })));
    const answers = await batch(org.head, calls);
    expect(answers.slice(0, 8).every((a) => !a.error)).toBe(true);
    expect(answers.slice(8).map((a) => a.error?.errors?.[0]?.code)).toEqual(['too_many_reports', 'too_many_reports']);
  });

  it('refuses a batch that is not one: no calls, too many, an unknown function', async () => {
    const { org } = await seed();
    const post = (body: unknown) => call(org.head, 'POST', '/api/v1/reports/fn/batch', { body });
    for (const body of [
      { calls: [] },
      { calls: Array.from({ length: 1001 }, () => ({ fn: 'PIPELINE', args: {} })) },
      { calls: [{ fn: 'DELETE', args: {} }] },
    ]) {
      const res = await post(body);
      expect(res.status).toBe(422);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
    }
  });
});

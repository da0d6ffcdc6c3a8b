import { env } from 'cloudflare:workers';
import { afterAll, describe, expect, it } from 'vitest';
import { app } from '../../worker/app';
import { newCounts, printCounts } from '../probes/counts';
import { flakyDb } from './probes/flaky-db';
import { makeCaller, problemShapeErrors } from './probes/http';
import { makeOrg } from './harness';

// D1's transient failures injected by wrapping env.DB: idempotent work is retried inside the
// Worker; the rest answers 503 problem+json with Retry-After and writes nothing.
void app;
const send = makeCaller(app, { ...env, RATE_LIMIT_PER_MIN: '0' });
const counts = newCounts();
afterAll(() => printCounts('worker/d1-faults', counts));

const MESSAGES = [
  'D1_ERROR: Network connection lost.',
  'D1_ERROR: D1 DB is overloaded. Too many requests queued.',
  'D1_ERROR: Durable Object reset because its code was updated (object reset).',
];
const leadCount = async (orgId: string) =>
  (await env.DB.prepare('SELECT count(*) AS n FROM leads WHERE org_id = ?1').bind(orgId).first<{ n: number }>())!.n;

describe('transient D1 errors', () => {
  for (const message of MESSAGES)
    it(`reads are retried and succeed after "${message.slice(10, 40)}..." twice`, async () => {
      const org = await makeOrg();
      const flaky = flakyDb(env.DB, { failures: 2, message });
      const res = await send('GET', '/api/v1/leads', { token: org.manager.token, env: { DB: flaky.db } });
      counts.requests++;
      counts.faults += flaky.injected();
      expect(res.status, res.text).toBe(200);
      expect(flaky.injected()).toBe(2);
    });

  it('a create with an Idempotency-Key is retried through failed batches and makes exactly one row', async () => {
    const org = await makeOrg();
    const flaky = flakyDb(env.DB, { failures: 2, writesOnly: true });
    const body = { source: 'manual', fullName: 'Retry me' };
    const res = await send('POST', '/api/v1/leads', {
      token: org.manager.token,
      body,
      headers: { 'idempotency-key': 'fault-1' },
      env: { DB: flaky.db },
    });
    const again = await send('POST', '/api/v1/leads', { token: org.manager.token, body, headers: { 'idempotency-key': 'fault-1' } });
    counts.requests += 2;
    counts.faults += flaky.injected();
    expect(res.status, res.text).toBe(201);
    expect(again.json.id).toBe(res.json.id);
    const n = await leadCount(org.orgId);
    if (n !== 1) counts.duplicates += Math.max(0, n - 1);
    expect(n).toBe(1);
  });

  it('a create without a key is not repeated: 503 problem+json with Retry-After and no row', async () => {
    const org = await makeOrg();
    const flaky = flakyDb(env.DB, { failures: 1, writesOnly: true });
    const res = await send('POST', '/api/v1/leads', {
      token: org.manager.token,
      body: { source: 'manual', fullName: 'No key' },
      env: { DB: flaky.db },
    });
    counts.requests++;
    counts.faults += flaky.injected();
    expect(res.status).toBe(503);
    expect(problemShapeErrors(res)).toEqual([]);
    expect(res.json.code).toBe('service_unavailable');
    expect(res.headers.get('retry-after')).toBe('1');
    expect(await leadCount(org.orgId)).toBe(0);
  });

  it('a database that stays down answers 503 with Retry-After, never 500, on reads and writes', async () => {
    const org = await makeOrg();
    const failures: string[] = [];
    for (const [method, path, body] of [
      ['GET', '/api/v1/deals', undefined],
      ['GET', '/api/v1/match?email=a@b.bg', undefined],
      ['POST', '/api/v1/deals', { title: 'x', amountMinor: 1, currency: 'BGN' }],
      ['GET', '/api/v1/reports/weekly', undefined],
    ] as const) {
      // Every statement fails, the token lookup too unless this isolate remembers the token.
      const flaky = flakyDb(env.DB, { failures: 1000 });
      const res = await send(method, path, { token: org.head.token, body, env: { DB: flaky.db } });
      counts.requests++;
      counts.faults += flaky.injected();
      if (res.status >= 500 && res.status !== 503) counts['500s']++;
      if (res.status !== 503 || !res.headers.get('retry-after') || problemShapeErrors(res).length)
        failures.push(`${method} ${path}: ${res.status}`);
    }
    expect(failures).toEqual([]);
  });

  it(
    '100 concurrent keyed creates over a flaky database (every third execution fails) make exactly 100 rows',
    { timeout: 30_000 },
    async () => {
      const org = await makeOrg();
      // A fresh proxy per request, failing every third execution, as a congested D1 would.
      const results = await Promise.all(
        Array.from({ length: 100 }, async (_, i) => {
          for (let attempt = 0; attempt < 5; attempt++) {
            const flaky = flakyDb(env.DB, { failures: 1, after: (i + attempt) % 3 });
            const res = await send('POST', '/api/v1/leads', {
              token: org.manager.token,
              body: { source: 'manual', fullName: `Flaky ${i}` },
              headers: { 'idempotency-key': `flaky-${i}` },
              env: { DB: flaky.db },
            });
            counts.requests++;
            counts.faults += flaky.injected();
            if (res.status === 201) return res.json.id as string;
          }
          return null;
        }),
      );
      expect(results.every((r) => r !== null)).toBe(true);
      const rows = await leadCount(org.orgId);
      counts.duplicates += Math.max(0, rows - 100);
      counts.rows_lost += Math.max(0, 100 - rows);
      expect(rows).toBe(100);
      expect(new Set(results).size).toBe(100);
    },
  );
});

import { env } from 'cloudflare:workers';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { app } from '../../worker/app';
import { routeDocs } from '../../worker/http/openapi';
import { newCounts, printCounts } from '../probes/counts';
import { runAttempts, seedIds, type Attempt } from './probes/fuzz';
import { makeCaller } from './probes/http';
import { fillPath, hostileHeaders, rawQuery } from './probes/routes';
import { makeOrg } from './harness';

// Hostile query strings (broken percent escapes, encoded surrogates, huge values, repeated keys)
// and hostile headers (If-Match, Idempotency-Key, Content-Type, X-Request-Id...) on every documented
// route: 2xx or 4xx problem+json, never a 500, never a write from a rejected request.
void app;
const send = makeCaller(app, { ...env, RATE_LIMIT_PER_MIN: '0' });
const counts = newCounts();
const SEED = Date.now() % 1_000_000;
const RUNS = 8;

let ctx: Parameters<typeof runAttempts>[0];
let ids: Record<string, string>;

beforeAll(async () => {
  const org = await makeOrg('Fuzz query');
  ids = await seedIds(send, org.admin.token, org.manager2.userId);
  ctx = { send, db: env.DB, orgId: org.orgId, token: org.admin.token, counts, seed: SEED };
});

afterAll(() => printCounts('worker/hostile-query-headers', counts));

describe('hostile query strings and headers on every documented route', () => {
  it('query strings on every GET route answer 2xx or 4xx problem+json, never 500', { timeout: 30_000 }, async () => {
    const failures: string[] = [];
    let i = 0;
    for (const r of routeDocs.filter((x) => x.method === 'get')) {
      const queries = fc.sample(rawQuery(r.query), { numRuns: RUNS, seed: SEED + i++ });
      const attempts: Attempt[] = queries.map((q) => ({ label: q.slice(0, 40), query: q, invalid: false }));
      await runAttempts(ctx, 'GET', fillPath(r.path, ids), attempts, failures);
    }
    expect(failures.slice(0, 20)).toEqual([]);
  });

  it('hostile headers on every route answer 2xx or 4xx problem+json, never 500, no partial writes', { timeout: 30_000 }, async () => {
    const failures: string[] = [];
    let i = 0;
    // Deletes last: a header that happens to carry the right version may delete a seeded record.
    const routes = [...routeDocs].sort((a, b) => Number(a.method === 'delete') - Number(b.method === 'delete'));
    for (const r of routes) {
      const headers = fc.sample(hostileHeaders, { numRuns: RUNS, seed: SEED + 1000 + i++ });
      const attempts: Attempt[] = headers.map((h) => ({
        label: JSON.stringify(h).slice(0, 60),
        headers: h,
        raw: r.method === 'get' ? undefined : '{}',
        invalid: false,
      }));
      await runAttempts(ctx, r.method.toUpperCase(), fillPath(r.path, ids), attempts, failures);
    }
    expect(failures.slice(0, 20)).toEqual([]);
  });

  it('hostile path parameters (encoded surrogates, traversal, 5,000 characters) answer 4xx, never 500', { timeout: 30_000 }, async () => {
    const bad = ['%ED%A0%80', '..%2F..%2Fetc', 'a'.repeat(5000), '%00', "1'%20OR%20'1'='1", '%E2%80%AE', '%F0%9F%98%80'];
    const real: string[] = [];
    for (const r of routeDocs.filter((x) => x.path.includes(':') && x.roles !== 'public'))
      for (const b of bad)
        await runAttempts(
          ctx,
          r.method.toUpperCase(),
          r.path.replace(/:(\w+)/g, b),
          [{ label: 'bad id', invalid: true, raw: r.method === 'get' ? undefined : '{}' }],
          real,
        );
    expect(real.slice(0, 20)).toEqual([]);
  });
});

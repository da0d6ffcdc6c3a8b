import { env } from 'cloudflare:workers';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { app } from '../../worker/app';
import { routeDocs } from '../../worker/http/openapi';
import { newCounts, printCounts } from '../probes/counts';
import { parses, runAttempts, seedIds, type Attempt } from './probes/fuzz';
import { makeCaller } from './probes/http';
import { fillPath, wrongTypedBody } from './probes/routes';
import { makeOrg } from './harness';

// Property tests over every documented route's body schema: random JSON (fc.anything) and bodies
// shaped like the schema with values of the wrong kind must answer a 4xx problem+json, never a 500,
// and a rejected request must leave every business table as it was. The rate limit is lifted
// (RATE_LIMIT_PER_MIN=0): this file sends about a thousand requests with one token.
void app;
const send = makeCaller(app, { ...env, RATE_LIMIT_PER_MIN: '0' });
const counts = newCounts();
const SEED = Date.now() % 1_000_000;
/** Random bodies per route and kind: 2 kinds x RUNS x ~45 write routes. */
const RUNS = 10;

let ctx: Parameters<typeof runAttempts>[0];
let ids: Record<string, string>;

beforeAll(async () => {
  const org = await makeOrg('Fuzz');
  ids = await seedIds(send, org.admin.token, org.manager2.userId);
  ctx = { send, db: env.DB, orgId: org.orgId, token: org.admin.token, counts, seed: SEED };
});

afterAll(() => printCounts('worker/input-validation', counts));

const bodyRoutes = () => routeDocs.filter((r) => r.method !== 'get' && r.method !== 'delete');

describe('random bodies on every documented write route', () => {
  it('the route table has write routes to fuzz', () => {
    expect(bodyRoutes().length).toBeGreaterThan(30);
  });

  it('random JSON and wrong-typed fields answer 4xx problem+json, never 500, never a partial write', { timeout: 60_000 }, async () => {
    const failures: string[] = [];
    let i = 0;
    for (const r of bodyRoutes()) {
      const values = [
        ...fc.sample(fc.anything({ maxDepth: 4, withNullPrototype: true }), { numRuns: RUNS, seed: SEED + i++ }),
        ...fc.sample(wrongTypedBody(r.body), { numRuns: RUNS, seed: SEED + i++ }),
      ];
      const attempts: Attempt[] = values.map((v) => {
        const raw = JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? Number(x) : x)) ?? 'null';
        // Routes without a body schema read none: only a schema can say the input is invalid.
        return { label: raw.slice(0, 40), raw, invalid: !!r.body && !parses(r.body, JSON.parse(raw)) };
      });
      await runAttempts(ctx, r.method.toUpperCase(), fillPath(r.path, ids), attempts, failures);
    }
    expect(failures.slice(0, 20)).toEqual([]);
  });
});

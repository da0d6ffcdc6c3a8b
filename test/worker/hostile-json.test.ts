import { env } from 'cloudflare:workers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { app } from '../../worker/app';
import { routeDocs } from '../../worker/http/openapi';
import { newCounts, printCounts } from '../probes/counts';
import { parses, runAttempts, seedIds, type Attempt } from './probes/fuzz';
import { makeCaller } from './probes/http';
import { bigString, rawJsonBodies, UNICODE_EDGES } from '../probes/payloads';
import { fillPath, propertyNames } from './probes/routes';
import { makeOrg } from './harness';

// Hostile JSON texts a serializer never makes (lone surrogates in escapes, 5,000-deep nesting,
// duplicate keys, BOM), Unicode edge cases in every string field, ~1 MB strings and bodies over
// the limit, on every documented write route: 2xx or 4xx problem+json, never 500, no partial writes.
void app;
const send = makeCaller(app, { ...env, RATE_LIMIT_PER_MIN: '0' });
const counts = newCounts();

let ctx: Parameters<typeof runAttempts>[0];
let ids: Record<string, string>;

beforeAll(async () => {
  const org = await makeOrg('Fuzz raw');
  ids = await seedIds(send, org.admin.token, org.manager2.userId);
  ctx = { send, db: env.DB, orgId: org.orgId, token: org.admin.token, counts, seed: 0 };
});

afterAll(() => printCounts('worker/hostile-json', counts));

const bodyRoutes = () => routeDocs.filter((r) => r.method !== 'get' && r.method !== 'delete');

/** How the API reads a text: a leading BOM is ignored (RFC 8259 allows it), an empty body is no body. */
function jsonOf(raw: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(raw.replace(/^\uFEFF/, '')) };
  } catch {
    return { ok: false };
  }
}

describe('hostile JSON texts and strings on every documented write route', () => {
  it('malformed and exotic JSON answers 4xx, or 2xx only when the schema accepts it; never 500', { timeout: 30_000 }, async () => {
    const failures: string[] = [];
    for (const r of bodyRoutes()) {
      const attempts: Attempt[] = rawJsonBodies().map((b) => {
        const parsed = jsonOf(b.raw);
        // An empty body on a route whose fields are all optional reads as {}.
        const invalid = !!r.body && (b.raw === '' ? !parses(r.body, {}) : !parsed.ok || !parses(r.body, parsed.value));
        return { label: b.label, raw: b.raw, invalid };
      });
      await runAttempts(ctx, r.method.toUpperCase(), fillPath(r.path, ids), attempts, failures);
    }
    expect(failures.slice(0, 20)).toEqual([]);
  });

  it('Unicode edge cases in every field and ~1 MB strings answer 2xx or 4xx, never 500', { timeout: 30_000 }, async () => {
    const failures: string[] = [];
    for (const r of bodyRoutes()) {
      const names = propertyNames(r.body);
      if (!names.length) continue;
      const attempts: Attempt[] = UNICODE_EDGES.map((edge) => {
        const body = Object.fromEntries(names.map((n) => [n, edge]));
        return { label: `unicode ${JSON.stringify(edge).slice(0, 20)}`, raw: JSON.stringify(body), invalid: !parses(r.body, body) };
      });
      // Just under the 1 MiB limit: validation (max lengths) decides, never the runtime.
      const big = { [names[0]!]: bigString(1_000_000) };
      attempts.push({ label: '~1 MB string', raw: JSON.stringify(big), invalid: !parses(r.body, big) });
      await runAttempts(ctx, r.method.toUpperCase(), fillPath(r.path, ids), attempts, failures);
    }
    expect(failures.slice(0, 20)).toEqual([]);
  });

  it('a body over 1 MiB answers 413 problem+json on every route but import chunks (8 MiB)', { timeout: 30_000 }, async () => {
    const failures: string[] = [];
    const raw = JSON.stringify({ x: 'a'.repeat(1024 * 1024) });
    for (const r of bodyRoutes().filter((x) => !x.path.endsWith('/chunks'))) {
      const path = fillPath(r.path, ids);
      await runAttempts(ctx, r.method.toUpperCase(), path, [{ label: '1 MiB + 1', raw, invalid: true }], failures);
      const res = await send(r.method.toUpperCase(), path, { token: ctx.token, raw });
      if (res.status !== 413) failures.push(`${r.method} ${r.path}: over-limit body answered ${res.status}`);
    }
    expect(failures).toEqual([]);
  });
});

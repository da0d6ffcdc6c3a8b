import { env } from 'cloudflare:workers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCsv } from '../../shared/sheet/csv';
import { app } from '../../worker/app';
import { routeDocs } from '../../worker/http/openapi';
import { newCounts, printCounts } from '../probes/counts';
import { seedIds } from './probes/fuzz';
import { makeCaller, problemShapeErrors } from './probes/http';
import { FORMULA_PAYLOADS, FORMULA_START } from '../probes/payloads';
import { fillPath } from './probes/routes';
import { flakyDb } from './probes/flaky-db';
import { unzip } from '../helpers/zip';
import { makeOrg } from './harness';

void app;
const send = makeCaller(app, { ...env, RATE_LIMIT_PER_MIN: '0' });
const counts = newCounts();
type Org = Awaited<ReturnType<typeof makeOrg>>;
let org: Org;
let ids: Record<string, string>;

beforeAll(async () => {
  org = await makeOrg('Security');
  ids = await seedIds(send, org.admin.token, org.manager2.userId);
});

afterAll(() => printCounts('worker/security', counts));

const RANK = { manager: 1, head: 2, admin: 3 } as const;

describe('role escalation', () => {
  it('a manager gets 403 on every head or admin route and a head on every admin-only route (from the route table)', async () => {
    const failures: string[] = [];
    let tried = 0;
    for (const r of routeDocs) {
      if (!Array.isArray(r.roles)) continue;
      const min = Math.min(...r.roles.map((x) => RANK[x]));
      for (const who of ['manager', 'head'] as const) {
        if (RANK[who] >= min) continue;
        tried++;
        const res = await send(r.method.toUpperCase(), fillPath(r.path, ids), {
          token: org[who].token,
          body: r.method === 'get' || r.method === 'delete' ? undefined : {},
          headers: { 'if-match': '"1"' },
        });
        counts.requests++;
        counts.bad_inputs++;
        if (res.status >= 500) counts['500s']++;
        if (res.status !== 403 || res.json?.code !== 'forbidden') failures.push(`${who} ${r.method} ${r.path}: ${res.status}`);
      }
    }
    expect(tried).toBeGreaterThan(8);
    expect(failures).toEqual([]);
  });
});

describe('no tokens or personal data in logs or error bodies', () => {
  it('failing requests carrying tokens, emails and phones leave none of them in console output or problem bodies', async () => {
    const secretEmail = 'secret.person@leak-check.bg';
    const secretPhone = '+359888123987';
    const bogus = 'lp_' + 'S3cr3tT0k3n'.repeat(4);
    const logs: string[] = [];
    const originals = { log: console.log, error: console.error, warn: console.warn, info: console.info, debug: console.debug };
    for (const k of Object.keys(originals) as (keyof typeof originals)[])
      console[k] = (...a: unknown[]) => void logs.push(a.map((x) => (typeof x === 'string' ? x : JSON.stringify(x))).join(' '));
    const bodies: string[] = [];
    try {
      const pii = { fullName: 'Secret Person', email: secretEmail, phone: secretPhone, emails: [secretEmail], phones: [secretPhone] };
      const cases: [string, string, Parameters<typeof send>[2]][] = [
        ['GET', '/api/v1/me', { token: bogus }],
        ['GET', `/api/v1/match?email=${encodeURIComponent(secretEmail)}&phone=${encodeURIComponent(secretPhone)}`, { token: bogus }],
        ['POST', '/api/v1/leads', { token: org.manager.token, body: { ...pii, source: 'nope', amount: secretPhone } }],
        ['POST', '/api/v1/contacts', { token: org.manager.token, body: { ...pii, unknown: secretEmail } }],
        ['POST', '/api/v1/leads', { token: org.manager.token, raw: `{"email":"${secretEmail}", "phone": "${secretPhone}"` }],
        [
          'PATCH',
          `/api/v1/leads/${ids.leads}`,
          { token: org.manager.token, body: { email: secretEmail }, headers: { 'if-match': '"99"' } },
        ],
        ['GET', `/api/v1/leads/${secretEmail}`, { token: org.manager.token }],
        ['POST', '/api/v1/users', { token: org.manager.token, body: { email: secretEmail, name: 'Secret Person' } }],
        ['GET', `/api/v1/contacts?q=${encodeURIComponent(secretEmail)}&limit=999999`, { token: org.manager.token }],
        // Database failures: the unknown-error path logs, so make the database fail for real.
        [
          'POST',
          '/api/v1/leads',
          {
            token: org.manager.token,
            body: { source: 'manual', ...{ fullName: 'Secret Person', email: secretEmail, phone: secretPhone } },
            env: { DB: flakyDb(env.DB, { failures: 1000, message: 'D1_ERROR: Network connection lost.' }).db },
          },
        ],
        [
          'POST',
          '/api/v1/leads',
          {
            token: org.manager.token,
            body: { source: 'manual', fullName: 'Secret Person', email: secretEmail },
            env: { DB: flakyDb(env.DB, { failures: 1000, message: `SQLITE_CONSTRAINT: failed for ${secretEmail}` }).db },
          },
        ],
      ];
      for (const [method, path, opts] of cases) {
        const res = await send(method, path, {
          ...opts,
          headers: { ...opts?.headers, 'x-forwarded-for': secretPhone, cookie: `session=${bogus}` },
        });
        counts.requests++;
        counts.bad_inputs++;
        // The last case forces an internal error on purpose (to exercise the logging path): not a finding.
        if (res.status >= 500 && res.status !== 503 && !opts?.env) counts['500s']++;
        expect(res.status, `${method} ${path}`).toBeGreaterThanOrEqual(400);
        expect(problemShapeErrors(res), `${method} ${path}`).toEqual([]);
        bodies.push(res.text);
      }
    } finally {
      Object.assign(console, originals);
    }
    const tokens = [bogus, org.manager.token, org.admin.token];
    const leaks = (text: string) => [secretEmail, secretPhone, '888123987', ...tokens].filter((s) => text.includes(s));
    const inLogs = logs.flatMap(leaks);
    const inBodies = bodies.flatMap(leaks);
    expect(logs.length, 'the internal-error path logged something').toBeGreaterThan(0);
    expect(inLogs).toEqual([]);
    expect(inBodies).toEqual([]);
  });
});

/** Every cell of a CSV body (BOM dropped), row after row: the shared reader, as a spreadsheet would read it. */
const csvCells = (csv: string): string[] => parseCsv(csv, { delimiter: ',' }).flat();

const xmlText = (xml: string) =>
  [...xml.matchAll(/<t(?:\s[^>]*)?>([\s\S]*?)<\/t>/g)].map((m) =>
    m[1]!
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&quot;/g, '"')
      .replace(/&apos;/g, "'")
      .replace(/&#(\d+);/g, (_, n: string) => String.fromCharCode(Number(n)))
      .replace(/&#x([0-9a-f]+);/gi, (_, n: string) => String.fromCharCode(parseInt(n, 16)))
      .replace(/&amp;/g, '&'),
  );

describe('formula injection in every CSV and XLSX the API writes', () => {
  it('OWASP payloads as lost reasons, competitors, company and user names never start a cell unescaped', { timeout: 30_000 }, async () => {
    for (const [i, payload] of FORMULA_PAYLOADS.entries()) {
      const user = await send('POST', '/api/v1/users', { token: org.admin.token, body: { email: `f${i}@formula.test`, name: payload } });
      expect(user.status, user.text).toBe(201);
      const company = await send('POST', '/api/v1/companies', { token: org.head.token, body: { name: payload } });
      expect(company.status, company.text).toBe(201);
      const deal = await send('POST', '/api/v1/deals', {
        token: org.head.token,
        body: {
          title: payload,
          amountMinor: 1000,
          currency: 'BGN',
          stage: 'lost',
          lostReason: payload,
          competitor: payload,
          companyId: company.json.id,
          ownerId: user.json.id,
        },
      });
      expect(deal.status, deal.text).toBe(201);
      await send('POST', '/api/v1/competitors', { token: org.head.token, body: { name: payload } });
      counts.requests += 4;
      counts.bad_inputs += 4;
    }
    const today = new Date();
    const from = new Date(today.getTime() - 8 * 86400_000).toISOString().slice(0, 10);
    const to = new Date(today.getTime() + 2 * 86400_000).toISOString().slice(0, 10);
    const bad: string[] = [];
    const csv = await send('GET', `/api/v1/reports/weekly?format=csv&from=${from}&to=${to}`, { token: org.head.token });
    expect(csv.status, csv.text.slice(0, 200)).toBe(200);
    const cells = csvCells(csv.text);
    // The payloads are in the report (so the check means something) ...
    expect(cells.some((c) => c.includes('HYPERLINK'))).toBe(true);
    bad.push(...cells.filter((c) => FORMULA_START.test(c)).map((c) => `csv: ${JSON.stringify(c)}`));

    const res = await app.request(
      `/api/v1/reports/weekly?format=xlsx&from=${from}&to=${to}`,
      { headers: { authorization: `Bearer ${org.head.token}` } },
      { ...env, RATE_LIMIT_PER_MIN: '0' },
    );
    expect(res.status).toBe(200);
    const files = await unzip(new Uint8Array(await res.arrayBuffer()));
    const texts: string[] = [];
    for (const [name, data] of files) if (/^xl\/(sharedStrings|worksheets\/sheet\d+)\.xml$/.test(name)) texts.push(...xmlText(data.text));
    expect(texts.some((t) => t.includes('HYPERLINK'))).toBe(true);
    bad.push(...texts.filter((t) => FORMULA_START.test(t)).map((t) => `xlsx: ${JSON.stringify(t)}`));
    // ... and formulas appear only where the writer put them (<f>), never from data.
    for (const [name, data] of files)
      if (name.startsWith('xl/worksheets/'))
        for (const m of data.text.matchAll(/<f>([\s\S]*?)<\/f>/g))
          if (/HYPERLINK|cmd|SUM\(1\)/.test(m[1]!)) bad.push(`xlsx formula: ${m[1]}`);

    // The personal-data export is a CSV too.
    const exp = await send('POST', '/api/v1/contacts', {
      token: org.head.token,
      body: { fullName: FORMULA_PAYLOADS[0], title: FORMULA_PAYLOADS[1], notes: FORMULA_PAYLOADS[3] },
    });
    const exported = await send('GET', `/api/v1/contacts/${exp.json.id}/export?format=csv`, { token: org.head.token });
    expect(exported.status).toBe(200);
    const exportCells = csvCells(exported.text);
    expect(exportCells.some((c) => c.includes('HYPERLINK'))).toBe(true);
    bad.push(...exportCells.filter((c) => FORMULA_START.test(c)).map((c) => `export csv: ${JSON.stringify(c)}`));
    counts.requests += 4;
    expect(bad).toEqual([]);
  });
});

describe('per-token rate limit', () => {
  it('answers 429 problem+json with Retry-After past RATE_LIMIT_PER_MIN, per token, and a refused create writes nothing', async () => {
    const o = await makeOrg('Limited');
    const limited = makeCaller(app, { ...env, RATE_LIMIT_PER_MIN: '5' });
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await limited('GET', '/api/v1/me', { token: o.manager.token })).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200]);
    const over = await limited('POST', '/api/v1/leads', {
      token: o.manager.token,
      body: { source: 'manual', fullName: 'Over limit' },
      headers: { 'idempotency-key': 'rl-1' },
    });
    counts.requests += 6;
    expect(over.status).toBe(429);
    expect(problemShapeErrors(over)).toEqual([]);
    expect(over.json.code).toBe('rate_limited');
    expect(Number(over.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(Number(over.headers.get('retry-after'))).toBeLessThanOrEqual(60);
    expect((await env.DB.prepare('SELECT count(*) AS n FROM leads WHERE org_id = ?1').bind(o.orgId).first<{ n: number }>())!.n).toBe(0);
    // Another token of the same organisation has its own window.
    expect((await limited('GET', '/api/v1/me', { token: o.head.token })).status).toBe(200);
    // Without a token the limit is not what answers: authentication is.
    expect((await limited('GET', '/api/v1/me', { token: null })).status).toBe(401);
  });
});

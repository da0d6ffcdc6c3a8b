import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { activitySpec } from '../../worker/activities/activities.repo';
import { companySpec } from '../../worker/companies/companies.repo';
import { contactSpec } from '../../worker/contacts/contacts.repo';
import { dealSpec } from '../../worker/deals/deals.repo';
import { leadSpec } from '../../worker/leads/leads.repo';
import { taskSpec } from '../../worker/tasks/tasks.repo';
import { build, call, countRows, explainList, makeOrg } from './harness';

const problem = (res: { status: number; headers: Headers; json: any }, status: number, code: string) => {
  expect(res.status).toBe(status);
  expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  expect(res.json).toMatchObject({ status, code, title: expect.any(String), detail: expect.any(String), requestId: expect.any(String) });
  expect(JSON.stringify(res.json)).not.toMatch(/at .*\.ts:\d+|stack/i);
};

describe('Idempotency-Key', () => {
  it('a retried create with the same key makes one row and answers the first response', async () => {
    const org = await makeOrg();
    const body = build.lead({ email: 'retry@acme.bg' });
    const a = await call(org.manager, 'POST', '/api/v1/leads', { body, headers: { 'idempotency-key': 'k-1' } });
    const b = await call(org.manager, 'POST', '/api/v1/leads', { body, headers: { 'idempotency-key': 'k-1' } });
    expect(a.status).toBe(201);
    expect(b.status).toBe(201);
    expect(b.json).toEqual(a.json);
    expect(b.headers.get('idempotent-replayed')).toBe('true');
    expect(b.headers.get('etag')).toBe('"1"');
    expect(await countRows('leads', org.orgId)).toBe(1);
  });

  it('50 concurrent creates with one key make one row', async () => {
    const org = await makeOrg();
    const body = build.company({ name: 'Concurrent Ltd' });
    const results = await Promise.all(
      Array.from({ length: 50 }, () =>
        call(org.manager, 'POST', '/api/v1/companies', { body, headers: { 'idempotency-key': 'same-key' } }),
      ),
    );
    expect(results.every((r) => r.status === 201)).toBe(true);
    expect(new Set(results.map((r) => r.json.id)).size).toBe(1);
    expect(await countRows('companies', org.orgId)).toBe(1);
  });

  it('the same key with another body answers 422', async () => {
    const org = await makeOrg();
    await call(org.manager, 'POST', '/api/v1/companies', { body: build.company(), headers: { 'idempotency-key': 'k-2' } });
    const res = await call(org.manager, 'POST', '/api/v1/companies', { body: build.company(), headers: { 'idempotency-key': 'k-2' } });
    problem(res, 422, 'idempotency_key_reused');
    expect(await countRows('companies', org.orgId)).toBe(1);
  });

  it('a key whose answer expired (24 h) or whose first request was abandoned does the work again', async () => {
    const org = await makeOrg();
    const body = build.company({ name: 'Expired key Ltd' });
    const first = await call(org.manager, 'POST', '/api/v1/companies', { body, headers: { 'idempotency-key': 'old' } });
    // Keys are stored under their sender's user id.
    await env.DB.prepare("UPDATE idempotency_keys SET created_at = '2000-01-01T00:00:00.000Z' WHERE org_id = ?1 AND key = ?2")
      .bind(org.orgId, `${org.manager.userId}:old`)
      .run();
    const again = await call(org.manager, 'POST', '/api/v1/companies', { body, headers: { 'idempotency-key': 'old' } });
    expect(again.status).toBe(201);
    expect(again.json.id).not.toBe(first.json.id);
    // A claim left pending by a request that died more than 30 s ago no longer holds the key.
    await env.DB.prepare(
      "INSERT INTO idempotency_keys (org_id, key, request_hash, state, created_at) VALUES (?1, ?2, 'x', 'pending', '2000-01-01T00:00:00.000Z')",
    )
      .bind(org.orgId, `${org.manager.userId}:dead`)
      .run();
    const taken = await call(org.manager, 'POST', '/api/v1/companies', { body: build.company(), headers: { 'idempotency-key': 'dead' } });
    expect(taken.status).toBe(201);
    expect(await countRows('companies', org.orgId)).toBe(3);
  });

  it('a key used on another route first is refused for a create with 422, and the create writes nothing', async () => {
    const org = await makeOrg();
    const token = await call(org.manager, 'POST', '/api/v1/tokens', { body: { name: 'laptop' }, headers: { 'idempotency-key': 'mixed' } });
    expect(token.status).toBe(201);
    problem(
      await call(org.manager, 'POST', '/api/v1/companies', { body: build.company(), headers: { 'idempotency-key': 'mixed' } }),
      422,
      'idempotency_key_reused',
    );
    expect(await countRows('companies', org.orgId)).toBe(0);
  });

  it('a key is private to its organisation', async () => {
    const a = await makeOrg();
    const b = await makeOrg();
    const body = build.company({ name: 'Same body' });
    const ra = await call(a.manager, 'POST', '/api/v1/companies', { body, headers: { 'idempotency-key': 'shared' } });
    const rb = await call(b.manager, 'POST', '/api/v1/companies', { body, headers: { 'idempotency-key': 'shared' } });
    expect(rb.status).toBe(201);
    expect(rb.json.id).not.toBe(ra.json.id);
  });

  it('a failed validation frees nothing and creates nothing', async () => {
    const org = await makeOrg();
    const res = await call(org.manager, 'POST', '/api/v1/deals', { body: { title: '' }, headers: { 'idempotency-key': 'bad' } });
    problem(res, 422, 'validation_failed');
    expect(await countRows('deals', org.orgId)).toBe(0);
  });
});

describe('bad input always gets problem+json, never a 500', () => {
  it('malformed JSON answers 400', async () => {
    const org = await makeOrg();
    problem(
      await call(org.manager, 'POST', '/api/v1/companies', { raw: '{"name": ', headers: { 'content-type': 'application/json' } }),
      400,
      'malformed_json',
    );
  });

  it('wrong types and unknown fields answer 422 with per-field errors', async () => {
    const org = await makeOrg();
    const res = await call(org.manager, 'POST', '/api/v1/deals', { body: { title: 5, amountMinor: 'lots', colour: 'red' } });
    problem(res, 422, 'validation_failed');
    const paths = res.json.errors.map((e: { path: string }) => e.path).sort();
    expect(paths).toEqual(['/amountMinor', '/colour', '/title']);
    expect(res.json.errors.find((e: { path: string }) => e.path === '/colour').code).toBe('unknown_field');
  });

  it('a body that is not JSON answers 415', async () => {
    const org = await makeOrg();
    problem(
      await call(org.manager, 'POST', '/api/v1/companies', {
        raw: 'name=x',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      }),
      415,
      'unsupported_media_type',
    );
  });

  it('an oversized body answers 413', async () => {
    const org = await makeOrg();
    const res = await call(org.manager, 'POST', '/api/v1/companies', {
      raw: JSON.stringify({ name: 'x', notes: 'a'.repeat(1_100_000) }),
      headers: { 'content-type': 'application/json' },
    });
    problem(res, 413, 'payload_too_large');
  });

  it('an unknown route answers 404', async () => {
    const org = await makeOrg();
    problem(await call(org.manager, 'GET', '/api/v1/nothing-here'), 404, 'not_found');
  });

  it('missing, unknown and revoked tokens answer 401', async () => {
    const org = await makeOrg();
    problem(await call(null, 'GET', '/api/v1/me'), 401, 'unauthorized');
    problem(await call({ ...org.manager, token: 'lp_unknown' }, 'GET', '/api/v1/me'), 401, 'unauthorized');
    const created = await call(org.manager, 'POST', '/api/v1/tokens', { body: { name: 'laptop' } });
    expect(created.status).toBe(201);
    expect(created.json.token).toMatch(/^lp_/);
    const other = { ...org.manager, token: created.json.token };
    expect((await call(other, 'GET', '/api/v1/me')).status).toBe(200);
    expect((await call(org.manager, 'DELETE', `/api/v1/tokens/${created.json.id}`)).status).toBe(204);
    problem(await call(other, 'GET', '/api/v1/me'), 401, 'unauthorized');
  });

  it('a deactivated user or a changed role takes effect on the next request', async () => {
    const org = await makeOrg();
    expect((await call(org.manager, 'GET', '/api/v1/me')).json.user.role).toBe('manager');
    const user = (await call(org.admin, 'GET', '/api/v1/users')).json.items.find((u: { id: string }) => u.id === org.manager.userId);
    const promoted = await call(org.admin, 'PATCH', `/api/v1/users/${org.manager.userId}`, {
      body: { role: 'head' },
      headers: { 'if-match': `"${user.version}"` },
    });
    expect(promoted.status).toBe(200);
    expect((await call(org.manager, 'GET', '/api/v1/me')).json.user.role).toBe('head');
    await call(org.admin, 'PATCH', `/api/v1/users/${org.manager.userId}`, {
      body: { active: false },
      headers: { 'if-match': promoted.headers.get('etag')! },
    });
    problem(await call(org.manager, 'GET', '/api/v1/me'), 401, 'unauthorized');
  });

  it('a bad cursor or limit is a validation error', async () => {
    const org = await makeOrg();
    problem(await call(org.manager, 'GET', '/api/v1/deals?cursor=nonsense'), 422, 'validation_failed');
    problem(await call(org.manager, 'GET', '/api/v1/deals?limit=100000'), 422, 'validation_failed');
  });

  it('a manager on an admin route answers 403', async () => {
    const org = await makeOrg();
    problem(await call(org.manager, 'POST', '/api/v1/users', { body: { email: 'x@example.com', name: 'X' } }), 403, 'forbidden');
    problem(await call(org.manager, 'GET', '/api/v1/users'), 403, 'forbidden');
  });
});

describe('me, health and the OpenAPI document', () => {
  it('me answers the user and organisation of the token', async () => {
    const org = await makeOrg('Acme Sales');
    const res = await call(org.head, 'GET', '/api/v1/me');
    expect(res.json).toMatchObject({ user: { id: org.head.userId, role: 'head' }, org: { id: org.orgId, name: 'Acme Sales' } });
  });

  it('health answers without a token', async () => {
    expect((await call(null, 'GET', '/api/v1/health')).json).toEqual({ status: 'ok', db: 'ok' });
  });

  it('openapi.json documents every route with its schemas', async () => {
    const res = await call(null, 'GET', '/api/v1/openapi.json');
    expect(res.json.openapi).toBe('3.1.0');
    expect(res.json.paths['/api/v1/deals/{id}'].patch.requestBody.content['application/json'].schema.properties.stage.enum).toContain(
      'won',
    );
    expect(Object.keys(res.json.paths).length).toBeGreaterThan(15);
  });
});

describe('every list query uses an index', () => {
  // The SQL is captured from the real list code for every filter of every entity, then explained.
  const specs = [companySpec, contactSpec, leadSpec, dealSpec, activitySpec, taskSpec];
  const variants: [string, Record<string, unknown>][] = [];
  for (const spec of specs) {
    variants.push(
      [`${spec.table} unfiltered`, {}],
      [`${spec.table} q`, { q: 'petrov' }],
      [`${spec.table} updatedSince`, { updatedSince: '2026-01-01T00:00:00Z' }],
    );
    for (const key of Object.keys(spec.filters))
      variants.push([`${spec.table} by ${key}`, { [key]: key === 'vip' || key === 'done' ? 'true' : 'x' }]);
  }
  it.each(variants)('%s is served by an index, not a table scan', async (label, filters) => {
    const spec = specs.find((s) => label.startsWith(s.table + ' '))!;
    const plan = await explainList(spec, filters);
    expect(plan).toMatch(/SEARCH \w+ USING (COVERING )?INDEX/);
    expect(plan).not.toMatch(/SCAN (companies|contacts|leads|deals|activities|tasks)\b/);
    // A filter by a person or a record is searched for, not checked row by row along a walk of the
    // organisation's newest-first rows (a filter of a few values, such as a type, meets its page soon).
    const key = Object.keys(filters)[0];
    const col = key ? spec.filters[key] : undefined;
    if (typeof col === 'string' && (key === 'owner' || key!.endsWith('Id'))) expect(plan).toContain(`${col}=?`);
  });
});

import { env } from 'cloudflare:workers';
import { beforeEach, describe, expect, it } from 'vitest';
import { app } from '../../worker/app';

// The first organisation and admin of an empty deployment, on the real local D1. Each test starts
// from an empty deployment: the tables setup writes are emptied before it.

const SECRET = `setup-${crypto.randomUUID()}`;
const withSecret = { ...env, SETUP_TOKEN: SECRET };

async function setup(body: unknown, opts: { secret?: string | null; e?: typeof withSecret } = {}) {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  const secret = opts.secret === undefined ? SECRET : opts.secret;
  if (secret !== null) headers.authorization = `Bearer ${secret}`;
  const res = await app.request('/api/v1/setup', { method: 'POST', headers, body: JSON.stringify(body) }, opts.e ?? withSecret);
  const text = await res.text();
  return { status: res.status, headers: res.headers, json: text ? JSON.parse(text) : null, text };
}

const me = async (token: string) => {
  const res = await app.request('/api/v1/me', { headers: { authorization: `Bearer ${token}` } }, env);
  return { status: res.status, json: await res.json<any>() };
};

const count = async (table: string) => (await env.DB.prepare(`SELECT count(*) AS n FROM ${table}`).first<{ n: number }>())!.n;

function expectProblem(res: { status: number; headers: Headers; json: any }, status: number, code: string) {
  expect(res.status).toBe(status);
  expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  expect(res.json).toMatchObject({ status, code });
}

beforeEach(async () => {
  await env.DB.batch(['audit_log', 'api_tokens', 'users', 'deployment_setup', 'orgs'].map((t) => env.DB.prepare(`DELETE FROM ${t}`)));
});

describe('setting up an empty deployment', () => {
  it("makes the organisation and its admin once and answers the admin's personal token, which signs in", async () => {
    const res = await setup({ org: 'Търговия ООД', email: 'Maria.Ivanova@Example.BG', name: 'Мария Иванова' });
    expect(res.status).toBe(201);
    expect(res.json).toMatchObject({
      org: { name: 'Търговия ООД' },
      user: { email: 'maria.ivanova@example.bg', name: 'Мария Иванова', role: 'admin' },
    });
    expect(res.json.token).toMatch(/^lp_[\w-]{43}$/);
    const who = await me(res.json.token);
    expect(who.status).toBe(200);
    expect(who.json).toMatchObject({ user: { id: res.json.user.id, role: 'admin' }, org: { id: res.json.org.id, name: 'Търговия ООД' } });
    const audit = await env.DB.prepare('SELECT action, entity, user_id FROM audit_log WHERE org_id = ?1 ORDER BY entity')
      .bind(res.json.org.id)
      .all<{ action: string; entity: string; user_id: string }>();
    expect(audit.results).toEqual(['org', 'token', 'user'].map((entity) => ({ action: 'create', entity, user_id: res.json.user.id })));
  });

  it('names the admin after the address when no name is given', async () => {
    const res = await setup({ org: 'Acme', email: 'owner@acme.test' });
    expect(res.status).toBe(201);
    expect(res.json.user.name).toBe('owner');
  });

  it('refuses a second setup with 409 problem+json and leaves the first organisation as it was', async () => {
    const first = await setup({ org: 'First', email: 'first@example.test' });
    expect(first.status).toBe(201);
    const second = await setup({ org: 'Second', email: 'second@example.test' });
    expectProblem(second, 409, 'conflict');
    expect(second.text).not.toContain('lp_');
    expect(await count('orgs')).toBe(1);
    expect(await count('users')).toBe(1);
    expect((await me(first.json.token)).json.org.name).toBe('First');
  });

  it('makes one organisation when setups race each other', async () => {
    const answers = await Promise.all(Array.from({ length: 8 }, (_, i) => setup({ org: `Racer ${i}`, email: `racer${i}@example.test` })));
    const made = answers.filter((a) => a.status === 201);
    expect(made).toHaveLength(1);
    for (const a of answers.filter((x) => x.status !== 201)) expectProblem(a, 409, 'conflict');
    expect(await count('orgs')).toBe(1);
    expect(await count('users')).toBe(1);
    expect(await count('api_tokens')).toBe(1);
    expect(await count('deployment_setup')).toBe(1);
    expect((await me(made[0]!.json.token)).status).toBe(200);
  });

  it('refuses a deployment that already has an organisation, however it was made', async () => {
    await env.DB.prepare(
      "INSERT INTO orgs (id, name, created_at, updated_at) VALUES ('01JDEM0000000000000000000G', 'Demo', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')",
    ).run();
    expectProblem(await setup({ org: 'Late', email: 'late@example.test' }), 409, 'conflict');
    expect(await count('orgs')).toBe(1);
    expect(await count('deployment_setup')).toBe(0);
  });
});

describe('setup refusals', () => {
  it('a wrong setup token is a 401 problem+json and writes nothing', async () => {
    const res = await setup({ org: 'Guess', email: 'guess@example.test' }, { secret: `${SECRET}x` });
    expectProblem(res, 401, 'unauthorized');
    expect(res.json.detail).toMatch(/setup token is wrong/);
    expect(res.text).not.toContain(SECRET);
    expect(await count('orgs')).toBe(0);
  });

  it('a missing setup token is a 401 problem+json, checked before the body', async () => {
    const res = await setup({ nonsense: true }, { secret: null });
    expectProblem(res, 401, 'unauthorized');
    expect(res.headers.get('www-authenticate')).toBe('Bearer realm="leadpane-setup"');
    expect(await count('orgs')).toBe(0);
  });

  it('a personal token is not a setup token', async () => {
    const first = await setup({ org: 'Owner', email: 'owner@example.test' });
    const res = await setup({ org: 'Other', email: 'other@example.test' }, { secret: first.json.token });
    expectProblem(res, 401, 'unauthorized');
  });

  it('setup is off (403) while the SETUP_TOKEN secret is unset or too short to be safe', async () => {
    const off = await setup({ org: 'Nope', email: 'nope@example.test' }, { e: { ...env, SETUP_TOKEN: '' } as typeof withSecret });
    expectProblem(off, 403, 'forbidden');
    expect(off.json.detail).toMatch(/wrangler secret put SETUP_TOKEN/);
    const short = await setup({ org: 'Nope', email: 'nope@example.test' }, { secret: 'short', e: { ...env, SETUP_TOKEN: 'short' } });
    expectProblem(short, 403, 'forbidden');
    expect(await count('orgs')).toBe(0);
  });

  it('an invalid body is a 422 that names the field, and writes nothing', async () => {
    const res = await setup({ org: 'Acme', email: 'not an address' });
    expectProblem(res, 422, 'validation_failed');
    expect(res.json.errors.map((e: { path: string }) => e.path)).toEqual(['/email']);
    expect(await count('orgs')).toBe(0);
  });
});

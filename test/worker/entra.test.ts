import { env } from 'cloudflare:workers';
import { exportJWK, generateKeyPair, SignJWT, type JWK } from 'jose';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi, type MockInstance } from 'vitest';
import { app } from '../../worker/app';
import { principalFromEntraToken } from '../../worker/auth/auth';
import { build, makeOrg } from './harness';

// Microsoft 365 access tokens, minted here with real RS256 keys. The JWKS is served by a stub of
// fetch for https://keys.test/ only, so the real createRemoteJWKSet path runs without internet.

const AUDIENCE = 'api://leadpane.test/app';
const JWKS_URL = 'https://keys.test/jwks';
/** Tenants this file's deployment lets sign in unlinked (test/worker/entra-tenants.test.ts has the refusals). */
const allowed: string[] = [];
const entraEnv = {
  ...env,
  ENTRA_AUDIENCE: AUDIENCE,
  ENTRA_JWKS_URL: JWKS_URL,
  ENTRA_ISSUER_TEMPLATE: 'https://login.test/{tid}/v2.0',
  get ENTRA_ALLOWED_TENANTS() {
    return allowed.join(',');
  },
};
const issuerOf = (tid: string) => `https://login.test/${tid}/v2.0`;

let signingKey: CryptoKey;
let strangerKey: CryptoKey;
let jwks: { keys: JWK[] };
const originalFetch = globalThis.fetch;
let fetchSpy: MockInstance<typeof fetch>;

beforeAll(async () => {
  const pair = await generateKeyPair('RS256', { extractable: true });
  const stranger = await generateKeyPair('RS256', { extractable: true });
  signingKey = pair.privateKey;
  strangerKey = stranger.privateKey;
  jwks = { keys: [{ ...(await exportJWK(pair.publicKey)), kid: 'k1', use: 'sig', alg: 'RS256' }] };
});

beforeEach(() => {
  fetchSpy = vi.spyOn(globalThis, 'fetch').mockImplementation(async (input, init) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    if (url.startsWith('https://keys.test/down')) return new Response('busy', { status: 500 });
    if (url.startsWith('https://keys.test/')) return Response.json(jwks);
    return originalFetch(input, init);
  });
});

afterEach(() => {
  fetchSpy.mockRestore();
  expect(globalThis.fetch).toBe(originalFetch);
});

interface Person {
  tid: string;
  oid: string;
  preferred_username: string;
  name: string;
}
const person = (tid: string, email: string, name = 'Ana Petrova'): Person => ({
  tid,
  oid: crypto.randomUUID(),
  preferred_username: email,
  name,
});

/** A v2 access token for `who`; claims and header can be overridden one by one. */
async function mint(who: Person, claims: Record<string, unknown> = {}, opts: { key?: CryptoKey; kid?: string } = {}): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({
    ver: '2.0',
    iss: issuerOf(who.tid),
    aud: AUDIENCE,
    iat: now,
    nbf: now,
    exp: now + 3600,
    jti: crypto.randomUUID(),
    ...who,
    ...claims,
  })
    .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: opts.kid ?? 'k1' })
    .sign(opts.key ?? signingKey);
}

const b64url = (value: unknown) => btoa(JSON.stringify(value)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');

async function callAs(
  token: string,
  method: string,
  path: string,
  opts: { body?: unknown; headers?: Record<string, string> } = {},
  e = entraEnv,
) {
  const headers: Record<string, string> = { authorization: `Bearer ${token}`, ...opts.headers };
  if (opts.body !== undefined) headers['content-type'] = 'application/json';
  const res = await app.request(path, { method, headers, body: opts.body === undefined ? undefined : JSON.stringify(opts.body) }, e);
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, json: text ? JSON.parse(text) : null };
}

/** 401 problem+json with code unauthorized, an invalid_token challenge, and the token not echoed. */
async function rejected(token: string, detail: RegExp, e = entraEnv) {
  const res = await callAs(token, 'GET', '/api/v1/me', {}, e);
  expect(res.status).toBe(401);
  expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  expect(res.headers.get('www-authenticate')).toBe('Bearer realm="leadpane", error="invalid_token"');
  expect(res.json.code).toBe('unauthorized');
  expect(res.json.detail).toMatch(detail);
  expect(res.text).not.toContain(token.split('.')[1]);
  return res;
}

/** A tenant listed in ENTRA_ALLOWED_TENANTS: its first user makes its organisation. */
const newTenant = () => {
  const tid = crypto.randomUUID();
  allowed.push(tid);
  return tid;
};

describe('Microsoft 365 sign-in', () => {
  it('a valid token for a new allowed tenant creates the organisation with that user as admin and answers /api/v1/me', async () => {
    const tid = newTenant();
    const ana = person(tid, 'Ana.Petrova@Contoso-Bg.test');
    const me = await callAs(await mint(ana), 'GET', '/api/v1/me');
    expect(me.status).toBe(200);
    expect(me.json.user).toMatchObject({ email: 'ana.petrova@contoso-bg.test', name: 'Ana Petrova', role: 'admin' });
    expect(me.json.org.name).toBe('contoso-bg.test');
    const org = await env.DB.prepare('SELECT id FROM orgs WHERE tenant_id = ?1').bind(tid).first<{ id: string }>();
    expect(org?.id).toBe(me.json.org.id);
    const user = await env.DB.prepare('SELECT external_id FROM users WHERE id = ?1').bind(me.json.user.id).first<{ external_id: string }>();
    expect(user?.external_id).toBe(ana.oid);
    const audit = await env.DB.prepare('SELECT entity, user_id FROM audit_log WHERE org_id = ?1 ORDER BY entity')
      .bind(org!.id)
      .all<{ entity: string; user_id: string }>();
    expect(audit.results).toEqual([
      { entity: 'org', user_id: me.json.user.id },
      { entity: 'user', user_id: me.json.user.id },
    ]);
  });

  it('a second user of the same tenant becomes a manager in the same organisation', async () => {
    const tid = newTenant();
    const first = await callAs(await mint(person(tid, 'first@fabrikam.test')), 'GET', '/api/v1/me');
    const second = await callAs(await mint(person(tid, 'second@fabrikam.test', 'Boris')), 'GET', '/api/v1/me');
    expect(second.status).toBe(200);
    expect(second.json.user.role).toBe('manager');
    expect(second.json.org.id).toBe(first.json.org.id);
    expect((await env.DB.prepare('SELECT count(*) AS n FROM orgs WHERE tenant_id = ?1').bind(tid).first<{ n: number }>())!.n).toBe(1);
  });

  it('concurrent first requests of one user create one organisation and one user', async () => {
    const tid = newTenant();
    const ana = person(tid, 'ana@northwind.test');
    const answers = await Promise.all([1, 2, 3, 4].map(async () => callAs(await mint(ana), 'GET', '/api/v1/me')));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200]);
    expect(new Set(answers.map((a) => a.json.user.id)).size).toBe(1);
    const orgId = answers[0]!.json.org.id;
    expect((await env.DB.prepare('SELECT count(*) AS n FROM users WHERE org_id = ?1').bind(orgId).first<{ n: number }>())!.n).toBe(1);
  });

  it("a token for another tenant lands in another organisation and sees none of the first organisation's rows", async () => {
    const first = await mint(person(newTenant(), 'owner@alpha.test'));
    const other = await mint(person(newTenant(), 'owner@beta.test'));
    const created = await callAs(first, 'POST', '/api/v1/companies', { body: build.company({ name: 'Alpha Secret AD' }) });
    expect(created.status).toBe(201);
    const meFirst = await callAs(first, 'GET', '/api/v1/me');
    const meOther = await callAs(other, 'GET', '/api/v1/me');
    expect(meOther.json.org.id).not.toBe(meFirst.json.org.id);
    const list = await callAs(other, 'GET', '/api/v1/companies');
    expect(list.status).toBe(200);
    expect(list.json.items).toEqual([]);
    expect(list.text).not.toContain('Alpha Secret');
    expect((await callAs(other, 'GET', `/api/v1/companies/${created.json.id}`)).status).toBe(404);
    expect((await callAs(first, 'GET', '/api/v1/companies')).json.items.map((c: { id: string }) => c.id)).toEqual([created.json.id]);
  });

  it('an existing user with the same email is linked, not duplicated', async () => {
    const org = await makeOrg();
    // Linked, not allowed: the tenant's users sign in to this organisation.
    const tid = crypto.randomUUID();
    await env.DB.prepare('UPDATE orgs SET tenant_id = ?1 WHERE id = ?2').bind(tid, org.orgId).run();
    const { email } = (await env.DB.prepare('SELECT email FROM users WHERE id = ?1').bind(org.head.userId).first<{ email: string }>())!;
    const head = person(tid, email.toUpperCase());
    const me = await callAs(await mint(head), 'GET', '/api/v1/me');
    expect(me.status).toBe(200);
    expect(me.json.user).toMatchObject({ id: org.head.userId, role: 'head' });
    expect(me.json.org.id).toBe(org.orgId);
    const rows = await env.DB.prepare('SELECT id, external_id FROM users WHERE org_id = ?1 AND email_norm = ?2')
      .bind(org.orgId, email.toLowerCase())
      .all<{ id: string; external_id: string }>();
    expect(rows.results).toEqual([{ id: org.head.userId, external_id: head.oid }]);
    const audit = await env.DB.prepare("SELECT count(*) AS n FROM audit_log WHERE org_id = ?1 AND entity = 'user' AND entity_id = ?2")
      .bind(org.orgId, org.head.userId)
      .first<{ n: number }>();
    expect(audit!.n).toBe(1);
    // The next sign-in finds the user by object id.
    expect((await callAs(await mint(head), 'GET', '/api/v1/me')).json.user.id).toBe(org.head.userId);
  });

  it('the JWKS is fetched once for many requests', async () => {
    const url = `https://keys.test/jwks-${crypto.randomUUID()}`;
    const tid = newTenant();
    const e = { ...entraEnv, ENTRA_JWKS_URL: url };
    const users = [1, 2, 3].map((i) => person(tid, `user${i}@once.test`));
    for (let i = 0; i < 6; i++) {
      const res = await callAs(await mint(users[i % 3]!), 'GET', '/api/v1/me', {}, e);
      expect(res.status).toBe(200);
    }
    expect(fetchSpy.mock.calls.filter(([input]) => String(input instanceof Request ? input.url : input) === url)).toHaveLength(1);
  });

  it("Microsoft's key set being unreachable is a 503 to retry, not a 401 that signs the user out", async () => {
    const e = { ...entraEnv, ENTRA_JWKS_URL: `https://keys.test/down-${crypto.randomUUID()}` };
    const res = await callAs(await mint(person(newTenant(), 'down@keys.test')), 'GET', '/api/v1/me', {}, e);
    expect(res.status).toBe(503);
    expect(res.json.code).toBe('service_unavailable');
    expect(res.headers.get('retry-after')).toBe('60');
  });

  it("a cached principal is never used past the token's expiry", async () => {
    const tid = newTenant();
    const now = Date.now();
    const exp = Math.floor(now / 1000) + 5;
    const token = await mint(person(tid, 'short@expiry.test'), { exp });
    const p = await principalFromEntraToken(entraEnv, token, now);
    await env.DB.prepare('UPDATE users SET active = 0 WHERE id = ?1').bind(p.userId).run();
    // Within the token's life the isolate's cache answers...
    expect((await principalFromEntraToken(entraEnv, token, now + 1000)).userId).toBe(p.userId);
    // ...after it (still inside the cache TTL) the token is verified and the user read again.
    await expect(principalFromEntraToken(entraEnv, token, exp * 1000 + 1)).rejects.toThrow(/deactivated/);
  });
});

describe('Microsoft 365 tokens that are refused', () => {
  const tid = newTenant();
  const who = () => person(tid, `someone.${crypto.randomUUID().slice(0, 8)}@refused.test`);

  it('a token for another application (wrong audience) is refused', async () => {
    await rejected(await mint(who(), { aud: 'api://someone-else/app' }), /another application \(audience\)/);
  });

  it('a token from a wrong issuer is refused', async () => {
    await rejected(await mint(who(), { iss: 'https://evil.test/issuer' }), /issuer/);
  });

  it('a token whose issuer names another tenant than its tid is refused', async () => {
    await rejected(await mint(who(), { iss: issuerOf(newTenant()) }), /issuer\/tenant mismatch/);
  });

  it('an expired token is refused', async () => {
    const now = Math.floor(Date.now() / 1000);
    await rejected(await mint(who(), { iat: now - 7200, nbf: now - 7200, exp: now - 120 }), /expired/);
  });

  it('a token that is not yet valid (nbf in the future) is refused', async () => {
    await rejected(await mint(who(), { nbf: Math.floor(Date.now() / 1000) + 600 }), /not valid yet/);
  });

  it('an unsigned token (alg none) is refused', async () => {
    const now = Math.floor(Date.now() / 1000);
    const w = who();
    const payload = { ver: '2.0', iss: issuerOf(tid), aud: AUDIENCE, iat: now, nbf: now, exp: now + 3600, ...w };
    const token = `${b64url({ alg: 'none', typ: 'JWT', kid: 'k1' })}.${b64url(payload)}.`;
    await rejected(token, /RS256/);
  });

  it('a token signed with HS256 under the kid of a real key is refused', async () => {
    const secret = new TextEncoder().encode('a-secret-anyone-could-guess-000000');
    const now = Math.floor(Date.now() / 1000);
    const token = await new SignJWT({ ver: '2.0', iss: issuerOf(tid), aud: AUDIENCE, iat: now, nbf: now, exp: now + 3600, ...who() })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT', kid: 'k1' })
      .sign(secret);
    await rejected(token, /RS256/);
  });

  it('a token signed by a key that is not in the JWKS (unknown key id) is refused', async () => {
    await rejected(await mint(who(), {}, { key: strangerKey, kid: 'not-in-jwks' }), /not in Microsoft's key set \(kid\)/);
  });

  it('a token signed by another key under a known key id is refused', async () => {
    await rejected(await mint(who(), {}, { key: strangerKey, kid: 'k1' }), /signature is invalid/);
  });

  it('a token without an object id is refused', async () => {
    await rejected(await mint(who(), { oid: undefined }), /oid/);
  });

  it('any token is refused while Microsoft sign-in is off (ENTRA_AUDIENCE empty)', async () => {
    const token = await mint(who());
    await rejected(token, /sign-in is off/, { ...entraEnv, ENTRA_AUDIENCE: '' });
  });

  it('a deactivated user is refused', async () => {
    const tenant = newTenant();
    const admin = await mint(person(tenant, 'admin@deactivated.test'));
    expect((await callAs(admin, 'GET', '/api/v1/me')).json.user.role).toBe('admin');
    const managerToken = await mint(person(tenant, 'manager@deactivated.test', 'Manager'));
    const manager = (await callAs(managerToken, 'GET', '/api/v1/me')).json.user;
    expect(manager.role).toBe('manager');
    const users = (await callAs(admin, 'GET', '/api/v1/users')).json.items;
    const row = users.find((u: { id: string }) => u.id === manager.id);
    const patched = await callAs(admin, 'PATCH', `/api/v1/users/${manager.id}`, {
      body: { active: false },
      headers: { 'if-match': `"${row.version}"` },
    });
    expect(patched.status).toBe(200);
    await rejected(managerToken, /deactivated/);
  });

  it('personal tokens still work and other strings are still unknown tokens', async () => {
    const org = await makeOrg();
    expect((await callAs(org.manager.token, 'GET', '/api/v1/me')).status).toBe(200);
    const res = await callAs('not-a-token', 'GET', '/api/v1/me');
    expect(res.status).toBe(401);
    expect(res.json.detail).toMatch(/unknown, revoked or expired/);
  });
});

describe('the sign-in options the panes offer', () => {
  it('offer Microsoft 365 with the client id and the API scope only when ENTRA_AUDIENCE is set', async () => {
    const off = await app.request('/api/v1/auth/config', {}, { ...env, ENTRA_AUDIENCE: '' });
    expect(await off.json()).toEqual({ microsoft: null });
    const on = await app.request(
      '/api/v1/auth/config',
      {},
      { ...env, ENTRA_AUDIENCE: 'api://crm.example.com/6f1c2a4e-1d2b-4c3d-9e8f-0a1b2c3d4e5f, 6f1c2a4e-1d2b-4c3d-9e8f-0a1b2c3d4e5f' },
    );
    expect(on.status).toBe(200);
    expect(await on.json()).toEqual({
      microsoft: {
        clientId: '6f1c2a4e-1d2b-4c3d-9e8f-0a1b2c3d4e5f',
        scopes: ['api://crm.example.com/6f1c2a4e-1d2b-4c3d-9e8f-0a1b2c3d4e5f/access_as_user'],
      },
    });
  });
});

import { env } from 'cloudflare:workers';
import { exportJWK, generateKeyPair, SignJWT, type JWK } from 'jose';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi, type MockInstance } from 'vitest';
import { app } from '../../worker/app';
import { call, makeOrg } from './harness';

// Which organisation a Microsoft 365 tenant signs in to: the one linked to it in Settings, its own
// when ENTRA_ALLOWED_TENANTS lists it, none otherwise. Tokens are signed here with real RS256 keys
// and the key set is served by a stub of fetch for https://keys.test/ only (as in entra.test.ts).

const AUDIENCE = 'api://leadpane.test/app';
const base = {
  ...env,
  ENTRA_AUDIENCE: AUDIENCE,
  ENTRA_JWKS_URL: 'https://keys.test/tenants-jwks',
  ENTRA_ISSUER_TEMPLATE: 'https://login.test/{tid}/v2.0',
};

let signingKey: CryptoKey;
let jwks: { keys: JWK[] };
const originalFetch = globalThis.fetch;
let fetchSpy: MockInstance<typeof fetch>;

beforeAll(async () => {
  const pair = await generateKeyPair('RS256', { extractable: true });
  signingKey = pair.privateKey;
  jwks = { keys: [{ ...(await exportJWK(pair.publicKey)), kid: 'k1', use: 'sig', alg: 'RS256' }] };
});
beforeEach(() => {
  fetchSpy = vi.spyOn(globalThis, 'fetch').mockImplementation(async (input, init) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    return url.startsWith('https://keys.test/') ? Response.json(jwks) : originalFetch(input, init);
  });
});
afterEach(() => fetchSpy.mockRestore());

async function mint(tid: string, email: string, name = 'Ana Petrova', oid = crypto.randomUUID()): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ ver: '2.0', tid, oid, preferred_username: email, name })
    .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: 'k1' })
    .setIssuer(`https://login.test/${tid}/v2.0`)
    .setAudience(AUDIENCE)
    .setIssuedAt(now)
    .setNotBefore(now)
    .setExpirationTime(now + 3600)
    .sign(signingKey);
}

async function me(token: string, e: typeof base & { ENTRA_ALLOWED_TENANTS?: string } = base) {
  const res = await app.request('/api/v1/me', { headers: { authorization: `Bearer ${token}` } }, e);
  return { status: res.status, type: res.headers.get('content-type'), json: await res.json<any>() };
}

const orgsOf = async (tid: string) =>
  (await env.DB.prepare('SELECT count(*) AS n FROM orgs WHERE tenant_id = ?1').bind(tid).first<{ n: number }>())!.n;
const orgCount = async () => (await env.DB.prepare('SELECT count(*) AS n FROM orgs').first<{ n: number }>())!.n;

describe('Microsoft 365 tenants and organisations', () => {
  it('a token from a tenant neither linked nor allowed is refused with 403 problem+json and makes no organisation', async () => {
    const tid = crypto.randomUUID();
    const before = await orgCount();
    const res = await me(await mint(tid, 'stranger@fabrikam.test'), { ...base, ENTRA_ALLOWED_TENANTS: crypto.randomUUID() });
    expect(res.status).toBe(403);
    expect(res.type).toMatch(/^application\/problem\+json/);
    expect(res.json.code).toBe('forbidden');
    expect(res.json.detail).toContain(tid);
    expect(res.json.detail).toMatch(/Settings → Microsoft 365/);
    expect(await orgCount()).toBe(before);
    const users = await env.DB.prepare('SELECT count(*) AS n FROM users WHERE email_norm = ?1')
      .bind('stranger@fabrikam.test')
      .first<{ n: number }>();
    expect(users!.n).toBe(0);
  });

  it('a token from the linked tenant lands in the linked organisation: a new user as manager, an invited one as themselves', async () => {
    const org = await makeOrg('Linked Ltd');
    const tid = crypto.randomUUID();
    const link = await call(org.admin, 'PUT', '/api/v1/settings/microsoft', { body: { tenantId: tid }, headers: { 'if-match': '"1"' } });
    expect(link.status).toBe(200);

    const newcomer = await me(await mint(tid, 'boris@linked.test', 'Борис'));
    expect(newcomer.status).toBe(200);
    expect(newcomer.json).toMatchObject({
      org: { id: org.orgId, name: 'Linked Ltd' },
      user: { role: 'manager', email: 'boris@linked.test' },
    });

    const invited = await call(org.admin, 'POST', '/api/v1/users', { body: { email: 'Vera@Linked.test', role: 'head' } });
    const vera = await me(await mint(tid, 'vera@linked.test', 'Vera'));
    expect(vera.json).toMatchObject({ org: { id: org.orgId }, user: { id: invited.json.id, role: 'head' } });
    expect(await orgsOf(tid)).toBe(1);
  });

  it('a tenant listed in ENTRA_ALLOWED_TENANTS makes its own organisation on first sign-in, its first user the admin', async () => {
    const tid = crypto.randomUUID();
    const allowing = { ...base, ENTRA_ALLOWED_TENANTS: ` ${crypto.randomUUID()}, ${tid.toUpperCase()} ` };
    const first = await me(await mint(tid, 'owner@allowed.test'), allowing);
    expect(first.status).toBe(200);
    expect(first.json.user.role).toBe('admin');
    const second = await me(await mint(tid, 'next@allowed.test'), allowing);
    expect(second.json).toMatchObject({ org: { id: first.json.org.id }, user: { role: 'manager' } });
    expect(await orgsOf(tid)).toBe(1);
  });

  it("unlinking the tenant refuses its users' next sign-in", async () => {
    const org = await makeOrg();
    const tid = crypto.randomUUID();
    const linked = await call(org.admin, 'PUT', '/api/v1/settings/microsoft', { body: { tenantId: tid }, headers: { 'if-match': '"1"' } });
    const oid = crypto.randomUUID();
    expect((await me(await mint(tid, 'kalina@unlink.test', 'Kalina', oid))).status).toBe(200);
    await call(org.admin, 'PUT', '/api/v1/settings/microsoft', {
      body: { tenantId: null },
      headers: { 'if-match': linked.headers.get('etag')! },
    });
    // A fresh token (the isolate remembered the last one until its link changed).
    const res = await me(await mint(tid, 'kalina@unlink.test', 'Kalina', oid));
    expect(res.status).toBe(403);
  });
});

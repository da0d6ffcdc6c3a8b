import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { SUBMISSIONS_SQL } from '../../worker/admin/form-submissions.repo';
import { call, makeOrg, type Member } from './harness';

// What Settings does through the API: users, personal tokens, the Microsoft 365 tenant link and a
// form's recent submissions, on the real local D1.

type Org = Awaited<ReturnType<typeof makeOrg>>;

const userOf = async (org: Org, id: string) =>
  (await call(org.admin, 'GET', '/api/v1/users')).json.items.find((u: { id: string }) => u.id === id) as {
    version: number;
    active: boolean;
  };

async function patchUser(who: Member, org: Org, id: string, body: Record<string, unknown>) {
  const current = await userOf(org, id);
  return call(who, 'PATCH', `/api/v1/users/${id}`, { body, headers: { 'if-match': `"${current.version}"` } });
}

const asToken = (m: Member, token: string): Member => ({ ...m, token });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('users in Settings', () => {
  it('a head invites a manager by email; the name defaults to the address and the invitation is audited', async () => {
    const org = await makeOrg();
    const res = await call(org.head, 'POST', '/api/v1/users', { body: { email: 'Nina.Koleva@Example.test', role: 'manager' } });
    expect(res.status).toBe(201);
    expect(res.json).toMatchObject({ email: 'Nina.Koleva@Example.test', name: 'nina.koleva', role: 'manager', active: true });
    const audit = await env.DB.prepare("SELECT user_id, details FROM audit_log WHERE org_id = ?1 AND entity = 'user' AND entity_id = ?2")
      .bind(org.orgId, res.json.id)
      .first<{ user_id: string; details: string }>();
    expect(audit?.user_id).toBe(org.head.userId);
    expect(JSON.parse(audit!.details)).toMatchObject({ role: 'manager', invited: 'nina.koleva@example.test' });
    const again = await call(org.head, 'POST', '/api/v1/users', { body: { email: 'nina.koleva@example.test', role: 'manager' } });
    expect(again.status).toBe(409);
  });

  it('a head may not invite, promote or change heads and admins: 403, nothing written', async () => {
    const org = await makeOrg();
    for (const role of ['head', 'admin']) {
      const res = await call(org.head, 'POST', '/api/v1/users', { body: { email: `${role}@example.test`, role } });
      expect(res.status, role).toBe(403);
      expect(res.json.code).toBe('forbidden');
    }
    expect((await patchUser(org.head, org, org.manager.userId, { role: 'head' })).status).toBe(403);
    expect((await patchUser(org.head, org, org.admin.userId, { active: false })).status).toBe(403);
    expect((await userOf(org, org.admin.userId)).active).toBe(true);
    expect((await call(org.manager, 'POST', '/api/v1/users', { body: { email: 'x@example.test' } })).status).toBe(403);
  });

  it('an admin changes a role, and the change holds on the next request', async () => {
    const org = await makeOrg();
    const res = await patchUser(org.admin, org, org.manager.userId, { role: 'head' });
    expect(res.status).toBe(200);
    expect(res.json.role).toBe('head');
    expect((await call(org.manager, 'GET', '/api/v1/me')).json.user.role).toBe('head');
  });

  it('deactivating a user stops their tokens at once, and reactivating does not bring those tokens back', async () => {
    const org = await makeOrg();
    const second = (await call(org.manager, 'POST', '/api/v1/tokens', { body: { name: 'laptop' } })).json.token as string;
    expect((await call(asToken(org.manager, second), 'GET', '/api/v1/me')).status).toBe(200);
    expect((await call(org.manager, 'GET', '/api/v1/me')).status).toBe(200);

    expect((await patchUser(org.head, org, org.manager.userId, { active: false })).status).toBe(200);
    for (const token of [org.manager.token, second])
      expect((await call(asToken(org.manager, token), 'GET', '/api/v1/me')).status).toBe(401);

    const back = await patchUser(org.head, org, org.manager.userId, { active: true });
    expect(back.json.active).toBe(true);
    for (const token of [org.manager.token, second])
      expect((await call(asToken(org.manager, token), 'GET', '/api/v1/me')).status).toBe(401);
    const revoked = await env.DB.prepare('SELECT count(*) AS n FROM api_tokens WHERE user_id = ?1 AND revoked_at IS NOT NULL')
      .bind(org.manager.userId)
      .first<{ n: number }>();
    expect(revoked!.n).toBe(2);

    // A new token made after reactivation works.
    const fresh = await call(org.head, 'POST', '/api/v1/tokens', { body: { name: 'new laptop', userId: org.manager.userId } });
    expect(fresh.status).toBe(201);
    expect((await call(asToken(org.manager, fresh.json.token), 'GET', '/api/v1/me')).status).toBe(200);
  });

  it('the last active admin can be neither demoted nor deactivated; with a second admin they can', async () => {
    const org = await makeOrg();
    const demote = await patchUser(org.admin, org, org.admin.userId, { role: 'head' });
    expect(demote.status).toBe(422);
    expect(demote.json.code).toBe('business_rule');
    expect((await patchUser(org.admin, org, org.admin.userId, { active: false })).status).toBe(422);
    expect((await call(org.admin, 'GET', '/api/v1/me')).json.user.role).toBe('admin');

    expect((await patchUser(org.admin, org, org.head.userId, { role: 'admin' })).status).toBe(200);
    expect((await patchUser(org.admin, org, org.admin.userId, { role: 'head' })).status).toBe(200);
  });
});

describe('personal tokens in Settings', () => {
  it('a token is made with a name and an expiry, shown once, listed without its secret', async () => {
    const org = await makeOrg();
    const expiresAt = new Date(Date.now() + 30 * 86_400_000).toISOString();
    const made = await call(org.head, 'POST', '/api/v1/tokens', { body: { name: 'Excel at home', expiresAt } });
    expect(made.status).toBe(201);
    expect(made.json).toMatchObject({ name: 'Excel at home', userId: org.head.userId, expiresAt, revokedAt: null });
    const list = await call(org.head, 'GET', '/api/v1/tokens');
    const listed = list.json.items.find((t: { id: string }) => t.id === made.json.id);
    expect(listed).toMatchObject({ name: 'Excel at home', prefix: made.json.token.slice(0, 10), expiresAt });
    expect(list.text).not.toContain(made.json.token);
    expect(listed.token).toBeUndefined();
  });

  it('a token works until its expiry and is refused after it', async () => {
    const org = await makeOrg();
    const made = await call(org.manager, 'POST', '/api/v1/tokens', {
      body: { name: 'short', expiresAt: new Date(Date.now() + 1500).toISOString() },
    });
    const short = asToken(org.manager, made.json.token);
    expect((await call(short, 'GET', '/api/v1/me')).status).toBe(200);
    await sleep(1700);
    const res = await call(short, 'GET', '/api/v1/me');
    expect(res.status).toBe(401);
    expect(res.json.detail).toMatch(/expired/);
  });

  it('an expiry in the past is a 422 on expiresAt', async () => {
    const org = await makeOrg();
    const res = await call(org.head, 'POST', '/api/v1/tokens', { body: { name: 'old', expiresAt: '2020-01-01T00:00:00Z' } });
    expect(res.status).toBe(422);
    expect(res.json.errors).toEqual([expect.objectContaining({ path: '/expiresAt' })]);
  });

  it("a head makes a manager's token, sees it, revokes it, and the manager's next request is refused", async () => {
    const org = await makeOrg();
    const made = await call(org.head, 'POST', '/api/v1/tokens', { body: { name: 'for Ivan', userId: org.manager.userId } });
    expect(made.status).toBe(201);
    const ivan = asToken(org.manager, made.json.token);
    expect((await call(ivan, 'GET', '/api/v1/me')).json.user.id).toBe(org.manager.userId);
    const seen = (await call(org.head, 'GET', '/api/v1/tokens')).json.items.map((t: { id: string }) => t.id);
    expect(seen).toContain(made.json.id);
    expect((await call(org.head, 'DELETE', `/api/v1/tokens/${made.json.id}`)).status).toBe(204);
    expect((await call(ivan, 'GET', '/api/v1/me')).status).toBe(401);
    const audit = await env.DB.prepare("SELECT action FROM audit_log WHERE org_id = ?1 AND entity = 'token' AND entity_id = ?2 ORDER BY at")
      .bind(org.orgId, made.json.id)
      .all<{ action: string }>();
    expect(audit.results.map((r) => r.action)).toEqual(['create', 'revoke']);
  });

  it("a head neither makes, sees nor revokes an admin's or another head's tokens; a manager only their own", async () => {
    const org = await makeOrg();
    expect((await call(org.head, 'POST', '/api/v1/tokens', { body: { name: 'x', userId: org.admin.userId } })).status).toBe(403);
    const adminToken = (await call(org.admin, 'POST', '/api/v1/tokens', { body: { name: 'admin laptop' } })).json;
    const headList = (await call(org.head, 'GET', '/api/v1/tokens')).json.items as { userId: string; id: string }[];
    expect(headList.map((t) => t.userId).filter((u) => u === org.admin.userId)).toEqual([]);
    expect((await call(org.head, 'DELETE', `/api/v1/tokens/${adminToken.id}`)).status).toBe(404);
    expect((await call(asToken(org.admin, adminToken.token), 'GET', '/api/v1/me')).status).toBe(200);

    expect((await call(org.manager, 'POST', '/api/v1/tokens', { body: { name: 'x', userId: org.manager2.userId } })).status).toBe(403);
    const managerList = (await call(org.manager, 'GET', '/api/v1/tokens')).json.items as { userId: string }[];
    expect(new Set(managerList.map((t) => t.userId))).toEqual(new Set([org.manager.userId]));
    // An admin sees everyone's.
    const adminList = (await call(org.admin, 'GET', '/api/v1/tokens')).json.items as { userId: string }[];
    expect(new Set(adminList.map((t) => t.userId)).size).toBe(4);
  });
});

describe('the Microsoft 365 tenant link', () => {
  it('an admin links the organisation to a tenant and unlinks it; each change is audited', async () => {
    const org = await makeOrg();
    const tid = crypto.randomUUID();
    const before = await call(org.admin, 'GET', '/api/v1/settings/microsoft');
    expect(before.json).toMatchObject({ tenantId: null, signInEnabled: false });
    const linked = await call(org.admin, 'PUT', '/api/v1/settings/microsoft', {
      body: { tenantId: tid.toUpperCase() },
      headers: { 'if-match': before.headers.get('etag')! },
    });
    expect(linked.status).toBe(200);
    expect(linked.json.tenantId).toBe(tid);
    expect(
      (await env.DB.prepare('SELECT tenant_id FROM orgs WHERE id = ?1').bind(org.orgId).first<{ tenant_id: string }>())!.tenant_id,
    ).toBe(tid);
    const stale = await call(org.admin, 'PUT', '/api/v1/settings/microsoft', {
      body: { tenantId: null },
      headers: { 'if-match': before.headers.get('etag')! },
    });
    expect(stale.status).toBe(412);
    const unlinked = await call(org.admin, 'PUT', '/api/v1/settings/microsoft', {
      body: { tenantId: null },
      headers: { 'if-match': linked.headers.get('etag')! },
    });
    expect(unlinked.json.tenantId).toBeNull();
    const audit = await env.DB.prepare("SELECT details FROM audit_log WHERE org_id = ?1 AND entity = 'org' ORDER BY at, id")
      .bind(org.orgId)
      .all<{ details: string }>();
    expect(audit.results.map((r) => JSON.parse(r.details))).toEqual([{ tenantId: tid }, { tenantId: null }]);
  });

  it('a tenant serves one organisation: linking it to a second is a 409', async () => {
    const [a, b] = [await makeOrg(), await makeOrg()];
    const tid = crypto.randomUUID();
    expect(
      (await call(a.admin, 'PUT', '/api/v1/settings/microsoft', { body: { tenantId: tid }, headers: { 'if-match': '"1"' } })).status,
    ).toBe(200);
    const taken = await call(b.admin, 'PUT', '/api/v1/settings/microsoft', { body: { tenantId: tid }, headers: { 'if-match': '"1"' } });
    expect(taken.status).toBe(409);
    expect(taken.json.errors[0].path).toBe('/tenantId');
  });

  it('heads and managers may not read or change the link (403)', async () => {
    const org = await makeOrg();
    for (const who of [org.head, org.manager]) {
      expect((await call(who, 'GET', '/api/v1/settings/microsoft')).status).toBe(403);
      const res = await call(who, 'PUT', '/api/v1/settings/microsoft', {
        body: { tenantId: crypto.randomUUID() },
        headers: { 'if-match': '"1"' },
      });
      expect(res.status).toBe(403);
    }
    expect(
      (await env.DB.prepare('SELECT tenant_id FROM orgs WHERE id = ?1').bind(org.orgId).first<{ tenant_id: null }>())!.tenant_id,
    ).toBeNull();
  });
});

describe("a web form's recent submissions", () => {
  it('are the leads its posts made, newest first, and none of another form', async () => {
    const org = await makeOrg();
    const form = (await call(org.head, 'POST', '/api/v1/forms', { body: { name: 'Contact us' } })).json;
    const other = (await call(org.head, 'POST', '/api/v1/forms', { body: { name: 'Careers' } })).json;
    const post = (key: string, body: Record<string, string>) =>
      call(null, 'POST', `/api/v1/forms/${key}`, { body, headers: { 'cf-connecting-ip': '203.0.113.9' } });
    expect((await post(form.formKey, { name: 'Стефан Колев', phone: '0888 555 111', clientToken: 'a-1' })).status).toBe(200);
    expect((await post(other.formKey, { name: 'Other Person', phone: '0888 555 222', clientToken: 'b-1' })).status).toBe(200);
    // Without script the snippet posts no client token: the lead still names its form.
    expect((await post(form.formKey, { name: 'Ана Георгиева', phone: '0888 555 333' })).status).toBe(200);
    const res = await call(org.head, 'GET', `/api/v1/forms/${form.id}/submissions`);
    expect(res.status).toBe(200);
    expect(res.json.items.map((s: { fullName: string }) => s.fullName)).toEqual(['Ана Георгиева', 'Стефан Колев']);
    expect(res.json.items[1]).toMatchObject({ phone: '0888 555 111', status: 'new' });
    expect((await call(org.manager, 'GET', `/api/v1/forms/${form.id}/submissions`)).status).toBe(403);
  });

  it("are read from the organisation's web-form leads by index, not by walking its leads", async () => {
    const { results } = await env.DB.prepare(`EXPLAIN QUERY PLAN ${SUBMISSIONS_SQL}`)
      .bind('o', 'webform:x:%', 'Web form: x')
      .all<{ detail: string }>();
    const plan = results.map((r) => r.detail).join(' | ');
    expect(plan).toMatch(/SEARCH leads USING INDEX leads_source \(org_id=\? AND source=\?\)/);
    expect(plan).not.toMatch(/SCAN leads\b/);
  });
});

describe('Settings actions are audited', () => {
  it('quotas, competitors, document packages, forms and a privacy erase each leave an audit row by their author', async () => {
    const org = await makeOrg();
    const rows = async () =>
      (
        await env.DB.prepare('SELECT action, entity FROM audit_log WHERE org_id = ?1 AND user_id = ?2 ORDER BY at, id')
          .bind(org.orgId, org.head.userId)
          .all<{ action: string; entity: string }>()
      ).results.map((r) => `${r.action} ${r.entity}`);
    expect(
      (await call(org.head, 'PUT', '/api/v1/quotas', { body: { userId: org.manager.userId, period: '2026-11', amountMinor: 5_000_000 } }))
        .status,
    ).toBe(200);
    expect((await call(org.head, 'POST', '/api/v1/competitors', { body: { name: 'Rival AD' } })).status).toBe(201);
    const docs = await call(org.head, 'GET', '/api/v1/settings/documents');
    expect(
      (
        await call(org.head, 'PUT', '/api/v1/settings/documents', {
          body: { slots: [{ slot: 'offer', label: 'Оферта', stage: 'proposal' }] },
          headers: { 'if-match': docs.headers.get('etag')! },
        })
      ).status,
    ).toBe(200);
    expect((await call(org.head, 'POST', '/api/v1/forms', { body: { name: 'Site' } })).status).toBe(201);
    const contact = (await call(org.head, 'POST', '/api/v1/contacts', { body: { fullName: 'Erase Me', emails: ['erase@example.test'] } }))
      .json;
    expect((await call(org.head, 'GET', `/api/v1/contacts/${contact.id}/export`)).status).toBe(200);
    expect(
      (await call(org.head, 'POST', `/api/v1/contacts/${contact.id}/erase`, { headers: { 'if-match': `"${contact.version}"` } })).status,
    ).toBe(200);
    expect(await rows()).toEqual(
      expect.arrayContaining(['update quota', 'create competitor', 'update settings', 'create form', 'export contact', 'erase contact']),
    );
  });
});

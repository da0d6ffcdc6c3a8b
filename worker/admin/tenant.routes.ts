import { Hono } from 'hono';
import { TenantLink, TenantLinkPut } from '../../shared/schemas';
import { auditStatement } from '../lib/audit';
import { forgetPrincipals, requireRole } from '../auth/auth';
import { signInConfig } from '../auth/entra';
import type { AppEnv } from '../http/env';
import { AppError } from '../http/errors';
import { nowIso } from '../lib/ids';
import { doc } from '../http/openapi';
import { jsonBody } from '../http/validate';
import { etag, requireIfMatch } from '../http/versioning';
import { linkTenantStatement, orgTenant } from './admin.repo';

doc(
  {
    method: 'get',
    path: '/api/v1/settings/microsoft',
    summary: 'The Microsoft 365 (Entra ID) tenant this organisation is linked to',
    tag: 'Admin',
    roles: ['admin'],
    response: TenantLink,
  },
  {
    method: 'put',
    path: '/api/v1/settings/microsoft',
    summary: "Link the organisation to its Microsoft 365 tenant (null unlinks): the tenant's users then sign in to this organisation",
    tag: 'Admin',
    roles: ['admin'],
    body: TenantLinkPut,
    response: TenantLink,
    ifMatch: true,
  },
);

/** Routes under /settings: the organisation's Microsoft 365 tenant link (admins). */
export const tenantRoutes = new Hono<AppEnv>()
  .get('/microsoft', requireRole('admin'), async (c) => {
    const p = c.get('principal');
    const org = await orgTenant(c.env.DB, p.orgId);
    c.header('etag', etag(org!.version));
    return c.json({ tenantId: org!.tenant_id, signInEnabled: signInConfig(c.env) !== null, version: org!.version });
  })
  .put('/microsoft', requireRole('admin'), jsonBody(TenantLinkPut), async (c) => {
    const p = c.get('principal');
    const expected = requireIfMatch(c);
    const { tenantId } = c.req.valid('json');
    const db = c.env.DB;
    let res: D1Result | undefined;
    try {
      [res] = await db.batch([
        linkTenantStatement(db, p.orgId, expected, tenantId, nowIso()),
        auditStatement(db, p, 'update', 'org', p.orgId, { tenantId }, { sql: 'changes() = 1', params: [] }),
      ]);
    } catch (err) {
      // orgs.tenant_id is unique: a tenant serves one organisation.
      if (err instanceof Error && /UNIQUE/i.test(err.message))
        throw new AppError('conflict', 'This Microsoft 365 tenant is already linked to another Leadpane organisation.', {
          errors: [{ path: '/tenantId', code: 'taken', message: 'Linked to another organisation.' }],
        });
      throw err;
    }
    if (res!.meta.changes !== 1) {
      const current = await orgTenant(db, p.orgId);
      throw new AppError('precondition_failed', 'The organisation changed since you read it.', {
        current: { tenantId: current!.tenant_id, signInEnabled: signInConfig(c.env) !== null, version: current!.version },
        headers: { etag: etag(current!.version) },
      });
    }
    // Microsoft 365 principals remembered for the old link must be looked up again.
    forgetPrincipals();
    c.header('etag', etag(expected + 1));
    return c.json({ tenantId, signInEnabled: signInConfig(c.env) !== null, version: expected + 1 });
  });

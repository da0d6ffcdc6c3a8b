import { Hono } from 'hono';
import { normalizeEmail } from '../../shared/identity';
import { ApiToken, Me, NewApiToken, type Role, TokenCreate, User, UserCreate, UserPatch } from '../../shared/schemas';
import { auditStatement } from '../lib/audit';
import { forgetPrincipals, requireRole } from '../auth/auth';
import { isAssertFailure } from '../lib/batch-assert';
import { commit } from '../http/commit';
import type { AppEnv, Principal } from '../http/env';
import { AppError, notFound } from '../http/errors';
import { newId, newToken, nowIso, sha256Hex } from '../lib/ids';
import { doc } from '../http/openapi';
import { jsonBody } from '../http/validate';
import { etag, requireIfMatch } from '../http/versioning';
import {
  activeUser,
  anAdminStaysStatement,
  emailTaken,
  getUser,
  insertTokenStatement,
  insertUserStatement,
  listTokens,
  listUsers,
  localeAndOrgName,
  revokeTokenStatement,
  revokeUserTokensStatement,
  tokenOf,
  toToken,
  toUser,
  updateUserStatement,
  userUpdatedGuard,
  type TokenRow,
  type UserRow,
} from './admin.repo';

doc(
  { method: 'get', path: '/api/v1/me', summary: 'Who the token belongs to', tag: 'Me', response: Me },
  { method: 'get', path: '/api/v1/users', summary: "List the organisation's users", tag: 'Admin', roles: ['head', 'admin'] },
  {
    method: 'post',
    path: '/api/v1/users',
    summary: 'Invite a user by email with a role (heads invite managers; admins anyone)',
    tag: 'Admin',
    roles: ['head', 'admin'],
    body: UserCreate,
    response: User,
    status: 201,
  },
  {
    method: 'patch',
    path: '/api/v1/users/:id',
    summary: "Change a user's role, name or access; deactivating revokes the user's tokens (heads manage managers; admins anyone)",
    tag: 'Admin',
    roles: ['head', 'admin'],
    body: UserPatch,
    response: User,
    ifMatch: true,
  },
  {
    method: 'get',
    path: '/api/v1/tokens',
    summary: "List personal tokens: your own; a head also sees managers', an admin everyone's",
    tag: 'Tokens',
  },
  {
    method: 'post',
    path: '/api/v1/tokens',
    summary: 'Create a personal token with a name and an optional expiry (shown once); for a manager (head) or anyone (admin) with userId',
    tag: 'Tokens',
    body: TokenCreate,
    response: NewApiToken,
    status: 201,
  },
  { method: 'delete', path: '/api/v1/tokens/:id', summary: 'Revoke a token', tag: 'Tokens', status: 204 },
);

void ApiToken;

/** Heads of sales look after their managers; admins after everyone. */
export function mayManage(p: Principal, role: Role): boolean {
  return p.role === 'admin' || (p.role === 'head' && role === 'manager');
}
const NOT_YOURS = 'A head of sales manages managers only; ask an admin to change heads and admins.';

export const meRoutes = new Hono<AppEnv>().get('/', async (c) => {
  const p = c.get('principal');
  const row = await localeAndOrgName(c.env.DB, p);
  return c.json({
    user: { id: p.userId, email: p.email, name: p.name, role: p.role, locale: row?.locale ?? null },
    org: { id: p.orgId, name: row?.org_name ?? '' },
  });
});

export const userRoutes = new Hono<AppEnv>()
  .get('/', requireRole('head'), async (c) => {
    const users = await listUsers(c.env.DB, c.get('principal').orgId);
    return c.json({ items: users.map(toUser), nextCursor: null });
  })
  .post('/', requireRole('head'), jsonBody(UserCreate), async (c) => {
    const p = c.get('principal');
    const body = c.req.valid('json');
    if (!mayManage(p, body.role)) throw new AppError('forbidden', NOT_YOURS);
    const now = nowIso();
    const email = normalizeEmail(body.email)!;
    if (await emailTaken(c.env.DB, p.orgId, email)) throw new AppError('conflict', `A user with ${email} already exists.`);
    const user: UserRow = {
      id: newId(),
      email: body.email,
      name: body.name ?? email.slice(0, email.indexOf('@')),
      role: body.role,
      locale: body.locale ?? null,
      active: 1,
      version: 1,
      created_at: now,
      updated_at: now,
    };
    try {
      await commit(
        c,
        [
          insertUserStatement(c.env.DB, p.orgId, user, email, now),
          auditStatement(c.env.DB, p, 'create', 'user', user.id, { role: user.role, invited: email }),
        ],
        201,
        toUser(user),
      );
    } catch (err) {
      // Two invitations of one address at once: the (org_id, email_norm) key lets one through.
      if (err instanceof Error && /UNIQUE/i.test(err.message) && /email_norm/i.test(err.message))
        throw new AppError('conflict', `A user with ${email} already exists.`);
      throw err;
    }
    return c.json(toUser(user), 201);
  })
  .patch('/:id', requireRole('head'), jsonBody(UserPatch), async (c) => {
    const p = c.get('principal');
    const expected = requireIfMatch(c);
    const body = c.req.valid('json');
    const db = c.env.DB;
    const row = await getUser(db, p.orgId, c.req.param('id'));
    if (!row) throw notFound('User');
    if (!mayManage(p, row.role) || (body.role !== undefined && !mayManage(p, body.role))) throw new AppError('forbidden', NOT_YOURS);
    if (row.version !== expected)
      throw new AppError('precondition_failed', 'This user changed since you read it.', { current: toUser(row) });
    const next = {
      ...row,
      name: body.name ?? row.name,
      role: body.role ?? row.role,
      locale: body.locale === undefined ? row.locale : body.locale,
      active: body.active === undefined ? row.active : body.active ? 1 : 0,
    };
    const deactivated = row.active === 1 && next.active === 0;
    const now = nowIso();
    // Every statement after the update holds only when the update took effect (this version).
    const updated = userUpdatedGuard(p.orgId, row.id, expected + 1);
    const statements = [updateUserStatement(db, p.orgId, expected, next, now)];
    // A deactivated user's tokens are revoked, not suspended: reactivating the user later must
    // not bring back a token that may have leaked meanwhile.
    if (deactivated) statements.push(revokeUserTokensStatement(db, p.orgId, row.id, now, expected + 1));
    // Nobody locks the organisation out of its own settings: one active admin stays.
    if (row.role === 'admin' && (next.role !== 'admin' || next.active === 0)) statements.push(anAdminStaysStatement(db, p.orgId));
    statements.push(
      auditStatement(
        db,
        p,
        'update',
        'user',
        row.id,
        { role: next.role, active: next.active === 1, ...(deactivated ? { tokensRevoked: true } : {}) },
        updated,
      ),
    );
    let res: D1Result | undefined;
    try {
      [res] = await db.batch(statements);
    } catch (err) {
      if (isAssertFailure(err))
        throw new AppError('business_rule', 'The organisation needs at least one active admin: make someone else admin first.');
      throw err;
    }
    if (res!.meta.changes !== 1) throw new AppError('precondition_failed', 'This user changed while you were saving.');
    forgetPrincipals();
    const user = toUser({ ...next, version: expected + 1, updated_at: now });
    c.header('etag', etag(user.version));
    return c.json(user);
  });

export const tokenRoutes = new Hono<AppEnv>()
  .get('/', async (c) => {
    const p = c.get('principal');
    const tokens = await listTokens(c.env.DB, p);
    return c.json({ items: tokens.map(toToken), nextCursor: null });
  })
  .post('/', jsonBody(TokenCreate), async (c) => {
    const p = c.get('principal');
    const body = c.req.valid('json');
    const userId = body.userId ?? p.userId;
    const now = nowIso();
    if (body.expiresAt && Date.parse(body.expiresAt) <= Date.parse(now))
      throw new AppError('validation_failed', 'The expiry must be in the future.', {
        errors: [{ path: '/expiresAt', code: 'in_the_past', message: 'Choose a date in the future.' }],
      });
    const user = await activeUser(c.env.DB, p.orgId, userId);
    if (userId !== p.userId) {
      if (p.role === 'manager') throw new AppError('forbidden', 'Only a head of sales or an admin creates tokens for other users.');
      if (user && !mayManage(p, user.role)) throw new AppError('forbidden', NOT_YOURS);
    }
    if (!user) throw notFound('User');
    const token = newToken();
    const row: TokenRow = {
      id: newId(),
      user_id: userId,
      name: body.name,
      prefix: token.slice(0, 10),
      created_at: now,
      last_used_at: null,
      revoked_at: null,
      expires_at: body.expiresAt ? new Date(body.expiresAt).toISOString() : null,
    };
    // The answer holds the secret once; a replay under the same Idempotency-Key must not repeat it.
    const stored = { ...toToken(row), token: '(shown once)' };
    await commit(
      c,
      [
        insertTokenStatement(c.env.DB, p.orgId, row, await sha256Hex(token), now),
        auditStatement(c.env.DB, p, 'create', 'token', row.id, { userId, expiresAt: row.expires_at }),
      ],
      201,
      stored,
    );
    return c.json({ ...toToken(row), token }, 201);
  })
  .delete('/:id', async (c) => {
    const p = c.get('principal');
    const db = c.env.DB;
    const row = await tokenOf(db, p, c.req.param('id'));
    if (!row) throw notFound('Token');
    await db.batch([
      revokeTokenStatement(db, p.orgId, row.id, nowIso()),
      auditStatement(db, p, 'revoke', 'token', row.id, { userId: row.user_id }, { sql: 'changes() = 1', params: [] }),
    ]);
    forgetPrincipals();
    return c.body(null, 204);
  });

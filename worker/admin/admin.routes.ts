import { Hono } from 'hono';
import { normalizeEmail } from '../../shared/identity';
import { ApiToken, Me, NewApiToken, type Role, TokenCreate, User, UserCreate, UserPatch } from '../../shared/schemas';
import { auditStatement } from '../lib/audit';
import { forgetPrincipals, requireRole } from '../auth/auth';
import { assertStatement, isAssertFailure } from '../lib/batch-assert';
import { commit } from '../http/commit';
import type { AppEnv, Principal } from '../http/env';
import { AppError, notFound } from '../http/errors';
import { newId, newToken, nowIso, sha256Hex } from '../lib/ids';
import { doc } from '../http/openapi';
import { jsonBody } from '../http/validate';
import { etag, requireIfMatch } from '../http/versioning';

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

interface UserRow {
  id: string;
  email: string;
  name: string;
  role: Role;
  locale: string | null;
  active: number;
  version: number;
  created_at: string;
  updated_at: string;
}
const toUser = (r: UserRow) => ({
  id: r.id,
  email: r.email,
  name: r.name,
  role: r.role,
  locale: r.locale,
  active: r.active === 1,
  version: r.version,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});
interface TokenRow {
  id: string;
  user_id: string;
  name: string;
  prefix: string;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
  expires_at: string | null;
}
const toToken = (r: TokenRow) => ({
  id: r.id,
  userId: r.user_id,
  name: r.name,
  prefix: r.prefix,
  createdAt: r.created_at,
  lastUsedAt: r.last_used_at,
  revokedAt: r.revoked_at,
  expiresAt: r.expires_at,
});
void ApiToken;

/** Heads of sales look after their managers; admins after everyone. */
export function mayManage(p: Principal, role: Role): boolean {
  return p.role === 'admin' || (p.role === 'head' && role === 'manager');
}
const NOT_YOURS = 'A head of sales manages managers only; ask an admin to change heads and admins.';

export const meRoutes = new Hono<AppEnv>().get('/', async (c) => {
  const p = c.get('principal');
  const row = await c.env.DB.prepare(
    'SELECT u.locale, o.name AS org_name FROM users u JOIN orgs o ON o.id = u.org_id WHERE u.id = ?1 AND u.org_id = ?2',
  )
    .bind(p.userId, p.orgId)
    .first<{ locale: string | null; org_name: string }>();
  return c.json({
    user: { id: p.userId, email: p.email, name: p.name, role: p.role, locale: row?.locale ?? null },
    org: { id: p.orgId, name: row?.org_name ?? '' },
  });
});

export const userRoutes = new Hono<AppEnv>()
  .get('/', requireRole('head'), async (c) => {
    const { results } = await c.env.DB.prepare('SELECT * FROM users WHERE org_id = ?1 ORDER BY id LIMIT 1000')
      .bind(c.get('principal').orgId)
      .all<UserRow>();
    return c.json({ items: results.map(toUser), nextCursor: null });
  })
  .post('/', requireRole('head'), jsonBody(UserCreate), async (c) => {
    const p = c.get('principal');
    const body = c.req.valid('json');
    if (!mayManage(p, body.role)) throw new AppError('forbidden', NOT_YOURS);
    const now = nowIso();
    const email = normalizeEmail(body.email)!;
    const exists = await c.env.DB.prepare('SELECT 1 FROM users WHERE org_id = ?1 AND email_norm = ?2').bind(p.orgId, email).first();
    if (exists) throw new AppError('conflict', `A user with ${email} already exists.`);
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
          c.env.DB.prepare(
            'INSERT INTO users (id, org_id, email, email_norm, name, role, locale, active, created_at, updated_at, version) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 1, ?8, ?8, 1)',
          ).bind(user.id, p.orgId, user.email, email, user.name, user.role, user.locale, now),
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
    const row = await db.prepare('SELECT * FROM users WHERE org_id = ?1 AND id = ?2').bind(p.orgId, c.req.param('id')).first<UserRow>();
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
    const updated = {
      sql: 'EXISTS (SELECT 1 FROM users WHERE org_id = ?9 AND id = ?10 AND version = ?11)',
      params: [p.orgId, row.id, expected + 1],
    };
    const statements = [
      db
        .prepare(
          'UPDATE users SET name = ?4, role = ?5, locale = ?6, active = ?7, version = version + 1, updated_at = ?8 WHERE org_id = ?1 AND id = ?2 AND version = ?3',
        )
        .bind(p.orgId, row.id, expected, next.name, next.role, next.locale, next.active, now),
    ];
    // A deactivated user's tokens are revoked, not suspended: reactivating the user later must
    // not bring back a token that may have leaked meanwhile.
    if (deactivated)
      statements.push(
        db
          .prepare(
            `UPDATE api_tokens SET revoked_at = ?3 WHERE org_id = ?1 AND user_id = ?2 AND revoked_at IS NULL
               AND EXISTS (SELECT 1 FROM users WHERE org_id = ?1 AND id = ?2 AND version = ?4 AND active = 0)`,
          )
          .bind(p.orgId, row.id, now, expected + 1),
      );
    // Nobody locks the organisation out of its own settings: one active admin stays.
    if (row.role === 'admin' && (next.role !== 'admin' || next.active === 0))
      statements.push(assertStatement(db, "EXISTS (SELECT 1 FROM users WHERE org_id = ?1 AND role = 'admin' AND active = 1)", [p.orgId]));
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

/** Whose tokens a principal sees and revokes: their own; a head also managers'; an admin everyone's. */
function tokenScope(p: Principal): { sql: string; params: unknown[] } {
  if (p.role === 'admin') return { sql: '', params: [] };
  if (p.role === 'head') return { sql: "AND (t.user_id = ?2 OR u.role = 'manager')", params: [p.userId] };
  return { sql: 'AND t.user_id = ?2', params: [p.userId] };
}

export const tokenRoutes = new Hono<AppEnv>()
  .get('/', async (c) => {
    const p = c.get('principal');
    const scope = tokenScope(p);
    const { results } = await c.env.DB.prepare(
      `SELECT t.* FROM api_tokens t JOIN users u ON u.id = t.user_id
        WHERE t.org_id = ?1 ${scope.sql} ORDER BY t.id DESC LIMIT 500`,
    )
      .bind(p.orgId, ...scope.params)
      .all<TokenRow>();
    return c.json({ items: results.map(toToken), nextCursor: null });
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
    const user = await c.env.DB.prepare('SELECT id, role FROM users WHERE org_id = ?1 AND id = ?2 AND active = 1')
      .bind(p.orgId, userId)
      .first<{ id: string; role: Role }>();
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
        c.env.DB.prepare(
          'INSERT INTO api_tokens (id, org_id, user_id, name, prefix, hash, created_at, expires_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)',
        ).bind(row.id, p.orgId, userId, row.name, row.prefix, await sha256Hex(token), now, row.expires_at),
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
    const scope = tokenScope(p);
    const row = await db
      .prepare(`SELECT t.* FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.org_id = ?1 AND t.id = ?3 ${scope.sql}`)
      .bind(p.orgId, scope.params[0] ?? null, c.req.param('id'))
      .first<TokenRow>();
    if (!row) throw notFound('Token');
    await db.batch([
      db
        .prepare('UPDATE api_tokens SET revoked_at = ?3 WHERE org_id = ?1 AND id = ?2 AND revoked_at IS NULL')
        .bind(p.orgId, row.id, nowIso()),
      auditStatement(db, p, 'revoke', 'token', row.id, { userId: row.user_id }, { sql: 'changes() = 1', params: [] }),
    ]);
    forgetPrincipals();
    return c.body(null, 204);
  });

import { Hono } from 'hono';
import { normalizeEmail } from '../../shared/identity';
import { ApiToken, Me, NewApiToken, TokenCreate, User, UserCreate, UserPatch } from '../../shared/schemas';
import { auditStatement } from '../lib/audit';
import { forgetPrincipals, requireRole } from '../lib/auth';
import { commit } from '../lib/crud';
import type { AppEnv } from '../lib/env';
import { AppError, notFound } from '../lib/errors';
import { newId, newToken, nowIso, sha256Hex } from '../lib/ids';
import { doc } from '../lib/openapi';
import { jsonBody } from '../lib/validate';
import { etag, requireIfMatch } from '../lib/versioning';

doc(
  { method: 'get', path: '/api/v1/me', summary: 'Who the token belongs to', tag: 'Me', response: Me },
  { method: 'get', path: '/api/v1/users', summary: "List the organisation's users", tag: 'Admin', roles: ['head', 'admin'] },
  {
    method: 'post',
    path: '/api/v1/users',
    summary: 'Add a user',
    tag: 'Admin',
    roles: ['admin'],
    body: UserCreate,
    response: User,
    status: 201,
  },
  {
    method: 'patch',
    path: '/api/v1/users/:id',
    summary: "Change a user's role, name or access",
    tag: 'Admin',
    roles: ['admin'],
    body: UserPatch,
    response: User,
    ifMatch: true,
  },
  { method: 'get', path: '/api/v1/tokens', summary: "List personal tokens (admins see everyone's)", tag: 'Tokens' },
  {
    method: 'post',
    path: '/api/v1/tokens',
    summary: 'Create a personal token (shown once)',
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
  role: 'manager' | 'head' | 'admin';
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
}
const toToken = (r: TokenRow) => ({
  id: r.id,
  userId: r.user_id,
  name: r.name,
  prefix: r.prefix,
  createdAt: r.created_at,
  lastUsedAt: r.last_used_at,
  revokedAt: r.revoked_at,
});
void ApiToken;

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
  .post('/', requireRole('admin'), jsonBody(UserCreate), async (c) => {
    const p = c.get('principal');
    const body = c.req.valid('json');
    const now = nowIso();
    const email = normalizeEmail(body.email)!;
    const exists = await c.env.DB.prepare('SELECT 1 FROM users WHERE org_id = ?1 AND email_norm = ?2').bind(p.orgId, email).first();
    if (exists) throw new AppError('conflict', `A user with ${email} already exists.`);
    const user: UserRow = {
      id: newId(),
      email: body.email,
      name: body.name,
      role: body.role,
      locale: body.locale ?? null,
      active: 1,
      version: 1,
      created_at: now,
      updated_at: now,
    };
    await commit(
      c,
      [
        c.env.DB.prepare(
          'INSERT INTO users (id, org_id, email, email_norm, name, role, locale, active, created_at, updated_at, version) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 1, ?8, ?8, 1)',
        ).bind(user.id, p.orgId, user.email, email, user.name, user.role, user.locale, now),
        auditStatement(c.env.DB, p, 'create', 'user', user.id, { role: user.role }),
      ],
      201,
      toUser(user),
    );
    return c.json(toUser(user), 201);
  })
  .patch('/:id', requireRole('admin'), jsonBody(UserPatch), async (c) => {
    const p = c.get('principal');
    const expected = requireIfMatch(c);
    const body = c.req.valid('json');
    const db = c.env.DB;
    const row = await db.prepare('SELECT * FROM users WHERE org_id = ?1 AND id = ?2').bind(p.orgId, c.req.param('id')).first<UserRow>();
    if (!row) throw notFound('User');
    if (row.version !== expected)
      throw new AppError('precondition_failed', 'This user changed since you read it.', { current: toUser(row) });
    const next = {
      ...row,
      name: body.name ?? row.name,
      role: body.role ?? row.role,
      locale: body.locale === undefined ? row.locale : body.locale,
      active: body.active === undefined ? row.active : body.active ? 1 : 0,
    };
    const now = nowIso();
    const [res] = await db.batch([
      db
        .prepare(
          'UPDATE users SET name = ?4, role = ?5, locale = ?6, active = ?7, version = version + 1, updated_at = ?8 WHERE org_id = ?1 AND id = ?2 AND version = ?3',
        )
        .bind(p.orgId, row.id, expected, next.name, next.role, next.locale, next.active, now),
      auditStatement(db, p, 'update', 'user', row.id, { role: next.role, active: next.active === 1 }),
    ]);
    if (res!.meta.changes !== 1) throw new AppError('precondition_failed', 'This user changed while you were saving.');
    forgetPrincipals();
    const user = toUser({ ...next, version: expected + 1, updated_at: now });
    c.header('etag', etag(user.version));
    return c.json(user);
  });

export const tokenRoutes = new Hono<AppEnv>()
  .get('/', async (c) => {
    const p = c.get('principal');
    const all = p.role === 'admin';
    const { results } = await c.env.DB.prepare(
      `SELECT * FROM api_tokens WHERE org_id = ?1 ${all ? '' : 'AND user_id = ?2'} ORDER BY id DESC LIMIT 500`,
    )
      .bind(...(all ? [p.orgId] : [p.orgId, p.userId]))
      .all<TokenRow>();
    return c.json({ items: results.map(toToken), nextCursor: null });
  })
  .post('/', jsonBody(TokenCreate), async (c) => {
    const p = c.get('principal');
    const body = c.req.valid('json');
    const userId = body.userId ?? p.userId;
    if (userId !== p.userId && p.role !== 'admin') throw new AppError('forbidden', 'Only an admin creates tokens for other users.');
    const user = await c.env.DB.prepare('SELECT id FROM users WHERE org_id = ?1 AND id = ?2 AND active = 1').bind(p.orgId, userId).first();
    if (!user) throw notFound('User');
    const token = newToken();
    const now = nowIso();
    const row: TokenRow = {
      id: newId(),
      user_id: userId,
      name: body.name,
      prefix: token.slice(0, 10),
      created_at: now,
      last_used_at: null,
      revoked_at: null,
    };
    // The answer holds the secret once; a replay under the same Idempotency-Key must not repeat it.
    const stored = { ...toToken(row), token: '(shown once)' };
    await commit(
      c,
      [
        c.env.DB.prepare(
          'INSERT INTO api_tokens (id, org_id, user_id, name, prefix, hash, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)',
        ).bind(row.id, p.orgId, userId, row.name, row.prefix, await sha256Hex(token), now),
        auditStatement(c.env.DB, p, 'create', 'token', row.id, { userId }),
      ],
      201,
      stored,
    );
    return c.json({ ...toToken(row), token }, 201);
  })
  .delete('/:id', async (c) => {
    const p = c.get('principal');
    const db = c.env.DB;
    const row = await db
      .prepare('SELECT * FROM api_tokens WHERE org_id = ?1 AND id = ?2')
      .bind(p.orgId, c.req.param('id'))
      .first<TokenRow>();
    if (!row || (row.user_id !== p.userId && p.role !== 'admin')) throw notFound('Token');
    await db.batch([
      db
        .prepare('UPDATE api_tokens SET revoked_at = ?3 WHERE org_id = ?1 AND id = ?2 AND revoked_at IS NULL')
        .bind(p.orgId, row.id, nowIso()),
      auditStatement(db, p, 'revoke', 'token', row.id),
    ]);
    forgetPrincipals();
    return c.body(null, 204);
  });

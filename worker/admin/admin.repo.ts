import type { Role } from '../../shared/schemas';
import type { Principal } from '../http/env';
import { assertStatement } from '../lib/batch-assert';
import { shiftGuard, type Guard } from '../records/guard';

export interface UserRow {
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
export const toUser = (r: UserRow) => ({
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
export interface TokenRow {
  id: string;
  user_id: string;
  name: string;
  prefix: string;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
  expires_at: string | null;
}
export const toToken = (r: TokenRow) => ({
  id: r.id,
  userId: r.user_id,
  name: r.name,
  prefix: r.prefix,
  createdAt: r.created_at,
  lastUsedAt: r.last_used_at,
  revokedAt: r.revoked_at,
  expiresAt: r.expires_at,
});

/** The user's language and their organisation's name. */
export function localeAndOrgName(db: D1Database, p: Principal) {
  return db
    .prepare('SELECT u.locale, o.name AS org_name FROM users u JOIN orgs o ON o.id = u.org_id WHERE u.id = ?1 AND u.org_id = ?2')
    .bind(p.userId, p.orgId)
    .first<{ locale: string | null; org_name: string }>();
}

export async function listUsers(db: D1Database, orgId: string): Promise<UserRow[]> {
  const { results } = await db.prepare('SELECT * FROM users WHERE org_id = ?1 ORDER BY id LIMIT 1000').bind(orgId).all<UserRow>();
  return results;
}

export async function emailTaken(db: D1Database, orgId: string, emailNorm: string): Promise<boolean> {
  return !!(await db.prepare('SELECT 1 FROM users WHERE org_id = ?1 AND email_norm = ?2').bind(orgId, emailNorm).first());
}

export function getUser(db: D1Database, orgId: string, id: string): Promise<UserRow | null> {
  return db.prepare('SELECT * FROM users WHERE org_id = ?1 AND id = ?2').bind(orgId, id).first<UserRow>();
}

/** Whether the user is a member of the organisation (active or not). */
export async function isMember(db: D1Database, orgId: string, userId: string): Promise<boolean> {
  return !!(await db.prepare('SELECT id FROM users WHERE org_id = ?1 AND id = ?2').bind(orgId, userId).first());
}

/** Holds while the user is a member of the organisation. */
export function memberGuard(orgId: string, userId: string): Guard {
  return { sql: 'EXISTS (SELECT 1 FROM users WHERE org_id = ?1 AND id = ?2)', params: [orgId, userId] };
}

/** Every user's name, for a batch. */
export const userNamesStatement = (db: D1Database, orgId: string) => db.prepare('SELECT id, name FROM users WHERE org_id = ?1').bind(orgId);

/** The user if active, with their role. */
export function activeUser(db: D1Database, orgId: string, id: string) {
  return db
    .prepare('SELECT id, role FROM users WHERE org_id = ?1 AND id = ?2 AND active = 1')
    .bind(orgId, id)
    .first<{ id: string; role: Role }>();
}

export function insertUserStatement(db: D1Database, orgId: string, user: UserRow, emailNorm: string, now: string): D1PreparedStatement {
  return db
    .prepare(
      'INSERT INTO users (id, org_id, email, email_norm, name, role, locale, active, created_at, updated_at, version) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 1, ?8, ?8, 1)',
    )
    .bind(user.id, orgId, user.email, emailNorm, user.name, user.role, user.locale, now);
}

/** The versioned update of a user's name, role, locale and access. */
export function updateUserStatement(db: D1Database, orgId: string, expected: number, next: UserRow, now: string): D1PreparedStatement {
  return db
    .prepare(
      'UPDATE users SET name = ?4, role = ?5, locale = ?6, active = ?7, version = version + 1, updated_at = ?8 WHERE org_id = ?1 AND id = ?2 AND version = ?3',
    )
    .bind(orgId, next.id, expected, next.name, next.role, next.locale, next.active, now);
}

/** Holds once the user is at `version`; numbered for an audit row (after its 8 parameters). */
export function userUpdatedGuard(orgId: string, id: string, version: number): Guard {
  return shiftGuard(
    { sql: 'EXISTS (SELECT 1 FROM users WHERE org_id = ?1 AND id = ?2 AND version = ?3)', params: [orgId, id, version] },
    8,
  );
}

/** Revokes the user's live tokens, once the user is at `version` and inactive. */
export function revokeUserTokensStatement(
  db: D1Database,
  orgId: string,
  userId: string,
  now: string,
  version: number,
): D1PreparedStatement {
  return db
    .prepare(
      `UPDATE api_tokens SET revoked_at = ?3 WHERE org_id = ?1 AND user_id = ?2 AND revoked_at IS NULL
               AND EXISTS (SELECT 1 FROM users WHERE org_id = ?1 AND id = ?2 AND version = ?4 AND active = 0)`,
    )
    .bind(orgId, userId, now, version);
}

/** Aborts the batch unless the organisation still has an active admin. */
export function anAdminStaysStatement(db: D1Database, orgId: string): D1PreparedStatement {
  return assertStatement(db, "EXISTS (SELECT 1 FROM users WHERE org_id = ?1 AND role = 'admin' AND active = 1)", [orgId]);
}

/** Whose tokens a principal sees and revokes: their own; a head also managers'; an admin everyone's. */
function tokenScope(p: Principal): { sql: string; params: unknown[] } {
  if (p.role === 'admin') return { sql: '', params: [] };
  if (p.role === 'head') return { sql: "AND (t.user_id = ?2 OR u.role = 'manager')", params: [p.userId] };
  return { sql: 'AND t.user_id = ?2', params: [p.userId] };
}

export async function listTokens(db: D1Database, p: Principal): Promise<TokenRow[]> {
  const scope = tokenScope(p);
  const { results } = await db
    .prepare(
      `SELECT t.* FROM api_tokens t JOIN users u ON u.id = t.user_id
        WHERE t.org_id = ?1 ${scope.sql} ORDER BY t.id DESC LIMIT 500`,
    )
    .bind(p.orgId, ...scope.params)
    .all<TokenRow>();
  return results;
}

/** A token the principal may see, or null. */
export function tokenOf(db: D1Database, p: Principal, id: string): Promise<TokenRow | null> {
  const scope = tokenScope(p);
  return db
    .prepare(`SELECT t.* FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.org_id = ?1 AND t.id = ?3 ${scope.sql}`)
    .bind(p.orgId, scope.params[0] ?? null, id)
    .first<TokenRow>();
}

export function insertTokenStatement(db: D1Database, orgId: string, row: TokenRow, hash: string, now: string): D1PreparedStatement {
  return db
    .prepare(
      'INSERT INTO api_tokens (id, org_id, user_id, name, prefix, hash, created_at, expires_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)',
    )
    .bind(row.id, orgId, row.user_id, row.name, row.prefix, hash, now, row.expires_at);
}

export function revokeTokenStatement(db: D1Database, orgId: string, id: string, now: string): D1PreparedStatement {
  return db.prepare('UPDATE api_tokens SET revoked_at = ?3 WHERE org_id = ?1 AND id = ?2 AND revoked_at IS NULL').bind(orgId, id, now);
}

/** The organisation's Microsoft 365 tenant link and its version. */
export function orgTenant(db: D1Database, orgId: string) {
  return db.prepare('SELECT tenant_id, version FROM orgs WHERE id = ?1').bind(orgId).first<{ tenant_id: string | null; version: number }>();
}

/** Links (or unlinks, null) the organisation's tenant if it is still at `expected`. */
export function linkTenantStatement(
  db: D1Database,
  orgId: string,
  expected: number,
  tenantId: string | null,
  now: string,
): D1PreparedStatement {
  return db
    .prepare('UPDATE orgs SET tenant_id = ?3, version = version + 1, updated_at = ?4 WHERE id = ?1 AND version = ?2')
    .bind(orgId, expected, tenantId, now);
}

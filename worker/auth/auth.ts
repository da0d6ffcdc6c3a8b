import { createMiddleware } from 'hono/factory';
import type { Role } from '../../shared/schemas';
import { allowedTenants, entraAudiences, entraPrincipal, verifyEntraToken } from './entra';
import { AppError } from '../http/errors';
import type { AppEnv, Bindings, Principal } from '../http/env';
import { sha256Hex } from '../lib/ids';

interface TokenRow {
  token_id: string;
  expires_at: string | null;
  user_id: string;
  org_id: string;
  role: Role;
  email: string;
  name: string;
}

/** Three base64url parts: a JWT (the signature part is empty for `alg: none`, rejected later). */
const JWT_SHAPE = /^[\w-]+\.[\w-]+\.[\w-]*$/;

/**
 * Bearer personal tokens (`lp_...`, stored as SHA-256) or Microsoft 365 (Entra ID) access tokens.
 * The organisation always comes from the principal, never from the request.
 */
export const authenticate = createMiddleware<AppEnv>(async (c, next) => {
  const header = c.req.header('authorization') ?? '';
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  if (!match)
    throw new AppError('unauthorized', 'Send a personal token as "Authorization: Bearer lp_...".', {
      headers: { 'www-authenticate': 'Bearer realm="leadpane"' },
    });
  const token = match[1]!;
  let principal: Principal | null = null;
  if (token.startsWith('lp_')) principal = await principalFromToken(c.env.DB, token);
  else if (JWT_SHAPE.test(token)) principal = await principalFromEntraToken(c.env, token);
  if (!principal)
    throw new AppError('unauthorized', 'The token is unknown, revoked or expired. Create a new one and sign in again.', {
      headers: { 'www-authenticate': 'Bearer realm="leadpane", error="invalid_token"' },
    });
  c.set('principal', principal);
  await next();
});

/*
 * Verified tokens are remembered in this isolate for PRINCIPAL_TTL_MS, which saves a D1 read on
 * every request (a local D1 query costs about a millisecond, the rest of a read request less).
 * Revoking a token or changing a user clears the cache in the isolate that did it; other isolates
 * notice within the TTL. Unknown tokens are never cached, so a new token works at once.
 */
export const PRINCIPAL_TTL_MS = 10_000;
const MAX_CACHED = 5_000;
const principals = new Map<string, { principal: Principal; until: number }>();

/** Forgets every remembered token (after a revocation or a change to a user's role or status). */
export function forgetPrincipals(): void {
  principals.clear();
}

function remember(hash: string, principal: Principal, until: number): void {
  if (principals.size >= MAX_CACHED) principals.clear();
  principals.set(hash, { principal, until });
}

export async function principalFromToken(db: D1Database, token: string, now = Date.now()): Promise<Principal | null> {
  const hash = await sha256Hex(token);
  const cached = principals.get(hash);
  if (cached && cached.until > now) return cached.principal;
  const loaded = await loadPrincipal(db, hash, now);
  if (!loaded) {
    principals.delete(hash);
    return null;
  }
  // Never remembered past the token's own expiry.
  const expires = loaded.expiresAt ? Date.parse(loaded.expiresAt) : Infinity;
  remember(hash, loaded.principal, Math.min(now + PRINCIPAL_TTL_MS, expires));
  return loaded.principal;
}

/**
 * The principal of a Microsoft 365 access token; throws a 401 that says what is wrong with the
 * token, or a 403 for a tenant that is neither linked nor allowed (never cached). Cached like
 * personal tokens, but never past the token's own expiry.
 */
export async function principalFromEntraToken(env: Bindings, token: string, now = Date.now()): Promise<Principal> {
  // Checked before the cache so switching sign-in off takes effect at once.
  entraAudiences(env);
  const hash = await sha256Hex(token);
  const cached = principals.get(hash);
  if (cached && cached.until > now) return cached.principal;
  principals.delete(hash);
  const claims = await verifyEntraToken(token, env);
  const principal = await entraPrincipal(env.DB, claims, allowedTenants(env));
  remember(hash, principal, Math.min(now + PRINCIPAL_TTL_MS, claims.exp * 1000));
  return principal;
}

async function loadPrincipal(
  db: D1Database,
  hash: string,
  now: number,
): Promise<{ principal: Principal; expiresAt: string | null } | null> {
  const row = await db
    .prepare(
      `SELECT t.id AS token_id, t.expires_at, u.id AS user_id, u.org_id, u.role, u.email, u.name
         FROM api_tokens t JOIN users u ON u.id = t.user_id
        WHERE t.hash = ?1 AND t.revoked_at IS NULL AND (t.expires_at IS NULL OR t.expires_at > ?2) AND u.active = 1`,
    )
    .bind(hash, new Date(now).toISOString())
    .first<TokenRow>();
  if (!row) return null;
  return {
    principal: { userId: row.user_id, orgId: row.org_id, role: row.role, email: row.email, name: row.name, tokenId: row.token_id },
    expiresAt: row.expires_at,
  };
}

const RANK: Record<Role, number> = { manager: 1, head: 2, admin: 3 };

/** Allows the route to principals holding at least one of the roles (admin passes head checks). */
export function requireRole(...roles: Role[]) {
  return createMiddleware<AppEnv>(async (c, next) => {
    const role = c.get('principal').role;
    const min = Math.min(...roles.map((r) => RANK[r]));
    if (RANK[role] < min) throw new AppError('forbidden', `This needs the ${roles.join(' or ')} role; you are ${role}.`);
    await next();
  });
}

export function isLead(p: Principal): boolean {
  return p.role === 'head' || p.role === 'admin';
}

import { createRemoteJWKSet, decodeJwt, errors, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import { normalizeEmail } from '../../shared/identity';
import type { Role } from '../../shared/schemas';
import { auditStatement } from '../lib/audit';
import { AppError } from '../http/errors';
import type { Bindings, Principal } from '../http/env';
import { newId, nowIso } from '../lib/ids';

/*
 * Microsoft 365 (Entra ID) access tokens, as the panes get them through nested app authentication.
 * A token is accepted when it is RS256-signed by a key in Microsoft's JWKS, names our app id URI
 * as audience, was issued by its own tenant (`iss` matches `tid`) and is within its lifetime.
 */

export const DEFAULT_JWKS_URL = 'https://login.microsoftonline.com/common/discovery/v2.0/keys';
const V2_ISSUER = 'https://login.microsoftonline.com/{tid}/v2.0';
const V1_ISSUER = 'https://sts.windows.net/{tid}/';
/** Seconds of clock skew allowed on exp and nbf. */
const CLOCK_TOLERANCE_S = 60;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const CHALLENGE = { 'www-authenticate': 'Bearer realm="leadpane", error="invalid_token"' };

export interface EntraClaims {
  tid: string;
  oid: string;
  /** Normalised address from preferred_username, email or upn; null when the token has none. */
  email: string | null;
  name: string | null;
  /** Expiry, seconds since the epoch. */
  exp: number;
}

export const invalidToken = (detail: string) => new AppError('unauthorized', detail, { headers: CHALLENGE });

/** ENTRA_AUDIENCE as a list (comma-separated; empty when Microsoft sign-in is off). */
function audienceList(env: Pick<Bindings, 'ENTRA_AUDIENCE'>): string[] {
  return (env.ENTRA_AUDIENCE ?? '')
    .split(',')
    .map((a) => a.trim())
    .filter(Boolean);
}

/** The accepted audiences; Microsoft sign-in is off (401) when ENTRA_AUDIENCE names none. */
export function entraAudiences(env: Pick<Bindings, 'ENTRA_AUDIENCE'>): string[] {
  const audiences = audienceList(env);
  if (audiences.length === 0)
    throw invalidToken('Microsoft 365 sign-in is off on this server (ENTRA_AUDIENCE is empty); use a personal token.');
  return audiences;
}

/**
 * What the panes need to offer Microsoft 365 sign-in: the add-in's client id and the API scope,
 * from ENTRA_AUDIENCE (`api://<host>/<client id>` and/or the bare client id). Null when it is off.
 */
export function signInConfig(env: Pick<Bindings, 'ENTRA_AUDIENCE'>): { clientId: string; scopes: string[] } | null {
  const audiences = audienceList(env);
  const clientId = audiences.map((a) => /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.exec(a)?.[0]).find(Boolean);
  if (!clientId) return null;
  const uri = audiences.find((a) => a.startsWith('api://')) ?? `api://${clientId}`;
  return { clientId, scopes: [`${uri}/access_as_user`] };
}

/*
 * One remote key set per JWKS URL per isolate: jose keeps the keys for 10 minutes and refetches at
 * most every 30 s when a token names an unknown key id (Microsoft rotates keys that way).
 */
const keySets = new Map<string, JWTVerifyGetKey>();
class KeysUnavailable extends Error {}

function remoteKeys(url: string): JWTVerifyGetKey {
  let keys = keySets.get(url);
  if (!keys) {
    const remote = createRemoteJWKSet(new URL(url));
    // A failed fetch of the key set is our problem, not the token's: kept apart from key misses.
    keys = async (header, token) => {
      try {
        return await remote(header, token);
      } catch (err) {
        if (err instanceof errors.JWKSNoMatchingKey || err instanceof errors.JWKSMultipleMatchingKeys) throw err;
        throw new KeysUnavailable('JWKS unavailable', { cause: err });
      }
    };
    keySets.set(url, keys);
  }
  return keys;
}

function tenantIn(iss: unknown): string | null {
  return typeof iss === 'string' ? (/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i.exec(iss)?.[0] ?? null) : null;
}

/**
 * Verifies an Entra ID access token; answers its claims or throws a 401 AppError that says what is
 * wrong (never the token itself). `opts.keys` replaces the remote JWKS (tools that hold the keys).
 */
export async function verifyEntraToken(
  token: string,
  env: Pick<Bindings, 'ENTRA_AUDIENCE' | 'ENTRA_JWKS_URL' | 'ENTRA_ISSUER_TEMPLATE'>,
  opts: { keys?: JWTVerifyGetKey } = {},
): Promise<EntraClaims> {
  const audience = entraAudiences(env);
  let unverified: JWTPayload;
  try {
    unverified = decodeJwt(token);
  } catch {
    throw invalidToken('The Microsoft 365 token is malformed; sign in again.');
  }
  // Read unverified only to know which issuer to expect; the signature check below covers it.
  const tid = unverified.tid;
  if (typeof tid !== 'string' || !GUID.test(tid)) throw invalidToken('The Microsoft 365 token has no tenant id (tid claim).');
  const template = env.ENTRA_ISSUER_TEMPLATE || (unverified.ver === '1.0' ? V1_ISSUER : V2_ISSUER);
  const issuer = template.replace('{tid}', tid);

  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(token, opts.keys ?? remoteKeys(env.ENTRA_JWKS_URL || DEFAULT_JWKS_URL), {
      algorithms: ['RS256'],
      audience,
      issuer,
      clockTolerance: CLOCK_TOLERANCE_S,
      requiredClaims: ['exp', 'tid', 'oid'],
    }));
  } catch (err) {
    throw explain(err, unverified, tid);
  }
  const oid = payload.oid;
  if (typeof oid !== 'string' || !GUID.test(oid)) throw invalidToken('The Microsoft 365 token has no user object id (oid claim).');
  const email =
    [payload.preferred_username, payload.email, payload.upn, payload.unique_name]
      .map((v) => (typeof v === 'string' ? normalizeEmail(v) : null))
      .find((v) => v !== null) ?? null;
  const name = typeof payload.name === 'string' && payload.name.trim() ? payload.name.trim().slice(0, 200) : null;
  return { tid: tid.toLowerCase(), oid: oid.toLowerCase(), email, name, exp: payload.exp! };
}

function explain(err: unknown, unverified: JWTPayload, tid: string): AppError {
  if (err instanceof KeysUnavailable)
    return new AppError('service_unavailable', "Microsoft's signing keys could not be fetched; retry in a minute.", {
      headers: { 'retry-after': '60' },
    });
  if (err instanceof errors.JWTExpired) return invalidToken('The Microsoft 365 token has expired (exp); sign in again.');
  if (err instanceof errors.JWTClaimValidationFailed) {
    switch (err.claim) {
      case 'aud':
        return invalidToken('The Microsoft 365 token is for another application (audience).');
      case 'iss': {
        const named = tenantIn(unverified.iss);
        return named && named.toLowerCase() !== tid.toLowerCase()
          ? invalidToken('The Microsoft 365 token names another tenant as issuer than its tid claim (issuer/tenant mismatch).')
          : invalidToken('The Microsoft 365 token was not issued by Microsoft Entra ID for its tenant (issuer).');
      }
      case 'nbf':
        return invalidToken('The Microsoft 365 token is not valid yet (nbf); check the clock and sign in again.');
      default:
        return invalidToken(`The Microsoft 365 token has a missing or invalid "${err.claim}" claim.`);
    }
  }
  if (err instanceof errors.JOSEAlgNotAllowed)
    return invalidToken('The Microsoft 365 token is not signed with RS256 (alg); it cannot be trusted.');
  if (err instanceof errors.JWKSNoMatchingKey)
    return invalidToken("The Microsoft 365 token is signed by a key that is not in Microsoft's key set (kid).");
  if (err instanceof errors.JWSSignatureVerificationFailed) return invalidToken('The Microsoft 365 token signature is invalid.');
  return invalidToken('The Microsoft 365 token is malformed; sign in again.');
}

interface UserRow {
  id: string;
  org_id: string;
  role: Role;
  email: string;
  name: string;
  external_id: string | null;
  active: number;
}

const toPrincipal = (u: UserRow): Principal => ({
  userId: u.id,
  orgId: u.org_id,
  role: u.role,
  email: u.email,
  name: u.name,
  tokenId: null,
});

/** ENTRA_ALLOWED_TENANTS as a set of lower-case tenant ids (comma or space separated). */
export function allowedTenants(env: Pick<Bindings, 'ENTRA_ALLOWED_TENANTS'>): Set<string> {
  return new Set(
    (env.ENTRA_ALLOWED_TENANTS ?? '')
      .split(/[\s,]+/)
      .map((t) => t.trim().toLowerCase())
      .filter((t) => GUID.test(t)),
  );
}

/** A verified token of a tenant this deployment does not serve: known who, but no organisation. */
const tenantRefused = (tid: string) =>
  new AppError(
    'forbidden',
    `Your Microsoft 365 tenant (${tid}) is not linked to a Leadpane organisation on this server. ` +
      'An admin links it in Leadpane under Settings → Microsoft 365; until then, sign in with a personal token.',
  );

/**
 * The principal of a verified token: the tenant is the organisation it is linked to
 * (`orgs.tenant_id`, set in Settings), the object id the user (`users.external_id`). A new user of
 * a linked tenant is a manager, or the user an admin already invited with this address. A tenant
 * that no organisation is linked to is refused (403) unless ENTRA_ALLOWED_TENANTS lists it: then
 * its first user makes its organisation and administers it. Safe under concurrent first requests:
 * every insert yields on conflict and the outcome is read back.
 */
export async function entraPrincipal(db: D1Database, claims: EntraClaims, allowed: ReadonlySet<string> = new Set()): Promise<Principal> {
  for (let attempt = 0; attempt < 2; attempt++) {
    const org = await db.prepare('SELECT id FROM orgs WHERE tenant_id = ?1').bind(claims.tid).first<{ id: string }>();
    if (org) {
      const user = await findUser(db, org.id, claims.oid);
      if (user) return activePrincipal(user);
    } else if (!allowed.has(claims.tid)) throw tenantRefused(claims.tid);
    if (!claims.email)
      throw invalidToken('The Microsoft 365 token carries no email address (preferred_username), so no Leadpane user can be matched.');
    await provision(db, claims, claims.email, org?.id ?? null);
  }
  const org = await db.prepare('SELECT id FROM orgs WHERE tenant_id = ?1').bind(claims.tid).first<{ id: string }>();
  const user = org ? await findUser(db, org.id, claims.oid) : null;
  if (user) return activePrincipal(user);
  throw invalidToken(
    'Another Microsoft 365 account is already linked to a Leadpane user with this email address; ask an admin of your organisation.',
  );
}

const findUser = (db: D1Database, orgId: string, oid: string) =>
  db
    .prepare('SELECT id, org_id, role, email, name, external_id, active FROM users WHERE org_id = ?1 AND external_id = ?2')
    .bind(orgId, oid)
    .first<UserRow>();

function activePrincipal(user: UserRow): Principal {
  if (user.active !== 1) throw invalidToken('Your Leadpane user is deactivated; ask an admin of your organisation to reactivate it.');
  return toPrincipal(user);
}

async function provision(db: D1Database, claims: EntraClaims, email: string, existingOrgId: string | null): Promise<void> {
  const now = nowIso();
  if (existingOrgId) {
    const known = await db
      .prepare('SELECT id, org_id, role, email, name, external_id, active FROM users WHERE org_id = ?1 AND email_norm = ?2')
      .bind(existingOrgId, email)
      .first<UserRow>();
    if (known) {
      // Added by an admin before the first Microsoft sign-in: link, do not duplicate.
      if (known.external_id !== null) return;
      await db.batch([
        db
          .prepare(
            'UPDATE users SET external_id = ?3, version = version + 1, updated_at = ?4 WHERE org_id = ?1 AND id = ?2 AND external_id IS NULL',
          )
          .bind(existingOrgId, known.id, claims.oid, now),
        auditStatement(
          db,
          toPrincipal(known),
          'update',
          'user',
          known.id,
          { linked: 'microsoft-365' },
          { sql: 'changes() = 1', params: [] },
        ),
      ]);
      return;
    }
  }
  // The tenant's first user creates the organisation and administers it; later users are managers.
  const orgId = existingOrgId ?? newId();
  const role: Role = existingOrgId ? 'manager' : 'admin';
  const userId = newId();
  const name = claims.name ?? email.slice(0, email.indexOf('@'));
  const actor: Principal = { userId, orgId, role, email, name, tokenId: null };
  // Audit rows only when this request's user row was written (it lost no race).
  const written = { sql: 'EXISTS (SELECT 1 FROM users WHERE id = ?9 AND org_id = ?10)', params: [userId, orgId] };
  const statements: D1PreparedStatement[] = [];
  if (!existingOrgId) {
    statements.push(
      db
        .prepare('INSERT INTO orgs (id, name, tenant_id, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?4) ON CONFLICT DO NOTHING')
        .bind(orgId, email.slice(email.indexOf('@') + 1), claims.tid, now),
    );
  }
  statements.push(
    // Selecting the org guards against a lost race for the tenant (another request's org won).
    db
      .prepare(
        `INSERT INTO users (id, org_id, email, email_norm, name, role, external_id, active, created_at, updated_at, version)
         SELECT ?1, o.id, ?2, ?2, ?3, ?4, ?5, 1, ?6, ?6, 1 FROM orgs o WHERE o.id = ?7 AND o.tenant_id = ?8
         ON CONFLICT DO NOTHING`,
      )
      .bind(userId, email, name, role, claims.oid, now, orgId, claims.tid),
  );
  if (!existingOrgId) statements.push(auditStatement(db, actor, 'create', 'org', orgId, { via: 'microsoft-365' }, written));
  statements.push(auditStatement(db, actor, 'create', 'user', userId, { role, via: 'microsoft-365' }, written));
  await db.batch(statements);
}

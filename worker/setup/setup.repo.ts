import { normalizeEmail } from '../../shared/identity';
import { auditStatement } from '../lib/audit';
import { assertStatement, isAssertFailure } from '../lib/batch-assert';
import type { Principal } from '../http/env';
import { AppError } from '../http/errors';
import { newId, newToken, nowIso, sha256Hex } from '../lib/ids';

export interface SetupInput {
  org: string;
  email: string;
  name?: string | undefined;
}

export interface SetupResult {
  org: { id: string; name: string };
  user: { id: string; email: string; name: string; role: 'admin' };
  token: string;
}

const ALREADY = 'This deployment is already set up: it has an organisation. Ask its admin for a personal token (Settings → Tokens).';

/**
 * Makes the deployment's first organisation, its admin and the admin's personal token, in one
 * batch that claims the single deployment_setup row while no organisation exists. Whatever the
 * timing, two setups make one organisation: the later batch finds an organisation (or the row
 * taken), aborts as a whole and answers 409.
 */
export async function setUpDeployment(db: D1Database, input: SetupInput): Promise<SetupResult> {
  const now = nowIso();
  const orgId = newId();
  const userId = newId();
  const tokenId = newId();
  const token = newToken();
  const email = normalizeEmail(input.email) ?? input.email.trim().toLowerCase();
  const name = input.name ?? email.slice(0, email.indexOf('@'));
  const admin: Principal = { userId, orgId, role: 'admin', email, name, tokenId: null };
  try {
    await db.batch([
      db
        .prepare('INSERT INTO deployment_setup (id, org_id, user_id, at) SELECT 1, ?1, ?2, ?3 WHERE NOT EXISTS (SELECT 1 FROM orgs)')
        .bind(orgId, userId, now),
      assertStatement(db, 'EXISTS (SELECT 1 FROM deployment_setup WHERE id = 1 AND org_id = ?1)', [orgId]),
      db.prepare('INSERT INTO orgs (id, name, created_at, updated_at) VALUES (?1, ?2, ?3, ?3)').bind(orgId, input.org.trim(), now),
      db
        .prepare(
          `INSERT INTO users (id, org_id, email, email_norm, name, role, active, created_at, updated_at, version)
           VALUES (?1, ?2, ?3, ?4, ?5, 'admin', 1, ?6, ?6, 1)`,
        )
        .bind(userId, orgId, input.email.trim(), email, name, now),
      db
        .prepare('INSERT INTO api_tokens (id, org_id, user_id, name, prefix, hash, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)')
        .bind(tokenId, orgId, userId, 'setup', token.slice(0, 10), await sha256Hex(token), now),
      auditStatement(db, admin, 'create', 'org', orgId, { via: 'setup' }),
      auditStatement(db, admin, 'create', 'user', userId, { role: 'admin', via: 'setup' }),
      auditStatement(db, admin, 'create', 'token', tokenId, { userId, via: 'setup' }),
    ]);
  } catch (err) {
    if (isAssertFailure(err) || (err instanceof Error && /UNIQUE constraint failed: deployment_setup/i.test(err.message)))
      throw new AppError('conflict', ALREADY);
    throw err;
  }
  return { org: { id: orgId, name: input.org.trim() }, user: { id: userId, email, name, role: 'admin' }, token };
}

/** Shortest setup secret accepted: 16 characters (`openssl rand -base64 24` makes 32). */
export const MIN_SETUP_TOKEN = 16;

/**
 * Checks `Authorization: Bearer <setup token>` against the SETUP_TOKEN secret, comparing digests
 * so the time taken says nothing about how much of a guess was right.
 */
export async function checkSetupToken(configured: string | undefined, header: string | undefined): Promise<void> {
  const secret = configured?.trim() ?? '';
  if (!secret)
    throw new AppError(
      'forbidden',
      'Setup is off on this server: set the SETUP_TOKEN secret first (npx wrangler secret put SETUP_TOKEN; locally SETUP_TOKEN=... npm start -- --empty).',
    );
  if (secret.length < MIN_SETUP_TOKEN)
    throw new AppError('forbidden', `SETUP_TOKEN is too short to be safe: use at least ${MIN_SETUP_TOKEN} random characters.`);
  const given = /^Bearer\s+(\S+)$/i.exec(header ?? '')?.[1];
  const challenge = { headers: { 'www-authenticate': 'Bearer realm="leadpane-setup"' } };
  if (!given) throw new AppError('unauthorized', 'Send the setup token as "Authorization: Bearer <SETUP_TOKEN>".', challenge);
  const [a, b] = await Promise.all([sha256Hex(given), sha256Hex(secret)]);
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  if (diff !== 0) throw new AppError('unauthorized', 'The setup token is wrong.', challenge);
}

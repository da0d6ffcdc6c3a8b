import type { Context } from 'hono';
import { matchedRoutes } from 'hono/route';
import { createMiddleware } from 'hono/factory';
import { AppError } from './errors';
import type { AppEnv } from './env';
import { nowIso, sha256Hex } from '../lib/ids';

/** Keys are kept at least this long (24 h); a pending key older than PENDING_TAKEOVER_MS was abandoned. */
export const IDEMPOTENCY_TTL_MS = 24 * 3600_000;
const PENDING_TAKEOVER_MS = 30_000;
const WAIT_STEP_MS = 50;
const WAIT_MAX_MS = 10_000;

interface KeyRow {
  request_hash: string;
  state: 'pending' | 'done';
  status: number | null;
  response: string | null;
  headers: string | null;
  created_at: string;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Response headers worth replaying to a retried request. */
const REPLAYED_HEADERS = ['etag', 'location', 'content-type'];

/**
 * `Idempotency-Key` on POST: the first request with a key does the work; a retry with the same
 * key and body gets the first answer; the same key with another body is 422. Concurrent
 * requests with one key wait for the first to finish.
 *
 * Routes whose only write is one `commit()` batch (marked with `atomicIdempotent`) skip the claim:
 * the batch itself inserts the key with the answer, so a concurrent or repeated request's batch
 * fails on the key's primary key, changes nothing, and that request replays the stored answer.
 * That saves a D1 round trip on every create. Other routes claim the key first (a pending row)
 * and store the answer when they finish.
 */
export const idempotency = createMiddleware<AppEnv>(async (c, next) => {
  const given = c.req.header('idempotency-key');
  if (c.req.method !== 'POST' || given === undefined) return next();
  if (!/^[\x21-\x7e]{1,200}$/.test(given))
    throw new AppError('bad_request', 'Idempotency-Key must be 1-200 visible ASCII characters, e.g. a UUID.');
  const { orgId, userId } = c.get('principal');
  // A key is its sender's: the same key from a colleague is another request, never their answer.
  const key = `${userId}:${given}`;
  const db = c.env.DB;
  const body = await c.req.text();
  const hash = await sha256Hex(`${c.req.method} ${new URL(c.req.url).pathname}\n${body}`);

  if (isAtomicRoute(c)) {
    c.set('idempotency', { orgId, key, hash, stored: false, atomic: true });
    await next();
    const state = c.get('idempotency')!;
    if (c.error instanceof KeyTaken) {
      c.error = undefined;
      c.res = await awaitAnswer(c, db, orgId, key, hash, false);
      return;
    }
    if (state.stored || c.error || c.res.status >= 300) return;
    // A success that wrote nothing through commit() (an existing record found by its external id).
    const [expired, insert] = storeStatements(db, c, c.res.status, await c.res.clone().text(), pickHeaders(c.res.headers));
    await db.batch([expired!, insert!]).catch((err: unknown) => {
      // A concurrent request stored its answer first: theirs stands.
      if (!isKeyConflict(err)) throw err;
    });
    return;
  }

  const replay = await awaitAnswer(c, db, orgId, key, hash, true);
  if (replay) return replay;
  c.set('idempotency', { orgId, key, hash, stored: false, atomic: false });
  await next();
  const state = c.get('idempotency')!;
  const res = c.res;
  if (state.stored) return;
  // Answers that depend on the moment (rate limits, outages, crashes) are not replayed: the key is freed.
  if (res.status >= 500 || res.status === 429 || res.status === 409) {
    // Only a key still pending: one the change's own batch marked done must keep its answer.
    await db.prepare("DELETE FROM idempotency_keys WHERE org_id = ?1 AND key = ?2 AND state = 'pending'").bind(orgId, key).run();
    return;
  }
  await storeStatements(db, c, res.status, await res.clone().text(), pickHeaders(res.headers))[0]!.run();
});

/** Thrown by `commit()` when the batch failed because another request holds the key. */
export class KeyTaken extends Error {
  constructor() {
    super('idempotency key taken');
  }
}

const atomicRoutes = new Set<string>();

/** Marks a POST route whose only write is one `commit()` batch (see `idempotency`). */
export function atomicIdempotent(path: string): void {
  atomicRoutes.add(path);
}

function isAtomicRoute(c: Context<AppEnv>): boolean {
  const handler = matchedRoutes(c).at(-1);
  return !!handler && handler.method === 'POST' && atomicRoutes.has(handler.path);
}

/**
 * Waits for the key's first answer and answers it as a replay. With `claim`, answers null once
 * this request holds the key instead (it inserted a pending row or took over an abandoned one).
 * Without (an atomic route whose batch lost the key), a key that vanished meanwhile (its holder
 * failed) is a 409 to retry, since the request's own work has already been attempted.
 */
async function awaitAnswer(
  c: Context<AppEnv>,
  db: D1Database,
  orgId: string,
  key: string,
  hash: string,
  claim: true,
): Promise<Response | null>;
async function awaitAnswer(c: Context<AppEnv>, db: D1Database, orgId: string, key: string, hash: string, claim: false): Promise<Response>;
async function awaitAnswer(
  c: Context<AppEnv>,
  db: D1Database,
  orgId: string,
  key: string,
  hash: string,
  claim: boolean,
): Promise<Response | null> {
  const retryLater = () =>
    new AppError('idempotency_in_progress', 'A request with this Idempotency-Key is still running; retry shortly.', {
      headers: { 'retry-after': '1' },
    });
  const tryClaim = async () =>
    (
      await db
        .prepare(
          `INSERT INTO idempotency_keys (org_id, key, request_hash, state, created_at) VALUES (?1, ?2, ?3, 'pending', ?4)
           ON CONFLICT (org_id, key) DO NOTHING`,
        )
        .bind(orgId, key, hash, nowIso())
        .run()
    ).meta.changes === 1;

  if (claim && (await tryClaim())) return null;
  for (let waited = 0; ; waited += WAIT_STEP_MS) {
    const row = await db
      .prepare('SELECT request_hash, state, status, response, headers, created_at FROM idempotency_keys WHERE org_id = ?1 AND key = ?2')
      .bind(orgId, key)
      .first<KeyRow>();
    if (!row) {
      if (!claim) throw retryLater();
      if (await tryClaim()) return null;
      continue;
    }
    if (row.request_hash !== hash)
      throw new AppError(
        'idempotency_key_reused',
        'This Idempotency-Key was already used for a different request. Make a new key for a new request.',
      );
    if (row.state === 'done' && Date.parse(row.created_at) > Date.now() - IDEMPOTENCY_TTL_MS) {
      const headers = new Headers(JSON.parse(row.headers ?? '{}') as Record<string, string>);
      headers.set('idempotent-replayed', 'true');
      headers.set('x-request-id', c.get('requestId'));
      return new Response(row.response, { status: row.status ?? 200, headers });
    }
    const stale = Date.parse(row.created_at) < Date.now() - (row.state === 'done' ? IDEMPOTENCY_TTL_MS : PENDING_TAKEOVER_MS);
    if (stale && !claim) throw retryLater();
    if (stale) {
      const took = await db
        .prepare(
          `UPDATE idempotency_keys SET state = 'pending', request_hash = ?3, created_at = ?4 WHERE org_id = ?1 AND key = ?2 AND created_at = ?5`,
        )
        .bind(orgId, key, hash, nowIso(), row.created_at)
        .run();
      if (took.meta.changes === 1) return null;
      continue;
    }
    if (waited >= WAIT_MAX_MS) throw retryLater();
    await sleep(WAIT_STEP_MS);
  }
}

function pickHeaders(headers: Headers): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of REPLAYED_HEADERS) {
    const v = headers.get(name);
    if (v) out[name] = v;
  }
  return out;
}

function storeStatements(
  db: D1Database,
  c: Context<AppEnv>,
  status: number,
  body: string,
  headers: Record<string, string>,
): D1PreparedStatement[] {
  const state = c.get('idempotency')!;
  state.stored = true;
  if (state.atomic) {
    const now = Date.now();
    return [
      // An expired answer or an abandoned claim for this key no longer counts.
      db
        .prepare(
          `DELETE FROM idempotency_keys WHERE org_id = ?1 AND key = ?2 AND (created_at < ?3 OR (state = 'pending' AND created_at < ?4))`,
        )
        .bind(state.orgId, state.key, new Date(now - IDEMPOTENCY_TTL_MS).toISOString(), new Date(now - PENDING_TAKEOVER_MS).toISOString()),
      // A plain INSERT: when the key is held the whole batch fails, and the change with it.
      db
        .prepare(
          `INSERT INTO idempotency_keys (org_id, key, request_hash, state, status, response, headers, created_at) VALUES (?1, ?2, ?3, 'done', ?4, ?5, ?6, ?7)`,
        )
        .bind(state.orgId, state.key, state.hash, status, body, JSON.stringify(headers), new Date(now).toISOString()),
    ];
  }
  return [
    db
      .prepare(`UPDATE idempotency_keys SET state = 'done', status = ?3, response = ?4, headers = ?5 WHERE org_id = ?1 AND key = ?2`)
      .bind(state.orgId, state.key, status, body, JSON.stringify(headers)),
  ];
}

/**
 * The statements that record this request's answer under its Idempotency-Key, to run at the end
 * of the same batch as the change; none when the request carries no key.
 */
export function idempotencyStatements(
  c: Context<AppEnv>,
  status: number,
  body: unknown,
  headers: Record<string, string>,
): D1PreparedStatement[] {
  if (!c.get('idempotency')) return [];
  return storeStatements(c.env.DB, c, status, JSON.stringify(body), { 'content-type': 'application/json', ...headers });
}

/** True when a batch failed because its idempotency key already exists. */
export function isKeyConflict(err: unknown): boolean {
  return (
    err instanceof Error && /UNIQUE constraint failed: idempotency_keys\.|idempotency_keys\.org_id, idempotency_keys\.key/.test(err.message)
  );
}

/** Deletes expired keys; run from the scheduled handler. */
export async function purgeIdempotencyKeys(db: D1Database): Promise<void> {
  const cutoff = new Date(Date.now() - IDEMPOTENCY_TTL_MS).toISOString();
  await db.prepare('DELETE FROM idempotency_keys WHERE created_at < ?1').bind(cutoff).run();
}

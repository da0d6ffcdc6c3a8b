import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import { AppError } from './errors';
import type { AppEnv } from './env';
import { nowIso, sha256Hex } from './ids';

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
 * requests with one key wait for the first to finish. Routes that write through `commit()`
 * store the answer in the same D1 batch as the change, so a crash can never split them.
 */
export const idempotency = createMiddleware<AppEnv>(async (c, next) => {
  const key = c.req.header('idempotency-key');
  if (c.req.method !== 'POST' || key === undefined) return next();
  if (!/^[\x21-\x7e]{1,200}$/.test(key))
    throw new AppError('bad_request', 'Idempotency-Key must be 1-200 visible ASCII characters, e.g. a UUID.');
  const { orgId } = c.get('principal');
  const db = c.env.DB;
  const body = await c.req.text();
  const hash = await sha256Hex(`${c.req.method} ${new URL(c.req.url).pathname}\n${body}`);

  const claim = () =>
    db
      .prepare(
        `INSERT INTO idempotency_keys (org_id, key, request_hash, state, created_at) VALUES (?1, ?2, ?3, 'pending', ?4)
         ON CONFLICT (org_id, key) DO NOTHING`,
      )
      .bind(orgId, key, hash, nowIso())
      .run();

  let owned = (await claim()).meta.changes === 1;
  for (let waited = 0; !owned; waited += WAIT_STEP_MS) {
    const row = await db
      .prepare('SELECT request_hash, state, status, response, headers, created_at FROM idempotency_keys WHERE org_id = ?1 AND key = ?2')
      .bind(orgId, key)
      .first<KeyRow>();
    if (!row) {
      owned = (await claim()).meta.changes === 1;
      continue;
    }
    if (row.request_hash !== hash)
      throw new AppError('idempotency_key_reused', 'This Idempotency-Key was already used for a different request. Make a new key for a new request.');
    if (row.state === 'done' && Date.parse(row.created_at) > Date.now() - IDEMPOTENCY_TTL_MS) {
      const headers = new Headers(JSON.parse(row.headers ?? '{}') as Record<string, string>);
      headers.set('idempotent-replayed', 'true');
      headers.set('x-request-id', c.get('requestId'));
      return new Response(row.response, { status: row.status ?? 200, headers });
    }
    const stale = Date.parse(row.created_at) < Date.now() - (row.state === 'done' ? IDEMPOTENCY_TTL_MS : PENDING_TAKEOVER_MS);
    if (stale) {
      const took = await db
        .prepare(`UPDATE idempotency_keys SET state = 'pending', request_hash = ?3, created_at = ?4 WHERE org_id = ?1 AND key = ?2 AND created_at = ?5`)
        .bind(orgId, key, hash, nowIso(), row.created_at)
        .run();
      owned = took.meta.changes === 1;
      continue;
    }
    if (waited >= WAIT_MAX_MS)
      throw new AppError('idempotency_in_progress', 'A request with this Idempotency-Key is still running; retry shortly.', {
        headers: { 'retry-after': '1' },
      });
    await sleep(WAIT_STEP_MS);
  }

  c.set('idempotency', { orgId, key, stored: false });
  await next();
  const state = c.get('idempotency');
  if (!state || state.stored) return;
  const res = c.res;
  // Answers that depend on the moment (rate limits, outages, crashes) are not replayed: the key is freed.
  if (res.status >= 500 || res.status === 429 || res.status === 409) {
    // Only a key still pending: one the change's own batch marked done must keep its answer.
    await db.prepare("DELETE FROM idempotency_keys WHERE org_id = ?1 AND key = ?2 AND state = 'pending'").bind(orgId, key).run();
    return;
  }
  const text = await res.clone().text();
  await storeStatement(db, c, res.status, text, pickHeaders(res.headers)).run();
});

function pickHeaders(headers: Headers): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of REPLAYED_HEADERS) {
    const v = headers.get(name);
    if (v) out[name] = v;
  }
  return out;
}

function storeStatement(db: D1Database, c: Context<AppEnv>, status: number, body: string, headers: Record<string, string>) {
  const state = c.get('idempotency')!;
  state.stored = true;
  return db
    .prepare(`UPDATE idempotency_keys SET state = 'done', status = ?3, response = ?4, headers = ?5 WHERE org_id = ?1 AND key = ?2`)
    .bind(state.orgId, state.key, status, body, JSON.stringify(headers));
}

/**
 * The statement that records this request's answer under its Idempotency-Key, to run in the
 * same batch as the change; null when the request carries no key.
 */
export function idempotencyStatement(
  c: Context<AppEnv>,
  status: number,
  body: unknown,
  headers: Record<string, string>,
): D1PreparedStatement | null {
  if (!c.get('idempotency')) return null;
  return storeStatement(c.env.DB, c, status, JSON.stringify(body), { 'content-type': 'application/json', ...headers });
}

/** Deletes expired keys; run from the scheduled handler. */
export async function purgeIdempotencyKeys(db: D1Database): Promise<void> {
  const cutoff = new Date(Date.now() - IDEMPOTENCY_TTL_MS).toISOString();
  await db.prepare('DELETE FROM idempotency_keys WHERE created_at < ?1').bind(cutoff).run();
}

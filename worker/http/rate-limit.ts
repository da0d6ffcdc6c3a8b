import { createMiddleware } from 'hono/factory';
import type { AppEnv } from './env';
import { AppError } from './errors';

/** Requests a token may make per minute unless RATE_LIMIT_PER_MIN says otherwise (10/s sustained). */
export const DEFAULT_RATE_LIMIT_PER_MIN = 600;
const WINDOW_MS = 60_000;
/** Above this many tracked tokens, closed windows are swept (bounds the isolate's memory). */
const SWEEP_AT = 10_000;

interface Window {
  start: number;
  count: number;
}

/*
 * Fixed window per token, counted in this isolate's memory.
 * Trade-off: a D1 counter (as the public form endpoint uses, worker/forms/rate-limit.ts) holds
 * across isolates and colos, but costs a write on every authenticated request and would queue
 * behind D1's single writer: that doubles the latency of reads. An in-memory counter costs
 * nothing; the price is that the limit is per isolate, so a token spread over k isolates may make
 * up to k x the limit. That is enough to stop a runaway script or a stuck retry loop, which is
 * what this limit is for; a hard global quota would use a Durable Object per token.
 */
const windows = new Map<string, Window>();

/** The limit in force: RATE_LIMIT_PER_MIN (an integer; 0 or "off" disables), else the default. */
export function rateLimitPerMin(env: unknown): number {
  const raw = (env as { RATE_LIMIT_PER_MIN?: string | number } | undefined)?.RATE_LIMIT_PER_MIN;
  if (raw === undefined || raw === '') return DEFAULT_RATE_LIMIT_PER_MIN;
  if (raw === 'off') return 0;
  const n = Number(raw);
  return Number.isFinite(n) && n >= 0 ? Math.floor(n) : DEFAULT_RATE_LIMIT_PER_MIN;
}

/** Counts one request of `key`; answers the seconds to wait when over `limit`, else 0. */
export function hitWindow(key: string, limit: number, now = Date.now()): { retryAfter: number; remaining: number } {
  let w = windows.get(key);
  if (!w || now - w.start >= WINDOW_MS) {
    if (windows.size >= SWEEP_AT) for (const [k, v] of windows) if (now - v.start >= WINDOW_MS) windows.delete(k);
    w = { start: now, count: 0 };
    windows.set(key, w);
  }
  w.count++;
  const retryAfter = w.count > limit ? Math.max(1, Math.ceil((w.start + WINDOW_MS - now) / 1000)) : 0;
  return { retryAfter, remaining: Math.max(0, limit - w.count) };
}

/**
 * Per-token rate limit, mounted right after `authenticate` (so the key is the verified token, never
 * something the caller names). Over the limit: 429 problem+json with Retry-After.
 */
export const rateLimit = createMiddleware<AppEnv>(async (c, next) => {
  const limit = rateLimitPerMin(c.env);
  if (limit === 0) return next();
  const p = c.get('principal');
  const { retryAfter, remaining } = hitWindow(`t:${p.tokenId ?? 'u:' + p.userId}`, limit);
  if (retryAfter > 0)
    throw new AppError('rate_limited', `This token made more than ${limit} requests in a minute; wait ${retryAfter} s and retry.`, {
      headers: { 'retry-after': String(retryAfter), 'ratelimit-limit': String(limit), 'ratelimit-remaining': '0' },
    });
  await next();
  c.res.headers.set('ratelimit-limit', String(limit));
  c.res.headers.set('ratelimit-remaining', String(remaining));
});

import { createMiddleware } from 'hono/factory';
import type { AppEnv } from '../http/env';

/** D1 errors that go away on retry: retried here, and answered with 503 by the app's error handler. */
export function isTransientD1Error(err: unknown): boolean {
  return (
    err instanceof Error &&
    /overloaded|object reset|network connection lost|storage caused object to be reset|internal error in D1/i.test(err.message)
  );
}

/** Waits before the 2nd, 3rd and 4th attempt: 3 retries within ~0.4 s, well inside a client's timeout. */
export const RETRY_DELAYS_MS = [25, 100, 250];

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function withRetry<T>(work: () => Promise<T>, delays = RETRY_DELAYS_MS): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await work();
    } catch (err) {
      if (attempt >= delays.length || !isTransientD1Error(err)) throw err;
      // Full jitter on top of the step, so concurrent retries do not arrive together.
      await sleep(delays[attempt]! + Math.random() * delays[attempt]!);
    }
  }
}

const RAW = Symbol('raw statement');
type Wrapped = D1PreparedStatement & { [RAW]?: D1PreparedStatement };

function wrapStatement(stmt: D1PreparedStatement, writes: boolean): D1PreparedStatement {
  return new Proxy(stmt, {
    get(target, prop) {
      if (prop === RAW) return target;
      if (prop === 'bind') return (...args: unknown[]) => wrapStatement(target.bind(...args), writes);
      // Reads are safe to repeat in any request.
      if (prop === 'first' || prop === 'all' || prop === 'raw')
        return (...args: unknown[]) => withRetry(() => (target[prop] as (...a: unknown[]) => Promise<unknown>).apply(target, args));
      if (prop === 'run')
        return (...args: unknown[]) => (writes ? withRetry(() => target.run(...(args as []))) : target.run(...(args as [])));
      const v = Reflect.get(target, prop, target) as unknown;
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });
}

const unwrap = (s: D1PreparedStatement) => (s as Wrapped)[RAW] ?? s;

/**
 * A D1 handle that retries transient failures with backoff: reads always; writes (`run`, `batch`)
 * only when `writes` is set, i.e. when the request may be repeated. A batch is one transaction,
 * so a batch that failed before committing can be sent again whole.
 */
export function retryingDb(db: D1Database, opts: { writes: boolean }): D1Database {
  return new Proxy(db, {
    get(target, prop) {
      if (prop === 'prepare') return (sql: string) => wrapStatement(target.prepare(sql), opts.writes);
      if (prop === 'batch')
        return <T>(stmts: D1PreparedStatement[]) => {
          const raw = stmts.map(unwrap);
          return opts.writes ? withRetry(() => target.batch<T>(raw)) : target.batch<T>(raw);
        };
      const v = Reflect.get(target, prop, target) as unknown;
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });
}

/**
 * Gives the request a retrying D1 handle. Idempotent requests (GET, HEAD, and POSTs carrying an
 * Idempotency-Key, whose replay the key makes safe) retry writes too; the rest retry reads only and
 * a failed write surfaces as 503 problem+json with Retry-After (see app.onError), for the client to
 * decide.
 */
export const retryTransientD1 = createMiddleware<AppEnv>(async (c, next) => {
  const m = c.req.method;
  const writes = m === 'GET' || m === 'HEAD' || (m === 'POST' && c.req.header('idempotency-key') !== undefined);
  if (c.env?.DB) c.env = { ...c.env, DB: retryingDb(c.env.DB, { writes }) };
  await next();
});

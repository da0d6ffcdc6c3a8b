// One request per recalculation: Excel calls each formula's function separately, within a few
// milliseconds of each other; the calls are gathered until the calls stop coming (or a short
// wait ends) and sent together to POST /reports/fn/batch. Equal calls share one answer, and
// answers are cached per arguments (see cache.ts).
import { ApiError, parseProblem, type ProblemBody } from '../api/problem';
import { ResultCache } from './cache';

export type FunctionId = 'PIPELINE' | 'WON' | 'QUOTA' | 'REPORT';

export interface BatchCall {
  fn: FunctionId;
  args: Record<string, string>;
}

export interface BatchTable {
  columns: unknown[];
  rows: unknown[][];
  title?: string;
}
export type BatchResult = BatchTable | { error: ProblemBody };

export interface BatcherOptions {
  /** Sends one batch; answers one result per call, in order. */
  send: (calls: BatchCall[]) => Promise<BatchResult[]>;
  /** Quiet time that ends a recalculation's burst of calls. */
  quietMs?: number;
  /** Longest a call waits for others to join it. */
  maxWaitMs?: number;
  /** Calls per request (the server takes up to 1,000). */
  maxCalls?: number;
  /** Distinct weekly reports per request (the server takes up to 4). */
  maxReports?: number;
  /** How long an answer is reused. */
  ttlMs?: number;
  now?: () => number;
}

export interface Batcher {
  call(c: BatchCall): Promise<BatchTable>;
  /** Forgets every cached answer (the pane synced). */
  clear(): void;
  readonly stats: { requests: number; calls: number; cached: number };
}

/** The key of a call: its function and its arguments, in a fixed order. */
export const callKey = (c: BatchCall) =>
  `${c.fn}|${JSON.stringify(
    Object.keys(c.args)
      .sort()
      .map((k) => [k, c.args[k]]),
  )}`;

const reportKey = (c: BatchCall) => (c.fn === 'REPORT' ? `${c.args.period ?? ''}|${c.args.lang ?? ''}` : null);

export function createBatcher(o: BatcherOptions): Batcher {
  const quietMs = o.quietMs ?? 30;
  const maxWaitMs = o.maxWaitMs ?? 250;
  const maxCalls = o.maxCalls ?? 1000;
  const maxReports = o.maxReports ?? 4;
  const cache = new ResultCache<BatchTable>(o.ttlMs ?? 60_000, o.now);
  const stats = { requests: 0, calls: 0, cached: 0 };
  type Waiting = { call: BatchCall; resolve: (r: BatchTable) => void; reject: (e: unknown) => void };
  let queue: Map<string, { call: BatchCall; waiters: Waiting[] }> = new Map();
  const inFlight = new Map<string, Promise<BatchTable>>();
  let quiet: ReturnType<typeof setTimeout> | undefined;
  let deadline: ReturnType<typeof setTimeout> | undefined;

  const flush = () => {
    clearTimeout(quiet);
    clearTimeout(deadline);
    quiet = deadline = undefined;
    const batch = [...queue.entries()];
    queue = new Map();
    // Requests of at most maxCalls calls and maxReports distinct weekly reports each.
    const requests: Array<typeof batch> = [];
    let current: typeof batch = [];
    let reports = new Set<string>();
    for (const entry of batch) {
      const rk = reportKey(entry[1].call);
      const full = current.length >= maxCalls || (rk !== null && !reports.has(rk) && reports.size >= maxReports);
      if (full) {
        requests.push(current);
        current = [];
        reports = new Set();
      }
      current.push(entry);
      if (rk !== null) reports.add(rk);
    }
    if (current.length) requests.push(current);
    for (const part of requests) {
      stats.requests++;
      o.send(part.map(([, e]) => e.call)).then(
        (results) =>
          part.forEach(([key, e], i) => {
            const r = results[i];
            inFlight.delete(key);
            if (!r) e.waiters.forEach((w) => w.reject(ApiError.network(null, 'The batch answer was cut off')));
            else if ('error' in r) e.waiters.forEach((w) => w.reject(parseProblem(Number(r.error.status ?? 500), new Headers(), r.error)));
            else {
              cache.set(key, r);
              e.waiters.forEach((w) => w.resolve(r));
            }
          }),
        (error: unknown) =>
          part.forEach(([key, e]) => {
            inFlight.delete(key);
            e.waiters.forEach((w) => w.reject(error));
          }),
      );
    }
  };

  return {
    stats,
    clear: () => cache.clear(),
    call(c) {
      stats.calls++;
      const key = callKey(c);
      const hit = cache.get(key);
      if (hit) {
        stats.cached++;
        return Promise.resolve(hit);
      }
      const flying = inFlight.get(key);
      if (flying) return flying;
      const promise = new Promise<BatchTable>((resolve, reject) => {
        const entry = queue.get(key) ?? { call: c, waiters: [] };
        entry.waiters.push({ call: c, resolve, reject });
        queue.set(key, entry);
      });
      inFlight.set(key, promise);
      clearTimeout(quiet);
      quiet = setTimeout(flush, quietMs);
      deadline ??= setTimeout(flush, maxWaitMs);
      if (queue.size >= maxCalls * 4) flush();
      return promise;
    },
  };
}

// Changes made while offline, kept in (partitioned) storage and sent in order once the
// connection returns. Each change carries the Idempotency-Key made when the user acted, so a
// change sent twice (the answer was lost, the pane reloaded mid-flush) still applies once; a
// versioned change (If-Match) sent twice gets 412 the second time, and counts as sent when the
// server's current row already holds its values.
import type { KeyValueStorage } from '../office/types';
import { ApiError } from './problem';
import type { HttpMethod } from './transport';

export interface QueuedChange {
  id: string;
  idempotencyKey: string;
  method: Exclude<HttpMethod, 'GET'>;
  path: string;
  body?: unknown;
  headers?: Record<string, string>;
  createdAt: string;
  attempts: number;
}

export interface FailedChange {
  change: QueuedChange;
  code: string;
  status: number;
  message: string;
}

export interface FlushResult {
  sent: number;
  failed: FailedChange[];
  remaining: number;
}

export type SendChange = (change: QueuedChange) => Promise<void>;

const QUEUE_KEY = 'queue.pending';
/** Pauses between flushes while changes remain and the pane is online. */
const RETRY_PAUSES_MS = [1_000, 2_000, 5_000, 10_000, 30_000];
const FAILED_KEY = 'queue.failed';

function read<T>(storage: KeyValueStorage, key: string): T[] {
  try {
    const parsed: unknown = JSON.parse(storage.get(key) ?? '[]');
    return Array.isArray(parsed) ? (parsed as T[]) : [];
  } catch {
    return [];
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * A versioned change (If-Match) answered 412 whose current row already holds every value the
 * change sends: an earlier send was applied and its answer lost (the server died, the connection
 * dropped), or someone made the same edit. The server keys only POSTs by Idempotency-Key, so this
 * is how a PATCH sent twice still counts once instead of being set aside as refused.
 */
function alreadyApplied(change: QueuedChange, error: ApiError): boolean {
  if (error.status !== 412 || !Object.keys(change.headers ?? {}).some((h) => h.toLowerCase() === 'if-match')) return false;
  const current = error.problem.current;
  const body = change.body;
  if (!isObject(current) || !isObject(body) || Object.keys(body).length === 0) return false;
  return Object.entries(body).every(([k, v]) => JSON.stringify(v ?? null) === JSON.stringify(current[k] ?? null));
}

export class OfflineQueue {
  private flushing: Promise<FlushResult> | null = null;
  private readonly listeners = new Set<() => void>();

  constructor(
    private readonly storage: KeyValueStorage,
    private readonly newId: () => string = () => crypto.randomUUID(),
  ) {}

  /** Pending changes, oldest first. */
  list(): QueuedChange[] {
    return read<QueuedChange>(this.storage, QUEUE_KEY);
  }

  /** Changes the server refused for good (validation, conflict...), for the UI to show. */
  failures(): FailedChange[] {
    return read<FailedChange>(this.storage, FAILED_KEY);
  }

  get size(): number {
    return this.list().length;
  }

  enqueue(change: Omit<QueuedChange, 'id' | 'createdAt' | 'attempts' | 'idempotencyKey'> & { idempotencyKey?: string }): QueuedChange {
    const queued: QueuedChange = {
      ...change,
      id: this.newId(),
      idempotencyKey: change.idempotencyKey ?? this.newId(),
      createdAt: new Date().toISOString(),
      attempts: 0,
    };
    this.write(QUEUE_KEY, [...this.list(), queued]);
    return queued;
  }

  dismissFailures(): void {
    this.storage.remove(FAILED_KEY);
    this.notify();
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Sends pending changes one at a time, oldest first. Stops at the first change that may
   * succeed later (network, 401, 429, 5xx) so order is kept; a change the server refuses for
   * good is set aside in failures() and the next one goes. Concurrent calls share one flush.
   */
  flush(send: SendChange): Promise<FlushResult> {
    this.flushing ??= this.run(send).finally(() => {
      this.flushing = null;
    });
    return this.flushing;
  }

  /**
   * Flushes now if changes were left from an earlier session, whenever the browser reports it is
   * back online, and again with growing pauses while changes remain and the pane is online: the
   * first requests after a reconnect often fail, and no second 'online' event follows.
   * Answers a function that stops.
   */
  flushWhenOnline(
    target: Pick<Window, 'addEventListener' | 'removeEventListener'>,
    send: SendChange,
    opts: { isOnline?: () => boolean; pausesMs?: readonly number[] } = {},
  ): () => void {
    const isOnline = opts.isOnline ?? (() => globalThis.navigator?.onLine ?? true);
    const pauses = opts.pausesMs ?? RETRY_PAUSES_MS;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let attempt = 0;
    let stopped = false;
    let running = false;
    const run = async () => {
      clearTimeout(timer);
      timer = undefined;
      running = true;
      const result = await this.flush(send).finally(() => (running = false));
      if (stopped || result.remaining === 0 || !isOnline()) {
        attempt = 0;
        return;
      }
      timer = setTimeout(() => void run(), pauses[Math.min(attempt++, pauses.length - 1)]);
    };
    const handler = () => {
      attempt = 0;
      void run();
    };
    target.addEventListener('online', handler);
    // A change queued while the browser still says online (the server went away, not the network)
    // gets the same retries, starting after the first pause.
    const unsubscribe = this.onChange(() => {
      if (stopped || running || timer !== undefined || this.size === 0 || !isOnline()) return;
      timer = setTimeout(() => void run(), pauses[Math.min(attempt++, pauses.length - 1)]);
    });
    if (this.size > 0 && isOnline()) void run();
    return () => {
      stopped = true;
      clearTimeout(timer);
      unsubscribe();
      target.removeEventListener('online', handler);
    };
  }

  private async run(send: SendChange): Promise<FlushResult> {
    const failed: FailedChange[] = [];
    let sent = 0;
    for (;;) {
      const next = this.list()[0];
      if (!next) break;
      this.replace(next.id, { ...next, attempts: next.attempts + 1 });
      try {
        await send(next);
        sent++;
        this.drop(next.id);
      } catch (error) {
        const apiError = error instanceof ApiError ? error : ApiError.network(error);
        if (apiError.retryable || apiError.code === 'unauthorized') break;
        if (alreadyApplied(next, apiError)) {
          sent++;
          this.drop(next.id);
          continue;
        }
        const failure = { change: next, code: apiError.code, status: apiError.status, message: apiError.message };
        failed.push(failure);
        this.drop(next.id);
        this.write(FAILED_KEY, [...this.failures(), failure]);
      }
    }
    return { sent, failed, remaining: this.size };
  }

  private drop(id: string): void {
    this.write(
      QUEUE_KEY,
      this.list().filter((c) => c.id !== id),
    );
  }

  private replace(id: string, change: QueuedChange): void {
    this.write(
      QUEUE_KEY,
      this.list().map((c) => (c.id === id ? change : c)),
    );
  }

  private write(key: string, value: unknown[]): void {
    if (value.length === 0) this.storage.remove(key);
    else this.storage.set(key, JSON.stringify(value));
    this.notify();
  }

  private notify(): void {
    this.listeners.forEach((l) => l());
  }
}

// Office's callback APIs as promises, and a timeout around anything that may never answer.

/** The failure of a host call, with Office's error name when it gave one. */
export class HostError extends Error {
  override readonly name = 'HostError';
  constructor(
    message: string,
    readonly code: string,
    cause?: unknown,
  ) {
    super(message, cause === undefined ? undefined : { cause });
  }
}

/** The shape of Office.AsyncResult that we rely on (kept structural so tests can script it). */
export interface AsyncResultLike<T> {
  /** "succeeded" or "failed" at run time (@types/office-js declares a numeric enum). */
  status: unknown;
  value: T;
  error?: { name?: string; message?: string; code?: number } | null;
}

export type AsyncCallback<T> = (result: AsyncResultLike<T>) => void;

/**
 * Turns an Office `...Async(…, callback)` call into a promise that rejects unless
 * `asyncResult.status` is "succeeded" (Office reports failures through the status, never by
 * throwing). `start` receives the callback to pass on.
 */
export function fromAsync<T>(what: string, start: (callback: AsyncCallback<T>) => void, timeoutMs = 30_000): Promise<T> {
  const call = new Promise<T>((resolve, reject) => {
    try {
      start((result) => {
        if (String(result.status) === 'succeeded') resolve(result.value);
        else {
          const name = result.error?.name ?? 'Failed';
          reject(new HostError(`${what} failed: ${result.error?.message ?? name}`, name, result.error));
        }
      });
    } catch (error) {
      reject(new HostError(`${what} failed: ${error instanceof Error ? error.message : String(error)}`, 'Threw', error));
    }
  });
  return withTimeout(call, timeoutMs, what);
}

/** Rejects with a HostError("Timeout") when `promise` has not settled within `ms`. */
export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new HostError(`${what} did not answer within ${ms} ms`, 'Timeout')), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

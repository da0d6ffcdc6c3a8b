// Exponential backoff with full jitter, for calls that are safe to repeat.
import { ApiError } from './problem';

export interface RetryPolicy {
  /** Retries after the first attempt. */
  retries: number;
  /** First backoff ceiling; doubles with each retry. */
  baseMs: number;
  /** Largest wait, also the cap on a server's Retry-After. */
  maxMs: number;
  /** [0, 1), injectable for tests. */
  random: () => number;
  sleep: (ms: number) => Promise<void>;
}

export const DEFAULT_RETRY: RetryPolicy = {
  retries: 4,
  baseMs: 300,
  maxMs: 10_000,
  random: Math.random,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/**
 * The wait before retry number `attempt` (0-based): a uniform draw from
 * [0, min(maxMs, baseMs * 2^attempt)) ("full jitter", which spreads out clients that failed
 * together), or the server's Retry-After when it sent one.
 */
export function backoffDelay(
  attempt: number,
  policy: Pick<RetryPolicy, 'baseMs' | 'maxMs' | 'random'>,
  retryAfterMs?: number | null,
): number {
  if (retryAfterMs !== null && retryAfterMs !== undefined) return Math.min(retryAfterMs, policy.maxMs);
  const ceiling = Math.min(policy.maxMs, policy.baseMs * 2 ** attempt);
  return Math.floor(policy.random() * ceiling);
}

/** Runs `call`, retrying retryable ApiErrors with backoff; other errors pass straight through. */
export async function withRetry<T>(call: (attempt: number) => Promise<T>, policy: RetryPolicy = DEFAULT_RETRY): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await call(attempt);
    } catch (error) {
      if (!(error instanceof ApiError) || !error.retryable || attempt >= policy.retries) throw error;
      await policy.sleep(backoffDelay(attempt, policy, error.retryAfterMs));
    }
  }
}

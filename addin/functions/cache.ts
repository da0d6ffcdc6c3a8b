// Custom functions answer from a cache per function and arguments until the pane's next sync (or
// a short expiry), so a recalculation that repeats a formula, or recalculates without a change,
// asks the server nothing. The pane says when data changed; the functions listen.
const listeners = new Set<() => void>();

/** The pane changed data (a pipeline sync, pull or refresh): cached function results are stale. */
export function notifyDataChanged(): void {
  listeners.forEach((l) => l());
}

/** Calls `listener` whenever the pane changed data; answers an unsubscribe. */
export function onDataChanged(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Values by key, each kept until `ttlMs` has passed or the cache is cleared. */
export class ResultCache<T> {
  private readonly entries = new Map<string, { value: T; at: number }>();

  constructor(
    private readonly ttlMs: number,
    private readonly now: () => number = () => Date.now(),
  ) {}

  get(key: string): T | undefined {
    const e = this.entries.get(key);
    if (!e) return undefined;
    if (this.now() - e.at >= this.ttlMs) {
      this.entries.delete(key);
      return undefined;
    }
    return e.value;
  }

  set(key: string, value: T): void {
    this.entries.set(key, { value, at: this.now() });
  }

  clear(): void {
    this.entries.clear();
  }

  get size(): number {
    return this.entries.size;
  }
}

// A chunk the pane loads after its first screen, kept once loaded so a render can use it
// without suspending: the caller awaits load() before it sets the state that renders the
// chunk's components (no Suspense fallback, so nothing on screen changes but the timing).

export interface LazyModule<T> {
  /** Loads the chunk (once; a failed load is tried again next time). */
  load(): Promise<T>;
  /** The chunk when it has loaded, otherwise null. */
  get(): T | null;
}

export function lazyModule<T>(importer: () => Promise<T>): LazyModule<T> {
  let value: T | null = null;
  let pending: Promise<T> | null = null;
  return {
    load() {
      if (value) return Promise.resolve(value);
      pending ??= importer().then(
        (loaded) => (value = loaded),
        (error: unknown) => {
          pending = null;
          throw error;
        },
      );
      return pending;
    },
    get: () => value,
  };
}

import { createElement, type ComponentType, type ReactElement } from 'react';

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

/**
 * A component of a lazy chunk: renders nothing until the chunk has loaded, then the chunk's
 * component (the caller loads the chunk before it shows what uses it).
 */
export function loadedComponent<T, P extends object>(
  mod: LazyModule<T>,
  pick: (chunk: T) => ComponentType<P>,
): (props: P) => ReactElement | null {
  return function Loaded(props: P) {
    const chunk = mod.get();
    return chunk ? createElement(pick(chunk), props) : null;
  };
}

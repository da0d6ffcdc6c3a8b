// HostInfo: display language, theme and partitioned storage, inside Office and in a browser tab.
import type { HostInfo, KeyValueStorage, ThemeName } from './types';

const PREFIX = 'leadpane.';

/**
 * localStorage with every key prefixed by Office's partition key when there is one. Office on the
 * web gives add-ins a partition key so that two users (or two tenants) in the same browser never
 * read each other's token; desktop hosts leave it undefined and isolate storage themselves.
 * Falls back to memory when storage is blocked (third-party iframe with storage disabled).
 */
export function createPartitionedStorage(partitionKey: string | null, backing?: Storage | null): KeyValueStorage {
  const prefix = partitionKey ? `${partitionKey}/${PREFIX}` : PREFIX;
  let store: Storage | null = null;
  try {
    store = backing === undefined ? (globalThis.localStorage ?? null) : backing;
  } catch {
    store = null;
  }
  const memory = new Map<string, string>();
  return {
    get(key) {
      try {
        return store ? store.getItem(prefix + key) : (memory.get(key) ?? null);
      } catch {
        return memory.get(key) ?? null;
      }
    },
    set(key, value) {
      try {
        if (store) store.setItem(prefix + key, value);
        else memory.set(key, value);
      } catch {
        memory.set(key, value);
      }
    },
    remove(key) {
      memory.delete(key);
      try {
        store?.removeItem(prefix + key);
      } catch {
        /* storage blocked: memory already updated */
      }
    },
  };
}

/** Light or dark from a background colour like "#1F1F1F" (relative luminance below one half is dark). */
export function themeFromBackground(color: string | undefined | null): ThemeName | null {
  const match = /^#?([0-9a-f]{6})$/i.exec(color?.trim() ?? '');
  if (!match) return null;
  const n = parseInt(match[1]!, 16);
  const channel = (c: number) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  const luminance = 0.2126 * channel((n >> 16) & 255) + 0.7152 * channel((n >> 8) & 255) + 0.0722 * channel(n & 255);
  return luminance < 0.5 ? 'dark' : 'light';
}

function systemTheme(): ThemeName {
  return globalThis.matchMedia?.('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}

function onSystemThemeChanged(listener: (theme: ThemeName) => void): () => void {
  const query = globalThis.matchMedia?.('(prefers-color-scheme: dark)');
  if (!query) return () => undefined;
  const handler = () => listener(query.matches ? 'dark' : 'light');
  query.addEventListener('change', handler);
  return () => query.removeEventListener('change', handler);
}

/** A language override from the page URL (?lang=bg), for browser mode and screenshots. */
function urlLanguage(): string | null {
  try {
    return new URLSearchParams(globalThis.location?.search ?? '').get('lang');
  } catch {
    return null;
  }
}

export interface BrowserHostInfoOptions {
  mode?: 'browser' | 'test';
  language?: string;
  theme?: ThemeName;
  partitionKey?: string | null;
  officeLoadError?: string | null;
  storage?: Storage | null;
}

/** HostInfo for a plain browser tab (and for tests): navigator language, prefers-color-scheme. */
export function createBrowserHostInfo(options: BrowserHostInfoOptions = {}): HostInfo {
  const partitionKey = options.partitionKey ?? null;
  return {
    mode: options.mode ?? 'browser',
    application: null,
    displayLanguage: () => options.language ?? urlLanguage() ?? globalThis.navigator?.language ?? 'en',
    theme: () => options.theme ?? systemTheme(),
    onThemeChanged: (listener) => (options.theme ? () => undefined : onSystemThemeChanged(listener)),
    partitionKey,
    storage: createPartitionedStorage(partitionKey, options.storage),
    officeLoadError: options.officeLoadError ?? null,
  };
}

/** HostInfo inside Office; call after Office.onReady. */
export function createOfficeHostInfo(application: 'excel' | 'outlook'): HostInfo {
  const context = Office.context;
  const partitionKey = context.partitionKey || null;
  const officeTheme = () => themeFromBackground(context.officeTheme?.bodyBackgroundColor);
  return {
    mode: 'office',
    application,
    displayLanguage: () => urlLanguage() ?? context.displayLanguage ?? 'en-US',
    theme: () => officeTheme() ?? systemTheme(),
    onThemeChanged(listener) {
      const off = onSystemThemeChanged((t) => listener(officeTheme() ?? t));
      // Outlook (Mailbox 1.14) raises OfficeThemeChanged; other hosts reload the pane on change.
      if (application === 'outlook' && context.requirements.isSetSupported('Mailbox', '1.14')) {
        const handler = (args: Office.OfficeThemeChangedEventArgs) =>
          listener(themeFromBackground(args.officeTheme?.bodyBackgroundColor) ?? systemTheme());
        try {
          context.mailbox.addHandlerAsync(Office.EventType.OfficeThemeChanged, handler);
        } catch {
          /* older Outlook: the media query is all we have */
        }
      }
      return off;
    },
    partitionKey,
    storage: createPartitionedStorage(partitionKey),
    officeLoadError: null,
  };
}

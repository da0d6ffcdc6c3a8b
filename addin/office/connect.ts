// How a pane finds its host. Office.js is loaded from Microsoft's CDN only when the page runs
// inside Office; in a plain tab (and offline tests) the pane runs on the browser-mode adapters.
//
// "Inside Office" is decided from the same signals office.js itself reads to find its host
// (see _retrieveHostInfo in office.debug.js): the `_host_Info` query parameter Office appends
// to the pane's URL, the copy office.js keeps in sessionStorage ("hostInfoValue") after an
// in-pane navigation, `window.name` carrying hostInfo, and the native bridges of desktop hosts
// (window.external.GetHostInfo on Windows, agaveHost, webkit.messageHandlers.Agave on Mac).
// None of these exist in a normal tab, so the CDN is never contacted there. If a page that looks
// hosted cannot load office.js (offline, blocked), it falls back to browser mode and says so.
//
// Each pane passes its own adapters (./excel-adapters.ts, ./mail-adapters.ts), so a pane's first
// screen does not carry the other application's host code.
import { createBrowserHostInfo, createOfficeHostInfo } from './host-info';
import type { HostBundle, TestHostFixture } from './types';

/** A pane's application and its host adapters over Office.js and over the browser. */
export interface PaneAdapters {
  app: 'excel' | 'outlook';
  /** The adapter over Office.js, once Office.onReady answered this app. */
  office(): Omit<HostBundle, 'info'>;
  /** The browser-mode adapter; with a fixture, loaded with it (`ready` settles when it is). */
  browser(fixture?: TestHostFixture): Omit<HostBundle, 'info'>;
}

/** The page's window as a test sees it (see TestHostFixture). */
type TestWindow = Window & { __LEADPANE_TEST_HOST__?: TestHostFixture; __leadpaneHost?: HostBundle };

export const OFFICE_JS_URL = 'https://appsforoffice.microsoft.com/lib/1/hosted/office.js';

/** True when the page was opened by an Office application (see the module comment). */
export function looksHostedByOffice(win: Window = window): boolean {
  try {
    if (new URLSearchParams(win.location.search).has('_host_Info')) return true;
    if (win.sessionStorage?.getItem('hostInfoValue')) return true;
  } catch {
    /* storage blocked: keep looking */
  }
  try {
    const fromName = win.name ? (JSON.parse(win.name) as { hostInfo?: unknown }) : null;
    if (fromName && typeof fromName === 'object' && fromName.hostInfo) return true;
  } catch {
    /* window.name is not ours */
  }
  const w = win as unknown as {
    external?: { GetHostInfo?: unknown };
    agaveHost?: unknown;
    webkit?: { messageHandlers?: { Agave?: unknown } };
  };
  try {
    if (typeof w.external?.GetHostInfo !== 'undefined') return true;
  } catch {
    /* window.external can throw in old engines */
  }
  return typeof w.agaveHost !== 'undefined' || Boolean(w.webkit?.messageHandlers?.Agave);
}

/** Adds the office.js script tag (no inline script: CSP allows the CDN origin only). */
export function loadOfficeJs(url = OFFICE_JS_URL, timeoutMs = 15_000): Promise<void> {
  if (typeof (globalThis as { Office?: unknown }).Office !== 'undefined') return Promise.resolve();
  return new Promise((resolve, reject) => {
    const script = document.createElement('script');
    script.src = url;
    script.async = true;
    const timer = setTimeout(() => reject(new Error(`office.js did not load within ${timeoutMs} ms`)), timeoutMs);
    script.onload = () => {
      clearTimeout(timer);
      resolve();
    };
    script.onerror = () => {
      clearTimeout(timer);
      reject(new Error('office.js could not be loaded'));
    };
    document.head.append(script);
  });
}

async function officeReady(timeoutMs: number): Promise<Office.HostType | null> {
  const ready = Office.onReady();
  const timeout = new Promise<never>((_, reject) =>
    setTimeout(() => reject(new Error(`Office.onReady did not answer within ${timeoutMs} ms`)), timeoutMs),
  );
  const info = await Promise.race([ready, timeout]);
  return info.host ?? null;
}

function testBundle(adapters: PaneAdapters, fixture: TestHostFixture): HostBundle {
  const info = createBrowserHostInfo({
    mode: 'test',
    language: fixture.language,
    theme: fixture.theme,
    partitionKey: fixture.partitionKey ?? null,
  });
  if (fixture.token) info.storage.set('token', fixture.token);
  const bundle: HostBundle = { info, ...adapters.browser(fixture) };
  (window as TestWindow).__leadpaneHost = bundle;
  return bundle;
}

/**
 * Connects a pane to its host: the scripted test host when a fixture is set, Office when the
 * page runs inside Office, otherwise the browser-mode adapters.
 */
export async function connectHost(adapters: PaneAdapters): Promise<HostBundle> {
  const { app } = adapters;
  const fixture = (window as TestWindow).__LEADPANE_TEST_HOST__;
  if (fixture) {
    const bundle = testBundle(adapters, fixture);
    await bundle.ready;
    return bundle;
  }

  let officeLoadError: string | null = null;
  if (looksHostedByOffice()) {
    try {
      await loadOfficeJs();
      const host = await officeReady(15_000);
      if ((app === 'excel' && host === Office.HostType.Excel) || (app === 'outlook' && host === Office.HostType.Outlook)) {
        return { info: createOfficeHostInfo(app), ...adapters.office() };
      }
      officeLoadError = `This pane is for ${app === 'excel' ? 'Excel' : 'Outlook'}, but it was opened in ${host ?? 'an unknown host'}.`;
    } catch (error) {
      officeLoadError = error instanceof Error ? error.message : String(error);
    }
  }
  const info = createBrowserHostInfo({ officeLoadError });
  return { info, ...adapters.browser() };
}

/**
 * End-to-end harness: the real Worker (wrangler dev on a bundled build) with a real local D1 in a
 * temporary folder, seeded with the demo organisation through the API, the built panes served by
 * that Worker, and Chromium driven by playwright-core. Only the Office host is scripted: a fake
 * workbook or mail item handed to the panes' browser-mode adapters before the page loads.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchChromium } from '../../scripts/lib/chromium';
import { buildAddin } from '../../scripts/build';
import { bootstrapDemo, DEMO_USERS, seedDemo } from '../../scripts/lib/demo-seed';
import { applyMigrations, executeSql, freePort, ROOT, startServer, type RunningServer } from '../../scripts/lib/local';

export { CHROMIUM } from '../../scripts/lib/chromium';
export const RESULTS = resolve(ROOT, 'test-results');

export interface Api {
  url: string;
  server: RunningServer;
  dir: string;
  /** Demo tokens by role: head, manager (Ivan), manager2 (Olga), admin. */
  tokens: { head: string; manager: string; manager2: string; admin: string };
  userIds: { head: string; manager: string; manager2: string; admin: string };
  sql<T = Record<string, unknown>>(query: string): T[];
  stop(): Promise<void>;
}

/** Builds the panes if needed, starts the API on a free port with the demo data. */
export async function startApi(opts: { seed?: boolean; vars?: Record<string, string> } = {}): Promise<Api> {
  buildAddin();
  const dir = mkdtempSync(join(tmpdir(), 'leadpane-e2e-'));
  const persistTo = join(dir, 'state');
  applyMigrations({ persistTo });
  const t = bootstrapDemo({ persistTo });
  const [head, m1, m2, admin] = DEMO_USERS;
  const server = await startServer({
    port: await freePort(),
    persistTo,
    bundleDir: join(dir, 'build'),
    ...(opts.vars ? { vars: opts.vars } : {}),
  });
  const tokens = { head: t[head.email]!, manager: t[m1.email]!, manager2: t[m2.email]!, admin: t[admin.email]! };
  if (opts.seed !== false) await seedDemo(server.url, { head: tokens.head, managers: [tokens.manager, tokens.manager2] });
  return {
    url: server.url,
    server,
    dir,
    tokens,
    userIds: { head: head.id, manager: m1.id, manager2: m2.id, admin: admin.id },
    sql: <T>(query: string) => executeSql<T>(query, { persistTo }),
    async stop() {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function launchBrowser(): Promise<Browser> {
  mkdirSync(RESULTS, { recursive: true });
  return launchChromium();
}

export interface PaneOptions {
  /** The scripted host: language, theme, token, and a workbook ({sheets}) or a mail item (eml). */
  host: Record<string, unknown>;
  viewport?: { width: number; height: number };
  /** Office's nested app authentication bridge: the account signed in to Office and its tokens. */
  naa?: ScriptedNaa;
}

export interface ScriptedNaa {
  accessToken: string;
  idToken: string;
  account: { tenantId: string; localAccountId: string; username: string; name: string };
}

/**
 * What Office provides as window.nestedAppAuthBridge, scripted: it answers MSAL's GetInitContext
 * and GetToken/GetTokenPopup messages with the given tokens and records every request in
 * window.__naaRequests. Runs in the page, before any of its scripts.
 */
function installScriptedNaaBridge(naa: ScriptedNaa): void {
  const listeners: Array<(message: string) => void> = [];
  const requests: unknown[] = [];
  (window as unknown as { __naaRequests: unknown[] }).__naaRequests = requests;
  const answer = (request: { requestId: string; method: string; tokenParams?: { scope?: string } }) => {
    const base = { messageType: 'NestedAppAuthResponse', requestId: request.requestId };
    if (request.method === 'GetInitContext')
      return {
        ...base,
        success: true,
        initContext: { sdkName: 'scripted-office', sdkVersion: '1.0.0', capabilities: {}, accountContext: null },
      };
    if (request.method === 'GetToken' || request.method === 'GetTokenPopup')
      return {
        ...base,
        success: true,
        token: { access_token: naa.accessToken, id_token: naa.idToken, expires_in: 3600, scope: request.tokenParams?.scope ?? '' },
        account: {
          ...naa.account,
          homeAccountId: `${naa.account.localAccountId}.${naa.account.tenantId}`,
          environment: 'login.microsoftonline.com',
        },
      };
    return { ...base, success: false, error: { status: 'NESTED_APP_AUTH_UNAVAILABLE', code: 'unsupported', description: request.method } };
  };
  (window as unknown as { nestedAppAuthBridge: unknown }).nestedAppAuthBridge = {
    addEventListener: (_type: string, listener: (message: string) => void) => listeners.push(listener),
    removeEventListener: () => undefined,
    postMessage: (raw: string) => {
      const request = JSON.parse(raw) as { requestId: string; method: string };
      requests.push(request);
      setTimeout(() => listeners.forEach((l) => l(JSON.stringify(answer(request)))), 0);
    },
  };
}

/** Opens a pane of the real Worker with a scripted host; collects page errors and foreign requests. */
export async function openPane(
  browser: Browser,
  api: Api,
  pane: 'excel' | 'outlook',
  opts: PaneOptions,
): Promise<{ page: Page; context: BrowserContext; errors: string[]; foreign: string[] }> {
  const context = await browser.newContext({
    locale: String(opts.host.language ?? 'en'),
    viewport: opts.viewport ?? { width: 380, height: 800 },
  });
  const page = await context.newPage();
  const errors: string[] = [];
  const foreign: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await context.route('**/*', (route) => {
    const url = new URL(route.request().url());
    if (url.origin !== new URL(api.url).origin) {
      foreign.push(url.href);
      return route.abort();
    }
    return route.continue();
  });
  if (opts.naa) await page.addInitScript(installScriptedNaaBridge, opts.naa);
  await page.addInitScript((fixtureHost) => {
    (window as unknown as { __LEADPANE_TEST_HOST__: unknown }).__LEADPANE_TEST_HOST__ = fixtureHost;
  }, opts.host);
  await page.goto(`${api.url}/${pane}/taskpane.html`);
  return { page, context, errors, foreign };
}

/** What the pane left in the scripted workbook (the browser-mode Excel host's snapshot). */
export function workbookState<T = unknown>(page: Page): Promise<T> {
  return page.evaluate(() => {
    const bundle = (window as unknown as { __leadpaneHost?: { excel?: { snapshot?: () => unknown } } }).__leadpaneHost;
    return (bundle?.excel?.snapshot ? bundle.excel.snapshot() : null) as never;
  });
}

export const fixture = (path: string) => readFileSync(resolve(ROOT, 'test/fixtures', path));

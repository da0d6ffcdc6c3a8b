// Smoke test of the built panes in plain Chromium: each pane renders in English, Bulgarian and
// Russian on the scripted browser-mode hosts, passes axe-core without serious or critical
// violations, and never contacts Microsoft's CDN outside Office. /api/v1 is stubbed with
// page.route here only; the end-to-end tests against the real Worker live in test/e2e/.
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Browser, BrowserContext, Page, Route } from 'playwright-core';
import { CHROMIUM, launchChromium } from '../../scripts/lib/chromium';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCard, buildKnownSenderMatch, buildMe, problem } from './helpers/api-builders';
import { ensureAddinBuilt, REPO } from './helpers/build';
import { serveStatic } from './helpers/static-server';

const RESULTS = resolve(REPO, 'test-results');
const fixture = (name: string) => readFileSync(resolve(import.meta.dirname, 'fixtures', name), 'utf8');
const LANGS = ['en', 'bg', 'ru'] as const;
/** Polls until the page settles; the first load of a pane compiles its chunks. */
const eventually = <T>(read: () => Promise<T> | T) => expect.poll(read, { timeout: 15_000, interval: 100 });

const EXPECTED = {
  excelTab: { en: 'Import', bg: 'Импорт', ru: 'Импорт' },
  pipelineTab: { en: 'Pipeline', bg: 'Фуния', ru: 'Воронка' },
  vip: { en: 'VIP 2', bg: 'VIP 2', ru: 'VIP 2' },
  signIn: { en: 'Sign in to Leadpane', bg: 'Вход в Leadpane', ru: 'Вход в Leadpane' },
};

let browser: Browser;
let server: { origin: string; close: () => Promise<void> };

beforeAll(async () => {
  const dist = ensureAddinBuilt();
  mkdirSync(RESULTS, { recursive: true });
  server = await serveStatic(dist);
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

type Handler = (route: Route, url: URL) => unknown;

/** A page whose /api/v1 answers come from `api`, with a scripted host set before load. */
async function openPane(
  pane: 'excel' | 'outlook',
  host: Record<string, unknown>,
  api: Record<string, Handler>,
): Promise<{ page: Page; context: BrowserContext; foreign: string[]; errors: string[] }> {
  const context = await browser.newContext({ locale: String(host.language ?? 'en'), viewport: { width: 360, height: 760 } });
  const page = await context.newPage();
  const foreign: string[] = [];
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await context.route('**/*', async (route) => {
    const url = new URL(route.request().url());
    if (url.origin !== server.origin) {
      foreign.push(url.href);
      return route.abort();
    }
    if (url.pathname === '/__test__/axe.min.js') {
      // Same origin, so the pages' CSP (no inline script) also holds for the test's axe-core.
      return route.fulfill({
        contentType: 'text/javascript',
        body: readFileSync(resolve(REPO, 'node_modules/axe-core/axe.min.js'), 'utf8'),
      });
    }
    if (url.pathname.startsWith('/api/v1/')) {
      const path = url.pathname.slice('/api/v1'.length);
      const key = Object.keys(api).find((k) => new RegExp(`^${k}$`).test(`${route.request().method()} ${path}`));
      if (!key)
        return route.fulfill({ status: 404, contentType: 'application/problem+json', body: JSON.stringify(problem(404, 'not_found')) });
      return api[key]!(route, url);
    }
    return route.continue();
  });
  await page.addInitScript((fixtureHost) => {
    (window as unknown as { __LEADPANE_TEST_HOST__: unknown }).__LEADPANE_TEST_HOST__ = fixtureHost;
  }, host);
  await page.goto(`${server.origin}/${pane}/taskpane.html`);
  return { page, context, foreign, errors };
}

const json =
  (body: unknown, status = 200) =>
  (route: Route) =>
    route.fulfill({ status, contentType: status < 300 ? 'application/json' : 'application/problem+json', body: JSON.stringify(body) });

/** Serious and critical axe-core violations on the page. */
async function axeViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ url: '/__test__/axe.min.js' });
  const violations = await page.evaluate(async () => {
    const axe = (
      window as unknown as {
        axe: { run: (ctx: Document) => Promise<{ violations: Array<{ id: string; impact: string; nodes: Array<{ target: string[] }> }> }> };
      }
    ).axe;
    // Tabster's focus sentinels (<i data-tabster-dummy aria-hidden tabindex=0>) pass focus on at
    // once; they are how Fluent's TabList and dialogs manage arrow keys, not focusable content.
    const result = await axe.run({ exclude: [['[data-tabster-dummy]']] } as unknown as Document);
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, targets: v.nodes.map((n) => n.target.join(' ')) }));
  });
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.targets.join(', ')}`);
}

describe('panes in a plain browser', () => {
  it.skipIf(!existsSync(CHROMIUM))('the Excel pane renders its tabs in en, bg and ru without serious axe violations', async () => {
    for (const lang of LANGS) {
      const { page, context, foreign, errors } = await openPane(
        'excel',
        {
          language: lang,
          token: 'lp_test',
          workbook: {
            sheets: {
              Leads: [
                ['Име', 'Телефон'],
                ['Иван', '+359 2 987 6543'],
              ],
            },
          },
        },
        { 'GET /me': json(buildMe()) },
      );
      await eventually(() => page.getByRole('tab', { name: EXPECTED.excelTab[lang] }).count()).toBe(1);
      await eventually(() => page.getByRole('tab', { name: EXPECTED.pipelineTab[lang] }).count()).toBe(1);
      expect(await page.evaluate(() => document.documentElement.lang)).toBe(lang);
      expect(await axeViolations(page)).toEqual([]);
      await page.screenshot({ path: resolve(RESULTS, `addin-excel-${lang}.png`), fullPage: true });
      expect(foreign).toEqual([]);
      expect(errors).toEqual([]);
      await context.close();
    }
  });

  it.skipIf(!existsSync(CHROMIUM))(
    'the Outlook pane shows a known sender’s card in en, bg and ru without serious axe violations',
    async () => {
      for (const lang of LANGS) {
        let matchQuery = '';
        const { page, context, foreign, errors } = await openPane(
          'outlook',
          { language: lang, token: 'lp_test', eml: fixture('known-sender.eml') },
          {
            'GET /me': json(buildMe()),
            'GET /match': (route, url) => {
              matchQuery = url.searchParams.getAll('email').join(',');
              return json(buildKnownSenderMatch())(route);
            },
            'GET /companies/c-acme/card': json(buildCard()),
          },
        );
        await eventually(() => page.getByText(EXPECTED.vip[lang]).count()).toBe(1);
        await eventually(() => page.getByTestId('open-deals').getByText('25 licences', { exact: false }).count()).toBe(1);
        expect(matchQuery).toBe('ivan.petrov@acme.bg,maria@leadpane.example,georgi@acme.bg');
        expect(await axeViolations(page)).toEqual([]);
        await page.screenshot({ path: resolve(RESULTS, `addin-outlook-${lang}.png`), fullPage: true });
        expect(foreign).toEqual([]);
        expect(errors).toEqual([]);
        await context.close();
      }
    },
  );

  it.skipIf(!existsSync(CHROMIUM))('follows a dark theme without contrast problems', async () => {
    const { page, context } = await openPane(
      'outlook',
      { language: 'en', theme: 'dark', token: 'lp_test', eml: fixture('known-sender.eml') },
      {
        'GET /me': json(buildMe()),
        'GET /match': json(buildKnownSenderMatch()),
        'GET /companies/c-acme/card': json(buildCard()),
      },
    );
    await eventually(() => page.getByTestId('open-deals').getByText('25 licences', { exact: false }).count()).toBe(1);
    const background = await page.evaluate(() => getComputedStyle(document.querySelector('.fui-FluentProvider')!).backgroundColor);
    const [r = 255, g = 255, b = 255] = (background.match(/\d+/g) ?? []).map(Number);
    expect(r + g + b).toBeLessThan(3 * 80);
    expect(await axeViolations(page)).toEqual([]);
    await page.screenshot({ path: resolve(RESULTS, 'addin-outlook-en-dark.png'), fullPage: true });
    await context.close();
  });

  it.skipIf(!existsSync(CHROMIUM))('a rejected token shows the sign-in form with what to do', async () => {
    const { page, context } = await openPane(
      'excel',
      { language: 'bg' },
      {
        'GET /me': json(problem(401, 'unauthorized'), 401),
      },
    );
    await page.getByLabel('Личен токен').fill('lp_wrong');
    await page.getByRole('button', { name: 'Вход' }).click();
    await eventually(() => page.getByText('Токенът не беше приет', { exact: false }).count()).toBe(1);
    expect(await axeViolations(page)).toEqual([]);
    await page.screenshot({ path: resolve(RESULTS, 'addin-signin-rejected-bg.png'), fullPage: true });
    await context.close();
  });

  it.skipIf(!existsSync(CHROMIUM))('a 401 after sign-in asks for a token again and keeps the new-lead form', async () => {
    let tokenOk = true;
    const { page, context } = await openPane(
      'outlook',
      { language: 'en', token: 'lp_test', eml: fixture('unknown-sender.eml') },
      {
        'GET /me': (route) => json(tokenOk ? buildMe() : problem(401, 'unauthorized'), tokenOk ? 200 : 401)(route),
        'GET /match': json({ contacts: [], companies: [], leads: [] }),
        'POST /leads': (route) =>
          route.request().headers()['authorization'] === 'Bearer lp_new'
            ? json({ id: 'l-new', fullName: 'New Person', email: 'new.person@newco.example', status: 'new', source: 'email' }, 201)(route)
            : json(problem(401, 'unauthorized'), 401)(route),
      },
    );
    await eventually(() => page.getByRole('heading', { name: 'New lead' }).count()).toBe(1);
    await page.getByLabel('Phone').fill('+359 88 123 4567');
    tokenOk = false;
    await page.getByRole('button', { name: 'Create lead' }).click();
    await eventually(() => page.getByText('Sign in again').count()).toBe(1);
    tokenOk = true;
    await page.getByLabel('Personal token').fill('lp_new');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await eventually(() => page.getByText('Sign in again').count()).toBe(0);
    expect(await page.getByLabel('Phone').inputValue()).toBe('+359 88 123 4567');
    await page.getByRole('button', { name: 'Create lead' }).click();
    await eventually(() => page.getByText('Lead created', { exact: false }).count()).toBe(1);
    await context.close();
  });

  it.skipIf(!existsSync(CHROMIUM))('the Reports tab writes the report into the scripted workbook', async () => {
    const { page, context } = await openPane(
      'excel',
      { language: 'en', token: 'lp_test', workbook: { sheets: { Sheet1: [] } } },
      {
        'GET /me': json(buildMe()),
        'GET /reports/weekly': json({
          period: { label: '2026-W27', from: '2026-06-29', to: '2026-07-06' },
          sections: [
            {
              key: 'activities',
              title: 'Activities',
              columns: ['manager', 'email', 'call', 'meeting', 'note', 'total'].map((key) => ({
                key,
                type: key === 'manager' ? 'text' : 'int',
                label: key,
              })),
              rows: [
                ['Maria', 3, 1, 0, 0, 4],
                ['=cmd|x', 1, 0, 0, 0, 1],
              ],
            },
          ],
        }),
      },
    );
    await page.getByRole('tab', { name: 'Reports' }).click();
    await page.getByRole('textbox', { name: 'Week' }).fill('2026-W27');
    await page.getByRole('button', { name: 'Write the weekly sheet' }).click();
    await eventually(() => page.getByText('The sheet Weekly 2026-W27 has', { exact: false }).count()).toBe(1);
    const snapshot = await page.evaluate(() =>
      (window as unknown as { __leadpaneHost: { excel: { snapshot(): unknown } } }).__leadpaneHost.excel.snapshot(),
    );
    expect(snapshot).toMatchObject({
      activeSheet: 'Weekly 2026-W27',
      sheets: [
        { name: 'Sheet1' },
        {
          name: 'Weekly 2026-W27',
          values: [
            ['Activities', '', '', '', '', ''],
            ['manager', 'email', 'call', 'meeting', 'note', 'total'],
            ['Maria', 3, 1, 0, 0, 4],
            ['=cmd|x', 1, 0, 0, 0, 1],
          ],
          tables: [{ address: 'A2:F4' }],
          charts: [{ kind: 'column', source: 'A2:E4' }],
        },
      ],
    });
    await context.close();
  });
});

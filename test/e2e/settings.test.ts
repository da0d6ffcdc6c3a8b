// Settings as a head of sales and an admin meet it: the panes in Chromium against the real local
// API on a real local D1 (the demo organisation's users, no demo records), only the Office host
// scripted. A head invites a manager and gives them a token; the manager signs in without seeing
// Settings; a revoked token is refused on the next request; a form made here and pasted into
// a page of another origin brings in a lead; every Settings section passes axe in en, bg and ru.
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, ROOT } from '../../scripts/lib/local';
import { launchBrowser, openPane, RESULTS, startApi, type Api } from './harness';

let api: Api;
let browser: Browser;

beforeAll(async () => {
  api = await startApi({ seed: false });
  browser = await launchBrowser();
}, 600_000);

afterAll(async () => {
  await browser?.close();
  await api?.stop();
});

const workbook = { sheets: { Sheet1: [['Leadpane']] } };
const eml = ['From: Ана <ana@example.test>', 'To: team@example.test', 'Subject: Hello', '', 'Hi'].join('\r\n');

/** The Excel pane of `token`, on its Settings tab. */
async function settingsOf(token: string, language = 'en', tabName = 'Settings') {
  const pane = await openPane(browser, api, 'excel', { host: { language, token, workbook } });
  await pane.page.getByRole('tab', { name: tabName }).click({ timeout: 120_000 });
  await pane.page.locator('#settings-title').waitFor({ timeout: 60_000 });
  return pane;
}

const openSection = async (page: Page, name: string) => {
  const header = page.getByRole('button', { name, exact: true });
  if ((await header.getAttribute('aria-expanded')) !== 'true') await header.click();
};

/** Serious and critical axe-core violations on the page. */
async function axeViolations(page: Page): Promise<string[]> {
  // Same origin as the pane, so the pages' CSP (no inline script) also holds for axe-core.
  await page.route('**/__test__/axe.min.js', (route) =>
    route.fulfill({ contentType: 'text/javascript', body: readFileSync(resolve(ROOT, 'node_modules/axe-core/axe.min.js'), 'utf8') }),
  );
  await page.addScriptTag({ url: '/__test__/axe.min.js' });
  const violations = await page.evaluate(async () => {
    const axe = (
      window as unknown as {
        axe: { run: (ctx: unknown) => Promise<{ violations: Array<{ id: string; impact: string; nodes: Array<{ target: string[] }> }> }> };
      }
    ).axe;
    // Tabster's focus sentinels are how Fluent manages arrow keys, not content.
    const result = await axe.run({ exclude: [['[data-tabster-dummy]']] });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, targets: v.nodes.map((n) => n.target.join(' ')) }));
  });
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.targets.join(', ')}`);
}

describe('Settings for a team', () => {
  it(
    "a head invites a manager and makes their token; the manager signs in without Settings; after the head revokes it the manager's next request is refused",
    { timeout: 300_000 },
    async () => {
      const head = await settingsOf(api.tokens.head);
      const { page } = head;

      // Users (open at first): invite Нина as a manager; a head can invite managers only.
      await page.getByLabel('Email').fill('nina.koleva@example.test');
      await page.getByLabel('Name (optional)').fill('Нина Колева');
      expect(await page.getByLabel('Role', { exact: true }).locator('option').allInnerTexts()).toEqual(['Manager']);
      await page.getByRole('button', { name: 'Invite', exact: true }).click();
      await page.getByText('nina.koleva@example.test is invited').waitFor({ timeout: 30_000 });
      await page
        .getByRole('list', { name: /People in/ })
        .getByText('Нина Колева')
        .waitFor();

      // Personal tokens: one for Нина, 30 days.
      await openSection(page, 'Personal tokens');
      const forSelect = page.getByLabel('For', { exact: true });
      await expect
        .poll(() => forSelect.locator('option').allInnerTexts(), { timeout: 30_000 })
        .toContain('Нина Колева (nina.koleva@example.test)');
      await forSelect.selectOption({ label: 'Нина Колева (nina.koleva@example.test)' });
      await page.locator('input[name="tokenName"]').fill('Outlook at the office');
      await page.getByLabel('Expires').selectOption({ label: 'In 30 days' });
      await page.getByRole('button', { name: 'Create token' }).click();
      const token = await page.getByTestId('new-token').inputValue({ timeout: 30_000 });
      expect(token).toMatch(/^lp_[\w-]{43}$/);
      const [stored] = api.sql<{ role: string; expires_at: string }>(
        `SELECT u.role, t.expires_at FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.name = 'Outlook at the office';`,
      );
      expect(stored!.role).toBe('manager');
      const days = (Date.parse(stored!.expires_at) - Date.now()) / 86_400_000;
      expect(days).toBeGreaterThan(29.9);
      expect(days).toBeLessThan(30.1);
      await page.screenshot({ path: `${RESULTS}/settings-head-token.png`, fullPage: true });

      // Нина signs in to Outlook with it: her tabs, and no Settings.
      const nina = await openPane(browser, api, 'outlook', { host: { language: 'en', eml } });
      await nina.page.getByLabel('Personal token').fill(token, { timeout: 120_000 });
      await nina.page.getByRole('button', { name: 'Sign in', exact: true }).click();
      await nina.page.getByText('Signed in as Нина Колева').waitFor({ timeout: 60_000 });
      await nina.page.getByRole('tab', { name: 'Today' }).waitFor();
      expect(await nina.page.getByRole('tab').allInnerTexts()).toEqual(['Message', 'Today']);
      expect(await nina.page.getByText('Settings').count()).toBe(0);

      // The head revokes it from the list of active tokens.
      await page.getByRole('button', { name: 'Revoke the token Outlook at the office of Нина Колева' }).click();
      await page.getByText('The token Outlook at the office is revoked').waitFor({ timeout: 30_000 });

      // Нина's next request is refused and the pane asks her to sign in again.
      const refused = nina.page.waitForResponse((r) => r.url().includes('/api/v1/today'));
      await nina.page.getByRole('tab', { name: 'Today' }).click();
      expect((await refused).status()).toBe(401);
      await nina.page.getByText('Sign in again').waitFor({ timeout: 30_000 });
      expect(head.errors).toEqual([]);
      expect(nina.errors).toEqual([]);
      await nina.context.close();
      await head.context.close();
    },
  );

  it(
    'a form made in Settings and embedded on a page of another origin creates a lead that Settings lists',
    { timeout: 300_000 },
    async () => {
      const port = await freePort();
      const siteOrigin = `http://127.0.0.1:${port}`;
      const head = await settingsOf(api.tokens.head);
      const { page } = head;
      await openSection(page, 'Web forms');
      await page.getByLabel('Form name').fill('Website contact form');
      await page.getByLabel('Allowed origins').first().fill(siteOrigin);
      await page.getByRole('button', { name: 'Create form' }).click();
      await page.getByText('The form Website contact form is ready').waitFor({ timeout: 30_000 });
      await page.getByLabel('Language of the form').selectOption({ label: 'Bulgarian' });
      const snippetBox = page.getByTestId('form-snippet');
      await expect.poll(() => snippetBox.inputValue(), { timeout: 30_000 }).toContain('lang="bg"');
      const snippet = await snippetBox.inputValue();
      expect(snippet).toContain(`${api.url}/api/v1/forms/wf_`);

      let site: Server | null = null;
      try {
        site = createServer((_req, out) => {
          out.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
          out.end(
            `<!doctype html><html lang="bg"><meta charset="utf-8"><title>Фирма</title><body><h1>Свържете се с нас</h1>${snippet}</body></html>`,
          );
        }).listen(port, '127.0.0.1');
        const visitor = await (await browser.newContext({ locale: 'bg-BG' })).newPage();
        await visitor.goto(siteOrigin);
        await visitor.getByLabel('Име *').fill('Стефан Колев');
        await visitor.getByLabel('Телефон *').fill('0888 555 111');
        const sent = visitor.waitForResponse((r) => r.url().includes('/api/v1/forms/wf_') && r.request().method() === 'POST');
        await visitor.getByRole('button').click();
        expect((await sent).status()).toBe(200);
        await visitor.context().close();
      } finally {
        site?.close();
      }
      const leads = api.sql<{ full_name: string; phone_e164: string }>(`SELECT full_name, phone_e164 FROM leads WHERE source = 'webform';`);
      expect(leads).toEqual([{ full_name: 'Стефан Колев', phone_e164: '+359888555111' }]);

      await page.getByRole('button', { name: 'Refresh' }).click();
      await page.getByRole('list', { name: 'Recent submissions' }).getByText('Стефан Колев').waitFor({ timeout: 30_000 });
      expect(head.errors).toEqual([]);
      await head.context.close();
    },
  );
});

describe("an admin's Settings", () => {
  it(
    'quotas, competitors, the document package, the tenant link and a privacy erase each change the organisation, and each is audited',
    { timeout: 300_000 },
    async () => {
      const contact = (await (
        await fetch(`${api.url}/api/v1/contacts`, {
          method: 'POST',
          headers: { authorization: `Bearer ${api.tokens.head}`, 'content-type': 'application/json' },
          body: JSON.stringify({ fullName: 'Радка Енчева', emails: ['r.encheva@example.bg'] }),
        })
      ).json()) as { id: string };
      const { page, context, errors } = await settingsOf(api.tokens.admin);
      const month = new Date().toISOString().slice(0, 7);

      await openSection(page, 'Quotas');
      await page.getByLabel('Quota of Иван Петров').fill('50 000,50', { timeout: 30_000 });
      await page.getByRole('button', { name: 'Save: Иван Петров' }).click();
      await page.getByText(`The quota of Иван Петров for ${month} is saved.`).waitFor({ timeout: 30_000 });

      await openSection(page, 'Competitors');
      await page.getByRole('textbox', { name: /^Competitor/ }).fill('Rival AD');
      await page.getByRole('button', { name: 'Add competitor' }).click();
      await page.getByRole('button', { name: 'Remove Rival AD' }).click({ timeout: 30_000 });
      await expect.poll(() => page.getByRole('button', { name: 'Remove Rival AD' }).count(), { timeout: 30_000 }).toBe(0);

      await openSection(page, 'Document packages');
      await page.getByLabel('Name of document 1').fill('Оферта (подписана)', { timeout: 30_000 });
      await page.getByLabel('Stage of document 1').selectOption('negotiation');
      await page.getByRole('button', { name: 'Add a document' }).click();
      await page.getByLabel('Name of document 7').fill('Банкова гаранция');
      await page.getByRole('button', { name: 'Save', exact: true }).last().click();
      await page.getByText('Saved.', { exact: true }).waitFor({ timeout: 30_000 });

      const tenant = crypto.randomUUID();
      await openSection(page, 'Microsoft 365 sign-in');
      await page.getByText('Not linked to a tenant.').waitFor({ timeout: 30_000 });
      await page.getByLabel('Tenant ID').fill(tenant.toUpperCase());
      await page.getByRole('button', { name: 'Link tenant' }).click();
      await page.getByText(`Linked to the tenant ${tenant}.`).first().waitFor({ timeout: 30_000 });

      await openSection(page, 'Privacy requests');
      await page.getByLabel('Name, email or phone').fill('Енчева');
      await page.getByRole('button', { name: 'Find' }).click();
      const download = page.waitForEvent('download');
      await page.getByRole('button', { name: 'Export JSON: Радка Енчева' }).click({ timeout: 30_000 });
      const exported = JSON.parse(readFileSync(await (await download).path(), 'utf8')) as { contact: { fullName: string } };
      expect(exported.contact.fullName).toBe('Радка Енчева');
      await page.getByRole('button', { name: 'Erase the personal data of Радка Енчева' }).click();
      await page.getByRole('button', { name: 'Erase for good' }).click();
      await page.getByText('Радка Енчева is erased.').waitFor({ timeout: 30_000 });

      const [org] = api.sql<{ tenant_id: string }>(`SELECT tenant_id FROM orgs;`);
      expect(org!.tenant_id).toBe(tenant);
      expect(api.sql(`SELECT amount_minor, currency, period FROM quotas WHERE user_id = '${api.userIds.manager}';`)).toEqual([
        { amount_minor: 5_000_050, currency: 'BGN', period: month },
      ]);
      expect(api.sql(`SELECT deleted_at IS NOT NULL AS gone FROM competitors WHERE name = 'Rival AD';`)).toEqual([{ gone: 1 }]);
      const [docs] = api.sql<{ value: string }>(`SELECT value FROM org_settings WHERE key = 'documents';`);
      const slots = (JSON.parse(docs!.value) as { slots: { slot: string; label: string; stage: string }[] }).slots;
      expect(slots[0]).toEqual({ slot: 'offer', label: 'Оферта (подписана)', stage: 'negotiation' });
      expect(slots.at(-1)).toEqual({ slot: 'bankova_garantsia', label: 'Банкова гаранция', stage: 'proposal' });
      expect(api.sql(`SELECT full_name FROM contacts WHERE id = '${contact.id}';`)).toEqual([{ full_name: 'Erased person' }]);
      const audit = api
        .sql<{ entry: string }>(`SELECT action || ' ' || entity AS entry FROM audit_log WHERE user_id = '${api.userIds.admin}';`)
        .map((r) => r.entry);
      for (const entry of [
        'update quota',
        'create competitor',
        'delete competitor',
        'update settings',
        'update org',
        'export contact',
        'erase contact',
      ])
        expect(audit, entry).toContain(entry);
      expect(errors).toEqual([]);
      await context.close();
    },
  );
});

describe('Settings in three languages', () => {
  const SECTIONS = {
    en: [
      'Users',
      'Personal tokens',
      'Microsoft 365 sign-in',
      'Web forms',
      'Quotas',
      'Competitors',
      'Document packages',
      'Privacy requests',
    ],
    bg: [
      'Потребители',
      'Лични токени',
      'Вход с Microsoft 365',
      'Уеб формуляри',
      'Планове',
      'Конкуренти',
      'Пакети документи',
      'Искания за лични данни',
    ],
    ru: [
      'Пользователи',
      'Личные токены',
      'Вход через Microsoft 365',
      'Веб-формы',
      'Планы',
      'Конкуренты',
      'Пакеты документов',
      'Запросы о персональных данных',
    ],
  } as const;
  const TAB = { en: 'Settings', bg: 'Настройки', ru: 'Настройки' } as const;

  it('every section an admin sees passes axe without serious violations in en, bg and ru', { timeout: 600_000 }, async () => {
    for (const lang of ['en', 'bg', 'ru'] as const) {
      const { page, context, errors } = await settingsOf(api.tokens.admin, lang, TAB[lang]);
      for (const name of SECTIONS[lang]) await openSection(page, name);
      // Each open section has loaded what it shows (no spinner left).
      await expect.poll(() => page.locator('.fui-Spinner').count(), { timeout: 30_000 }).toBe(0);
      expect(await page.getByRole('button', { name: SECTIONS[lang][2], exact: true }).getAttribute('aria-expanded')).toBe('true');
      expect(await page.evaluate(() => document.documentElement.lang)).toBe(lang);
      expect(await axeViolations(page), lang).toEqual([]);
      await page.screenshot({ path: `${RESULTS}/settings-${lang}.png`, fullPage: true });
      expect(errors).toEqual([]);
      await context.close();
    }
  });

  it(
    'a head sees Settings in the Outlook pane too, without the Microsoft 365 link, and a manager sees no Settings',
    { timeout: 300_000 },
    async () => {
      const head = await openPane(browser, api, 'outlook', { host: { language: 'bg', token: api.tokens.head, eml } });
      await head.page.getByRole('tab', { name: 'Настройки' }).click({ timeout: 120_000 });
      await head.page.getByRole('button', { name: 'Лични токени', exact: true }).waitFor({ timeout: 60_000 });
      expect(await head.page.getByRole('button', { name: 'Вход с Microsoft 365', exact: true }).count()).toBe(0);
      expect(await axeViolations(head.page)).toEqual([]);
      await head.context.close();

      const manager = await openPane(browser, api, 'excel', { host: { language: 'en', token: api.tokens.manager, workbook } });
      await manager.page.getByRole('tab', { name: 'Today' }).waitFor({ timeout: 120_000 });
      expect(await manager.page.getByRole('tab').allInnerTexts()).toEqual(['Import', 'Pipeline', 'Reports', 'Today']);
      await manager.context.close();
    },
  );
});

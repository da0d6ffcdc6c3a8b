// The client card in the Outlook pane against the real API: the credit score with its reasons in
// the user's language and the limit, the VIP tier and the limit set by a head of sales (and only
// explained to a manager), open complaints with their age, and a complaint or proposal with its
// description and priority, one per email: a second click, or the same email opened again, opens
// the first. Bulgarian, Russian and English messages; axe on each screen in each language.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, openPane, startApi, type Api } from './harness';
import { apiCall, axeViolations, buildEml, eventually, shot, sqlText } from './outlook-helpers';

let api: Api;
let browser: Browser;

beforeAll(async () => {
  api = await startApi();
  browser = await launchBrowser();
}, 600_000);

afterAll(async () => {
  await browser?.close();
  await api?.stop();
});

const open = (eml: string, language: string, token = api.tokens.manager) =>
  openPane(browser, api, 'outlook', { host: { language, token, eml } });

/** A contact with an email of a company picked by `where` (on companies co), as the demo seed made it. */
function contactOf(where: string): { email: string; company_id: string; company: string; full_name: string } {
  const [row] = api.sql<{ email: string; company_id: string; company: string; full_name: string }>(
    `SELECT c.email_norm AS email, c.company_id, co.name AS company, c.full_name FROM contacts c JOIN companies co ON co.id = c.company_id
      WHERE ${where} AND c.email_norm IS NOT NULL AND c.deleted_at IS NULL ORDER BY c.id LIMIT 1`,
  );
  if (!row) throw new Error(`the demo seed has no contact where ${where}`);
  return row;
}

const isoDay = (daysFromNow: number) => new Date(Date.now() + daysFromNow * 86_400_000).toISOString().slice(0, 10);

describe('the client card', () => {
  it(
    'shows the credit score with its reasons; a head sets the VIP tier and the limit, a manager is told who does',
    { timeout: 400_000 },
    async () => {
      const client = contactOf(`co.name = 'Балкан Логистик ООД'`);
      // The accounting sheet's invoices: one paid 45 days late, one 40 days overdue and unpaid.
      const paid = await apiCall(api, api.tokens.head, 'POST', `/companies/${client.company_id}/payments`, [
        { invoiceNo: 'E2E-1', amountMinor: 2_000_00, currency: 'BGN', issuedOn: isoDay(-120), dueOn: isoDay(-100), paidOn: isoDay(-55) },
        { invoiceNo: 'E2E-2', amountMinor: 6_000_00, currency: 'BGN', issuedOn: isoDay(-70), dueOn: isoDay(-40) },
      ]);
      expect(paid.json).toMatchObject({ saved: 2, errors: [] });
      const eml = (lang: string) =>
        buildEml({
          from: client.email,
          fromName: client.full_name,
          subject: `Плащане по фактура E2E-2 (${lang})`,
          messageId: `<credit-${lang}@balkanlogistic.bg>`,
          body: 'Здравейте,\nще платим до края на месеца.\n',
        });

      // A head of sales, in Bulgarian: the reasons in Bulgarian, then VIP tier 2 and a 5 000 лв. limit.
      const bg = await open(eml('bg'), 'bg', api.tokens.head);
      const card = bg.page.getByTestId('client-card');
      await eventually(() => card.getByTestId('credit-reasons').count(), 120_000).toBe(1);
      const reasons = await card.getByTestId('credit-reasons').innerText();
      expect(reasons).toContain('1 фактура, платена с над 30 дни закъснение за 12 месеца');
      expect(reasons).toMatch(/6\s?000,00\sлв\. просрочени, най-старата с 40 дни/);
      expect(await card.getByTestId('credit-line').innerText()).toContain('без кредитен лимит');
      expect(await axeViolations(bg.page)).toEqual([]);
      const settings = card.getByTestId('head-settings');
      await settings.getByLabel('VIP ниво', { exact: true }).selectOption('2');
      await settings.getByRole('button', { name: 'Задай VIP ниво' }).click();
      await eventually(() => card.getByText('VIP нивото е записано.').count()).toBe(1);
      await eventually(() => card.getByTestId('vip-badge').innerText()).toBe('VIP 2');
      await settings.getByLabel('Кредитен лимит', { exact: true }).fill('5 000');
      await settings.getByRole('button', { name: 'Задай лимит' }).click();
      await eventually(() => card.getByText('Кредитният лимит е записан.').count()).toBe(1);
      await eventually(() => card.getByTestId('credit-line').innerText()).toMatch(/лимит 5\s?000,00\sлв\./);
      expect(await card.getByTestId('credit-reasons').innerText()).toContain('просрочената сума надхвърля кредитния лимит');
      expect(
        api.sql(`SELECT vip_tier, credit_limit_minor, credit_currency FROM companies WHERE id = ${sqlText(client.company_id)}`),
      ).toEqual([{ vip_tier: 2, credit_limit_minor: 5_000_00, credit_currency: 'BGN' }]);
      expect(await axeViolations(bg.page)).toEqual([]);
      await shot(bg.page, 'card-head-bg');
      expect(bg.errors).toEqual([]);
      await bg.context.close();

      // A manager, in Russian: the same card, the reasons in Russian, no head settings but who sets them.
      const ru = await open(eml('ru'), 'ru');
      const rcard = ru.page.getByTestId('client-card');
      await eventually(() => rcard.getByTestId('credit-reasons').count(), 120_000).toBe(1);
      expect(await rcard.getByTestId('credit-reasons').innerText()).toContain('1 счёт оплачен с опозданием более 30 дней за 12 месяцев');
      expect(await rcard.getByTestId('credit-reasons').innerText()).toContain('просроченная сумма превышает кредитный лимит');
      expect(await rcard.getByTestId('head-settings').count()).toBe(0);
      expect(await rcard.getByTestId('head-only-note').innerText()).toBe('VIP-уровень и кредитный лимит задают руководители продаж.');
      expect(await rcard.getByTestId('vip-badge').innerText()).toBe('VIP 2');
      expect(await axeViolations(ru.page)).toEqual([]);
      await shot(ru.page, 'card-manager-ru');
      await ru.context.close();

      // A manager, in English, on a client with no invoices.
      const quiet = contactOf(`co.name = 'Globex Ltd'`);
      const en = await open(
        buildEml({
          from: quiet.email,
          fromName: quiet.full_name,
          subject: 'Renewal',
          messageId: '<credit-en@globex.co.uk>',
          body: 'Hi,\nlet us talk about the renewal.\n',
        }),
        'en',
      );
      const ecard = en.page.getByTestId('client-card');
      await eventually(() => ecard.getByTestId('credit-line').innerText(), 120_000).toBe('No payment history yet.');
      expect(await ecard.getByTestId('head-only-note').innerText()).toBe('The VIP tier and the credit limit are set by heads of sales.');
      expect(await axeViolations(en.page)).toEqual([]);
      await en.context.close();
    },
  );

  it(
    'a complaint or proposal has a description and a priority, is one per email, and shows on the card at once with its age',
    { timeout: 500_000 },
    async () => {
      const cases = [
        {
          lang: 'bg',
          kind: 'complaint',
          client: contactOf(`co.name = 'Витоша Софт АД'`),
          subject: 'Фактурата е с грешна сума',
          body: 'Здравейте,\nфактура 118 е издадена за 1 200 лв. вместо за 1 020 лв. Моля, коригирайте я.\n',
          button: 'Оплакване',
          priority: 'Висок',
          save: 'Отвори оплакване',
          created: 'Оплакването е създадено (висок приоритет).',
          existing: 'Оплакването от този имейл',
          listed: 'open-complaints',
        },
        {
          lang: 'ru',
          kind: 'proposal',
          client: contactOf(`co.name = 'ООО «Вектор»'`),
          subject: 'Предложение по интеграции',
          body: 'Добрый день!\nПредлагаем добавить выгрузку в 1С, готовы участвовать в тестировании.\n',
          button: 'Предложение',
          priority: 'Низкий',
          save: 'Открыть предложение',
          created: 'Предложение создано (низкий приоритет).',
          existing: 'Предложение из этого письма',
          listed: 'open-proposals',
        },
        {
          lang: 'en',
          kind: 'complaint',
          client: contactOf(`co.name = 'Initech LLC'`),
          subject: 'Login fails since the update',
          body: 'Hello,\nsince yesterday nobody in our team can sign in.\n',
          button: 'Complaint',
          priority: 'High',
          save: 'Open complaint',
          created: 'Complaint created (high priority).',
          existing: 'The complaint from this email',
          listed: 'open-complaints',
        },
      ];
      for (const c of cases) {
        const messageId = `<case-${c.lang}@e2e.example>`;
        const eml = buildEml({ from: c.client.email, fromName: c.client.full_name, subject: c.subject, messageId, body: c.body });
        const { page, context, errors } = await open(eml, c.lang);
        const card = page.getByTestId('client-card');
        await card.waitFor({ timeout: 120_000 });
        await eventually(() => card.getByTestId('credit-line').count(), 120_000).toBe(1);
        await page.getByRole('button', { name: c.button, exact: true }).click();
        const form = page.getByTestId('case-form');
        await eventually(() => form.locator('[name="caseDescription"]').inputValue()).toContain(c.body.split('\n')[1]!);
        expect(await form.locator('[name="caseSubject"]').inputValue()).toBe(c.subject);
        await form.locator('[name="casePriority"]').selectOption({ label: c.priority });
        expect(await axeViolations(page)).toEqual([]);
        await form.getByRole('button', { name: c.save }).click();
        await eventually(() => page.getByText(c.created).count()).toBe(1);
        // The card lists it at once, with its age.
        const listed = card.getByTestId(c.listed);
        await eventually(() => listed.getByText(c.subject, { exact: false }).count()).toBe(1);
        expect(await page.getByTestId('case-existing').getByRole('heading', { name: c.existing }).count()).toBe(1);
        // A second click opens the first case; nothing new is made.
        await page.getByRole('button', { name: c.button, exact: true }).click();
        await eventually(() => page.getByTestId('case-existing').count()).toBe(1);
        expect(await page.getByTestId('case-form').count()).toBe(0);
        expect(await axeViolations(page)).toEqual([]);
        await shot(page, `case-${c.lang}`);
        expect(errors).toEqual([]);
        await context.close();

        // The same email opened again later: still the first case.
        const again = await open(eml, c.lang);
        await again.page.getByTestId('client-card').getByTestId(c.listed).waitFor({ timeout: 120_000 });
        await again.page.getByRole('button', { name: c.button, exact: true }).click();
        await eventually(() => again.page.getByTestId('case-existing').getByText(c.subject, { exact: false }).count()).toBe(1);
        await again.context.close();

        const rows = api.sql<{ kind: string; priority: string; description: string; company_id: string }>(
          `SELECT kind, priority, description, company_id FROM cases WHERE source_message_id = ${sqlText(messageId)}`,
        );
        expect(rows).toHaveLength(1);
        expect(rows[0]).toMatchObject({ kind: c.kind, company_id: c.client.company_id });
        expect(rows[0]!.priority).toBe(c.priority === 'Низкий' ? 'low' : 'high');
        expect(rows[0]!.description.replace(/\r\n/g, '\n')).toBe(c.body.trim());
      }
    },
  );
});

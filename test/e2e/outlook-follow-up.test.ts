// A follow-up set from an email in the Outlook pane against the real API: a title taken from the
// subject (changed here), a due date and time and a note, linked to the client and the chosen
// deal; Today lists it with its client, opens it (client, deal, note) and opens its deal.
// Bulgarian, Russian and English; axe on the form and on the opened task in each.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, openPane, startApi, type Api } from './harness';
import { axeViolations, buildEml, eventually, shot, sqlText } from './outlook-helpers';

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

/** Today's date in the browser's time zone (the pane's "today"), as <input type="date"> wants it. */
const todayInput = () => {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
};

const FLOWS = [
  {
    lang: 'bg',
    company: 'Родопа Мебел ООД',
    subject: 'Мостри на платовете',
    body: 'Здравейте,\nкога ще изпратите мострите?\n',
    defaultTitle: 'Проследяване: Мостри на платовете',
    title: 'Обади се за мострите',
    note: 'Да потвърди адреса за доставка.',
    labels: { title: 'Заглавие', date: 'Дата за проследяване', time: 'Час', note: 'Бележка', deal: 'Свържи действията по-долу със' },
    set: 'Задай проследяване',
    today: 'Днес',
    openDeal: 'Отвори сделката',
    client: 'Клиент: ',
  },
  {
    lang: 'ru',
    company: 'АО «СеверСталь Сервис»',
    subject: 'Сроки поставки',
    body: 'Добрый день!\nПодскажите сроки поставки оборудования.\n',
    defaultTitle: 'Напоминание: Сроки поставки',
    title: 'Перезвонить по срокам',
    note: 'Уточнить склад отгрузки.',
    labels: { title: 'Заголовок', date: 'Дата напоминания', time: 'Время', note: 'Заметка', deal: 'Привязать действия ниже к' },
    set: 'Поставить напоминание',
    today: 'Сегодня',
    openDeal: 'Открыть сделку',
    client: 'Клиент: ',
  },
  {
    lang: 'en',
    company: 'Northwind Traders Ltd',
    subject: 'Training dates',
    body: 'Hi,\nwhich dates work for the training?\n',
    defaultTitle: 'Follow up: Training dates',
    title: 'Send the training dates',
    note: 'Two sessions, mornings only.',
    labels: { title: 'Title', date: 'Follow-up date', time: 'Time', note: 'Note', deal: 'Link the actions below to' },
    set: 'Set follow-up',
    today: 'Today',
    openDeal: 'Open deal',
    client: 'Client: ',
  },
] as const;

describe('a follow-up from an email', () => {
  for (const f of FLOWS)
    it(
      `${f.lang}: has a title, a due date and time and a note; Today lists it with its client and opens it`,
      { timeout: 300_000 },
      async () => {
        const [target] = api.sql<{ email: string; full_name: string; company_id: string; owner_id: string }>(
          `SELECT c.email_norm AS email, c.full_name, c.company_id, co.owner_id FROM contacts c JOIN companies co ON co.id = c.company_id
          WHERE co.name = ${sqlText(f.company)} AND c.email_norm IS NOT NULL ORDER BY c.id LIMIT 1`,
        );
        const [deal] = api.sql<{ id: string; title: string }>(
          `SELECT id, title FROM deals WHERE company_id = ${sqlText(target!.company_id)} AND stage IN ('new', 'qualified', 'proposal', 'negotiation')
          AND deleted_at IS NULL ORDER BY id LIMIT 1`,
        );
        const token = target!.owner_id === api.userIds.manager ? api.tokens.manager : api.tokens.manager2;
        const { page, context, errors } = await openPane(browser, api, 'outlook', {
          host: {
            language: f.lang,
            token,
            eml: buildEml({
              from: target!.email,
              fromName: target!.full_name,
              subject: f.subject,
              messageId: `<follow-up-${f.lang}@e2e.example>`,
              body: f.body,
            }),
          },
        });
        const form = page.getByTestId('follow-up');
        await form.waitFor({ timeout: 120_000 });
        await page.getByTestId('client-card').getByTestId('credit-line').waitFor({ timeout: 120_000 });
        expect(await form.getByLabel(f.labels.title, { exact: true }).inputValue()).toBe(f.defaultTitle);
        if (deal) await page.getByLabel(f.labels.deal, { exact: true }).selectOption(deal.id);
        await form.getByLabel(f.labels.title, { exact: true }).fill(f.title);
        await form.getByLabel(f.labels.date, { exact: true }).fill(todayInput());
        await form.getByLabel(f.labels.time, { exact: true }).fill('00:05');
        await form.getByLabel(f.labels.note, { exact: true }).fill(f.note);
        expect(await axeViolations(page)).toEqual([]);
        await form.getByRole('button', { name: f.set }).click();
        await eventually(() => form.getByRole('status').count()).toBe(1);
        const [task] = api.sql<{
          id: string;
          due_at: string;
          notes: string;
          company_id: string;
          deal_id: string | null;
          assignee_id: string;
        }>(`SELECT id, due_at, notes, company_id, deal_id, assignee_id FROM tasks WHERE title = ${sqlText(f.title)}`);
        expect(task).toMatchObject({ notes: f.note, company_id: target!.company_id, deal_id: deal?.id ?? null });
        // 00:05 on the browser's today, stored as the instant it is.
        const due = new Date(task!.due_at);
        const dueDay = `${due.getFullYear()}-${String(due.getMonth() + 1).padStart(2, '0')}-${String(due.getDate()).padStart(2, '0')}`;
        expect([dueDay, due.getHours(), due.getMinutes()]).toEqual([todayInput(), 0, 5]);

        await page.getByRole('tab', { name: f.today }).click();
        const row = page.locator(`li[data-task="${task!.id}"]`);
        await row.waitFor({ timeout: 60_000 });
        // The client, and the deal (whose demo titles begin with the client's name, said once).
        const expected = !deal ? f.company : deal.title.includes(f.company) ? deal.title : `${f.company} · ${deal.title}`;
        expect(await row.getByTestId('task-client').innerText()).toBe(expected);
        await row.getByRole('button', { name: f.title }).click();
        const details = row.getByTestId('task-details');
        await details.waitFor();
        expect(await details.innerText()).toContain(`${f.client}${f.company}`);
        expect(await details.innerText()).toContain(f.note);
        expect(await row.getByRole('button', { name: f.title }).getAttribute('aria-expanded')).toBe('true');
        expect(await axeViolations(page)).toEqual([]);
        await shot(page, `today-task-${f.lang}`);
        if (deal) {
          await details.getByRole('button', { name: f.openDeal }).click();
          const view = page.getByTestId('deal-view');
          await eventually(() => view.getByRole('heading', { name: deal.title }).count()).toBe(1);
        }
        expect(errors).toEqual([]);
        await context.close();
      },
    );
});

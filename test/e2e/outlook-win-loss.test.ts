// The weekly report's win/loss-by-competitor section, filled from the Outlook pane alone: an
// organisation with no records, three emails (Bulgarian, Russian, English) each made a deal with
// "Create deal", competitors added in the deal view with their prices, one deal won with its
// document package attached from the email's own attachments, two lost to a competitor with the
// reason. Only the report is read through the API.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isoWeekOf } from '../../shared/report/period';
import { launchBrowser, openPane, startApi, type Api } from './harness';
import { apiCall, axeViolations, buildEml, eventually, pdf, shot, sqlText } from './outlook-helpers';

let api: Api;
let browser: Browser;

beforeAll(async () => {
  // No demo records: whatever the report shows comes from the pane.
  api = await startApi({ seed: false });
  browser = await launchBrowser();
}, 600_000);

afterAll(async () => {
  await browser?.close();
  await api?.stop();
});

const open = (eml: string, language: string) => openPane(browser, api, 'outlook', { host: { language, token: api.tokens.manager, eml } });

async function competitorsSection(): Promise<unknown[][]> {
  const r = await apiCall(api, api.tokens.head, 'GET', `/reports/weekly?week=${isoWeekOf(new Date())}&format=json`);
  expect(r.status).toBe(200);
  const rows = (r.json.sections as Array<{ key: string; rows: unknown[][] }>).find((s) => s.key === 'competitors')!.rows;
  return [...rows].sort((a, b) => String(a[0]).localeCompare(String(b[0])));
}

/** Presses "Create deal" on the lead form and waits for the deal view that opens after it. */
async function createDeal(page: Page, button: string) {
  await page.getByRole('button', { name: button }).click({ timeout: 120_000 });
  await page.getByTestId('deal-view').getByTestId('deal-competitors').waitFor({ timeout: 60_000 });
}

const dealOf = (email: string) =>
  api.sql<{ id: string; stage: string; lost_reason: string | null; competitor: string | null }>(
    `SELECT d.id, d.stage, d.lost_reason, d.competitor FROM deals d JOIN leads l ON l.converted_deal_id = d.id WHERE l.email_norm = ${sqlText(email)}`,
  )[0];

describe('win/loss by competitor from pane actions alone', () => {
  it(
    'a Bulgarian deal lost to a new competitor, a Russian one won with its documents, an English one lost: the report counts each',
    { timeout: 600_000 },
    async () => {
      expect(await competitorsSection()).toEqual([]);

      // Bulgarian: the deal is lost to a competitor added in the deal view, with its price and the reason.
      const bg = await open(
        buildEml({
          from: 'petar.ivanov@stroyinvest-e2e.bg',
          fromName: 'Петър Иванов',
          subject: 'Запитване за 12 лиценза',
          messageId: '<winloss-bg@stroyinvest-e2e.bg>',
          body: 'Здравейте,\nинтересуваме се от 12 лиценза за търговския отдел. Моля за оферта.\n\nПоздрави,\nПетър Иванов\nТърговски директор\nСтройинвест ЕООД\nтел.: 0888 123 456\n',
        }),
        'bg',
      );
      await eventually(() => bg.page.locator('[name="companyName"]').inputValue()).toBe('Стройинвест ЕООД');
      await createDeal(bg.page, 'Създай сделка');
      const view = bg.page.getByTestId('deal-view');
      expect(await view.getByText('Създадени са запитване, клиент и сделка', { exact: false }).count()).toBe(1);
      expect(await axeViolations(bg.page)).toEqual([]);
      const competitors = view.getByTestId('deal-competitors');
      await competitors.getByLabel('Име на новия конкурент', { exact: true }).fill('Соларис Е2Е');
      await competitors.getByLabel('Тяхната цена', { exact: true }).fill('1 234,50');
      await competitors.getByRole('button', { name: 'Добави конкурент' }).click();
      await eventually(() => view.getByText('Соларис Е2Е е свързан със сделката.').count()).toBe(1);
      expect(await competitors.locator('li').first().innerText()).toMatch(/^Соларис Е2Е · 1\s?234,50\sлв\./);
      await view.getByLabel('Етап', { exact: true }).selectOption('lost');
      await view.getByRole('button', { name: 'Отбележи като загубена' }).click();
      // The reason is asked for, in Bulgarian, before anything is sent.
      await eventually(() => view.getByText('Посочете защо сделката е загубена.').count()).toBe(1);
      await view.getByLabel('Защо е загубена?').fill('Цена');
      await view.getByLabel('Загубена в полза на', { exact: true }).selectOption({ label: 'Соларис Е2Е' });
      await view.getByLabel('Тяхната цена', { exact: true }).first().fill('1100');
      expect(await axeViolations(bg.page)).toEqual([]);
      await view.getByRole('button', { name: 'Отбележи като загубена' }).click();
      await eventually(() => view.getByText('Сделката е загубена в полза на Соларис Е2Е.').count()).toBe(1);
      await shot(bg.page, 'deal-lost-bg');
      const lostBg = dealOf('petar.ivanov@stroyinvest-e2e.bg')!;
      expect(lostBg).toMatchObject({ stage: 'lost', lost_reason: 'Цена', competitor: 'Соларис Е2Е' });
      expect(
        api.sql(`SELECT price_minor, lost_to FROM deal_competitors WHERE deal_id = ${sqlText(lostBg.id)} AND deleted_at IS NULL`),
      ).toEqual([{ price_minor: 110000, lost_to: 1 }]);
      expect(bg.errors).toEqual([]);
      expect(await competitorsSection()).toEqual([['Соларис Е2Е', 0, 1]]);
      await bg.context.close();

      // Russian: won is refused while the package is missing, then won with the email's attachments filed.
      const files = ['kp.pdf', 'dogovor.pdf', 'vypiska.pdf', 'doverennost.pdf', 'specifikaciya.pdf'];
      const ru = await open(
        buildEml({
          from: 'a.volkov@uralmet-e2e.ru',
          fromName: 'Алексей Волков',
          subject: 'Договор на 30 лицензий',
          messageId: '<winloss-ru@uralmet-e2e.ru>',
          body: 'Добрый день!\nВо вложении подписанные документы по сделке на 30 лицензий.\n\nС уважением,\nАлексей Волков\nООО «УралМет»\nтел. +7 343 210-45-67\n',
          attachments: files.map(pdf),
        }),
        'ru',
      );
      await createDeal(ru.page, 'Создать сделку');
      const rview = ru.page.getByTestId('deal-view');
      const rcomp = rview.getByTestId('deal-competitors');
      await rcomp.getByLabel('Конкурент', { exact: true }).selectOption({ label: 'Соларис Е2Е' });
      await rcomp.getByLabel('Их цена', { exact: true }).fill('2000');
      await rcomp.getByRole('button', { name: 'Добавить конкурента' }).click();
      await eventually(() => rview.getByText('Соларис Е2Е привязан к сделке.').count()).toBe(1);
      await rview.getByLabel('Этап', { exact: true }).selectOption('won');
      await eventually(() => rview.getByTestId('won-needs').innerText()).toContain('Коммерческое предложение');
      await rview.getByRole('button', { name: 'Сохранить сделку' }).click();
      const refusal = rview.getByTestId('rule-bar');
      await eventually(() => refusal.count()).toBe(1);
      const refused = await refusal.innerText();
      expect(refused).toContain('Сделку пока нельзя отметить выигранной');
      for (const doc of ['Коммерческое предложение', 'Договор', 'Выписка из реестра', 'Доверенность', 'Спецификация'])
        expect(refused).toContain(`нет документа «${doc}»`);
      expect(await rview.getByText('попросите руководителя продаж', { exact: false }).count()).toBe(1);
      expect(await rview.getByTestId('override').count()).toBe(0);
      expect(await axeViolations(ru.page)).toEqual([]);
      await shot(ru.page, 'won-refused-ru');
      const slots = ['offer', 'contract', 'company_extract', 'power_of_attorney', 'specification'];
      for (const [i, slot] of slots.entries()) {
        const line = rview.locator(`[data-slot="${slot}"]`);
        await line.getByRole('combobox').selectOption({ label: files[i]! });
        await line.getByRole('button', { name: /^Прикрепить: / }).click();
        await eventually(() => rview.locator(`[data-slot="${slot}"] [data-testid="doc-filename"]`).innerText()).toBe(files[i]);
      }
      await rview.getByLabel('Этап', { exact: true }).selectOption('won');
      await eventually(() => rview.getByTestId('won-needs').innerText()).toContain('Все документы');
      await rview.getByRole('button', { name: 'Сохранить сделку' }).click();
      await eventually(() => rview.getByText('Сделка сохранена.').count()).toBe(1);
      const wonRu = dealOf('a.volkov@uralmet-e2e.ru')!;
      expect(wonRu.stage).toBe('won');
      expect(
        api.sql<{ slot: string; status: string; filename: string }>(
          `SELECT slot, status, filename FROM deal_documents WHERE deal_id = ${sqlText(wonRu.id)} ORDER BY slot`,
        ),
      ).toEqual(slots.map((slot, i) => ({ slot, status: 'received', filename: files[i] })).sort((a, b) => a.slot.localeCompare(b.slot)));
      // Won without an override: nothing in the audit log says otherwise.
      expect(api.sql(`SELECT id FROM audit_log WHERE action = 'override' AND entity_id = ${sqlText(wonRu.id)}`)).toEqual([]);
      expect(ru.errors).toEqual([]);
      await ru.context.close();

      // English: lost to a competitor named only now, from the "lost to" list.
      const en = await open(
        buildEml({
          from: 'emily.watson@northwind-e2e.co.uk',
          fromName: 'Emily Watson',
          subject: 'Licences for the Manchester team',
          messageId: '<winloss-en@northwind-e2e.co.uk>',
          body: 'Hello,\nwe would like a quote for 8 licences.\n\nKind regards,\nEmily Watson\nHead of Procurement\nNorthwind Traders Ltd\n',
        }),
        'en',
      );
      await createDeal(en.page, 'Create deal');
      const eview = en.page.getByTestId('deal-view');
      await eview.getByLabel('Stage', { exact: true }).selectOption('lost');
      await eview.getByLabel('Why was it lost?').fill('Timing');
      await eview.getByLabel('Lost to', { exact: true }).selectOption({ label: 'New competitor…' });
      await eview.getByLabel('Name of the new competitor', { exact: true }).first().fill('Rival Ltd E2E');
      expect(await axeViolations(en.page)).toEqual([]);
      await eview.getByRole('button', { name: 'Mark lost' }).click();
      await eventually(() => eview.getByText('The deal is lost to Rival Ltd E2E.').count()).toBe(1);
      expect(en.errors).toEqual([]);
      await shot(en.page, 'deal-lost-en');
      await en.context.close();

      expect(await competitorsSection()).toEqual([
        ['Rival Ltd E2E', 0, 1],
        ['Соларис Е2Е', 1, 1],
      ]);
    },
  );
});

// The company-identifier field is named for the user's country and the sender's: a Bulgarian ЕИК,
// a Russian ИНН, a UK company number, with the country said when it is not the user's own. The
// lead form of unknown senders and the client card of a known one, in Bulgarian, Russian and
// English; axe on each form.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, openPane, startApi, type Api } from './harness';
import { axeViolations, buildEml, eventually } from './outlook-helpers';

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

const eikLabel = (page: Page) => page.locator('[data-field="eik"] label').innerText();

const CASES = [
  {
    name: 'a Bulgarian user and a Bulgarian sender: ЕИК',
    language: 'bg',
    from: 'r.encheva@stroymat-labels-e2e.bg',
    fromName: 'Радослава Енчева',
    body: 'Здравейте,\nмоля за оферта за 40 лиценза.\n\nПоздрави,\nРадослава Енчева\nСтроймат Груп ООД\nЕИК 204512306\n',
    value: '204512306',
    label: 'ЕИК',
  },
  {
    name: 'a Russian user and a Russian sender: ИНН, never ЕИК',
    language: 'ru',
    from: 'o.semenov@teploset-labels-e2e.ru',
    fromName: 'Олег Семенов',
    body: 'Добрый день!\nНужны два котла по 2 МВт.\n\nС уважением,\nОлег Семенов\nООО «ТеплоСеть»\nИНН 7707083893\n',
    value: '7707083893',
    label: 'ИНН',
  },
  {
    name: 'a British user and a British sender: Company number',
    language: 'en-GB',
    from: 'emily.watson@northwind-labels-e2e.co.uk',
    fromName: 'Emily Watson',
    body: 'Hello,\nplease send a quote for 8 licences.\n\nKind regards,\nEmily Watson\nNorthwind Traders Ltd\n',
    value: '',
    label: 'Company number',
  },
  {
    name: 'a Bulgarian user and a Russian sender: ИНН, with the country',
    language: 'bg',
    from: 'a.kuznetsov@vector-labels-e2e.ru',
    fromName: 'Алексей Кузнецов',
    body: 'Здравствуйте!\nИнтересует внедрение CRM.\n\nАлексей Кузнецов\nООО «Вектор»\nИНН 7707083893\n',
    value: '7707083893',
    label: 'ИНН (Русия)',
  },
  {
    name: 'a Russian user and a Bulgarian sender: ЕИК, with the country',
    language: 'ru',
    from: 'g.ivanov@acme-labels-e2e.bg',
    fromName: 'Георги Иванов',
    body: 'Здравейте,\nинтересуваме се от годишен абонамент.\n\nГеорги Иванов\nАкме Лейбълс ЕООД\nЕИК 204512306\n',
    value: '204512306',
    label: 'ЕИК (Болгария)',
  },
  {
    name: 'an English user without a country and a Bulgarian sender: EIK with the country',
    language: 'en',
    from: 'ivana@rodopa-labels-e2e.bg',
    fromName: 'Ivana Georgieva',
    body: 'Hello,\nwe need 4 sewing machines.\n\nIvana Georgieva\nRodopa Labels Ltd\nEIK 204512306\n',
    value: '204512306',
    label: 'EIK, Bulgaria',
  },
] as const;

describe('the company identifier is named for the country', () => {
  for (const [i, c] of CASES.entries())
    it(`in the lead form, ${c.name}`, { timeout: 240_000 }, async () => {
      const { page, context, errors } = await openPane(browser, api, 'outlook', {
        host: {
          language: c.language,
          token: api.tokens.manager,
          eml: buildEml({
            from: c.from,
            fromName: c.fromName,
            subject: 'Запитване / Request',
            messageId: `<labels-${i}@e2e.example>`,
            body: c.body,
          }),
        },
      });
      await page.getByTestId('lead-form').waitFor({ timeout: 120_000 });
      await eventually(() => page.locator('[name="eik"]').inputValue()).toBe(c.value);
      await eventually(() => eikLabel(page)).toBe(c.label);
      expect(await axeViolations(page)).toEqual([]);
      expect(errors).toEqual([]);
      await context.close();
    });

  it('a typed identifier renames the field by its check digits', { timeout: 240_000 }, async () => {
    const { page, context } = await openPane(browser, api, 'outlook', {
      host: {
        language: 'bg',
        token: api.tokens.manager,
        eml: buildEml({
          from: 'someone@gmail.com',
          fromName: 'Някой',
          subject: 'Въпрос',
          messageId: '<labels-typed@e2e.example>',
          body: 'Здравейте!\n',
        }),
      },
    });
    await page.getByTestId('lead-form').waitFor({ timeout: 120_000 });
    await eventually(() => eikLabel(page)).toBe('ЕИК');
    await page.locator('[name="eik"]').fill('7707083893');
    expect(await eikLabel(page)).toBe('ИНН (Русия)');
    await context.close();
  });

  it(
    'on the client card: a Bulgarian client’s ЕИК for a Russian user names Bulgaria, for a Bulgarian user it does not',
    { timeout: 240_000 },
    async () => {
      const [acme] = api.sql<{ email: string; full_name: string }>(
        `SELECT c.email_norm AS email, c.full_name FROM contacts c JOIN companies co ON co.id = c.company_id
        WHERE co.eik = '831642181' AND c.email_norm IS NOT NULL ORDER BY c.id LIMIT 1`,
      );
      for (const [language, expected] of [
        ['ru', 'ЕИК (Болгария): 831642181'],
        ['bg', 'ЕИК: 831642181'],
        ['en', 'EIK, Bulgaria: 831642181'],
      ] as const) {
        const { page, context } = await openPane(browser, api, 'outlook', {
          host: {
            language,
            token: api.tokens.manager,
            eml: buildEml({
              from: acme!.email,
              fromName: acme!.full_name,
              subject: 'Hello',
              messageId: `<labels-card-${language}@e2e.example>`,
              body: 'Hi\n',
            }),
          },
        });
        await eventually(() => page.getByTestId('company-identifier').count(), 120_000).toBe(1);
        expect(await page.getByTestId('company-identifier').innerText()).toBe(expected);
        expect(await axeViolations(page)).toEqual([]);
        await context.close();
      }
    },
  );
});

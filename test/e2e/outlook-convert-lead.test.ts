// A lead converted from the Outlook pane against the real API: the sender is known as a lead, the
// pane shows first what Leadpane already holds (a company matched on its ЕИК, a contact on its
// phone), converts into the chosen company, contact and a deal, and opens the deal. Bulgarian,
// Russian and English; axe on the conversion form in each.
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

const open = (eml: string, language: string) => openPane(browser, api, 'outlook', { host: { language, token: api.tokens.manager, eml } });

async function lead(body: Record<string, unknown>): Promise<string> {
  const res = await apiCall(api, api.tokens.manager, 'POST', '/leads', { source: 'email', ...body });
  expect(res.status).toBe(201);
  return res.json.id;
}

const converted = (id: string) =>
  api.sql<{ status: string; converted_company_id: string; converted_contact_id: string; converted_deal_id: string }>(
    `SELECT status, converted_company_id, converted_contact_id, converted_deal_id FROM leads WHERE id = ${sqlText(id)}`,
  )[0]!;

describe('converting a lead from the Outlook pane', () => {
  it('Bulgarian: the company matched on its ЕИК is shown first and chosen, and the deal opens', { timeout: 300_000 }, async () => {
    const [acme] = api.sql<{ id: string }>(`SELECT id FROM companies WHERE eik = '831642181'`);
    const id = await lead({
      fullName: 'Стоян Петров',
      email: 's.petrov@novfirma-e2e.bg',
      companyName: 'Акме Трейд',
      eik: '831642181',
      phone: '+359 87 700 1234',
    });
    const { page, context, errors } = await open(
      buildEml({
        from: 's.petrov@novfirma-e2e.bg',
        fromName: 'Стоян Петров',
        subject: 'Поръчка на 20 лиценза',
        messageId: '<convert-bg@novfirma-e2e.bg>',
        body: 'Здравейте,\nпотвърждаваме поръчката на 20 лиценза.\n',
      }),
      'bg',
    );
    await page.getByRole('button', { name: 'Превърни в клиент и сделка' }).click({ timeout: 120_000 });
    const form = page.getByTestId('convert-lead');
    await eventually(() => form.getByTestId('convert-intro').count()).toBe(1);
    expect(await form.getByTestId('lead-identifier').innerText()).toBe('ЕИК: 831642181');
    const existing = form.getByRole('radio', { name: /^Акме Трейд ЕООД \(вече в Leadpane, съвпадение по .*ЕИК/ });
    expect(await existing.isChecked()).toBe(true);
    expect(await form.getByRole('radio', { name: 'Нова фирма: Акме Трейд' }).isChecked()).toBe(false);
    expect(await form.getByLabel('Име на сделката', { exact: true }).inputValue()).toBe('Поръчка на 20 лиценза');
    await form.getByLabel('Сума', { exact: true }).fill('4 800');
    expect(await axeViolations(page)).toEqual([]);
    await shot(page, 'convert-bg');
    await form.getByRole('button', { name: 'Превърни', exact: true }).click();
    const view = page.getByTestId('deal-view');
    await eventually(() => view.getByText('Акме Трейд ЕООД вече е клиент, със сделка.').count()).toBe(1);
    expect(await view.getByRole('heading', { name: 'Поръчка на 20 лиценза' }).count()).toBe(1);
    const after = converted(id);
    expect(after).toMatchObject({ status: 'converted', converted_company_id: acme!.id });
    expect(api.sql(`SELECT amount_minor, company_id FROM deals WHERE id = ${sqlText(after.converted_deal_id)}`)).toEqual([
      { amount_minor: 480_000, company_id: acme!.id },
    ]);
    expect(api.sql(`SELECT count(*) AS n FROM companies WHERE eik = '831642181' AND deleted_at IS NULL`)).toEqual([{ n: 1 }]);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('Russian: nothing matches, so the company is made from the lead with its ИНН', { timeout: 300_000 }, async () => {
    const id = await lead({
      fullName: 'Олег Семенов',
      email: 'o.semenov@vologda-ts-e2e.ru',
      companyName: 'ООО «ВологдаТеплоСеть»',
      eik: '7707083893',
    });
    const { page, context, errors } = await open(
      buildEml({
        from: 'o.semenov@vologda-ts-e2e.ru',
        fromName: 'Олег Семенов',
        subject: 'Два котла по 2 МВт',
        messageId: '<convert-ru@vologda-ts-e2e.ru>',
        body: 'Добрый день!\nГотовы заключить договор на поставку.\n',
      }),
      'ru',
    );
    await page.getByRole('button', { name: 'Конвертировать в клиента и сделку' }).click({ timeout: 120_000 });
    const form = page.getByTestId('convert-lead');
    await eventually(() => form.getByTestId('convert-intro').innerText()).toBe(
      'В Leadpane нет совпадений с лидом: из него будут созданы новый клиент и контакт.',
    );
    expect(await form.getByTestId('lead-identifier').innerText()).toBe('ИНН: 7707083893');
    expect(await form.getByRole('radio', { name: 'Новая компания: ООО «ВологдаТеплоСеть»' }).isChecked()).toBe(true);
    expect(await axeViolations(page)).toEqual([]);
    await form.getByRole('button', { name: 'Конвертировать', exact: true }).click();
    await eventually(() => page.getByTestId('deal-view').getByText('ООО «ВологдаТеплоСеть» теперь клиент, со сделкой.').count()).toBe(1);
    const after = converted(id);
    expect(after.status).toBe('converted');
    expect(api.sql(`SELECT name, eik FROM companies WHERE id = ${sqlText(after.converted_company_id)}`)).toEqual([
      { name: 'ООО «ВологдаТеплоСеть»', eik: '7707083893' },
    ]);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('English: a contact matched on the phone is reused, while the company is a new one', { timeout: 300_000 }, async () => {
    const [known] = api.sql<{ id: string; phone: string; full_name: string }>(
      `SELECT c.id, c.phone_e164 AS phone, c.full_name FROM contacts c JOIN companies co ON co.id = c.company_id
        WHERE co.name = 'Contoso Inc' AND c.phone_e164 IS NOT NULL ORDER BY c.id LIMIT 1`,
    );
    const id = await lead({
      fullName: known!.full_name,
      email: 'new.address@umbrella-trading-e2e.co.uk',
      companyName: 'Umbrella Trading Ltd',
      phone: known!.phone,
    });
    const { page, context, errors } = await open(
      buildEml({
        from: 'new.address@umbrella-trading-e2e.co.uk',
        fromName: known!.full_name,
        subject: 'New company, same team',
        messageId: '<convert-en@umbrella-trading-e2e.co.uk>',
        body: 'Hello,\nI moved to Umbrella Trading; we want the same setup.\n',
      }),
      'en',
    );
    await page.getByRole('button', { name: 'Convert to client and deal' }).click({ timeout: 120_000 });
    const form = page.getByTestId('convert-lead');
    await eventually(() => form.getByTestId('convert-intro').count()).toBe(1);
    const contact = form.getByRole('radio', {
      name: new RegExp(`^${known!.full_name} · Contoso Inc \\(already in Leadpane, matched on .*phone`),
    });
    expect(await contact.isChecked()).toBe(true);
    await form.getByRole('radio', { name: 'New company: Umbrella Trading Ltd' }).check();
    expect(await axeViolations(page)).toEqual([]);
    await form.getByRole('button', { name: 'Convert', exact: true }).click();
    await eventually(() => page.getByTestId('deal-view').count()).toBe(1);
    const after = converted(id);
    expect(after.converted_contact_id).toBe(known!.id);
    expect(api.sql(`SELECT name FROM companies WHERE id = ${sqlText(after.converted_company_id)}`)).toEqual([
      { name: 'Umbrella Trading Ltd' },
    ]);
    expect(api.sql(`SELECT count(*) AS n FROM contacts WHERE phone_e164 = ${sqlText(known!.phone)} AND deleted_at IS NULL`)).toEqual([
      { n: 1 },
    ]);
    expect(errors).toEqual([]);
    await context.close();
  });
});

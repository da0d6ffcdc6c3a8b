// The deal view in the Outlook pane against the real API, reached from the client card: amount,
// close date and next step saved; "won" refused while the package is missing, each document named
// in the user's language; a document filled from the open email's attachment and approved, another
// marked requested; a head of sales overriding with a reason (audited); a colleague's deal shown
// read-only with the rule said up front. Bulgarian, Russian and English; axe on each.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, openPane, startApi, type Api } from './harness';
import { axeViolations, buildEml, eventually, pdf, shot, sqlText } from './outlook-helpers';

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

interface Target {
  email: string;
  full_name: string;
  deal_id: string;
  title: string;
}

/** The n-th open deal of `owner` without documents, whose client has a contact and no other open deal of the same title. */
function openDealOf(owner: string, n: number): Target {
  const rows = api.sql<Target>(
    `SELECT c.email_norm AS email, c.full_name, d.id AS deal_id, d.title FROM deals d
       JOIN contacts c ON c.company_id = d.company_id AND c.org_id = d.org_id
      WHERE d.owner_id = ${sqlText(owner)} AND d.stage IN ('new', 'qualified', 'proposal', 'negotiation') AND d.deleted_at IS NULL
        AND c.email_norm IS NOT NULL AND c.deleted_at IS NULL
        AND NOT EXISTS (SELECT 1 FROM deal_documents x WHERE x.deal_id = d.id)
        AND (SELECT count(*) FROM deals d2 WHERE d2.company_id = d.company_id AND d2.title = d.title AND d2.deleted_at IS NULL
               AND d2.stage IN ('new', 'qualified', 'proposal', 'negotiation')) = 1
      GROUP BY d.id ORDER BY d.id`,
  );
  const row = rows[n];
  if (!row) throw new Error(`the demo seed has fewer than ${n + 1} such deals`);
  return row;
}

const deal = (id: string) =>
  api.sql<{ stage: string; amount_minor: number; expected_close: string | null; next_step: string | null; version: number }>(
    `SELECT stage, amount_minor, expected_close, next_step, version FROM deals WHERE id = ${sqlText(id)}`,
  )[0]!;

describe('the deal view', () => {
  it(
    'Bulgarian: a manager saves the terms, is told which documents won needs, files one from the email and approves it',
    { timeout: 400_000 },
    async () => {
      const target = openDealOf(api.userIds.manager, 0);
      const { page, context, errors } = await open(
        buildEml({
          from: target.email,
          fromName: target.full_name,
          subject: 'Оферта за лицензите',
          messageId: '<deal-view-bg@e2e.example>',
          body: 'Здравейте,\nприлагам подписаната оферта.\n',
          attachments: [pdf('oferta-podpisana.pdf')],
        }),
        'bg',
      );
      await page.getByRole('button', { name: `Отвори сделката ${target.title}` }).click({ timeout: 120_000 });
      const view = page.getByTestId('deal-view');
      await view.getByTestId('deal-documents').waitFor({ timeout: 60_000 });
      expect(await view.getByRole('heading', { name: target.title }).count()).toBe(1);
      expect(await axeViolations(page)).toEqual([]);

      await view.getByLabel('Сума', { exact: true }).fill('12 500,00');
      await view.getByLabel('Очаквано приключване', { exact: true }).fill('2026-12-18');
      await view.getByLabel('Следваща стъпка', { exact: true }).fill('Среща в понеделник');
      await view.getByRole('button', { name: 'Запази сделката' }).click();
      await eventually(() => view.getByText('Сделката е записана.').count()).toBe(1);
      expect(deal(target.deal_id)).toMatchObject({
        amount_minor: 1_250_000,
        expected_close: '2026-12-18',
        next_step: 'Среща в понеделник',
      });

      await view.getByLabel('Етап', { exact: true }).selectOption('won');
      const needs = await view.getByTestId('won-needs').innerText();
      for (const doc of ['Оферта', 'Договор', 'Справка от Търговския регистър', 'Пълномощно', 'Спецификация']) expect(needs).toContain(doc);
      await view.getByRole('button', { name: 'Запази сделката' }).click();
      const refusal = view.getByTestId('rule-bar');
      await eventually(() => refusal.count()).toBe(1);
      expect(await refusal.innerText()).toContain('Сделката още не може да бъде отбелязана като спечелена: липсва Оферта; липсва Договор');
      // A manager is told who can override; the override itself is a head's.
      expect(await view.getByText('помолете ръководител продажби', { exact: false }).count()).toBe(1);
      expect(await view.getByTestId('override').count()).toBe(0);
      expect(deal(target.deal_id).stage).not.toBe('won');
      expect(await axeViolations(page)).toEqual([]);
      await shot(page, 'deal-refused-bg');

      const offer = view.locator('[data-slot="offer"]');
      await offer.getByRole('button', { name: 'Приложи: Оферта' }).click();
      await eventually(() => view.locator('[data-slot="offer"] [data-testid="doc-filename"]').innerText()).toBe('oferta-podpisana.pdf');
      await view.locator('[data-slot="offer"]').getByRole('button', { name: 'Одобри: Оферта' }).click();
      await eventually(() => view.getByText('Документът „Оферта“ е одобрен.').count()).toBe(1);
      await view.locator('[data-slot="contract"]').getByRole('button', { name: 'Отбележи като поискан: Договор' }).click();
      await eventually(() => view.getByText('Документът „Договор“ е отбелязан като поискан.').count()).toBe(1);
      expect(api.sql(`SELECT slot, status, filename FROM deal_documents WHERE deal_id = ${sqlText(target.deal_id)} ORDER BY slot`)).toEqual(
        [
          { slot: 'contract', status: 'requested', filename: null },
          { slot: 'offer', status: 'approved', filename: 'oferta-podpisana.pdf' },
        ],
      );
      // Won again: the offer is no longer named, the contract is asked for as requested.
      await view.getByLabel('Етап', { exact: true }).selectOption('won');
      await view.getByRole('button', { name: 'Запази сделката' }).click();
      await eventually(() => view.getByTestId('rule-bar').innerText()).toContain('документът „Договор“ е поискан, но не е получен');
      expect(await view.getByTestId('rule-bar').innerText()).not.toContain('липсва Оферта');
      expect(await axeViolations(page)).toEqual([]);
      expect(errors).toEqual([]);
      await context.close();
    },
  );

  it(
    'Russian: a head of sales marks a deal won without its documents, giving the reason the audit log keeps',
    { timeout: 400_000 },
    async () => {
      const target = openDealOf(api.userIds.manager, 1);
      const { page, context, errors } = await open(
        buildEml({
          from: target.email,
          fromName: target.full_name,
          subject: 'Подписали договор',
          messageId: '<deal-view-ru@e2e.example>',
          body: 'Добрый день!\nДоговор подписан на бумаге, оригиналы у юриста.\n',
        }),
        'ru',
        api.tokens.head,
      );
      await page.getByRole('button', { name: `Открыть сделку ${target.title}` }).click({ timeout: 120_000 });
      const view = page.getByTestId('deal-view');
      await view.getByTestId('deal-documents').waitFor({ timeout: 60_000 });
      await view.getByLabel('Этап', { exact: true }).selectOption('won');
      await view.getByRole('button', { name: 'Сохранить сделку' }).click();
      await eventually(() => view.getByTestId('rule-bar').innerText()).toContain('Сделку пока нельзя отметить выигранной');
      const override = view.getByTestId('override');
      await override.waitFor();
      expect(await axeViolations(page)).toEqual([]);
      await override.getByRole('button', { name: 'Отметить выигранной с этой причиной' }).click();
      await eventually(() => override.getByText('Укажите причину.').count()).toBe(1);
      expect(deal(target.deal_id).stage).not.toBe('won');
      await override.getByLabel('Всё равно отметить выигранной: причина').fill('Оригиналы договора у юриста, сканы придут завтра');
      await override.getByRole('button', { name: 'Отметить выигранной с этой причиной' }).click();
      await eventually(() => view.getByText('Сделка выиграна; исключение и его причина записаны в журнал аудита.').count()).toBe(1);
      expect(deal(target.deal_id).stage).toBe('won');
      const [audit] = api.sql<{ details: string; user_id: string }>(
        `SELECT details, user_id FROM audit_log WHERE action = 'override' AND entity_id = ${sqlText(target.deal_id)}`,
      );
      expect(audit!.user_id).toBe(api.userIds.head);
      expect(JSON.parse(audit!.details)).toMatchObject({
        rule: 'documents_required_to_win',
        reason: 'Оригиналы договора у юриста, сканы придут завтра',
        missing: expect.arrayContaining(['offer', 'contract']),
      });
      expect(await axeViolations(page)).toEqual([]);
      await shot(page, 'deal-override-ru');
      expect(errors).toEqual([]);
      await context.close();
    },
  );

  it("English: a colleague's deal opens read-only, with the rule said up front", { timeout: 300_000 }, async () => {
    const target = openDealOf(api.userIds.manager2, 0);
    const before = deal(target.deal_id);
    const { page, context, errors } = await open(
      buildEml({
        from: target.email,
        fromName: target.full_name,
        subject: 'Question about the quote',
        messageId: '<deal-view-en@e2e.example>',
        body: 'Hello,\ncould you confirm the delivery date?\n',
      }),
      'en',
    );
    await page.getByRole('button', { name: `Open the deal ${target.title}` }).click({ timeout: 120_000 });
    const view = page.getByTestId('deal-view');
    await view.getByTestId('deal-documents').waitFor({ timeout: 60_000 });
    expect(await view.getByTestId('deal-read-only').innerText()).toContain(
      "This is a colleague's deal: managers change only their own leads and deals. Ask its owner or a head of sales.",
    );
    expect(await view.getByRole('button', { name: 'Save deal' }).isDisabled()).toBe(true);
    expect(await view.getByLabel('Stage', { exact: true }).isDisabled()).toBe(true);
    expect(await view.getByRole('button', { name: 'Add competitor' }).count()).toBe(0);
    expect(await axeViolations(page)).toEqual([]);
    await view.getByRole('button', { name: 'Back' }).click();
    await page.getByTestId('client-card').waitFor();
    expect(deal(target.deal_id).version).toBe(before.version);
    expect(errors).toEqual([]);
    await context.close();
  });
});

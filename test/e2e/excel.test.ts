// The Excel pane against the real API (wrangler dev + local D1 with the demo organisation) in
// Chromium, on a scripted workbook: import from a Bulgarian sheet, pipeline pull/sync with a
// conflict, and the weekly report sheet with its charts.
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WorkbookSnapshot } from '../../addin/office/excel-browser';
import { launchBrowser, openPane, RESULTS, startApi, workbookState, type Api } from './harness';

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

const shot = (page: Page, name: string) => page.screenshot({ path: join(RESULTS, `excel-${name}.png`), fullPage: true });
/** Presses Import (Bulgarian UI) and waits for the pane to say it is done. */
async function importAndWait(page: Page) {
  await page.getByRole('button', { name: 'Внеси' }).click();
  await expect
    .poll(
      () =>
        page
          .getByTestId('import-done')
          .innerText()
          .catch(() => ''),
      { timeout: 90_000 },
    )
    .toContain('Готово');
}
const sheetOf = async (page: Page, name: string) => (await workbookState<WorkbookSnapshot>(page)).sheets.find((s) => s.name === name);

describe('the Excel pane on the real API', () => {
  it(
    'imports a Bulgarian sheet: mapping shown, dry run finds the bad email, rows land in D1 and results in the sheet',
    { timeout: 240_000 },
    async () => {
      const tag = `e2e${Date.now().toString(36)}`;
      const rows = [
        ['Списък с клиенти от изложението', '', '', '', '', ''],
        ['', '', '', '', '', ''],
        ['Име', 'Фирма', 'E-mail адрес', 'GSM', 'Етап', 'Сума'],
        ['Петър Иванов', 'Алфа ООД', `petar@${tag}.bg`, '0888 123 456', 'нова', '1 200,50'],
        ['Мария Георгиева', 'Бета АД', 'maria(at)beta', '0899 765 432', 'оферта', '3 400'],
        ['Георги Стоянов', 'Гама ЕООД', `georgi@${tag}.bg`, '+359 2 987 6543', 'нова', '500'],
      ];
      const { page, errors, foreign } = await openPane(browser, api, 'excel', {
        host: { language: 'bg-BG', token: api.tokens.manager, workbook: { sheets: { Клиенти: rows, Бележки: [['не пипай']] } } },
      });
      // The first pane load on a busy machine compiles its chunks: give it time, and say what the pane showed if it never comes.
      await page
        .getByRole('button', { name: 'Прочети редовете' })
        .click({ timeout: 120_000 })
        .catch(async (err: unknown) => {
          await shot(page, 'import-not-ready');
          throw new Error(
            `${String(err)}\nThe pane showed: ${(await page.locator('body').innerText()).slice(0, 500)}\nPage errors: ${errors.join('; ')}`,
          );
        });
      const mapping = page.getByTestId('import-mapping');
      // Each column's field picker shows what the header was mapped to.
      const picked = (header: string) => mapping.getByRole('combobox', { name: header, exact: true }).inputValue();
      await expect.poll(() => picked('E-mail адрес'), { timeout: 30_000 }).toBe('email');
      expect(await page.getByTestId('import-header').innerText()).toContain('ред 3');
      expect(await picked('Фирма')).toBe('company');

      await page.getByRole('button', { name: 'Пробна проверка' }).click();
      const dry = page.getByTestId('import-dry');
      await expect.poll(() => dry.innerText().catch(() => ''), { timeout: 60_000 }).toContain('невалиден имейл адрес');
      expect(await dry.innerText()).toContain('Ред 5');
      expect(api.sql<{ n: number }>(`SELECT count(*) AS n FROM leads WHERE email_norm LIKE '%@${tag}.bg'`)[0]!.n).toBe(0);
      await shot(page, 'import-dry-run');

      await importAndWait(page);
      await shot(page, 'import-done');

      const inDb = api.sql<{ id: string; full_name: string; phone_e164: string }>(
        `SELECT id, full_name, phone_e164 FROM leads WHERE email_norm LIKE '%@${tag}.bg' ORDER BY full_name`,
      );
      expect(inDb.map((r) => r.full_name)).toEqual(['Георги Стоянов', 'Петър Иванов']);
      const sheet = (await sheetOf(page, 'Клиенти'))!;
      expect(sheet.values[2]!.slice(6, 8)).toEqual(['Leadpane status', 'Leadpane id']);
      expect(sheet.values[3]![6]).toBe('създаден');
      expect(sheet.values[3]![7]).toBe(inDb.find((r) => r.full_name === 'Петър Иванов')!.id);
      expect(String(sheet.values[4]![6])).toMatch(/^грешка: .*невалиден имейл адрес/);
      expect(sheet.values[4]![7]).toBe('');
      expect(sheet.hiddenColumns).toEqual([7]);
      // The user's own cells are untouched.
      expect(sheet.values.slice(0, 6).map((r) => r.slice(0, 6))).toEqual(rows);
      expect((await sheetOf(page, 'Бележки'))!.values).toEqual([['не пипай']]);
      expect(errors).toEqual([]);
      expect(foreign).toEqual([]);
    },
  );
  it(
    "imports the accounting sheet as a client's invoices: the pane sees it is one, unknown clients are named, the rest are saved to their client",
    { timeout: 240_000 },
    async () => {
      const tag = `F${Date.now().toString(36).toUpperCase()}`;
      const acme = api.sql<{ id: string }>("SELECT id FROM companies WHERE eik = '831642181' AND deleted_at IS NULL")[0]!.id;
      const rows = [
        ['Фактура №', 'Дата', 'Клиент', 'ЕИК', 'Сума', 'Падеж', 'Платена на'],
        [`${tag}-1`, '02.03.2026', 'Акме Трейд', '831642181', '1 200,50', '16.03.2026', '20.05.2026'],
        [`${tag}-2`, '05.03.2026', 'Акме Трейд', '831642181', '300', '19.03.2026', ''],
        [`${tag}-3`, '05.03.2026', 'Непозната Фирма ООД', '', '300', '19.03.2026', ''],
      ];
      const { page, errors, foreign } = await openPane(browser, api, 'excel', {
        host: { language: 'bg-BG', token: api.tokens.manager, workbook: { sheets: { Вземания: rows } } },
      });
      await page.getByRole('button', { name: 'Прочети редовете' }).click({ timeout: 120_000 });
      const mapping = page.getByTestId('import-mapping');
      const picked = (header: string) => mapping.getByRole('combobox', { name: header, exact: true }).inputValue();
      await expect.poll(() => picked('Падеж'), { timeout: 30_000 }).toBe('dueOn');
      expect(await picked('Фактура №')).toBe('invoiceNo');
      expect(await picked('Платена на')).toBe('paidOn');
      expect(await page.getByRole('radio', { name: 'Фактури и плащания' }).isChecked()).toBe(true);
      await page.getByRole('combobox', { name: 'Валута на сумите без посочена валута' }).selectOption('EUR');
      await importAndWait(page);
      await shot(page, 'import-payments');
      const sheet = (await sheetOf(page, 'Вземания'))!;
      expect(sheet.values.slice(1).map((r) => String(r[7]))).toEqual([
        'създаден',
        'създаден',
        expect.stringMatching(/^грешка: Клиент: няма такъв клиент/),
      ]);
      const saved = api.sql<{ invoice_no: string; company_id: string; amount_minor: number; currency: string; paid_on: string | null }>(
        `SELECT invoice_no, company_id, amount_minor, currency, paid_on FROM payments WHERE invoice_no LIKE '${tag}-%' ORDER BY invoice_no`,
      );
      expect(saved).toEqual([
        { invoice_no: `${tag}-1`, company_id: acme, amount_minor: 120_050, currency: 'EUR', paid_on: '2026-05-20' },
        { invoice_no: `${tag}-2`, company_id: acme, amount_minor: 30_000, currency: 'EUR', paid_on: null },
      ]);
      expect(errors).toEqual([]);
      expect(foreign).toEqual([]);
    },
  );
  it(
    'pulls the pipeline, and a sync after a colleague changed the same deal shows both values and overwrites nothing',
    { timeout: 240_000 },
    async () => {
      const { page, errors } = await openPane(browser, api, 'excel', {
        host: { language: 'en-US', token: api.tokens.manager, workbook: { sheets: { Sheet1: [['']] } } },
      });
      await page.getByRole('tab', { name: 'Pipeline' }).click({ timeout: 60_000 });
      await page.getByRole('button', { name: 'Pull pipeline' }).click({ timeout: 60_000 });
      await expect
        .poll(
          () =>
            page
              .getByTestId('pipeline-status')
              .innerText()
              .catch(() => ''),
          { timeout: 60_000 },
        )
        .toContain('The pipeline is on the sheet');
      const pulled = (await sheetOf(page, 'Pipeline'))!;
      expect(pulled.values[0]!.slice(0, 8)).toEqual([
        'Title',
        'Company',
        'Stage',
        'Amount',
        'Currency',
        'Expected close',
        'Next step',
        'Owner',
      ]);
      expect(pulled.tables.map((t) => t.name)).toEqual(['Pipeline']);
      expect(pulled.hiddenColumns).toEqual([8, 9]);
      // The Stage column shows the stages by name, its drop-down lists them, the keys stay the server's.
      const NAMES = { new: 'New', qualified: 'Qualified', proposal: 'Proposal', negotiation: 'Negotiation' } as const;
      const open = Object.keys(NAMES) as Array<keyof typeof NAMES>;
      expect(pulled.validations).toEqual([
        { address: `C2:C${pulled.values.length}`, values: ['New', 'Qualified', 'Proposal', 'Negotiation', 'Won', 'Lost'] },
      ]);
      // Beside the Status: the read-only columns, one cell per deal.
      expect(pulled.values[0]!.slice(11, 13)).toEqual(['Documents (read-only)', 'Competitors (read-only)']);
      expect(pulled.values.slice(1).every((row) => String(row[11] ?? '') !== '')).toBe(true);
      const r = pulled.values.findIndex((row, i) => i > 0 && open.some((k) => NAMES[k] === row[2]));
      expect(r).toBeGreaterThan(0);
      const [id, version] = [String(pulled.values[r]![8]), Number(pulled.values[r]![9])];
      const stage = open.find((k) => NAMES[k] === pulled.values[r]![2])!;
      const mine = open.find((s) => s !== stage)!;
      const theirs = open.find((s) => s !== stage && s !== mine)!;

      // The user edits the stage cell in the workbook...
      await page.evaluate(
        ([cell, value]) =>
          (
            window as unknown as { __leadpaneHost: { excel: { writeValues: (s: string, a: string, v: unknown[][]) => Promise<unknown> } } }
          ).__leadpaneHost.excel.writeValues('Pipeline', cell!, [[value]]),
        [`C${r + 1}`, NAMES[mine]],
      );
      // ...while the head of sales changes the same deal through the API.
      const res = await fetch(`${api.url}/api/v1/deals/${id}`, {
        method: 'PATCH',
        headers: { authorization: `Bearer ${api.tokens.head}`, 'content-type': 'application/json', 'if-match': `"${version}"` },
        body: JSON.stringify({ stage: theirs }),
      });
      expect(res.status, await res.clone().text()).toBe(200);

      await page.getByRole('button', { name: 'Sync changes' }).click();
      const conflicts = page.getByTestId('pipeline-conflicts');
      await expect.poll(() => conflicts.innerText().catch(() => ''), { timeout: 60_000 }).toContain(`mine “${NAMES[mine]}”`);
      expect(await conflicts.innerText()).toContain(`theirs “${NAMES[theirs]}”`);
      await shot(page, 'pipeline-conflict');
      // Nothing was overwritten: the server keeps the colleague's value, the sheet keeps the user's.
      expect(api.sql<{ stage: string }>(`SELECT stage FROM deals WHERE id = '${id}'`)[0]!.stage).toBe(theirs);
      expect((await sheetOf(page, 'Pipeline'))!.values[r]![2]).toBe(NAMES[mine]);

      // Keep mine: now sent against the colleague's version.
      await page.getByRole('button', { name: 'Keep mine' }).first().click();
      await expect
        .poll(() => api.sql<{ stage: string }>(`SELECT stage FROM deals WHERE id = '${id}'`)[0]!.stage, { timeout: 30_000 })
        .toBe(mine);
      expect(errors).toEqual([]);
    },
  );

  it(
    'in Bulgarian: stages by name with their drop-down, the document package and the competitors beside each deal, a refresh brings a new document in',
    { timeout: 240_000 },
    async () => {
      const tag = `st${Date.now().toString(36)}`;
      const as = (path: string, method: string, body?: unknown, headers: Record<string, string> = {}) =>
        fetch(`${api.url}/api/v1${path}`, {
          method,
          headers: { authorization: `Bearer ${api.tokens.manager}`, 'content-type': 'application/json', ...headers },
          body: body === undefined ? undefined : JSON.stringify(body),
        }).then(async (r) => ({ status: r.status, json: (await r.json().catch(() => null)) as Record<string, any> }));
      const open = (await as('/deals', 'POST', { title: `Преговори ${tag}`, stage: 'negotiation', amountMinor: 500_000, currency: 'BGN' }))
        .json;
      const gone = (await as('/deals', 'POST', { title: `Загубена ${tag}`, stage: 'proposal', amountMinor: 90_000, currency: 'BGN' })).json;
      for (const slot of ['offer', 'contract'])
        expect((await as(`/deals/${open.id}/documents/${slot}`, 'PUT', { filename: `${slot}.pdf` })).status).toBe(200);
      const rival = (await as('/competitors', 'POST', { name: `Соларис ${tag}` })).json;
      expect((await as(`/deals/${open.id}/competitors`, 'POST', { competitorId: rival.id })).status).toBe(201);
      const lost = await as(
        `/deals/${gone.id}/lose`,
        'POST',
        { lostReason: 'Цена', competitorId: rival.id },
        { 'if-match': `"${gone.version}"` },
      );
      expect(lost.status).toBe(200);

      const { page, errors } = await openPane(browser, api, 'excel', {
        host: { language: 'bg-BG', token: api.tokens.manager, workbook: { sheets: { Лист1: [['']] } } },
      });
      await page.getByRole('tab', { name: 'Фуния' }).click({ timeout: 60_000 });
      await page.getByRole('button', { name: 'Изтегли фунията' }).click({ timeout: 60_000 });
      const status = () =>
        page
          .getByTestId('pipeline-status')
          .innerText()
          .catch(() => '');
      await expect.poll(status, { timeout: 60_000 }).toContain('Фунията е в листа');
      const pulled = (await sheetOf(page, 'Pipeline'))!;
      expect(pulled.values[0]!.slice(11, 13)).toEqual(['Документи (само за четене)', 'Конкуренти (само за четене)']);
      expect(pulled.validations![0]!.values).toEqual(['Нова', 'Квалифицирана', 'Оферта', 'Преговори', 'Спечелена', 'Загубена']);
      const row = (id: string) => pulled.values.find((r) => r[8] === id)!;
      expect(row(open.id).slice(2, 3)).toEqual(['Преговори']);
      expect(row(open.id).slice(11, 13)).toEqual([
        '2 от 5 готови · липсват: Справка от Търговския регистър, Пълномощно, Спецификация',
        `Соларис ${tag}`,
      ]);
      expect(row(gone.id).slice(2, 3)).toEqual(['Загубена']);
      expect(row(gone.id).slice(11, 13)).toEqual(['още не са нужни', `загубена срещу Соларис ${tag}`]);
      await shot(page, 'pipeline-standing-bg');

      // A colleague files the registry extract from Outlook; a refresh shows it without a sync.
      expect((await as(`/deals/${open.id}/documents/company_extract`, 'PUT', { filename: 'extract.pdf' })).status).toBe(200);
      const runs = await page.getByTestId('pipeline-runs').getAttribute('data-runs');
      await page.getByRole('button', { name: 'Опресни' }).click();
      await expect.poll(() => page.getByTestId('pipeline-runs').getAttribute('data-runs'), { timeout: 60_000 }).not.toBe(runs);
      const after = (await sheetOf(page, 'Pipeline'))!;
      expect(after.values.find((r) => r[8] === open.id)![11]).toBe('3 от 5 готови · липсват: Пълномощно, Спецификация');

      // Typed by name in Bulgarian, the stage reaches the server as its key.
      const r = after.values.findIndex((x) => x[8] === gone.id);
      await page.evaluate(
        ([cell, value]) =>
          (
            window as unknown as { __leadpaneHost: { excel: { writeValues: (s: string, a: string, v: unknown[][]) => Promise<unknown> } } }
          ).__leadpaneHost.excel.writeValues('Pipeline', cell!, [[value]]),
        [`C${r + 1}`, 'Преговори'],
      );
      await page.getByRole('button', { name: 'Синхронизирай промените' }).click();
      await expect
        .poll(() => api.sql<{ stage: string }>(`SELECT stage FROM deals WHERE id = '${gone.id}'`)[0]!.stage, { timeout: 60_000 })
        .toBe('negotiation');
      expect(errors).toEqual([]);
    },
  );

  it('writes the weekly report sheet with tables and native charts, and a refresh replaces it in place', { timeout: 240_000 }, async () => {
    const { page, errors } = await openPane(browser, api, 'excel', {
      host: { language: 'en-US', token: api.tokens.head, workbook: { sheets: { Sheet1: [['keep me']] } } },
    });
    await page.getByRole('tab', { name: 'Reports' }).click({ timeout: 60_000 });
    const write = page.getByRole('button', { name: 'Write the weekly sheet' });
    await write.click({ timeout: 60_000 });
    await expect
      .poll(
        () =>
          page
            .getByTestId('report-done')
            .innerText()
            .catch(() => ''),
        { timeout: 120_000 },
      )
      .toContain('sections');
    const state = await workbookState<WorkbookSnapshot>(page);
    const weekly = state.sheets.filter((s) => s.name.startsWith('Weekly '));
    expect(weekly).toHaveLength(1);
    expect(weekly[0]!.name).toMatch(/^Weekly \d{4}-W\d{2}$/);
    expect(weekly[0]!.tables.length).toBeGreaterThan(0);
    expect(weekly[0]!.charts.map((c) => c.kind)).toContain('line');
    expect(weekly[0]!.charts.length).toBeGreaterThanOrEqual(2);
    expect(weekly[0]!.values.flat()).toContain('Won and lost');
    await shot(page, 'weekly-report');

    await write.click();
    await expect
      .poll(async () => (await workbookState<WorkbookSnapshot>(page)).sheets.filter((s) => s.name === weekly[0]!.name).length, {
        timeout: 120_000,
      })
      .toBe(1);
    await expect
      .poll(
        () =>
          page
            .getByTestId('report-done')
            .innerText()
            .catch(() => ''),
        { timeout: 120_000 },
      )
      .toContain('sections');
    const again = (await sheetOf(page, weekly[0]!.name))!;
    expect(again.charts.length).toBe(weekly[0]!.charts.length);
    expect((await sheetOf(page, 'Sheet1'))!.values).toEqual([['keep me']]);
    expect(errors).toEqual([]);
  });
});

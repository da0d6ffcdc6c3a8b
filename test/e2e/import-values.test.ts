// The Excel pane's value-mapping step against the real API (wrangler dev + local D1) in Chromium,
// on a scripted workbook: a Pipedrive deals export with a stage the team made up is mapped once,
// imported, and a later export of the same account is imported without a question and without
// making any deal twice.
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, openPane, RESULTS, startApi, type Api } from './harness';

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

const shot = (page: Page, name: string) => page.screenshot({ path: join(RESULTS, `excel-values-${name}.png`), fullPage: true });

const HEADER = [
  'Deal - ID',
  'Deal - Title',
  'Deal - Value',
  'Deal - Currency',
  'Deal - Organization',
  'Deal - Stage',
  'Deal - Status',
  'Deal - Deal created',
  'Deal - Expected close date',
];
const exportOf = (tag: string, renewal: string) => [
  HEADER,
  [`${tag}1`, `Calder ${tag} – rollout`, '12000', 'GBP', `Calder ${tag} Ltd`, 'Proposal Made', 'Open', '2026-10-02 09:00:00', '2027-01-29'],
  [`${tag}2`, `Pike ${tag} – renewal`, renewal, 'USD', `Pike ${tag} Inc.`, 'Legal Sign-off', 'Open', '2026-10-09 09:00:00', '2027-02-26'],
  [
    `${tag}3`,
    `Ferrow ${tag} – 2023`,
    '5400',
    'GBP',
    `Ferrow ${tag} Ltd`,
    'Negotiations Started',
    'Won',
    '2023-03-01 09:00:00',
    '2023-04-28',
  ],
];

async function readRows(page: Page) {
  const answered = page.waitForResponse((r) => r.url().includes('/api/v1/imports/values') && r.request().method() === 'POST', {
    timeout: 120_000,
  });
  await page.getByRole('button', { name: 'Read rows' }).click({ timeout: 120_000 });
  await answered;
}

async function importAndWait(page: Page) {
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  await expect
    .poll(
      () =>
        page
          .getByTestId('import-done')
          .innerText()
          .catch(() => ''),
      { timeout: 90_000 },
    )
    .toContain('Done');
}

describe('the value-mapping step of the Excel pane', () => {
  it(
    'maps a stage the team made up, imports, then imports a changed export of the same system without a question or a duplicate',
    { timeout: 300_000 },
    async () => {
      const tag = `V${Date.now().toString(36).toUpperCase()}`;
      const deals = () =>
        api.sql<{ id: string; title: string; amount_minor: number; stage: string; version: number }>(
          `SELECT id, title, amount_minor, stage, version FROM deals WHERE title LIKE '%${tag}%' AND deleted_at IS NULL ORDER BY title`,
        );

      const first = await openPane(browser, api, 'excel', {
        host: { language: 'en-US', token: api.tokens.head, workbook: { sheets: { Deals: exportOf(tag, '9800') } } },
      });
      await readRows(first.page);
      expect(await first.page.getByRole('radio', { name: 'Deals' }).isChecked()).toBe(true);
      expect(await first.page.getByRole('combobox', { name: 'Exported from' }).inputValue()).toBe('pipedrive');
      // Only the made-up stage is asked about: Pipedrive's own stages and statuses are known.
      const step = first.page.getByTestId('import-values');
      await expect.poll(() => step.innerText().catch(() => ''), { timeout: 30_000 }).toContain('Legal Sign-off');
      expect(await step.getByRole('combobox').count()).toBe(1);
      await shot(first.page, 'asked');
      await step.getByRole('combobox', { name: 'Stage: Legal Sign-off' }).selectOption('negotiation');
      await importAndWait(first.page);
      await shot(first.page, 'imported');
      expect(deals().map((d) => [d.title, d.amount_minor, d.stage])).toEqual([
        [`Calder ${tag} – rollout`, 1_200_000, 'proposal'],
        [`Ferrow ${tag} – 2023`, 540_000, 'won'],
        [`Pike ${tag} – renewal`, 980_000, 'negotiation'],
      ]);
      expect(first.errors).toEqual([]);
      expect(first.foreign).toEqual([]);
      await first.context.close();

      // A month later: the same account exported again, one amount changed. Nothing to ask.
      const second = await openPane(browser, api, 'excel', {
        host: { language: 'en-US', token: api.tokens.head, workbook: { sheets: { Deals: exportOf(tag, '11250') } } },
      });
      await readRows(second.page);
      expect(await second.page.getByTestId('import-values').count()).toBe(0);
      expect(await second.page.getByRole('radio', { name: 'Update matches' }).isChecked()).toBe(true);
      await second.page.getByRole('button', { name: 'Dry run' }).click();
      await expect
        .poll(
          () =>
            second.page
              .getByTestId('import-dry')
              .innerText()
              .catch(() => ''),
          { timeout: 60_000 },
        )
        .toContain('3 rows match records already in Leadpane');
      await importAndWait(second.page);
      await shot(second.page, 'reimported');
      expect(await second.page.getByTestId('import-done').innerText()).toContain('0 created, 1 updated, 2 skipped, 0 with errors');
      const after = deals();
      expect(after.map((d) => [d.title, d.amount_minor, d.stage])).toEqual([
        [`Calder ${tag} – rollout`, 1_200_000, 'proposal'],
        [`Ferrow ${tag} – 2023`, 540_000, 'won'],
        [`Pike ${tag} – renewal`, 1_125_000, 'negotiation'],
      ]);
      expect(after.find((d) => d.title.startsWith('Pike'))!.version).toBe(2);
      expect(second.errors).toEqual([]);
      expect(second.foreign).toEqual([]);
    },
  );
});

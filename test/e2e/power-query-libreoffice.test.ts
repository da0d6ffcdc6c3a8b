// What a head of sales pulls into a spreadsheet, opened by a real spreadsheet engine (LibreOffice):
// each Power Query CSV (every weekly section, every list) is one table whose header row names
// every column, with amounts read as numbers and dates as dates; and the weekly report the Excel
// pane writes, downloaded in browser mode, carries its native charts, each one LibreOffice reads.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readXlsx } from '../../addin/office/xlsx-io';
import type { WorkbookSnapshot } from '../../addin/office/excel-browser';
import { SECTIONS, SECTION_KEYS } from '../../shared/report/definitions';
import { isoWeekOf } from '../../shared/report/period';
import { STAGE_NAMES } from '../../shared/report/stage-names';
import { unzip, type ZipPart } from '../helpers/zip';
import { launchBrowser, openPane, RESULTS, startApi, workbookState, type Api } from './harness';

let api: Api;
let browser: Browser;
let dir: string;

beforeAll(async () => {
  api = await startApi();
  browser = await launchBrowser();
  dir = mkdtempSync(join(tmpdir(), 'leadpane-lo-'));
}, 600_000);

afterAll(async () => {
  await browser?.close();
  await api?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Converts files with LibreOffice in one call; fails loudly when it is missing. */
function soffice(files: string[], to: string, out: string, infilter?: string) {
  const probe = spawnSync('soffice', ['--version'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0)
    throw new Error('LibreOffice (soffice) is required for this test: apt-get install -y --no-install-recommends libreoffice-calc');
  mkdirSync(out, { recursive: true });
  const res = spawnSync(
    'soffice',
    [
      `-env:UserInstallation=file://${join(dir, 'lo-profile')}`,
      '--headless',
      ...(infilter ? [`--infilter=${infilter}`] : []),
      '--convert-to',
      to,
      '--outdir',
      out,
      ...files,
    ],
    { encoding: 'utf8', timeout: 180_000 },
  );
  if (res.status !== 0) throw new Error(`soffice failed (${res.status}):\n${res.stdout}\n${res.stderr}`);
}

async function get(path: string): Promise<string> {
  const res = await fetch(`${api.url}/api/v1${path}`, { headers: { authorization: `Bearer ${api.tokens.head}` } });
  const text = await res.text();
  expect(res.status, `${path}: ${text.slice(0, 300)}`).toBe(200);
  expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
  return text;
}

const LIST_HEADERS: Record<string, { header: string[]; money: string[]; dates: string[] }> = {
  deals: {
    header: [
      'Id',
      'Title',
      'Company',
      'Stage',
      'Amount',
      'Currency',
      'Probability',
      'Expected close',
      'Owner',
      'Next step',
      'Lost reason',
      'Competitor',
      'Closed at',
      'Created at',
      'Updated at',
    ],
    money: ['Amount'],
    dates: ['Expected close'],
  },
  leads: {
    header: [
      'Id',
      'Name',
      'Email',
      'Phone',
      'Company',
      'Job title',
      'Source',
      'Status',
      'Interest',
      'City',
      'Owner',
      'Converted at',
      'Created at',
      'Updated at',
    ],
    money: [],
    dates: [],
  },
  activities: {
    header: ['Id', 'Type', 'Subject', 'Occurred at', 'Direction', 'Company', 'Deal id', 'Owner', 'Created at'],
    money: [],
    dates: [],
  },
  tasks: { header: ['Id', 'Title', 'Due at', 'Done', 'Done at', 'Assignee', 'Company', 'Deal id', 'Created at'], money: [], dates: [] },
};

describe('Power Query CSV and the weekly download, opened by LibreOffice', () => {
  it('opens each section and each list as one table whose header row names every column, amounts as numbers, dates as dates', async () => {
    // The running week: the demo organisation was made just now, its pipeline is this week's.
    const week = isoWeekOf(new Date());
    const csvDir = join(dir, 'csv');
    mkdirSync(csvDir, { recursive: true });
    const expected = new Map<string, { header: string[]; lines: number; money: string[]; dates: string[] }>();
    const lines = (text: string) => text.split('\r\n').filter(Boolean).length;
    for (const key of SECTION_KEYS) {
      const text = await get(`/reports/weekly/sections/${key}?week=${week}`);
      writeFileSync(join(csvDir, `section-${key}.csv`), text);
      const columns = SECTIONS[key].columns;
      expected.set(`section-${key}`, {
        header: columns.map((c) => c.label.en),
        lines: lines(text),
        money: columns.filter((c) => c.type === 'money').map((c) => c.label.en),
        dates: columns.filter((c) => c.type === 'date').map((c) => c.label.en),
      });
    }
    for (const [list, def] of Object.entries(LIST_HEADERS)) {
      const text = await get(`/${list}?format=csv`);
      writeFileSync(join(csvDir, `list-${list}.csv`), text);
      expected.set(`list-${list}`, { ...def, lines: lines(text) });
    }
    // Comma, double quote, UTF-8, from line 1, detect special numbers (ISO dates become dates).
    soffice(
      readdirSync(csvDir).map((f) => join(csvDir, f)),
      'xlsx',
      join(dir, 'csv-xlsx'),
      'CSV:44,34,76,1,,1033,false,true',
    );

    const withRows: string[] = [];
    let moneyCells = 0;
    let dateCells = 0;
    for (const [name, want] of expected) {
      const [sheet, ...more] = await readXlsx(readFileSync(join(dir, 'csv-xlsx', `${name}.xlsx`)));
      expect(more, name).toEqual([]);
      const rows = sheet!.values.filter((r) => r.some((v) => v !== ''));
      // One header row naming every column, then one row per CSV line, none wider than the header.
      expect(rows[0], name).toEqual(want.header);
      expect(rows.length, name).toBe(want.lines);
      expect(sheet!.values.length, `${name}: no gaps or trailing blocks`).toBe(rows.length);
      for (const r of rows)
        expect(
          r.slice(want.header.length).every((v) => v === ''),
          name,
        ).toBe(true);
      if (rows.length > 1) withRows.push(name);
      for (const col of want.money) {
        const i = want.header.indexOf(col);
        for (const r of rows.slice(1))
          if (r[i] !== '') {
            expect(typeof r[i], `${name} ${col}`).toBe('number');
            moneyCells++;
          }
        // An amount always has its currency beside it in the same table.
        expect(want.header.includes('Currency') || name === 'section-creditWatch', name).toBe(true);
      }
      for (const col of want.dates) {
        const i = want.header.indexOf(col);
        for (const r of rows.slice(1))
          if (r[i] !== '') {
            expect(typeof r[i], `${name} ${col}: a date serial`).toBe('number');
            dateCells++;
          }
      }
    }
    console.log(
      `LibreOffice: ${expected.size} CSV tables, ${withRows.length} with rows, ${moneyCells} amounts and ${dateCells} dates typed`,
    );
    // The demo organisation's data fills the lists and the money sections: the checks above ran on real rows.
    expect(withRows).toEqual(expect.arrayContaining(['list-deals', 'list-leads', 'list-activities', 'list-tasks', 'section-pipeline']));
    expect(moneyCells).toBeGreaterThan(20);
    expect(dateCells).toBeGreaterThan(0);
  });

  it(
    'downloads the weekly report the pane wrote with its native charts, and LibreOffice reads every one',
    { timeout: 240_000 },
    async () => {
      const { page, errors } = await openPane(browser, api, 'excel', {
        host: { language: 'en-US', token: api.tokens.head, workbook: { sheets: { Sheet1: [['keep me']] } } },
      });
      await page.getByRole('tab', { name: 'Reports' }).click({ timeout: 60_000 });
      await page.getByRole('button', { name: 'Write the weekly sheet' }).click({ timeout: 60_000 });
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
      const weekly = state.sheets.find((s) => s.name.startsWith('Weekly '))!;
      expect(weekly.charts.length).toBeGreaterThanOrEqual(2);
      // Stages by name in the sheet (English here), not their keys.
      const pipelineTitle = weekly.values.findIndex((r) => r[0] === SECTIONS.pipeline.title.en);
      const stages = weekly.values.slice(pipelineTitle + 2).map((r) => r[0]);
      expect(stages[0], 'the demo pipeline has deals').not.toBe('');
      expect(Object.values(STAGE_NAMES.en)).toContain(stages[0]);

      const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download .xlsx' }).click()]);
      const file = join(dir, 'weekly.xlsx');
      await download.saveAs(file);
      await page.screenshot({ path: join(RESULTS, 'weekly-download.png'), fullPage: true });
      const charts = (parts: Map<string, ZipPart>) => [...parts.keys()].filter((k) => /^xl\/charts\/chart\d+\.xml$/.test(k)).length;
      const ours = await unzip(readFileSync(file));
      expect(charts(ours)).toBe(weekly.charts.length);

      // LibreOffice opens it and writes it back: each chart survives as a chart of its own.
      soffice([file], 'xlsx', join(dir, 'lo'));
      const theirs = await unzip(readFileSync(join(dir, 'lo', 'weekly.xlsx')));
      expect(charts(theirs)).toBe(weekly.charts.length);
      const kinds = [...theirs.entries()]
        .filter(([k]) => /^xl\/charts\/chart\d+\.xml$/.test(k))
        .map(([, v]) => /<c:(bar|line|pie)Chart>/.exec(v.text)?.[1])
        .sort();
      expect(kinds).toEqual(weekly.charts.map((c) => (c.kind === 'column' ? 'bar' : c.kind)).sort());
      console.log(
        `LibreOffice: the weekly download has ${charts(ours)} chart parts, ${charts(theirs)} after LibreOffice (${kinds.join(', ')})`,
      );
      expect(errors).toEqual([]);
    },
  );
});

import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { reportToXlsx } from '../../shared/report/xlsx';
import { call, makeOrg } from './harness';
import { importSheet, sheetOf, valueStep } from './import-sheet';
import { unzipText } from '../helpers/zip';

// A hand-kept deals sheet of a team selling across borders: the currency in its own column or in the amount.
const HEADER = ['Сделка', 'Клиент', 'Етап', 'Сума', 'Валута', 'Дата на запитване', 'Очаквано приключване'];
const deal = (title: string, amount: string, currency: string, stage = 'Спечелена', close = '12.03.2025') => ({
  Сделка: title,
  Клиент: `${title} ООД`,
  Етап: stage,
  Сума: amount,
  Валута: currency,
  'Дата на запитване': '10.02.2025',
  'Очаквано приключване': close,
});

const section = (report: { sections: Array<{ key: string; rows: unknown[][] }> }, key: string) =>
  report.sections.find((s) => s.key === key)!.rows;

describe('money from a sheet', () => {
  it('keeps each amount in its own currency: pounds, tenge, yen, lei, zloty and levs from one sheet', async () => {
    const org = await makeOrg();
    const rows = sheetOf(HEADER, [
      deal('Алфа', '24 000', '£'),
      deal('Бета', '3 250 000', 'Казахстанский тенге'),
      deal('Гама', '1 200 000', 'JPY'),
      deal('Делта', '18 500,50', 'Lei'),
      deal('Епсилон', '9 400,00', 'zł'),
      deal('Зета', '12 500,00 лв.', ''),
      deal('Ета', '', 'грн'),
    ]);
    const res = await importSheet(org.head, rows, { currency: 'EUR' });
    expect(res.counts).toMatchObject({ created: 7, error: 0 });
    const stored = await env.DB.prepare('SELECT title, amount_minor, currency FROM deals WHERE org_id = ?1 ORDER BY title')
      .bind(org.orgId)
      .all<{ title: string; amount_minor: number; currency: string }>();
    expect(stored.results).toEqual([
      { title: 'Алфа', amount_minor: 2_400_000, currency: 'GBP' },
      { title: 'Бета', amount_minor: 325_000_000, currency: 'KZT' },
      { title: 'Гама', amount_minor: 1_200_000, currency: 'JPY' }, // the yen has no minor unit
      { title: 'Делта', amount_minor: 1_850_050, currency: 'RON' },
      { title: 'Епсилон', amount_minor: 940_000, currency: 'PLN' },
      { title: 'Ета', amount_minor: 0, currency: 'UAH' },
      { title: 'Зета', amount_minor: 1_250_000, currency: 'BGN' },
    ]);
  });

  it('refuses an amount in a currency nobody can name, with its row and column, until the user maps it', async () => {
    const org = await makeOrg();
    const rows = sheetOf(HEADER, [deal('Тета', '100', 'динари'), deal('Йота', '200', 'EUR')]);
    const step = await valueStep(org.head, rows);
    expect(step.items.filter((i) => i.field === 'currency')).toEqual([
      { field: 'currency', raw: 'динари', value: null, from: null },
      { field: 'currency', raw: 'EUR', value: 'EUR', from: 'vocabulary' },
    ]);
    const refused = await importSheet(org.head, rows, { currency: 'EUR' });
    expect(refused.rows[0]).toMatchObject({
      status: 'error',
      errors: [{ column: 'Валута', field: 'currency', reason: 'invalid_currency', value: 'динари' }],
    });
    expect(refused.rows[1]).toMatchObject({ status: 'created' });
    const mapped = await importSheet(org.head, rows, { currency: 'EUR', values: { currency: { динари: 'RSD' } } });
    expect(mapped.counts).toEqual({ created: 1, updated: 0, skipped: 1, error: 0 });
    expect((await call(org.head, 'GET', `/api/v1/deals/${mapped.rows[0]!.id}`)).json).toMatchObject({
      amountMinor: 10_000,
      currency: 'RSD',
    });
  });

  it('no report adds amounts in different currencies: won, by week, pipeline and the workbook are per currency', async () => {
    const org = await makeOrg();
    const rows = sheetOf(HEADER, [
      deal('Капа', '1 000', 'EUR'),
      deal('Ламбда', '2 000', 'EUR'),
      deal('Мю', '500', 'USD'),
      deal('Ню', '300 000', 'JPY'),
      deal('Кси', '4 000', 'EUR', 'Оферта изпратена', '30.06.2025'),
    ]);
    await importSheet(org.head, rows, { currency: 'EUR' });
    const report = (await call(org.head, 'GET', '/api/v1/reports/weekly?week=2025-W11')).json;
    expect(section(report, 'wonLost')).toEqual([
      ['won', 'EUR', 2, 300_000, 30],
      ['won', 'JPY', 1, 300_000, 30],
      ['won', 'USD', 1, 50_000, 30],
    ]);
    expect(section(report, 'wonLostByWeek')).toEqual([
      ['2025-W11', 'won', 'EUR', 2, 300_000],
      ['2025-W11', 'won', 'JPY', 1, 300_000],
      ['2025-W11', 'won', 'USD', 1, 50_000],
    ]);
    // Open since their created date (10 February) at the week's start, won by its end.
    expect(section(report, 'pipeline')).toEqual([
      ['new', 'EUR', 2, 300_000, 0, 0],
      ['new', 'JPY', 1, 300_000, 0, 0],
      ['new', 'USD', 1, 50_000, 0, 0],
      ['proposal', 'EUR', 1, 400_000, 1, 400_000],
      ['won', 'EUR', 0, 0, 2, 300_000],
      ['won', 'JPY', 0, 0, 1, 300_000],
      ['won', 'USD', 0, 0, 1, 50_000],
    ]);
    // The workbook: one sheet per currency of a section, each with its own totals; yen shown whole.
    const parts = await unzipText(await reportToXlsx(report));
    const strings = parts.get('xl/sharedStrings.xml')!;
    for (const cur of ['EUR', 'JPY', 'USD']) expect(strings).toContain(`Won and lost (${cur})`);
    const tables = [...parts].filter(([k]) => k.startsWith('xl/tables/')).map(([, v]) => /name="(\w+)"/.exec(v)![1]);
    expect(tables).toEqual(expect.arrayContaining(['wonLost_EUR', 'wonLost_JPY', 'wonLost_USD', 'pipeline_EUR', 'pipeline_JPY']));
    expect(tables).not.toContain('wonLost');
    const jpy = [...parts].find(([k, v]) => k.startsWith('xl/tables/') && v.includes('name="wonLost_JPY"'))![0];
    const sheet = parts.get(`xl/worksheets/sheet${jpy.match(/table(\d+)\.xml/)![1]}.xml`)!;
    expect(sheet).toContain('<v>300000</v>');
  });
});

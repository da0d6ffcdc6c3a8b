import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { mapSheet, mapSheetAuto, type Cell } from '../../shared/sheet';
import { build, call, countRows, makeOrg, type Member } from './harness';

// The accounting sheet of a Bulgarian company: a title, a blank row, then one invoice a row.
const HEADER = ['Фактура №', 'Дата', 'Клиент', 'ЕИК', 'Сума', 'Валута', 'Падеж', 'Платена на'];
const sheet = (rows: Cell[][]): Cell[][] => [['Вземания към 30.11.2026'], [], HEADER, ...rows];

async function companyOf(who: Member, o: Record<string, unknown>) {
  const res = await call(who, 'POST', '/api/v1/companies', { body: build.company(o) });
  expect(res.status, res.text).toBe(201);
  return res.json.id as string;
}

async function importSheet(who: Member, rows: Cell[][], o: { mode?: string; options?: Record<string, unknown> } = {}) {
  const auto = mapSheetAuto(rows);
  expect(auto.kind).toBe('payments');
  const start = await call(who, 'POST', '/api/v1/imports', {
    body: { kind: 'payments', mode: o.mode ?? 'update', mapping: auto.mapping, fileName: 'вземания.xlsx', options: o.options ?? {} },
  });
  expect(start.status, start.text).toBe(201);
  const firstRow = auto.mapping.headerRow + 1;
  const res = await call(who, 'POST', `/api/v1/imports/${start.json.id}/chunks`, {
    body: { chunk: 0, firstRow, rows: rows.slice(firstRow) },
  });
  expect(res.status, res.text).toBe(200);
  return res.json as {
    counts: Record<string, number>;
    rows: { row: number; status: string; id: string | null; errors: { row: number; column: string; field: string; reason: string }[] }[];
  };
}

const invoices = async (orgId: string) =>
  (
    await env.DB.prepare(
      'SELECT company_id, invoice_no, amount_minor, currency, issued_on, due_on, paid_on, version FROM payments WHERE org_id = ?1 ORDER BY invoice_no',
    )
      .bind(orgId)
      .all<Record<string, unknown>>()
  ).results;

describe('payments through the import flow', () => {
  it('saves the good invoices of known clients once and names the row, column and reason of every bad one', async () => {
    const org = await makeOrg();
    const acme = await companyOf(org.head, { name: 'Акме ООД', eik: '831642181' });
    const beta = await companyOf(org.head, { name: 'Бета ЕООД' });
    const rows = sheet([
      ['1001', '02.03.2026', 'Акме', '831642181', '1 200,50', 'EUR', '16.03.2026', '20.05.2026'], // row 3: by EIK, paid 65 days late
      ['1002', '05.03.2026', 'БЕТА ЕООД', '', '300', 'EUR', '19.03.2026', ''], // row 4: by name, open
      ['1003', '31.02.2026', 'Бета ЕООД', '', '300', 'EUR', '19.03.2026', ''], // row 5: no such date
      ['', '05.03.2026', 'Бета ЕООД', '', '300', 'EUR', '19.03.2026', ''], // row 6: no invoice number
      ['1004', '05.03.2026', 'Бета ЕООД', '', '300', 'EUR', '01.03.2026', ''], // row 7: due before issued
      ['1005', '05.03.2026', 'Гама АД', '', '300', 'EUR', '19.03.2026', ''], // row 8: unknown client
      ['1006', '05.03.2026', 'Бета ЕООД', '', '300', '', '19.03.2026', ''], // row 9: no currency
      [],
      ['1002', '05.03.2026', 'Бета ЕООД', '', '320', 'EUR', '19.03.2026', '18.03.2026'], // row 11: 1002 again, the later word
    ]);
    const res = await importSheet(org.manager, rows);
    expect(res.counts).toEqual({ created: 2, updated: 0, skipped: 1, error: 5 });
    const errors = res.rows.filter((r) => r.status === 'error').map((r) => r.errors.map((e) => [e.row, e.column, e.reason]));
    expect(errors).toEqual([
      [[5, 'Дата', 'invalid_date']],
      [[6, 'Фактура №', 'missing_invoice']],
      [[7, 'Падеж', 'due_before_issue']],
      [[8, 'Клиент', 'unknown_company']],
      [[9, 'Валута', 'missing_currency']],
    ]);
    const byRow = new Map(res.rows.map((r) => [r.row, r]));
    expect(byRow.get(4)).toMatchObject({ status: 'skipped', id: byRow.get(11)!.id });
    expect(byRow.get(11)!.status).toBe('created');
    expect(await invoices(org.orgId)).toEqual([
      {
        company_id: acme,
        invoice_no: '1001',
        amount_minor: 120_050,
        currency: 'EUR',
        issued_on: '2026-03-02',
        due_on: '2026-03-16',
        paid_on: '2026-05-20',
        version: 1,
      },
      {
        company_id: beta,
        invoice_no: '1002',
        amount_minor: 32_000,
        currency: 'EUR',
        issued_on: '2026-03-05',
        due_on: '2026-03-19',
        paid_on: '2026-03-18',
        version: 1,
      },
    ]);
    // The imported history is what the client card scores.
    const card = await call(org.manager, 'GET', `/api/v1/companies/${acme}/credit?asOf=2026-06-01`);
    expect(card.json).toMatchObject({ invoices12m: 1, paidLate30d: 1 });
    expect(card.json.reasonCodes.length).toBeGreaterThan(0);
  });

  it('importing the same sheet again changes nothing; a paid date filled in later updates that invoice only', async () => {
    const org = await makeOrg();
    await companyOf(org.head, { name: 'Акме ООД', eik: '831642181' });
    const open = [
      ['A-1', '02.03.2026', 'Акме ООД', '', '100', 'BGN', '16.03.2026', ''],
      ['A-2', '03.03.2026', 'Акме ООД', '', '200', 'BGN', '17.03.2026', ''],
    ];
    expect((await importSheet(org.manager, sheet(open))).counts).toEqual({ created: 2, updated: 0, skipped: 0, error: 0 });
    expect((await importSheet(org.manager, sheet(open))).counts).toEqual({ created: 0, updated: 0, skipped: 2, error: 0 });
    const paid = [open[0]!, ['A-2', '03.03.2026', 'Акме ООД', '', '200', 'BGN', '17.03.2026', '01.04.2026']];
    // "Skip" leaves a known invoice alone even when the sheet says otherwise.
    expect((await importSheet(org.manager, sheet(paid), { mode: 'skip' })).counts).toEqual({
      created: 0,
      updated: 0,
      skipped: 2,
      error: 0,
    });
    expect((await importSheet(org.manager, sheet(paid))).counts).toEqual({ created: 0, updated: 1, skipped: 1, error: 0 });
    expect((await invoices(org.orgId)).map((p) => [p.invoice_no, p.paid_on, p.version])).toEqual([
      ['A-1', null, 1],
      ['A-2', '2026-04-01', 2],
    ]);
    expect(await countRows('payments', org.orgId)).toBe(2);
  });

  it("uses the import's currency for bare amounts and never finds another organisation's client", async () => {
    const org = await makeOrg();
    const other = await makeOrg();
    await companyOf(other.head, { name: 'Акме ООД', eik: '831642181' });
    const rows = sheet([['B-1', '02.03.2026', 'Акме ООД', '831642181', '100', '', '16.03.2026', '']]);
    const res = await importSheet(org.manager, rows, { options: { defaultCurrency: 'EUR' } });
    expect(res.rows[0]!.errors).toEqual([{ row: 3, column: 'ЕИК', field: 'eik', reason: 'unknown_company', value: '831642181' }]);
    expect(await countRows('payments', other.orgId)).toBe(0);
    const mine = await companyOf(org.head, { name: 'Акме ООД', eik: '831642181' });
    const again = await importSheet(org.manager, rows, { options: { defaultCurrency: 'EUR' } });
    expect(again.counts.created).toBe(1);
    expect(await invoices(org.orgId)).toMatchObject([{ company_id: mine, currency: 'EUR' }]);
  });

  it('keeps a note up to the payments limit and names a longer one as an error', async () => {
    const org = await makeOrg();
    await companyOf(org.head, { name: 'Акме ООД', eik: '831642181' });
    const rows: Cell[][] = [
      [...HEADER, 'Бележки'],
      ['N-1', '02.03.2026', 'Акме ООД', '', '100', 'BGN', '16.03.2026', '', 'по договор 7'],
      ['N-2', '02.03.2026', 'Акме ООД', '', '100', 'BGN', '16.03.2026', '', 'x'.repeat(1001)],
    ];
    const res = await importSheet(org.manager, rows);
    expect(res.counts).toEqual({ created: 1, updated: 0, skipped: 0, error: 1 });
    expect(res.rows[1]!.errors).toMatchObject([{ row: 2, column: 'Бележки', reason: 'notes_too_long' }]);
    expect(await countRows('payments', org.orgId)).toBe(1);
  });

  it('an import of kind payments maps only invoice fields; the same columns as leads still import leads', async () => {
    const org = await makeOrg();
    const mapping = mapSheet([HEADER], { kind: 'leads' });
    const start = await call(org.manager, 'POST', '/api/v1/imports', { body: { kind: 'leads', mapping } });
    expect(start.status).toBe(201);
    const bad = await call(org.manager, 'POST', '/api/v1/imports', { body: { kind: 'invoices', mapping } });
    expect(bad.status).toBe(422);
    expect(bad.headers.get('content-type')).toContain('application/problem+json');
  });
});

import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { build, call, countRows, makeOrg } from './harness';

const row = (o: Record<string, unknown> = {}) => ({
  invoiceNo: 'INV-1',
  amountMinor: 100_00,
  currency: 'BGN',
  issuedOn: '2026-01-10',
  dueOn: '2026-02-09',
  ...o,
});

async function company(org: Awaited<ReturnType<typeof makeOrg>>, o: Record<string, unknown> = {}) {
  return (await call(org.head, 'POST', '/api/v1/companies', { body: build.company(o) })).json as { id: string };
}

describe('payments of a client', () => {
  it('one row, an array or {rows} are saved; a repeated import updates by invoice number and adds nothing', async () => {
    const org = await makeOrg();
    const co = await company(org);
    const one = await call(org.manager, 'POST', `/api/v1/companies/${co.id}/payments`, { body: row() });
    expect(one.status).toBe(200);
    expect(one.json).toEqual({ received: 1, saved: 1, created: 1, updated: 0, errors: [] });
    const rows = [row(), row({ invoiceNo: 'INV-2', paidOn: '2026-02-01' }), row({ invoiceNo: 'INV-3' })];
    const first = await call(org.manager, 'POST', `/api/v1/companies/${co.id}/payments`, { body: { rows } });
    expect(first.json).toMatchObject({ saved: 3, created: 2, updated: 1 });
    const again = await call(org.manager, 'POST', `/api/v1/companies/${co.id}/payments`, { body: rows });
    expect(again.json).toMatchObject({ saved: 3, created: 0, updated: 3 });
    expect(await countRows('payments', org.orgId)).toBe(3);
    const list = await call(org.manager, 'GET', `/api/v1/companies/${co.id}/payments`);
    // An unchanged row keeps its version; INV-1 changed once (paidOn stayed null, nothing else): still 1.
    expect(list.json.items.map((p: { invoiceNo: string; version: number }) => [p.invoiceNo, p.version]).sort()).toEqual([
      ['INV-1', 1],
      ['INV-2', 1],
      ['INV-3', 1],
    ]);
    const paid = await call(org.manager, 'POST', `/api/v1/companies/${co.id}/payments`, {
      body: row({ invoiceNo: 'INV-3', paidOn: '2026-02-20' }),
    });
    expect(paid.json).toMatchObject({ updated: 1 });
    const inv3 = (await call(org.manager, 'GET', `/api/v1/companies/${co.id}/payments`)).json.items.find(
      (p: { invoiceNo: string }) => p.invoiceNo === 'INV-3',
    );
    expect(inv3).toMatchObject({ paidOn: '2026-02-20', version: 2 });
  });

  it('1,000 rows with bad ones save the good rows once, in one request, and answer per-row errors', async () => {
    const org = await makeOrg();
    const co = await company(org);
    const rows: Record<string, unknown>[] = Array.from({ length: 1000 }, (_, i) => row({ invoiceNo: `F-${i}`, amountMinor: 1000 + i }));
    rows[7] = row({ invoiceNo: 'F-7', amountMinor: -5 });
    rows[99] = row({ invoiceNo: 'F-99', dueOn: '31.12.2026' });
    rows[500] = { ...row({ invoiceNo: 'F-500' }), colour: 'red' };
    rows[998] = row({ invoiceNo: 'F-998', issuedOn: '2026-03-01', dueOn: '2026-02-01' });
    const res = await call(org.head, 'POST', `/api/v1/companies/${co.id}/payments`, {
      body: rows,
      headers: { 'idempotency-key': 'sheet-1' },
    });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ received: 1000, saved: 996, created: 996, updated: 0 });
    expect(res.json.errors).toEqual([
      { row: 7, field: 'amountMinor', reason: expect.any(String) },
      { row: 99, field: 'dueOn', reason: expect.any(String) },
      { row: 500, field: 'colour', reason: 'unknown field' },
      { row: 998, field: 'dueOn', reason: 'the due date is before the issue date' },
    ]);
    const retry = await call(org.head, 'POST', `/api/v1/companies/${co.id}/payments`, {
      body: rows,
      headers: { 'idempotency-key': 'sheet-1' },
    });
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(retry.json).toEqual(res.json);
    expect(await countRows('payments', org.orgId)).toBe(996);
    const audits = await env.DB.prepare(`SELECT count(*) AS n FROM audit_log WHERE org_id = ?1 AND action = 'import'`)
      .bind(org.orgId)
      .first<{ n: number }>();
    expect(audits!.n).toBe(1);
  });

  it('more than 1,000 rows answer 413 and rows none of which are good answer 422, saving nothing', async () => {
    const org = await makeOrg();
    const co = await company(org);
    const tooMany = await call(org.head, 'POST', `/api/v1/companies/${co.id}/payments`, {
      body: Array.from({ length: 1001 }, (_, i) => row({ invoiceNo: `X${i}` })),
    });
    expect(tooMany.status).toBe(413);
    expect(tooMany.headers.get('content-type')).toMatch(/problem\+json/);
    const bad = await call(org.head, 'POST', `/api/v1/companies/${co.id}/payments`, {
      body: [{ invoiceNo: '' }, row({ currency: 'XYZ' })],
    });
    expect(bad.status).toBe(422);
    expect(bad.json.code).toBe('validation_failed');
    expect(bad.json.errors.map((e: { path: string }) => e.path)).toContain('/1/currency');
    expect(await countRows('payments', org.orgId)).toBe(0);
  });

  it('the same invoice twice in one request saves the later row and says so', async () => {
    const org = await makeOrg();
    const co = await company(org);
    const res = await call(org.head, 'POST', `/api/v1/companies/${co.id}/payments`, {
      body: [row({ amountMinor: 1 }), row({ amountMinor: 2 })],
    });
    expect(res.json).toMatchObject({ saved: 1, errors: [{ row: 0, field: 'invoiceNo' }] });
    const list = await call(org.head, 'GET', `/api/v1/companies/${co.id}/payments`);
    expect(list.json.items.map((p: { amountMinor: number }) => p.amountMinor)).toEqual([2]);
  });
});

describe('the credit card', () => {
  const history = [
    // Paid 43, 41 and 50 days late: three late payments in 12 months.
    row({ invoiceNo: 'A1', amountMinor: 300_00, issuedOn: '2026-01-01', dueOn: '2026-01-31', paidOn: '2026-03-15' }),
    row({ invoiceNo: 'A2', amountMinor: 300_00, issuedOn: '2026-02-01', dueOn: '2026-02-28', paidOn: '2026-04-10' }),
    row({ invoiceNo: 'A3', amountMinor: 300_00, issuedOn: '2026-03-01', dueOn: '2026-03-31', paidOn: '2026-05-20' }),
    // Open and overdue on 2026-06-30: 1,200.00 BGN against a 1,000.00 limit.
    row({ invoiceNo: 'A4', amountMinor: 700_00, issuedOn: '2026-04-01', dueOn: '2026-04-30' }),
    row({ invoiceNo: 'A5', amountMinor: 500_00, issuedOn: '2026-05-01', dueOn: '2026-05-31' }),
  ];

  it('answers amounts, lateness, a score and its reasons as of a date', async () => {
    const org = await makeOrg();
    const co = await company(org, { creditLimitMinor: 1_000_00, creditCurrency: 'BGN' });
    await call(org.head, 'POST', `/api/v1/companies/${co.id}/payments`, { body: history });
    const res = await call(org.manager, 'GET', `/api/v1/companies/${co.id}/credit?asOf=2026-06-30`);
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({
      asOf: '2026-06-30',
      creditLimitMinor: 1_000_00,
      currency: 'BGN',
      openAmountMinor: 1_200_00,
      overdueAmountMinor: 1_200_00,
      invoices12m: 5,
      paidLate30d: 3,
      avgDaysLate: 44.7,
      maxDaysOverdue: 61,
      grade: 'E',
    });
    // 100 - 30 (three late) - 14 (44.7 days on average / 3) - 20 (61 days overdue) - 25 (over the limit)
    expect(res.json.score).toBe(11);
    expect(res.json.reasons).toEqual(
      expect.arrayContaining(['3 invoices paid more than 30 days late in 12 months', 'open overdue amount exceeds the credit limit']),
    );
  });

  it('a past date reproduces the past answer after later payments are imported', async () => {
    const org = await makeOrg();
    const co = await company(org, { creditLimitMinor: 1_000_00 });
    await call(org.head, 'POST', `/api/v1/companies/${co.id}/payments`, { body: history });
    const before = (await call(org.manager, 'GET', `/api/v1/companies/${co.id}/credit?asOf=2026-06-30`)).json;
    await call(org.head, 'POST', `/api/v1/companies/${co.id}/payments`, {
      body: [
        row({ invoiceNo: 'A4', amountMinor: 700_00, issuedOn: '2026-04-01', dueOn: '2026-04-30', paidOn: '2026-07-05' }),
        row({ invoiceNo: 'A6', issuedOn: '2026-07-01', dueOn: '2026-07-31' }),
      ],
    });
    const after = (await call(org.manager, 'GET', `/api/v1/companies/${co.id}/credit?asOf=2026-06-30`)).json;
    expect(after).toEqual(before);
    const later = (await call(org.manager, 'GET', `/api/v1/companies/${co.id}/credit?asOf=2026-07-10`)).json;
    expect(later.openAmountMinor).toBe(600_00);
  });

  it('a bad asOf is a validation error', async () => {
    const org = await makeOrg();
    const co = await company(org);
    const res = await call(org.manager, 'GET', `/api/v1/companies/${co.id}/credit?asOf=30.06.2026`);
    expect(res.status).toBe(422);
    expect(res.json.errors[0].path).toBe('/asOf');
  });

  it('the client card carries the credit summary and the open cases, VIP complaints first', async () => {
    const org = await makeOrg();
    const co = await company(org, { vipTier: 3, creditLimitMinor: 500_00 });
    await call(org.head, 'POST', `/api/v1/companies/${co.id}/payments`, { body: row({ issuedOn: '2020-01-01', dueOn: '2020-01-31' }) });
    const proposal = (
      await call(org.manager, 'POST', '/api/v1/cases', { body: { kind: 'proposal', subject: 'Add weekend delivery', companyId: co.id } })
    ).json;
    const complaint = (
      await call(org.manager, 'POST', '/api/v1/cases', { body: { kind: 'complaint', subject: 'Invoice is wrong', companyId: co.id } })
    ).json;
    const closed = (
      await call(org.manager, 'POST', '/api/v1/cases', {
        body: { kind: 'complaint', subject: 'Old', companyId: co.id, status: 'resolved' },
      })
    ).json;
    const card = await call(org.manager, 'GET', `/api/v1/companies/${co.id}/card`);
    expect(card.status).toBe(200);
    expect(card.json.openCases.map((c: { id: string }) => c.id)).toEqual([complaint.id, proposal.id]);
    expect(card.json.openCases.map((c: { id: string }) => c.id)).not.toContain(closed.id);
    expect(card.json.credit).toMatchObject({
      openAmountMinor: 100_00,
      overdueAmountMinor: 100_00,
      creditLimitMinor: 500_00,
      score: expect.any(Number),
      reasons: expect.any(Array),
    });
    expect(card.json.credit.maxDaysOverdue).toBeGreaterThan(365 * 5);
  });
});

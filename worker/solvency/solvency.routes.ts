import { Hono } from 'hono';
import {
  CreditQuery,
  CreditSummary,
  MAX_PAYMENT_ROWS,
  Page,
  Payment,
  PaymentListQuery,
  PaymentRow,
  PaymentsResult,
  PaymentsUpload,
} from '../../shared/schemas';
import { companies } from '../companies/companies.repo';
import { auditStatement } from '../lib/audit';
import { commit } from '../http/commit';
import { decodeCursor, encodeCursor } from '../http/cursor';
import type { AppEnv } from '../http/env';
import { AppError, notFound, type FieldError } from '../http/errors';
import { nowIso } from '../lib/ids';
import { doc } from '../http/openapi';
import { query } from '../http/validate';
import { creditOf, knownInvoices, paymentsPage, paymentUpsertStatements, toPayment } from './solvency.repo';

doc(
  {
    method: 'post',
    path: '/api/v1/companies/:id/payments',
    summary: `Save invoices and payments of a client (one, an array or {rows}; up to ${MAX_PAYMENT_ROWS}); upserts by invoice number, answers per-row errors`,
    tag: 'Solvency',
    body: PaymentsUpload,
    response: PaymentsResult,
  },
  {
    method: 'get',
    path: '/api/v1/companies/:id/payments',
    summary: "A client's invoices, newest first",
    tag: 'Solvency',
    query: PaymentListQuery,
    response: Page(Payment),
  },
  {
    method: 'get',
    path: '/api/v1/companies/:id/credit',
    summary: 'The credit card of a client as of a date: open and overdue amounts, lateness, score and reasons',
    tag: 'Solvency',
    query: CreditQuery,
    response: CreditSummary,
  },
);

interface RowError {
  row: number;
  field: string;
  reason: string;
}

/** Routes under /companies/:id. */
export const solvencyRoutes = new Hono<AppEnv>()
  .post('/:id/payments', async (c) => {
    const p = c.get('principal');
    const db = c.env.DB;
    const company = await companies.get(db, p.orgId, c.req.param('id'));
    if (!company) throw notFound('Company');
    const rows = await readRows(c.req.raw.headers.get('content-type'), await c.req.text());
    if (rows.length > MAX_PAYMENT_ROWS)
      throw new AppError(
        'payload_too_large',
        `Send at most ${MAX_PAYMENT_ROWS} rows per request; this one has ${rows.length}. Split it into several requests.`,
      );

    const errors: RowError[] = [];
    const good = new Map<string, { row: number; value: ReturnType<typeof PaymentRow.parse> }>();
    rows.forEach((raw, row) => {
      const parsed = PaymentRow.safeParse(raw);
      if (!parsed.success) {
        for (const issue of parsed.error.issues) {
          const keys = issue.code === 'unrecognized_keys' ? issue.keys : [];
          errors.push({
            row,
            field: keys.length ? keys.join(',') : issue.path.map(String).join('.') || '(row)',
            reason: keys.length ? 'unknown field' : issue.message,
          });
        }
        return;
      }
      const v = parsed.data;
      if (v.dueOn < v.issuedOn) return void errors.push({ row, field: 'dueOn', reason: 'the due date is before the issue date' });
      const earlier = good.get(v.invoiceNo);
      if (earlier)
        errors.push({
          row: earlier.row,
          field: 'invoiceNo',
          reason: `invoice ${v.invoiceNo} appears again in row ${row}; the later row is saved`,
        });
      good.set(v.invoiceNo, { row, value: v });
    });
    errors.sort((a, b) => a.row - b.row);
    if (!good.size) {
      if (!rows.length)
        throw new AppError('validation_failed', 'There are no rows to save.', {
          errors: [{ path: '/', code: 'too_small', message: 'Send at least one row.' }],
        });
      const fieldErrors: FieldError[] = errors.map((e) => ({
        path: `/${e.row}/${e.field.replace(/\./g, '/')}`,
        code: 'invalid_row',
        message: e.reason,
      }));
      throw new AppError('validation_failed', `None of the ${rows.length} rows can be saved.`, { errors: fieldErrors });
    }

    const values = [...good.values()].map((g) => g.value);
    const existing = await knownInvoices(
      db,
      p.orgId,
      company.id,
      values.map((v) => v.invoiceNo),
    );
    const now = nowIso();
    const stmts = paymentUpsertStatements(
      db,
      p.orgId,
      values.map((v) => ({ ...v, companyId: company.id })),
      now,
    );
    const result = {
      received: rows.length,
      saved: values.length,
      created: values.length - existing.length,
      updated: existing.length,
      errors,
    };
    stmts.push(
      auditStatement(db, p, 'import', 'company', company.id, {
        payments: { saved: result.saved, created: result.created, updated: result.updated, rejected: errors.length },
      }),
    );
    await commit(c, stmts, 200, result);
    return c.json(result);
  })
  .get('/:id/payments', query(PaymentListQuery), async (c) => {
    const p = c.get('principal');
    const db = c.env.DB;
    const company = await companies.get(db, p.orgId, c.req.param('id'));
    if (!company) throw notFound('Company');
    const q = c.req.valid('query');
    const results = await paymentsPage(db, p.orgId, company.id, q.cursor ? decodeCursor(q.cursor, 2) : null, q.limit + 1);
    const items = results.slice(0, q.limit).map(toPayment);
    const last = items[items.length - 1];
    return c.json({ items, nextCursor: results.length > q.limit && last ? encodeCursor([last.issuedOn, last.id]) : null });
  })
  .get('/:id/credit', query(CreditQuery), async (c) => {
    const p = c.get('principal');
    const company = await companies.get(c.env.DB, p.orgId, c.req.param('id'));
    if (!company) throw notFound('Company');
    return c.json(await creditOf(c.env.DB, p.orgId, company, c.req.valid('query').asOf));
  });

/** The rows of a payments body: one object, an array, or {rows: [...]}. */
async function readRows(contentType: string | null, text: string): Promise<unknown[]> {
  if (!/^application\/(.+\+)?json\b/i.test(contentType ?? ''))
    throw new AppError('unsupported_media_type', 'Send the rows as JSON with "Content-Type: application/json".');
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new AppError('malformed_json', 'The body is not valid JSON.');
  }
  if (Array.isArray(body)) return body;
  if (body && typeof body === 'object' && Array.isArray((body as { rows?: unknown }).rows)) return (body as { rows: unknown[] }).rows;
  if (body && typeof body === 'object' && Object.keys(body).length) return [body];
  throw new AppError('validation_failed', 'Send a payment row, an array of rows or {"rows": [...]}.', {
    errors: [{ path: '/', code: 'invalid_type', message: 'Expected a row, an array of rows or {"rows": [...]}.' }],
  });
}

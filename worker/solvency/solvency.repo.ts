import { scoreCredit, type CreditSummary } from '../../shared/credit/score';
import type { Rec } from '../records/spec';
import { newId } from '../lib/ids';

export interface PaymentDbRow {
  id: string;
  company_id: string;
  invoice_no: string;
  amount_minor: number;
  currency: string;
  issued_on: string;
  due_on: string;
  paid_on: string | null;
  notes: string | null;
  version: number;
  created_at: string;
  updated_at: string;
}

export const toPayment = (r: PaymentDbRow) => ({
  id: r.id,
  companyId: r.company_id,
  invoiceNo: r.invoice_no,
  amountMinor: r.amount_minor,
  currency: r.currency,
  issuedOn: r.issued_on,
  dueOn: r.due_on,
  paidOn: r.paid_on,
  notes: r.notes,
  version: r.version,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

/** One invoice to save: the row of a payments upload or of an accounting sheet, with its client. */
export interface PaymentInput {
  /** The id a new row gets (an existing invoice keeps its own); generated when absent. */
  id?: string;
  companyId: string;
  invoiceNo: string;
  amountMinor: number;
  currency: string;
  issuedOn: string;
  dueOn: string;
  paidOn?: string | null;
  notes?: string | null;
}

/** Rows per JSON statement. */
const UPSERT_CHUNK = 250;

/**
 * Statements that save invoices, upserting by (client, invoice number): a re-import of the same
 * sheet updates rows (and bumps their version only when something changed) instead of adding them.
 */
export function paymentUpsertStatements(db: D1Database, orgId: string, rows: readonly PaymentInput[], now: string): D1PreparedStatement[] {
  const out: D1PreparedStatement[] = [];
  for (let i = 0; i < rows.length; i += UPSERT_CHUNK) {
    const chunk = rows
      .slice(i, i + UPSERT_CHUNK)
      .map((v) => ({ ...v, id: v.id ?? newId(), paidOn: v.paidOn ?? null, notes: v.notes ?? null }));
    out.push(
      db
        .prepare(
          `INSERT INTO payments (id, org_id, company_id, invoice_no, amount_minor, currency, issued_on, due_on, paid_on, notes, created_at, updated_at, version)
           SELECT j.value ->> 'id', ?2, j.value ->> 'companyId', j.value ->> 'invoiceNo', j.value ->> 'amountMinor', j.value ->> 'currency', j.value ->> 'issuedOn',
                  j.value ->> 'dueOn', j.value ->> 'paidOn', j.value ->> 'notes', ?3, ?3, 1
             FROM json_each(?1) j WHERE true
           ON CONFLICT (org_id, company_id, invoice_no) DO UPDATE SET
             amount_minor = excluded.amount_minor, currency = excluded.currency, issued_on = excluded.issued_on, due_on = excluded.due_on,
             paid_on = excluded.paid_on, notes = excluded.notes, updated_at = excluded.updated_at, version = payments.version + 1, deleted_at = NULL
           WHERE payments.amount_minor IS NOT excluded.amount_minor OR payments.currency IS NOT excluded.currency
              OR payments.issued_on IS NOT excluded.issued_on OR payments.due_on IS NOT excluded.due_on OR payments.paid_on IS NOT excluded.paid_on
              OR payments.notes IS NOT excluded.notes OR payments.deleted_at IS NOT NULL`,
        )
        .bind(JSON.stringify(chunk), orgId, now),
    );
  }
  return out;
}

/** Invoices the card reads at most; far above a client's yearly invoices, it bounds the query. */
const MAX_INVOICES = 20_000;

/** Which of these invoice numbers the company's live payments already hold. */
export async function knownInvoices(db: D1Database, orgId: string, companyId: string, invoiceNos: string[]) {
  const { results } = await db
    .prepare(
      'SELECT invoice_no FROM payments WHERE org_id = ?1 AND company_id = ?2 AND deleted_at IS NULL AND invoice_no IN (SELECT value FROM json_each(?3))',
    )
    .bind(orgId, companyId, JSON.stringify(invoiceNos))
    .all<{ invoice_no: string }>();
  return results;
}

/** Up to `limit` of the company's live payments, newest issue first, after the cursor's (issued_on, id). */
export async function paymentsPage(db: D1Database, orgId: string, companyId: string, cursor: (string | number)[] | null, limit: number) {
  const params: unknown[] = [orgId, companyId];
  let after = '';
  if (cursor) {
    params.push(...cursor);
    after = ' AND (issued_on, id) < (?3, ?4)';
  }
  const { results } = await db
    .prepare(
      `SELECT * FROM payments WHERE org_id = ?1 AND company_id = ?2 AND deleted_at IS NULL${after} ORDER BY issued_on DESC, id DESC LIMIT ${limit}`,
    )
    .bind(...params)
    .all<PaymentDbRow>();
  return results;
}

export const todayDate = () => new Date().toISOString().slice(0, 10);

/**
 * The credit card of a company as of a date: every invoice issued by then (payments_company
 * index), scored by the shared, pure scoreCredit, so a past report reproduces it.
 */
export async function creditOf(db: D1Database, orgId: string, company: Rec, asOf: string = todayDate()): Promise<CreditSummary> {
  const { results } = await db
    .prepare(
      `SELECT amount_minor, currency, issued_on, due_on, paid_on FROM payments
        WHERE org_id = ?1 AND company_id = ?2 AND deleted_at IS NULL AND issued_on <= ?3
        ORDER BY issued_on DESC LIMIT ${MAX_INVOICES}`,
    )
    .bind(orgId, company.id, asOf)
    .all<Pick<PaymentDbRow, 'amount_minor' | 'currency' | 'issued_on' | 'due_on' | 'paid_on'>>();
  return scoreCredit({
    asOf,
    creditLimitMinor: (company.creditLimitMinor as number | null) ?? null,
    currency: (company.creditCurrency as string | null) ?? null,
    invoices: results.map((r) => ({
      amountMinor: r.amount_minor,
      currency: r.currency,
      issuedOn: r.issued_on,
      dueOn: r.due_on,
      paidOn: r.paid_on,
    })),
  });
}

import { scoreCredit, type CreditSummary } from '../../shared/credit/score';
import type { Rec } from '../lib/crud';

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

/** Invoices the card reads at most; far above a client's yearly invoices, it bounds the query. */
const MAX_INVOICES = 20_000;

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

// An accounting sheet through the import flow: each row is one invoice (number, amount, issue,
// due and paid dates) of a client already in Leadpane, found by EIK, VAT number or name. Rows are
// upserted by (client, invoice number), so importing the same sheet again changes nothing and an
// updated sheet (paid dates filled in) updates only the invoices that changed.
import { companyKey, normalizeEik, normalizeVat } from '../../shared/identity';
import type { ImportRowResult } from '../../shared/schemas';
import type { HeaderMapping, ImportRecord } from '../../shared/sheet';
import { paymentUpsertStatements, type PaymentInput } from '../solvency/solvency.repo';
import { newId } from '../lib/ids';
import { lookupKeys, type Key } from './identity-lookup';

type RowError = ImportRowResult['errors'][number];

export interface PaymentRowIn {
  result: ImportRowResult;
  record: ImportRecord;
}

export interface PaymentPlanInput {
  db: D1Database;
  orgId: string;
  mode: 'create' | 'update' | 'skip';
  mapping: HeaderMapping;
  defaultCurrency: string | undefined;
  rows: PaymentRowIn[];
  now: string;
}

/** The invoice number column's limit (the payments table's and the payments API's). */
const MAX_INVOICE_NO = 64;
/** The notes limit of the payments API. */
const MAX_NOTES = 1000;

/**
 * Checks each converted row, finds its client, and answers the upsert statements. Rows with an
 * error are marked on their result (row, column, reason) and saved nowhere.
 */
export async function planPayments(o: PaymentPlanInput): Promise<{
  statements: D1PreparedStatement[];
  counts: { created: number; updated: number; skipped: number; error: number };
}> {
  // The stored mapping is its columns (the import API keeps no field index).
  const header = (field: string) => o.mapping.columns.find((c) => c.field === field)?.header ?? '';
  const fail = (g: PaymentRowIn, field: string, reason: string, value?: string) => {
    const e: RowError = { row: g.result.row, column: header(field), field, reason };
    if (value !== undefined) e.value = value;
    g.result.errors.push(e);
  };

  // 1. Each row on its own: an invoice number, an amount with a currency, dates in order, a client named.
  const checked: { g: PaymentRowIn; value: Omit<PaymentInput, 'companyId'> }[] = [];
  for (const g of o.rows) {
    const r = g.record;
    const issuedOn = r.issuedOn ?? r.dueOn;
    const dueOn = r.dueOn ?? r.issuedOn;
    const currency = r.currency ?? o.defaultCurrency;
    if (!r.invoiceNo) fail(g, 'invoiceNo', 'missing_invoice');
    else if (r.invoiceNo.length > MAX_INVOICE_NO) fail(g, 'invoiceNo', 'invoice_too_long', r.invoiceNo.slice(0, 80));
    if (r.amount === undefined) fail(g, 'amount', 'missing_amount');
    else if (r.amount < 0) fail(g, 'amount', 'negative_amount', String(r.amount / 100));
    else if (!currency) fail(g, 'currency', 'missing_currency');
    if (!issuedOn || !dueOn) fail(g, 'issuedOn', 'missing_date');
    else if (dueOn < issuedOn) fail(g, 'dueOn', 'due_before_issue', dueOn);
    if (r.paidOn && issuedOn && r.paidOn < issuedOn) fail(g, 'paidOn', 'paid_before_issue', r.paidOn);
    if (!r.company && !r.eik && !r.vatNumber) fail(g, 'company', 'missing_company');
    if (r.notes && r.notes.length > MAX_NOTES) fail(g, 'notes', 'notes_too_long', r.notes.slice(0, 80));
    if (g.result.errors.length) continue;
    checked.push({
      g,
      value: {
        invoiceNo: r.invoiceNo!,
        amountMinor: r.amount!,
        currency: currency!,
        issuedOn: issuedOn!,
        dueOn: dueOn!,
        paidOn: r.paidOn ?? null,
        notes: r.notes ?? null,
      },
    });
  }

  // 2. The clients: EIK first, then VAT number, then the name; a payment never creates a client.
  // In order of trust: EIK, VAT number, name key.
  const clientKeys = (r: ImportRecord): Key[] =>
    (
      [
        ['eik', normalizeEik(r.eik) ?? ''],
        ['vat', normalizeVat(r.vatNumber) ?? ''],
        ['name', r.company ? companyKey(r.company) : ''],
      ] as Key[]
    ).filter(([, v]) => v);
  const known = await lookupKeys(
    o.db,
    o.orgId,
    'company',
    checked.flatMap(({ g }) => clientKeys(g.record)),
  );
  const matched: { g: PaymentRowIn; value: PaymentInput }[] = [];
  for (const { g, value } of checked) {
    const keys = clientKeys(g.record);
    const companyId = keys.map(([k, v]) => known.get(`${k}:${v}`)).find(Boolean);
    if (!companyId) {
      const first = keys[0]?.[0];
      const [field, given] =
        first === 'eik' ? ['eik', g.record.eik] : first === 'vat' ? ['vatNumber', g.record.vatNumber] : ['company', g.record.company];
      fail(g, field!, 'unknown_company', given);
      continue;
    }
    matched.push({ g, value: { ...value, companyId } });
  }

  // 3. New, changed or unchanged: an invoice is the same one when client and number agree.
  const existing = new Map<string, Record<string, unknown>>();
  if (matched.length) {
    const { results } = await o.db
      .prepare(
        `SELECT p.* FROM json_each(?2) j CROSS JOIN payments p
          WHERE p.org_id = ?1 AND p.company_id = j.value ->> 0 AND p.invoice_no = j.value ->> 1 AND p.deleted_at IS NULL`,
      )
      .bind(o.orgId, JSON.stringify(matched.map((m) => [m.value.companyId, m.value.invoiceNo])))
      .all<Record<string, unknown>>();
    for (const r of results) existing.set(`${r.company_id}\u0000${r.invoice_no}`, r);
  }
  const counts = { created: 0, updated: 0, skipped: 0, error: 0 };
  // The same invoice twice in the sheet: the lower row is the later word, the upper one is skipped.
  const last = new Map<string, { g: PaymentRowIn; value: PaymentInput }>();
  const repeats: { g: PaymentRowIn; key: string }[] = [];
  for (const m of matched) {
    const key = `${m.value.companyId}\u0000${m.value.invoiceNo}`;
    const earlier = last.get(key);
    if (earlier) repeats.push({ g: earlier.g, key });
    last.set(key, m);
  }
  const toSave: PaymentInput[] = [];
  for (const [key, m] of last) {
    const before = existing.get(key);
    m.value.id = (before?.id as string | undefined) ?? newId();
    m.g.result.id = m.value.id;
    if (before && (o.mode === 'skip' || same(before, m.value))) m.g.result.status = 'skipped';
    else {
      m.g.result.status = before ? 'updated' : 'created';
      toSave.push(m.value);
    }
  }
  for (const { g, key } of repeats) {
    g.result.status = 'skipped';
    g.result.id = last.get(key)!.value.id!;
  }
  for (const g of o.rows) {
    if (g.result.errors.length) g.result.status = 'error';
    counts[g.result.status]++;
  }
  return { statements: paymentUpsertStatements(o.db, o.orgId, toSave, o.now), counts };
}

function same(before: Record<string, unknown>, v: PaymentInput): boolean {
  return (
    before.amount_minor === v.amountMinor &&
    before.currency === v.currency &&
    before.issued_on === v.issuedOn &&
    before.due_on === v.dueOn &&
    (before.paid_on ?? null) === (v.paidOn ?? null) &&
    (before.notes ?? null) === (v.notes ?? null)
  );
}

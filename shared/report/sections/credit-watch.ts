import { scoreCredit, type CreditInvoice } from '../../credit/score';
import { section, type Cell, type Lang, type ReportSection } from '../definitions';
import { DAY } from './order';

/** An invoice of a client in scope, with the client's credit limit. */
export interface PaymentRow {
  company_id: string;
  name: string;
  credit_limit_minor: number | null;
  credit_currency: string | null;
  amount_minor: number;
  currency: string;
  issued_on: string;
  due_on: string;
  paid_on: string | null;
}

/**
 * Clients whose credit score fell during the period: the score on the day before it began against
 * the score on its last day, from the same invoices (payments made later count as not yet made).
 * Biggest drop first, then by name.
 *
 * @example creditWatchSection(payments, '2026-11-16T00:00:00.000Z', '2026-11-23T00:00:00.000Z').rows
 * // [[client, score before, score after, grade, overdue amount, currency, first reason], ...]
 */
export function creditWatchSection(payments: PaymentRow[], from: string, to: string, lang: Lang = 'en'): ReportSection {
  const day = (iso: string) => new Date(Date.parse(iso) - DAY).toISOString().slice(0, 10);
  const byCompany = new Map<string, { name: string; limit: number | null; currency: string | null; invoices: CreditInvoice[] }>();
  for (const p of payments) {
    let c = byCompany.get(p.company_id);
    if (!c) byCompany.set(p.company_id, (c = { name: p.name, limit: p.credit_limit_minor, currency: p.credit_currency, invoices: [] }));
    c.invoices.push({ amountMinor: p.amount_minor, currency: p.currency, issuedOn: p.issued_on, dueOn: p.due_on, paidOn: p.paid_on });
  }
  const out: Cell[][] = [];
  for (const c of byCompany.values()) {
    const card = (asOf: string) =>
      scoreCredit({ asOf, creditLimitMinor: c.limit, currency: c.currency, invoices: c.invoices.filter((i) => i.issuedOn <= asOf) });
    const start = card(day(from));
    const end = card(day(to));
    if (end.score >= start.score) continue;
    out.push([c.name, start.score, end.score, end.grade, end.overdueAmountMinor, end.currency, end.reasons[0] ?? null]);
  }
  return section(
    'creditWatch',
    out.sort((a, b) => Number(b[1]) - Number(b[2]) - (Number(a[1]) - Number(a[2])) || String(a[0]).localeCompare(String(b[0]))),
    lang,
  );
}

/**
 * The credit card of a client: payment history in, a deterministic 0-100 score with its reasons
 * out. Pure, so the API, a past weekly report and the add-in all compute the same answer for the
 * same invoices and the same `asOf` date.
 */

export type CreditCurrency = 'BGN' | 'EUR' | 'RUB' | 'USD';

export interface CreditInvoice {
  invoiceNo?: string;
  amountMinor: number;
  currency: string;
  /** ISO dates, YYYY-MM-DD. */
  issuedOn: string;
  dueOn: string;
  paidOn: string | null;
}

export interface CreditInput {
  /** The day the card is computed for (YYYY-MM-DD); payments after it count as not yet made. */
  asOf: string;
  creditLimitMinor: number | null;
  /** The currency of the limit and of every sum; defaults to BGN. */
  currency: string | null;
  invoices: CreditInvoice[];
}

export type CreditGrade = 'A' | 'B' | 'C' | 'D' | 'E';

export type CreditReasonCode =
  'no_history' | 'paid_late' | 'avg_days_late' | 'overdue' | 'overdue_over_limit' | 'open_over_limit' | 'other_currency';

export interface CreditSummary {
  asOf: string;
  creditLimitMinor: number | null;
  currency: CreditCurrency;
  openAmountMinor: number;
  overdueAmountMinor: number;
  /** Invoices issued in the 12 months up to asOf. */
  invoices12m: number;
  /** Invoices of the last 12 months paid more than 30 days after their due date. */
  paidLate30d: number;
  /** Average days paid after due date over invoices paid in the last 12 months (early = 0). */
  avgDaysLate: number;
  /** Days past due of the oldest invoice still open on asOf (0 if none). */
  maxDaysOverdue: number;
  score: number;
  grade: CreditGrade;
  reasons: string[];
  reasonCodes: CreditReasonCode[];
}

const DAY_MS = 86_400_000;
/** Lev per euro, the fixed rate of the currency board (BGN has been pegged to EUR since 1999). */
export const BGN_PER_EUR = 1.95583;

/** Whole days from date a to date b (YYYY-MM-DD); negative when b is before a. */
export function daysBetween(a: string, b: string): number {
  return Math.round((Date.parse(b + 'T00:00:00Z') - Date.parse(a + 'T00:00:00Z')) / DAY_MS);
}

/** The date `days` after (or before, if negative) an ISO date. */
export function addDays(date: string, days: number): string {
  return new Date(Date.parse(date + 'T00:00:00Z') + days * DAY_MS).toISOString().slice(0, 10);
}

/** Converts between BGN and EUR at the fixed rate; other pairs have no rate here (null). */
export function convertMinor(amountMinor: number, from: string, to: string): number | null {
  if (from === to) return amountMinor;
  if (from === 'EUR' && to === 'BGN') return Math.round(amountMinor * BGN_PER_EUR);
  if (from === 'BGN' && to === 'EUR') return Math.round(amountMinor / BGN_PER_EUR);
  return null;
}

export function gradeOf(score: number): CreditGrade {
  return score >= 80 ? 'A' : score >= 60 ? 'B' : score >= 40 ? 'C' : score >= 20 ? 'D' : 'E';
}

const money = (minor: number, currency: string) => `${(minor / 100).toFixed(2)} ${currency}`;
const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/**
 * Scores a client's payment discipline as of a date. Starts at 100 and subtracts, each capped:
 * - 10 per invoice paid more than 30 days late in 12 months (at most 40);
 * - a third of the average days late (at most 20);
 * - by the age of the oldest overdue open invoice: 5 (1-30 days), 10 (31-60), 20 (61-90), 30 (>90);
 * - 25 when the open overdue amount exceeds the credit limit, else 10 when the open amount does.
 * A client with no invoices in 12 months and nothing open scores 50 (C): unknown, not bad.
 *
 * @example
 * scoreCredit({ asOf: '2026-06-30', creditLimitMinor: 1_000_00, currency: 'BGN', invoices: [
 *   { amountMinor: 500_00, currency: 'BGN', issuedOn: '2026-03-01', dueOn: '2026-03-31', paidOn: '2026-05-15' },
 * ] }) // => { score: 75, grade: 'B', paidLate30d: 1, avgDaysLate: 45, reasons: ['1 invoice paid more than 30 days late in 12 months', ...] }
 */
export function scoreCredit(input: CreditInput): CreditSummary {
  const currency = (['BGN', 'EUR', 'RUB', 'USD'].includes(input.currency ?? '') ? input.currency : 'BGN') as CreditCurrency;
  const asOf = input.asOf;
  const yearAgo = addDays(asOf, -365);
  let open = 0;
  let overdue = 0;
  let invoices12m = 0;
  let paidLate30d = 0;
  let lateDaysSum = 0;
  let paidCount = 0;
  let maxDaysOverdue = 0;
  let otherCurrency = 0;

  for (const inv of input.invoices) {
    if (inv.issuedOn > asOf) continue; // not issued yet on that day
    const amount = convertMinor(inv.amountMinor, inv.currency, currency);
    const paid = inv.paidOn !== null && inv.paidOn <= asOf;
    if (inv.issuedOn > yearAgo) invoices12m++;
    if (paid) {
      if (inv.paidOn! > yearAgo) {
        const late = Math.max(0, daysBetween(inv.dueOn, inv.paidOn!));
        paidCount++;
        lateDaysSum += late;
        if (late > 30) paidLate30d++;
      }
      continue;
    }
    const daysOverdue = daysBetween(inv.dueOn, asOf);
    if (daysOverdue > 0) maxDaysOverdue = Math.max(maxDaysOverdue, daysOverdue);
    if (amount === null) {
      otherCurrency++;
      continue;
    }
    open += amount;
    if (daysOverdue > 0) overdue += amount;
  }
  const avgDaysLate = paidCount ? Math.round((lateDaysSum / paidCount) * 10) / 10 : 0;

  const reasons: string[] = [];
  const reasonCodes: CreditReasonCode[] = [];
  const say = (code: CreditReasonCode, text: string) => {
    reasonCodes.push(code);
    reasons.push(text);
  };
  let score = 100;
  if (invoices12m === 0 && open === 0 && overdue === 0 && maxDaysOverdue === 0) {
    score = 50;
    say('no_history', 'no invoices in the last 12 months');
  } else {
    if (paidLate30d > 0) {
      score -= Math.min(40, paidLate30d * 10);
      say('paid_late', `${plural(paidLate30d, 'invoice', 'invoices')} paid more than 30 days late in 12 months`);
    }
    const latePenalty = Math.min(20, Math.floor(avgDaysLate / 3));
    if (latePenalty > 0) {
      score -= latePenalty;
      say('avg_days_late', `pays ${avgDaysLate} days late on average`);
    }
    if (maxDaysOverdue > 0) {
      score -= maxDaysOverdue > 90 ? 30 : maxDaysOverdue > 60 ? 20 : maxDaysOverdue > 30 ? 10 : 5;
      say('overdue', `${money(overdue, currency)} overdue, the oldest by ${plural(maxDaysOverdue, 'day', 'days')}`);
    }
    const limit = input.creditLimitMinor;
    if (limit !== null && overdue > limit) {
      score -= 25;
      say('overdue_over_limit', 'open overdue amount exceeds the credit limit');
    } else if (limit !== null && open > limit) {
      score -= 10;
      say('open_over_limit', 'open amount exceeds the credit limit');
    }
  }
  if (otherCurrency > 0)
    say('other_currency', `${plural(otherCurrency, 'open invoice', 'open invoices')} in another currency not counted in the sums`);
  score = Math.max(0, Math.min(100, score));
  return {
    asOf,
    creditLimitMinor: input.creditLimitMinor,
    currency,
    openAmountMinor: open,
    overdueAmountMinor: overdue,
    invoices12m,
    paidLate30d,
    avgDaysLate,
    maxDaysOverdue,
    score,
    grade: gradeOf(score),
    reasons,
    reasonCodes,
  };
}

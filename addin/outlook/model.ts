// What the Outlook pane reads from the API and works out from the open message, kept free of
// React so the pieces stay small.
import type { Company, CompanyCard, Contact, MatchAnswer } from '../api/contract';
import type { MailItem } from '../office/types';

/** A lead already captured (for example from an earlier email of the same sender). */
import type { Lead as LeadRecord } from '../api/contract';
export type { LeadRecord };
export type { LeadMatch } from '../api/contract';
/** GET /match: contacts, companies and leads. */
export type MatchAll = MatchAnswer;

/** What an action is linked to: the chosen client, deal or lead. */
export interface Link {
  companyId: string | null;
  contactId: string | null;
  dealId: string | null;
  leadId: string | null;
}

export const NO_LINK: Link = { companyId: null, contactId: null, dealId: null, leadId: null };

/** A client's payment standing, as the client card answers it. */
export type CreditSummary = CompanyCard['credit'];

/** A forwarded message by its subject ("Fwd:", "FW:", "Пр:", "Пересл:"). */
export const isForward = (subject: string | null | undefined): boolean =>
  /^\s*(?:fwd?|fw|пр|препр|пересл|tr|wg|rv)\s*:/i.test(subject ?? '');

/** The thread's addresses (from, to, cc), sender first, without duplicates. */
export function threadEmails(item: MailItem): string[] {
  const all = [item.from, ...item.to, ...item.cc].filter((a) => a !== null).map((a) => a.email.trim().toLowerCase());
  return [...new Set(all)].filter((e) => e.includes('@'));
}

const domainOf = (email: string) => email.slice(email.lastIndexOf('@') + 1).toLowerCase();

/** The company the sender's domain matched, when the answer lets us tell. */
export function senderCompany(result: MatchAnswer, sender: string): Company | null {
  const domain = domainOf(sender);
  const byDomain = result.companies.find((c) => {
    const fields = [c.company.domain, c.company.website];
    return fields.some((f) => typeof f === 'string' && f.toLowerCase().includes(domain));
  });
  if (byDomain) return byDomain.company;
  return result.companies.length === 1 ? result.companies[0]!.company : null;
}

/** The contact whose email (or one of whose emails) is the sender's. */
export function senderContact(result: MatchAnswer, sender: string): { contact: Contact; company: Company | null } | null {
  const s = sender.toLowerCase();
  const hit = result.contacts.find((c) => {
    return (c.contact.emails ?? []).some((e) => e.toLowerCase() === s);
  });
  return hit ? { contact: hit.contact, company: hit.company } : null;
}

/** A lead captured from the sender's address. */
export function senderLead(result: MatchAll, sender: string): LeadRecord | null {
  const s = sender.toLowerCase();
  return result.leads.find((l) => l.lead.email?.toLowerCase() === s && l.lead.status !== 'disqualified')?.lead ?? null;
}

/** True for a company with a VIP tier (0, null and "" mean not VIP). */
export function isVip(tier: unknown): boolean {
  return tier !== null && tier !== undefined && tier !== '' && tier !== 0 && tier !== '0';
}

/**
 * The date `days` working days (Monday to Friday) after `from`, at 09:00 local time.
 * @example addWorkingDays(new Date('2026-07-03'), 2) // Tuesday 2026-07-07 (Friday + 2)
 */
export function addWorkingDays(from: Date, days: number): Date {
  const d = new Date(from.getFullYear(), from.getMonth(), from.getDate(), 9, 0, 0, 0);
  let left = days;
  while (left > 0) {
    d.setDate(d.getDate() + 1);
    const day = d.getDay();
    if (day !== 0 && day !== 6) left--;
  }
  return d;
}

/** A Date as the value of <input type="date"> (local calendar day). */
export function toDateInput(d: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** An <input type="date"> value to an ISO timestamp at 09:00 local time; null when empty or invalid. */
export function dateInputToIso(value: string): string | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!m) return null;
  const d = new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]), 9, 0, 0, 0);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}

/** The id an activity logged from this message carries; a repeat answers the same activity. */
export const messageKey = (item: MailItem) => item.internetMessageId ?? item.id ?? null;

/** Confidence (0..1) in three words. */
export function confidenceLevel(confidence: number): 'high' | 'medium' | 'low' {
  return confidence >= 0.8 ? 'high' : confidence >= 0.5 ? 'medium' : 'low';
}

/** The currencies the API keeps money in. */
export const CURRENCIES = ['BGN', 'EUR', 'RUB', 'USD'] as const;

/**
 * An amount typed by a user to integer minor units (two decimals): "1 234,50", "1234.5" and
 * "1,234.50" all give 123450; null when it is not an amount (or has more than two decimals).
 * @example decimalToMinor('12 345,6') // 1234560
 */
export function decimalToMinor(text: string): number | null {
  const s = text.replace(/[\s\u00a0\u202f']/g, '');
  if (!s) return null;
  const lastSep = Math.max(s.lastIndexOf(','), s.lastIndexOf('.'));
  // The last separator is the decimal one when one or two digits follow it; others group thousands.
  const decimal = lastSep >= 0 && s.length - lastSep - 1 <= 2;
  const whole = decimal ? s.slice(0, lastSep) : s;
  const fraction = decimal ? s.slice(lastSep + 1) : '';
  if (!/^(?:\d+|\d{1,3}(?:[.,]\d{3})+)$/.test(whole) || !/^\d{0,2}$/.test(fraction)) return null;
  const minor = Number(whole.replace(/[.,]/g, '')) * 100 + Number(fraction.padEnd(2, '0'));
  return Number.isSafeInteger(minor) ? minor : null;
}

/** Minor units as the text of an amount field: 123450 -> "1234.50". */
export function minorToInput(amountMinor: number | null | undefined): string {
  if (amountMinor === null || amountMinor === undefined) return '';
  const whole = Math.trunc(amountMinor / 100);
  return `${whole}.${String(Math.abs(amountMinor) % 100).padStart(2, '0')}`;
}

/** A date and a time of day from the follow-up form (local time) as an ISO instant; null when invalid. */
export function dateTimeInputToIso(date: string, time: string): string | null {
  const d = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  const t = /^(\d{2}):(\d{2})$/.exec(time || '09:00');
  if (!d || !t) return null;
  const at = new Date(Number(d[1]), Number(d[2]) - 1, Number(d[3]), Number(t[1]), Number(t[2]), 0, 0);
  return Number.isNaN(at.getTime()) ? null : at.toISOString();
}

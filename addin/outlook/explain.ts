// The server's answers in the user's words: a refused "won" (422 business_rule, one error per
// document at /documents/<slot>), the access rules of a 403 (not_owner, owner_not_allowed,
// head_only_field), a document's name, and the credit score's reasons from their codes. Pure, so
// the pane's views and the tests share them.
import { ApiError } from '../api/problem';
import type { I18n } from '../ui/i18n/core';
import type { CreditSummary } from './model';

/** The default package's labels (shared/schemas DEFAULT_DOCUMENT_SLOTS): these are translated. */
export const DEFAULT_SLOT_LABELS: Record<string, string> = {
  offer: 'Offer',
  contract: 'Contract',
  company_extract: 'Company registry extract',
  power_of_attorney: 'Power of attorney',
  specification: 'Specification',
  invoice: 'Invoice',
};

/** A document's name for the user: the default slots in their language, an organisation's own as it wrote it. */
export function slotLabel(i18n: I18n, slot: string, label: string | null | undefined): string {
  const key = `docs.slot.${slot}`;
  if (DEFAULT_SLOT_LABELS[slot] && (!label || label === DEFAULT_SLOT_LABELS[slot]) && i18n.has(key)) return i18n.t(key);
  return label || slot;
}

export interface KnownDocument {
  slot: string;
  label: string;
  status: string;
}

/** The documents a refused "won" names, with the user's words for each; empty for any other problem. */
export function missingDocuments(error: unknown, i18n: I18n, known: KnownDocument[] = []): string[] {
  if (!(error instanceof ApiError) || error.problem.code !== 'business_rule') return [];
  return error.fieldErrors
    .filter((e) => e.code === 'document_missing' && e.path.startsWith('/documents/'))
    .map((e) => {
      const slot = e.path.slice('/documents/'.length);
      const doc = known.find((d) => d.slot === slot);
      const label = slotLabel(i18n, slot, doc?.label);
      const requested = doc ? doc.status === 'requested' : /requested/i.test(e.message);
      return i18n.t(requested ? 'rule.docRequested' : 'rule.docMissing', { label });
    });
}

const ACCESS_CODES = ['not_owner', 'owner_not_allowed', 'head_only_field'] as const;

/** The access rules a 403 names, in the user's words (each once). */
export function accessRules(error: unknown, i18n: I18n): string[] {
  if (!(error instanceof ApiError) || error.status !== 403) return [];
  const codes = new Set(error.fieldErrors.map((e) => e.code));
  return ACCESS_CODES.filter((c) => codes.has(c)).map((c) => i18n.t(`rule.${c}`));
}

/** The credit score's reasons in the user's words, from the server's reason codes. */
export function creditReasons(i18n: I18n, credit: CreditSummary): string[] {
  return credit.reasonCodes.map((code) => {
    switch (code) {
      case 'paid_late':
        return i18n.t('credit.reason.paid_late', { count: credit.paidLate30d });
      case 'avg_days_late':
        return i18n.t('credit.reason.avg_days_late', { days: i18n.formatNumber(credit.avgDaysLate) });
      case 'overdue':
        return i18n.t('credit.reason.overdue', {
          amount: i18n.formatMoney(credit.overdueAmountMinor, credit.currency),
          count: credit.maxDaysOverdue,
        });
      default:
        return i18n.t(`credit.reason.${code}`);
    }
  });
}

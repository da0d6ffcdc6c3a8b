// The server's write rules, said in the user's language: which documents a won deal still lacks
// (422 business_rule, one error per document at /documents/<slot>), whose record it is (403
// not_owner / owner_not_allowed) and who sets a client's VIP tier and credit limit (403
// head_only_field). Anything else is the pane's usual problem message.
import { MessageBar, MessageBarBody } from '@fluentui/react-components';
import { ApiError } from '../api/problem';
import { useI18n } from '../ui/context';
import type { I18n } from '../ui/i18n/core';
import { ProblemBar } from '../ui/ProblemBar';

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

/** A failed change, explained: the rule it broke in the user's language, else the usual problem bar. */
export function RuleBar({ error, documents }: { error: unknown; documents?: KnownDocument[] }) {
  const i18n = useI18n();
  if (!error) return null;
  const missing = missingDocuments(error, i18n, documents);
  const access = accessRules(error, i18n);
  if (!missing.length && !access.length) return <ProblemBar error={error} />;
  return (
    <MessageBar intent="error" role="alert" data-testid="rule-bar">
      <MessageBarBody>{missing.length ? i18n.t('rule.wonRefused', { documents: missing.join('; ') }) : access.join(' ')}</MessageBarBody>
    </MessageBar>
  );
}

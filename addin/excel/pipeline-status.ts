// A pipeline row's outcome in the user's language: the text of its Status cell and of the pane's
// list of refused rows.
import type { I18n, MessageKey } from '../ui/i18n';
import type { Field, RowStatus } from './pipeline-sync';

/** A refusal's reason: ours in the user's language when we know its code, else the server's words. */
export function refusalText(i18n: I18n, refused: { reason: string; code: string }, fields: Field[] = []): string {
  const key = `pl.reason.${refused.code}`;
  if (refused.code === 'document_missing' && i18n.has(key)) return i18n.t(key, { documents: refused.reason });
  if (refused.code.startsWith('invalid_')) return i18n.t('pl.reason.invalid', { fields: columns(i18n, fields) || refused.reason });
  return i18n.has(key) ? i18n.t(key) : refused.reason;
}

const columns = (i18n: I18n, fields: Field[]) => fields.map((f) => i18n.t(`pl.col.${f}` as MessageKey)).join(', ');

export function describeStatus(i18n: I18n): (s: RowStatus) => string {
  return (s) => {
    const parts: string[] = [];
    if (s.refused) parts.push(i18n.t('pl.st.refused', { reason: refusalText(i18n, s.refused) }));
    if (s.gone) parts.push(i18n.t(s.gone === 'deleted' ? 'pl.st.deleted' : 'pl.st.scope'));
    if (s.conflicts?.length) parts.push(i18n.t('pl.st.conflict', { fields: columns(i18n, s.conflicts) }));
    if (s.created) parts.push(i18n.t('pl.st.created'));
    if (s.sent?.length) parts.push(i18n.t('pl.st.sent', { fields: columns(i18n, s.sent) }));
    if (s.queued) parts.push(i18n.t('pl.st.queued'));
    if (s.merged?.length) parts.push(i18n.t('pl.st.merged', { fields: columns(i18n, s.merged) }));
    if (s.added) parts.push(i18n.t('pl.st.added'));
    if (s.failed) parts.push(i18n.t('pl.st.failed'));
    return parts.join('; ');
  };
}

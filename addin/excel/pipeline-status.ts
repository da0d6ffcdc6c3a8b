// A pipeline row's outcome in the user's language: the text of its Status cell and of the pane's
// list of refused rows.
import { STAGE_NAMES } from '../../shared/report/stage-names';
import { slotLabel } from '../outlook/explain';
import type { I18n, MessageKey } from '../ui/i18n';
import type { StageNames } from './pipeline-stages';
import type { StandingText } from './pipeline-standing';
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

/** The Stage column's words: the stage names of the pane's language. */
export const stageNamesOf = (i18n: I18n): StageNames => STAGE_NAMES[i18n.lang];

/** The read-only columns in the user's words; the default documents by their translated names. */
export function standingText(i18n: I18n): StandingText {
  return {
    documentsHeader: i18n.t('pl.col.documents'),
    competitorsHeader: i18n.t('pl.col.competitors'),
    documents: ({ documents: d }) =>
      d.required === 0
        ? i18n.t('pl.docs.none')
        : d.missing.length
          ? i18n.t('pl.docs.missing', {
              ready: d.ready,
              required: d.required,
              documents: d.missing.map((m) => slotLabel(i18n, m.slot, m.label)).join(', '),
            })
          : i18n.t('pl.docs.complete', { required: d.required }),
    competitors: (s) => s.competitors.map((c) => (c.lostTo ? i18n.t('pl.comp.lostTo', { name: c.name }) : c.name)).join(', '),
  };
}

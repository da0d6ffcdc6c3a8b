// How sure the extraction is of a field of the lead form, and where it found it: the signature,
// the message text, the headers, the web form, the sender's earlier email, or a guess. Shown only
// once the extraction has filled the form, so it is a chunk of its own, loaded alongside the
// extraction (see LeadForm).
import { Badge, makeStyles, tokens } from '@fluentui/react-components';
import type { MessageKey } from '../ui/i18n';
import { useI18n } from '../ui/context';
import { confidenceLevel } from './model';

export type Confidence = { confidence: number; source: string };

const useStyles = makeStyles({
  hint: { display: 'inline-flex', gap: tokens.spacingHorizontalXS, alignItems: 'center', flexWrap: 'wrap' },
});

export function ConfidenceHint({ c }: { c: Confidence | null }) {
  const i18n = useI18n();
  const styles = useStyles();
  if (!c) return null;
  const level = confidenceLevel(c.confidence);
  const label = `lead.source.label.${c.source}`;
  const from = `lead.source.from.${c.source}`;
  return (
    <span className={styles.hint} data-source={c.source}>
      {i18n.has(label) ? (
        <Badge size="small" appearance="outline" color={c.source === 'domain' ? 'warning' : 'brand'}>
          {i18n.t(label as MessageKey)}
        </Badge>
      ) : null}
      <Badge size="small" appearance="tint" color={level === 'high' ? 'success' : level === 'medium' ? 'warning' : 'danger'}>
        {i18n.t(`lead.conf.${level}`)}
      </Badge>
      {i18n.has(from) ? <span>{i18n.t(from as MessageKey)}</span> : null}
    </span>
  );
}

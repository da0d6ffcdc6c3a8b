// How sure the extraction is of a field of the lead form, and where it found it. Shown only once
// the extraction has filled the form, so it is a chunk of its own, loaded alongside the
// extraction (see LeadForm).
import { Badge, makeStyles, tokens } from '@fluentui/react-components';
import { useI18n } from '../ui/context';
import { confidenceLevel } from './model';

export type Confidence = { confidence: number; source: string };

const useStyles = makeStyles({
  hint: { display: 'inline-flex', gap: tokens.spacingHorizontalXS, alignItems: 'center' },
});

export function ConfidenceHint({ c }: { c: Confidence | null }) {
  const i18n = useI18n();
  const styles = useStyles();
  if (!c) return null;
  const level = confidenceLevel(c.confidence);
  const source = `lead.source.from.${c.source}`;
  return (
    <span className={styles.hint}>
      <Badge size="small" appearance="tint" color={level === 'high' ? 'success' : level === 'medium' ? 'warning' : 'danger'}>
        {i18n.t(`lead.conf.${level}`)}
      </Badge>
      {i18n.has(source) ? <span>{i18n.t(source)}</span> : null}
    </span>
  );
}

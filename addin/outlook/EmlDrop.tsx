// Browser mode only: a dropped, chosen or pasted .eml becomes the open email.
import { Body1, Button, Field, Subtitle2, Textarea, makeStyles, tokens } from '@fluentui/react-components';
import { useRef, useState } from 'react';
import type { BrowserMailHost } from '../office/mail-browser';
import { usePane, useI18n } from '../ui/context';
import { ProblemBar } from '../ui/ProblemBar';

const useStyles = makeStyles({
  root: {
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalS,
    padding: tokens.spacingHorizontalM,
    border: `${tokens.strokeWidthThick} dashed ${tokens.colorNeutralStroke1}`,
    borderRadius: tokens.borderRadiusMedium,
  },
  active: { border: `${tokens.strokeWidthThick} dashed ${tokens.colorBrandStroke1}` },
  hidden: { display: 'none' },
  text: { margin: 0 },
});

export function EmlDrop() {
  const styles = useStyles();
  const i18n = useI18n();
  const mail = usePane().host.mail as BrowserMailHost;
  const input = useRef<HTMLInputElement>(null);
  const [raw, setRaw] = useState('');
  const [over, setOver] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const use = async (source: Blob | string | undefined) => {
    if (!source || (typeof source === 'string' && !source.trim())) return;
    setError(null);
    try {
      const item = await mail.loadEml(source);
      if (!item.from && item.to.length === 0) throw new Error('no headers');
      setRaw('');
    } catch {
      setError(i18n.t('mail.drop.failed'));
    }
  };

  return (
    <section
      className={`${styles.root} ${over ? styles.active : ''}`}
      aria-labelledby="eml-drop-title"
      onDragOver={(e) => {
        e.preventDefault();
        setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={(e) => {
        e.preventDefault();
        setOver(false);
        void use(e.dataTransfer.files[0]);
      }}
      onPaste={(e) => {
        const file = e.clipboardData.files[0];
        if (file) {
          e.preventDefault();
          void use(file);
        }
      }}
    >
      <Subtitle2 as="h2" id="eml-drop-title">
        {i18n.t('mail.drop.title')}
      </Subtitle2>
      <Body1 as="p" className={styles.text}>
        {i18n.t('mail.drop.body')}
      </Body1>
      <input
        ref={input}
        type="file"
        accept=".eml,message/rfc822"
        className={styles.hidden}
        aria-label={i18n.t('mail.drop.choose')}
        onChange={(e) => {
          void use(e.target.files?.[0]);
          e.target.value = '';
        }}
      />
      <div>
        <Button onClick={() => input.current?.click()}>{i18n.t('mail.drop.choose')}</Button>
      </div>
      <Field label={i18n.t('mail.drop.paste')}>
        <Textarea value={raw} onChange={(_, d) => setRaw(d.value)} resize="vertical" rows={3} />
      </Field>
      <div>
        <Button disabled={!raw.trim()} onClick={() => void use(raw)}>
          {i18n.t('mail.drop.use')}
        </Button>
      </div>
      {error ? <ProblemBar error={new Error(error)} /> : null}
    </section>
  );
}

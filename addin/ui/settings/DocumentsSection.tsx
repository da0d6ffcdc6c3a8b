// Document packages: the documents a deal needs and the stage each is due in.
import { Body1, Button, Caption1, Input, Select } from '@fluentui/react-components';
import { useEffect, useState } from 'react';
import { transliterate } from '../../../shared/identity/name-key';
import type { DocumentSettings } from '../../api/contract';
import { usePane, useI18n } from '../context';
import type { MessageKey } from '../i18n';
import { ProblemBar } from '../ProblemBar';
import { ifMatch, useLoaded, useSettingsStyles } from './settings-kit';

type DocStage = DocumentSettings['slots'][number]['stage'];
const STAGES: DocStage[] = ['new', 'qualified', 'proposal', 'negotiation', 'won'];

/** A slot key for a new document from its name, in the API's alphabet (a-z, 0-9, _), unique. */
export function slotKey(label: string, taken: ReadonlySet<string>): string {
  const base =
    transliterate(label)
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '_')
      .replace(/^[^a-z]+|_+$/g, '')
      .slice(0, 32) || 'document';
  let key = base;
  for (let n = 2; taken.has(key); n++) key = `${base}_${n}`;
  return key;
}

export function DocumentsSection() {
  const styles = useSettingsStyles();
  const i18n = useI18n();
  const { client } = usePane();
  const settings = useLoaded(() => client.get('/settings/documents'), [client]);
  // New rows have no key yet: it is made from their name when saved.
  const [rows, setRows] = useState<Array<{ slot: string | null; label: string; stage: DocStage }>>([]);
  const [error, setError] = useState<unknown>(null);
  const [note, setNote] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => setRows(settings.data?.slots ?? []), [settings.data]);

  const update = (i: number, patch: Partial<(typeof rows)[number]>) =>
    setRows((r) => r.map((row, j) => (j === i ? { ...row, ...patch } : row)));

  const save = async () => {
    if (!settings.data) return;
    setBusy(true);
    setError(null);
    setNote(null);
    const taken = new Set(rows.flatMap((r) => (r.slot ? [r.slot] : [])));
    const slots = rows.map((r) => {
      if (r.slot) return { slot: r.slot, label: r.label.trim(), stage: r.stage };
      const slot = slotKey(r.label, taken);
      taken.add(slot);
      return { slot, label: r.label.trim(), stage: r.stage };
    });
    try {
      await client.send({ method: 'PUT', path: '/settings/documents', body: { slots }, headers: ifMatch(settings.data.version) });
      setNote(i18n.t('st.saved'));
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
    await settings.reload();
  };

  return (
    <div className={styles.column}>
      <Body1>{i18n.t('st.docs.intro')}</Body1>
      {settings.data?.isDefault ? <Caption1>{i18n.t('st.docs.default')}</Caption1> : null}
      <ol className={styles.list}>
        {rows.map((row, i) => (
          <li key={row.slot ?? `new-${i}`} className={styles.row}>
            <Input
              className={styles.grow}
              aria-label={i18n.t('st.docs.labelOf', { n: i + 1 })}
              value={row.label}
              maxLength={100}
              onChange={(_, d) => update(i, { label: d.value })}
            />
            <Select
              aria-label={i18n.t('st.docs.stageOf', { n: i + 1 })}
              value={row.stage}
              onChange={(_, d) => update(i, { stage: d.value as DocStage })}
            >
              {STAGES.map((s) => (
                <option key={s} value={s}>
                  {i18n.t(`stage.${s}` as MessageKey)}
                </option>
              ))}
            </Select>
            <Button
              size="small"
              aria-label={i18n.t('st.docs.removeAria', { n: i + 1 })}
              onClick={() => setRows((r) => r.filter((_, j) => j !== i))}
            >
              ✕
            </Button>
          </li>
        ))}
      </ol>
      <div className={styles.row}>
        <Button onClick={() => setRows((r) => [...r, { slot: null, label: i18n.t('st.docs.new'), stage: 'proposal' }])}>
          {i18n.t('st.docs.add')}
        </Button>
        <Button appearance="primary" disabled={busy || !settings.data || rows.some((r) => !r.label.trim())} onClick={() => void save()}>
          {i18n.t('st.save')}
        </Button>
      </div>
      {note ? <Body1 role="status">{note}</Body1> : null}
      <ProblemBar error={error ?? settings.error} />
    </div>
  );
}

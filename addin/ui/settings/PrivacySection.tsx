// Privacy requests: find a person, export everything held about them (JSON or CSV), or erase
// their personal data after a confirmation.
import { Body1, Button, Caption1, Field, Input, MessageBar, MessageBarActions, MessageBarBody } from '@fluentui/react-components';
import { useState, type FormEvent } from 'react';
import type { Contact } from '../../api/contract';
import { usePane, useI18n } from '../context';
import { ProblemBar } from '../ProblemBar';
import { ifMatch, useSettingsStyles } from './settings-kit';

/** Hands `text` to the browser as a download named `file`. */
function download(file: string, text: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = file;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function PrivacySection() {
  const styles = useSettingsStyles();
  const i18n = useI18n();
  const { client } = usePane();
  const [q, setQ] = useState('');
  const [found, setFound] = useState<Contact[] | null>(null);
  const [confirm, setConfirm] = useState<Contact | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [note, setNote] = useState<string | null>(null);

  const search = async (event?: FormEvent) => {
    event?.preventDefault();
    setError(null);
    if (!q.trim()) return;
    try {
      setFound((await client.get('/contacts', { query: { q: q.trim(), limit: 20 } })).items);
    } catch (e) {
      setError(e);
    }
  };

  const exportAs = async (c: Contact, format: 'json' | 'csv') => {
    setError(null);
    setNote(null);
    try {
      const data = await client.get('/contacts/:id/export', { params: { id: c.id }, query: { format } });
      const file = `leadpane-contact-${c.id}.${format}`;
      if (format === 'json') download(file, JSON.stringify(data, null, 2), 'application/json');
      else download(file, String(data), 'text/csv;charset=utf-8');
      setNote(i18n.t('st.privacy.exported', { name: c.fullName, file }));
    } catch (e) {
      setError(e);
    }
  };

  const erase = async (c: Contact) => {
    setError(null);
    setNote(null);
    setConfirm(null);
    try {
      await client.send({ method: 'POST', path: '/contacts/:id/erase', params: { id: c.id }, headers: ifMatch(c.version) });
      setNote(i18n.t('st.privacy.erased', { name: c.fullName }));
      await search();
    } catch (e) {
      setError(e);
    }
  };

  return (
    <div className={styles.column}>
      <Body1>{i18n.t('st.privacy.intro')}</Body1>
      <form className={styles.row} onSubmit={(e) => void search(e)} role="search" aria-label={i18n.t('st.privacy')}>
        <Field className={styles.grow} label={i18n.t('st.privacy.search')}>
          <Input type="search" value={q} onChange={(_, d) => setQ(d.value)} />
        </Field>
        <Button type="submit">{i18n.t('st.privacy.find')}</Button>
      </form>
      {confirm ? (
        <MessageBar intent="warning" layout="multiline">
          <MessageBarBody>{i18n.t('st.privacy.confirm', { name: confirm.fullName })}</MessageBarBody>
          <MessageBarActions>
            <Button appearance="primary" onClick={() => void erase(confirm)}>
              {i18n.t('st.privacy.confirmButton')}
            </Button>
            <Button onClick={() => setConfirm(null)}>{i18n.t('st.privacy.cancel')}</Button>
          </MessageBarActions>
        </MessageBar>
      ) : null}
      {note ? <Body1 role="status">{note}</Body1> : null}
      <ProblemBar error={error} />
      {found && found.length === 0 ? <Caption1>{i18n.t('st.privacy.noMatch')}</Caption1> : null}
      <ul className={styles.list} aria-label={i18n.t('st.privacy')}>
        {found?.map((c) => (
          <li key={c.id} className={styles.card}>
            <Body1>{c.fullName}</Body1>
            <Caption1>{[...(c.emails ?? []), ...(c.phones ?? [])].join(' · ')}</Caption1>
            <div className={styles.row}>
              {(['json', 'csv'] as const).map((f) => (
                <Button
                  key={f}
                  size="small"
                  aria-label={i18n.t('st.privacy.exportAria', { name: c.fullName, format: f.toUpperCase() })}
                  onClick={() => void exportAs(c, f)}
                >
                  {i18n.t(f === 'json' ? 'st.privacy.exportJson' : 'st.privacy.exportCsv')}
                </Button>
              ))}
              <Button size="small" aria-label={i18n.t('st.privacy.eraseAria', { name: c.fullName })} onClick={() => setConfirm(c)}>
                {i18n.t('st.privacy.erase')}
              </Button>
            </div>
          </li>
        ))}
      </ul>
    </div>
  );
}

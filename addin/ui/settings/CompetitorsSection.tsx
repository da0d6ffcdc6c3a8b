// The competitor list: add one, remove one (deals that name it keep their links; restore via the API).
import { Body1, Button, Caption1, Field, Input } from '@fluentui/react-components';
import { useState, type FormEvent } from 'react';
import type { Competitor } from '../../api/contract';
import { usePane, useI18n } from '../context';
import { ProblemBar } from '../ProblemBar';
import { ifMatch, useLoaded, useSettingsStyles } from './settings-kit';

export function CompetitorsSection() {
  const styles = useSettingsStyles();
  const i18n = useI18n();
  const { client } = usePane();
  const list = useLoaded(() => client.get('/competitors', { query: { limit: 200 } }), [client]);
  const [draft, setDraft] = useState({ name: '', website: '' });
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const add = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await client.create('/competitors', { body: { name: draft.name.trim(), website: draft.website.trim() || null } });
      setDraft({ name: '', website: '' });
      await list.reload();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  const remove = async (c: Competitor) => {
    setError(null);
    try {
      await client.send({ method: 'DELETE', path: '/competitors/:id', params: { id: c.id }, headers: ifMatch(c.version) });
    } catch (e) {
      setError(e);
    }
    await list.reload();
  };

  const items = [...(list.data?.items ?? [])].sort((a, b) => a.name.localeCompare(b.name, i18n.locale));
  return (
    <div className={styles.column}>
      <Body1>{i18n.t('st.comp.intro')}</Body1>
      <form className={styles.form} onSubmit={(e) => void add(e)} aria-label={i18n.t('st.comp.add')}>
        <Field label={i18n.t('st.comp.name')} required>
          <Input value={draft.name} onChange={(_, d) => setDraft((v) => ({ ...v, name: d.value }))} required />
        </Field>
        <Field label={i18n.t('st.comp.website')}>
          <Input value={draft.website} onChange={(_, d) => setDraft((v) => ({ ...v, website: d.value }))} />
        </Field>
        <div>
          <Button type="submit" appearance="primary" disabled={busy || !draft.name.trim()}>
            {i18n.t('st.comp.add')}
          </Button>
        </div>
      </form>
      <ProblemBar error={error ?? list.error} />
      {list.data && items.length === 0 ? <Caption1>{i18n.t('st.none')}</Caption1> : null}
      <ul className={styles.list} aria-label={i18n.t('st.competitors')}>
        {items.map((c) => (
          <li key={c.id} className={styles.row}>
            <Body1 className={styles.grow}>
              {c.name}
              {c.website ? <Caption1 block>{c.website}</Caption1> : null}
            </Body1>
            <Button size="small" aria-label={i18n.t('st.comp.removeAria', { name: c.name })} onClick={() => void remove(c)}>
              ✕
            </Button>
          </li>
        ))}
      </ul>
    </div>
  );
}

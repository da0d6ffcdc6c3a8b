// Web forms: create one with its allowed origins, change them, copy the embed snippet (in the
// language the website speaks) and see what the form has brought in lately.
import { Body1, Button, Caption1, Field, Input, Select, Spinner, Subtitle2, Switch, Textarea } from '@fluentui/react-components';
import { useEffect, useState, type FormEvent } from 'react';
import type { WebForm as FormRecord } from '../../api/contract';
import { usePane, useI18n } from '../context';
import { ProblemBar } from '../ProblemBar';
import { CopyButton, ifMatch, useLoaded, useSettingsStyles } from './settings-kit';

const LANGS = ['bg', 'ru', 'en'] as const;
type FormLang = (typeof LANGS)[number];
const origins = (text: string) => text.split(/[\s,]+/).filter(Boolean);

export function FormsSection() {
  const styles = useSettingsStyles();
  const i18n = useI18n();
  const { client } = usePane();
  const forms = useLoaded(() => client.get('/forms', { query: { limit: 100 } }), [client]);
  const [selected, setSelected] = useState<string>('');
  const [draft, setDraft] = useState({ name: '', origins: '' });
  const [createError, setCreateError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [note, setNote] = useState<string | null>(null);

  const list = forms.data?.items ?? [];
  const form = list.find((f) => f.id === selected) ?? list[0] ?? null;

  const create = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setCreateError(null);
    setNote(null);
    try {
      const made = await client.create('/forms', { body: { name: draft.name.trim(), allowedOrigins: origins(draft.origins) } });
      setNote(i18n.t('st.forms.created', { name: made.name }));
      setDraft({ name: '', origins: '' });
      await forms.reload();
      setSelected(made.id);
    } catch (e) {
      setCreateError(e);
    } finally {
      setBusy(false);
    }
  };

  const originsError = i18n.fieldMessage(createError as never, '/allowedOrigins/0');
  return (
    <div className={styles.column}>
      <Body1>{i18n.t('st.forms.intro')}</Body1>
      <form className={styles.form} onSubmit={(e) => void create(e)} aria-label={i18n.t('st.forms.create')}>
        <Field label={i18n.t('st.forms.name')} required>
          <Input name="formName" value={draft.name} onChange={(_, d) => setDraft((v) => ({ ...v, name: d.value }))} required />
        </Field>
        <Field
          label={i18n.t('st.forms.origins')}
          hint={i18n.t('st.forms.originsHint')}
          validationMessage={originsError}
          validationState={originsError ? 'error' : 'none'}
        >
          <Input
            name="formOrigins"
            value={draft.origins}
            placeholder="https://www.example.bg"
            onChange={(_, d) => setDraft((v) => ({ ...v, origins: d.value }))}
          />
        </Field>
        <div>
          <Button type="submit" appearance="primary" disabled={busy || !draft.name.trim()}>
            {i18n.t('st.forms.create')}
          </Button>
        </div>
      </form>
      <ProblemBar error={createError ?? forms.error} />
      {note ? <Body1 role="status">{note}</Body1> : null}
      {list.length > 0 && form ? (
        <>
          <Field label={i18n.t('st.forms.pick')}>
            <Select className={styles.fit} value={form.id} onChange={(_, d) => setSelected(d.value)}>
              {list.map((f) => (
                <option key={f.id} value={f.id}>
                  {f.name}
                </option>
              ))}
            </Select>
          </Field>
          <FormDetail key={`${form.id}:${form.version}`} form={form} onSaved={() => void forms.reload()} />
        </>
      ) : forms.data ? (
        <Caption1>{i18n.t('st.none')}</Caption1>
      ) : null}
    </div>
  );
}

function FormDetail({ form, onSaved }: { form: FormRecord; onSaved: () => void }) {
  const styles = useSettingsStyles();
  const i18n = useI18n();
  const { client } = usePane();
  const [allowed, setAllowed] = useState(form.allowedOrigins.join(' '));
  const [active, setActive] = useState(form.active);
  const [lang, setLang] = useState<FormLang>(i18n.lang);
  const [error, setError] = useState<unknown>(null);
  const [note, setNote] = useState<string | null>(null);
  const snippet = useLoaded(
    () => client.get('/forms/:formKey/embed', { params: { formKey: form.formKey }, query: { lang } }),
    [client, form.formKey, lang],
  );
  const submissions = useLoaded(() => client.get('/forms/:id/submissions', { params: { id: form.id } }), [client, form.id]);
  useEffect(() => setNote(null), [lang]);

  const save = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    setNote(null);
    try {
      await client.send({
        method: 'PATCH',
        path: '/forms/:id',
        params: { id: form.id },
        body: { allowedOrigins: origins(allowed), active },
        headers: ifMatch(form.version),
      });
      onSaved();
    } catch (e) {
      setError(e);
    }
  };

  const originsError = i18n.fieldMessage(error as never, '/allowedOrigins/0');
  return (
    <div className={styles.column}>
      <form className={styles.form} onSubmit={(e) => void save(e)} aria-label={form.name}>
        <Field
          label={i18n.t('st.forms.origins')}
          hint={i18n.t('st.forms.originsHint')}
          validationMessage={originsError}
          validationState={originsError ? 'error' : 'none'}
        >
          <Input value={allowed} onChange={(_, d) => setAllowed(d.value)} />
        </Field>
        <Switch checked={active} label={i18n.t('st.forms.active')} onChange={(_, d) => setActive(d.checked)} />
        <div>
          <Button type="submit">{i18n.t('st.save')}</Button>
        </div>
      </form>
      <ProblemBar error={error} />
      <Subtitle2 as="h4">{i18n.t('st.forms.snippet')}</Subtitle2>
      <Field label={i18n.t('st.forms.lang')}>
        <Select value={lang} onChange={(_, d) => setLang(d.value as FormLang)}>
          {LANGS.map((l) => (
            <option key={l} value={l}>
              {i18n.t(`st.lang.${l}`)}
            </option>
          ))}
        </Select>
      </Field>
      <Field label={i18n.t('st.forms.snippet')} hint={i18n.t('st.forms.snippetHint')}>
        <Textarea className={styles.code} readOnly resize="vertical" rows={6} value={snippet.data ?? ''} data-testid="form-snippet" />
      </Field>
      <div className={styles.row}>
        <CopyButton text={snippet.data ?? ''} onDone={setNote} />
      </div>
      {note ? <Body1 role="status">{note}</Body1> : null}
      <ProblemBar error={snippet.error} />
      <div className={styles.row}>
        <Subtitle2 as="h4" className={styles.grow}>
          {i18n.t('st.forms.submissions')}
        </Subtitle2>
        <Button size="small" onClick={() => void submissions.reload()}>
          {i18n.t('st.refresh')}
        </Button>
      </div>
      {submissions.busy && !submissions.data ? <Spinner size="tiny" label={i18n.t('common.loading')} /> : null}
      <ProblemBar error={submissions.error} />
      {submissions.data && submissions.data.items.length === 0 ? <Caption1>{i18n.t('st.forms.noSubmissions')}</Caption1> : null}
      <ul className={styles.list} aria-label={i18n.t('st.forms.submissions')}>
        {submissions.data?.items.map((s) => (
          <li key={s.leadId} className={styles.card}>
            <Body1>{s.fullName ?? s.email ?? s.phone ?? '—'}</Body1>
            <Caption1>{[s.phone, s.email, s.companyName, i18n.formatDateTime(s.createdAt)].filter(Boolean).join(' · ')}</Caption1>
          </li>
        ))}
      </ul>
    </div>
  );
}

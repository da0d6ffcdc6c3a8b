// Microsoft 365 (admins): link the organisation to its Entra tenant, so the tenant's people sign
// in to it; a tenant linked to no organisation is refused.
import { Body1, Button, Caption1, Field, Input } from '@fluentui/react-components';
import { useState, type FormEvent } from 'react';
import { usePane, useI18n } from '../context';
import { ProblemBar } from '../ProblemBar';
import { ifMatch, useLoaded, useSettingsStyles } from './settings-kit';

export function TenantSection() {
  const styles = useSettingsStyles();
  const i18n = useI18n();
  const { client } = usePane();
  const link = useLoaded(() => client.get('/settings/microsoft'), [client]);
  // What the admin typed; until then the field shows the linked tenant (a late answer never wipes typing).
  const [typed, setTyped] = useState<string | null>(null);
  const tenant = typed ?? link.data?.tenantId ?? '';
  const [error, setError] = useState<unknown>(null);
  const [note, setNote] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const save = async (tenantId: string | null) => {
    if (!link.data) return;
    setBusy(true);
    setError(null);
    setNote(null);
    try {
      const next = await client.send({
        method: 'PUT',
        path: '/settings/microsoft',
        body: { tenantId },
        headers: ifMatch(link.data.version),
      });
      setNote(next.tenantId ? i18n.t('st.ms.linked', { tenant: next.tenantId }) : i18n.t('st.ms.notLinked'));
      setTyped(null);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
    await link.reload();
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    void save(tenant.trim() || null);
  };
  const fieldError = i18n.fieldMessage(error as never, '/tenantId');
  return (
    <div className={styles.column}>
      <Body1>{i18n.t('st.ms.intro')}</Body1>
      {link.data ? (
        <>
          <Caption1>{i18n.t(link.data.signInEnabled ? 'st.ms.on' : 'st.ms.off')}</Caption1>
          <Body1>{link.data.tenantId ? i18n.t('st.ms.linked', { tenant: link.data.tenantId }) : i18n.t('st.ms.notLinked')}</Body1>
        </>
      ) : null}
      <form className={styles.form} onSubmit={submit} aria-label={i18n.t('st.microsoft')}>
        <Field
          label={i18n.t('st.ms.tenant')}
          hint={i18n.t('st.ms.tenantHint')}
          validationMessage={fieldError}
          validationState={fieldError ? 'error' : 'none'}
        >
          <Input
            className={styles.code}
            value={tenant}
            placeholder="00000000-0000-0000-0000-000000000000"
            spellCheck={false}
            onChange={(_, d) => setTyped(d.value)}
          />
        </Field>
        <div className={styles.row}>
          <Button type="submit" appearance="primary" disabled={busy || !tenant.trim()}>
            {i18n.t('st.ms.link')}
          </Button>
          {link.data?.tenantId ? (
            <Button disabled={busy} onClick={() => void save(null)}>
              {i18n.t('st.ms.unlink')}
            </Button>
          ) : null}
        </div>
      </form>
      {note ? <Body1 role="status">{note}</Body1> : null}
      <ProblemBar error={error ?? link.error} />
    </div>
  );
}

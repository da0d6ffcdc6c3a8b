// Personal tokens: create one (for yourself, or for a manager as head, anyone as admin) with a
// name and an expiry, shown once; list the active ones and revoke them.
import {
  Body1,
  Button,
  Caption1,
  Field,
  Input,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  Select,
  Subtitle2,
} from '@fluentui/react-components';
import { useState, type FormEvent } from 'react';
import { TOKEN_KEY } from '../../api/client';
import type { ApiToken as TokenRecord } from '../../api/contract';
import { usePane, useI18n } from '../context';
import { ProblemBar } from '../ProblemBar';
import { CopyButton, mayManage, useLoaded, useSettingsStyles, type SectionProps } from './settings-kit';

const EXPIRIES = ['30', '90', '365', 'never'] as const;
type Expiry = (typeof EXPIRIES)[number];
const DAY_MS = 86_400_000;

export function TokensSection({ me }: SectionProps) {
  const styles = useSettingsStyles();
  const i18n = useI18n();
  const { client, host } = usePane();
  const users = useLoaded(
    () => (me.user.role === 'manager' ? Promise.resolve({ items: [], nextCursor: null }) : client.get('/users')),
    [client, me.user.role],
  );
  const tokens = useLoaded(() => client.get('/tokens'), [client]);
  const [form, setForm] = useState<{ userId: string; name: string; expiry: Expiry }>({ userId: '', name: '', expiry: '90' });
  const [created, setCreated] = useState<{ token: string; forName: string } | null>(null);
  const [createError, setCreateError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [note, setNote] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);

  const others = (users.data?.items ?? []).filter((u) => u.active && u.id !== me.user.id && mayManage(me, u.role));
  const nameOf = (userId: string) =>
    userId === me.user.id ? me.user.name : (users.data?.items.find((u) => u.id === userId)?.name ?? userId.slice(-6));
  // The token this pane signs in with: revoking it here would sign this pane out.
  const ownPrefix = host.info.storage.get(TOKEN_KEY)?.slice(0, 10);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setCreateError(null);
    setCreated(null);
    setNote(null);
    try {
      const answer = await client.create('/tokens', {
        body: {
          name: form.name.trim(),
          ...(form.userId ? { userId: form.userId } : {}),
          expiresAt: form.expiry === 'never' ? null : new Date(Date.now() + Number(form.expiry) * DAY_MS).toISOString(),
        },
      });
      setCreated({ token: answer.token, forName: nameOf(answer.userId) });
      setForm((f) => ({ ...f, name: '' }));
      await tokens.reload();
    } catch (e) {
      setCreateError(e);
    } finally {
      setBusy(false);
    }
  };

  const revoke = async (token: TokenRecord) => {
    setError(null);
    setNote(null);
    try {
      await client.send({ method: 'DELETE', path: '/tokens/:id', params: { id: token.id } });
      setNote(i18n.t('st.tokens.revoked', { name: token.name }));
    } catch (e) {
      setError(e);
    }
    await tokens.reload();
  };

  const now = Date.now();
  const active = (tokens.data?.items ?? []).filter((t) => !t.revokedAt && (!t.expiresAt || Date.parse(t.expiresAt) > now));
  const nameError = i18n.fieldMessage(createError as never, '/name');
  return (
    <div className={styles.column}>
      <Body1>{i18n.t('st.tokens.intro')}</Body1>
      <form className={styles.form} onSubmit={(e) => void submit(e)} aria-label={i18n.t('st.tokens.create')}>
        {others.length > 0 ? (
          <Field label={i18n.t('st.tokens.for')}>
            <Select className={styles.fit} value={form.userId} onChange={(_, d) => setForm((f) => ({ ...f, userId: d.value }))}>
              <option value="">{i18n.t('st.tokens.me', { name: me.user.name })}</option>
              {others.map((u) => (
                <option key={u.id} value={u.id}>
                  {u.name} ({u.email})
                </option>
              ))}
            </Select>
          </Field>
        ) : null}
        <Field
          label={i18n.t('st.tokens.name')}
          hint={i18n.t('st.tokens.nameHint')}
          required
          validationMessage={nameError}
          validationState={nameError ? 'error' : 'none'}
        >
          <Input
            name="tokenName"
            value={form.name}
            maxLength={100}
            onChange={(_, d) => setForm((f) => ({ ...f, name: d.value }))}
            required
          />
        </Field>
        <Field label={i18n.t('st.tokens.expiry')}>
          <Select value={form.expiry} onChange={(_, d) => setForm((f) => ({ ...f, expiry: d.value as Expiry }))}>
            {EXPIRIES.map((e) => (
              <option key={e} value={e}>
                {i18n.t(`st.tokens.expiry.${e}`)}
              </option>
            ))}
          </Select>
        </Field>
        <div>
          <Button type="submit" appearance="primary" disabled={busy || !form.name.trim()}>
            {i18n.t('st.tokens.create')}
          </Button>
        </div>
      </form>
      <ProblemBar error={createError} />
      {created ? (
        <MessageBar intent="success" layout="multiline">
          <MessageBarBody className={styles.column}>
            <MessageBarTitle>{i18n.t('st.tokens.created', { name: created.forName })}</MessageBarTitle>
            <div className={styles.row}>
              <Input
                className={styles.grow}
                readOnly
                value={created.token}
                aria-label={i18n.t('st.tokens.value')}
                data-testid="new-token"
                onFocus={(e) => e.currentTarget.select()}
              />
              <CopyButton text={created.token} onDone={setNote} />
            </div>
          </MessageBarBody>
        </MessageBar>
      ) : null}
      {note ? <Body1 role="status">{note}</Body1> : null}
      <ProblemBar error={error ?? tokens.error} />
      <Subtitle2 as="h4">{i18n.t('st.tokens.list')}</Subtitle2>
      {active.length === 0 && tokens.data ? <Caption1>{i18n.t('st.none')}</Caption1> : null}
      <ul className={styles.list} aria-label={i18n.t('st.tokens.list')}>
        {active.map((t) => (
          <li key={t.id} className={styles.card}>
            <Body1>{t.name}</Body1>
            <Caption1>
              {i18n.t('st.tokens.meta', { user: nameOf(t.userId), prefix: t.prefix, created: i18n.formatDate(t.createdAt) })} ·{' '}
              {t.expiresAt ? i18n.t('st.tokens.expires', { date: i18n.formatDate(t.expiresAt) }) : i18n.t('st.tokens.noExpiry')}
            </Caption1>
            {t.prefix !== ownPrefix ? (
              <div>
                <Button
                  size="small"
                  aria-label={i18n.t('st.tokens.revokeAria', { name: t.name, user: nameOf(t.userId) })}
                  onClick={() => void revoke(t)}
                >
                  {i18n.t('st.tokens.revoke')}
                </Button>
              </div>
            ) : null}
          </li>
        ))}
      </ul>
    </div>
  );
}

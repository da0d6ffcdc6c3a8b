// Users: invite by email with a role, change a role, deactivate (the API revokes their tokens)
// and reactivate. A head of sales manages managers; an admin everyone.
import { Body1, Button, Caption1, Field, Input, Select, Spinner, Subtitle2 } from '@fluentui/react-components';
import { useState, type FormEvent } from 'react';
import type { Role } from '../../api/contract';
import { usePane, useI18n } from '../context';
import type { MessageKey } from '../i18n';
import { ProblemBar } from '../ProblemBar';
import { ifMatch, mayManage, useLoaded, useSettingsStyles, type SectionProps, type UserRecord } from './settings-kit';

const ROLES: Role[] = ['manager', 'head', 'admin'];
const roleKey = (role: Role) => `st.role.${role}` as MessageKey;

export function UsersSection({ me }: SectionProps) {
  const styles = useSettingsStyles();
  const i18n = useI18n();
  const { client } = usePane();
  const users = useLoaded(() => client.get('/users'), [client]);
  const roles = ROLES.filter((r) => mayManage(me, r));
  const [invite, setInvite] = useState({ email: '', name: '', role: 'manager' as Role });
  const [inviteError, setInviteError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [note, setNote] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setInviteError(null);
    setNote(null);
    try {
      const email = invite.email.trim();
      await client.create('/users', { body: { email, role: invite.role, ...(invite.name.trim() ? { name: invite.name.trim() } : {}) } });
      setNote(i18n.t('st.users.invited', { email }));
      setInvite({ email: '', name: '', role: invite.role });
      await users.reload();
    } catch (e) {
      setInviteError(e);
    } finally {
      setBusy(false);
    }
  };

  const change = async (user: UserRecord, body: { role?: Role; active?: boolean }) => {
    setError(null);
    setNote(null);
    try {
      const next = await client.send({
        method: 'PATCH',
        path: '/users/:id',
        params: { id: user.id },
        body,
        headers: ifMatch(user.version),
      });
      if (body.active === false) setNote(i18n.t('st.users.deactivated', { name: next.name }));
      else if (body.active === true) setNote(i18n.t('st.users.reactivated', { name: next.name }));
      else setNote(i18n.t('st.users.changed', { name: next.name, role: i18n.t(roleKey(next.role)) }));
    } catch (e) {
      setError(e);
    }
    await users.reload();
  };

  return (
    <div className={styles.column}>
      <Body1>{i18n.t('st.users.intro')}</Body1>
      {me.user.role === 'head' ? <Caption1>{i18n.t('st.users.headNote')}</Caption1> : null}
      <form className={styles.form} onSubmit={(e) => void submit(e)} aria-label={i18n.t('st.users.invite')}>
        <Field
          label={i18n.t('st.users.email')}
          required
          validationMessage={i18n.fieldMessage(inviteError as never, '/email')}
          validationState={i18n.fieldMessage(inviteError as never, '/email') ? 'error' : 'none'}
        >
          <Input
            type="email"
            name="email"
            value={invite.email}
            onChange={(_, d) => setInvite((v) => ({ ...v, email: d.value }))}
            required
          />
        </Field>
        <Field label={i18n.t('st.users.name')}>
          <Input name="name" value={invite.name} onChange={(_, d) => setInvite((v) => ({ ...v, name: d.value }))} />
        </Field>
        <Field label={i18n.t('st.users.role')}>
          <Select value={invite.role} onChange={(_, d) => setInvite((v) => ({ ...v, role: d.value as Role }))}>
            {roles.map((r) => (
              <option key={r} value={r}>
                {i18n.t(roleKey(r))}
              </option>
            ))}
          </Select>
        </Field>
        <div>
          <Button type="submit" appearance="primary" disabled={busy || !invite.email.trim()}>
            {i18n.t('st.users.invite')}
          </Button>
        </div>
      </form>
      <ProblemBar error={inviteError} />
      {note ? <Body1 role="status">{note}</Body1> : null}
      <ProblemBar error={error ?? users.error} />
      <Subtitle2 as="h4">{i18n.t('st.users.list', { org: me.org.name })}</Subtitle2>
      {users.busy && !users.data ? <Spinner size="tiny" label={i18n.t('common.loading')} /> : null}
      <ul className={styles.list} aria-label={i18n.t('st.users.list', { org: me.org.name })}>
        {users.data?.items.map((u) => {
          const manageable = mayManage(me, u.role) && u.id !== me.user.id;
          return (
            <li key={u.id} className={styles.card}>
              <Body1>
                {u.name} {u.id === me.user.id ? i18n.t('st.users.you') : null}
              </Body1>
              <Caption1>{u.email}</Caption1>
              {!u.active ? <Caption1>{i18n.t('st.users.inactive')}</Caption1> : null}
              <div className={styles.row}>
                <Select
                  size="small"
                  aria-label={i18n.t('st.users.roleOf', { name: u.name })}
                  value={u.role}
                  disabled={!manageable || !u.active || roles.length < 2}
                  onChange={(_, d) => void change(u, { role: d.value as Role })}
                >
                  {(manageable ? roles : [u.role]).map((r) => (
                    <option key={r} value={r}>
                      {i18n.t(roleKey(r))}
                    </option>
                  ))}
                </Select>
                {manageable ? (
                  <Button
                    size="small"
                    aria-label={i18n.t(u.active ? 'st.users.deactivateAria' : 'st.users.reactivateAria', { name: u.name })}
                    onClick={() => void change(u, { active: !u.active })}
                  >
                    {i18n.t(u.active ? 'st.users.deactivate' : 'st.users.reactivate')}
                  </Button>
                ) : null}
              </div>
            </li>
          );
        })}
      </ul>
    </div>
  );
}

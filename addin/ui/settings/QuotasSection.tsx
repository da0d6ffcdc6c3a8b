// Quotas: each active manager's sales plan for a month, in one currency.
import { Body1, Button, Caption1, Field, Input, Select } from '@fluentui/react-components';
import { useMemo, useState } from 'react';
import { usePane, useI18n } from '../context';
import { ProblemBar } from '../ProblemBar';
import { toMinor, useLoaded, useSettingsStyles, type UserRecord } from './settings-kit';

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;
const CURRENCIES = ['BGN', 'EUR', 'RUB', 'USD'];

export function QuotasSection() {
  const styles = useSettingsStyles();
  const i18n = useI18n();
  const { client } = usePane();
  const thisMonth = new Date().toISOString().slice(0, 7);
  const [month, setMonth] = useState(thisMonth);
  const [currency, setCurrency] = useState('BGN');
  // What was typed per manager, over the saved amounts of the month and currency.
  const [typed, setTyped] = useState<Record<string, string>>({});
  const [error, setError] = useState<unknown>(null);
  const [note, setNote] = useState<string | null>(null);
  const users = useLoaded(() => client.get('/users'), [client]);
  const period = MONTH.test(month.trim()) ? month.trim() : null;
  const quotas = useLoaded(
    () => (period ? client.get('/quotas', { query: { period } }) : Promise.resolve({ items: [], nextCursor: null })),
    [client, period],
  );

  const saved = useMemo(() => {
    const out: Record<string, string> = {};
    for (const q of quotas.data?.items ?? []) if (q.currency === currency) out[q.userId] = String(q.amountMinor / 100);
    return out;
  }, [quotas.data, currency]);
  const amounts = { ...saved, ...typed };

  const managers = (users.data?.items ?? []).filter((u) => u.role === 'manager' && u.active);

  const save = async (user: UserRecord) => {
    setError(null);
    setNote(null);
    const amountMinor = toMinor(amounts[user.id] ?? '');
    try {
      if (!period || amountMinor === null) throw new Error(i18n.problem('validation_failed'));
      await client.quotas.put({ userId: user.id, period, amountMinor, currency });
      setNote(i18n.t('st.quotas.saved', { name: user.name, month: period }));
      await quotas.reload();
      setTyped(({ [user.id]: _, ...rest }) => rest);
    } catch (e) {
      setError(e);
    }
  };

  return (
    <div className={styles.column}>
      <Body1>{i18n.t('st.quotas.intro')}</Body1>
      <div className={styles.row}>
        <Field className={styles.grow} label={i18n.t('st.quotas.month')} hint={i18n.t('st.quotas.monthHint', { month: thisMonth })}>
          <Input
            value={month}
            onChange={(_, d) => {
              setMonth(d.value);
              setTyped({});
            }}
          />
        </Field>
        <Field label={i18n.t('st.quotas.currency')}>
          <Select
            value={currency}
            onChange={(_, d) => {
              setCurrency(d.value);
              setTyped({});
            }}
          >
            {CURRENCIES.map((c) => (
              <option key={c}>{c}</option>
            ))}
          </Select>
        </Field>
      </div>
      {users.data && managers.length === 0 ? <Caption1>{i18n.t('st.quotas.noManagers')}</Caption1> : null}
      <ul className={styles.list} aria-label={i18n.t('st.quotas')}>
        {managers.map((u) => (
          <li key={u.id} className={styles.row}>
            <Field className={styles.grow} label={i18n.t('st.quotas.amountFor', { name: u.name })}>
              <Input
                inputMode="decimal"
                value={amounts[u.id] ?? ''}
                onChange={(_, d) => setTyped((a) => ({ ...a, [u.id]: d.value }))}
                contentAfter={<Caption1>{currency}</Caption1>}
              />
            </Field>
            <Button size="small" aria-label={`${i18n.t('st.save')}: ${u.name}`} disabled={!period} onClick={() => void save(u)}>
              {i18n.t('st.save')}
            </Button>
          </li>
        ))}
      </ul>
      {note ? <Body1 role="status">{note}</Body1> : null}
      <ProblemBar error={error ?? users.error ?? quotas.error} />
    </div>
  );
}

// Reports: the weekly report for a week and scope as a 'Weekly 2026-W48' sheet with tables and
// native charts (refreshing replaces it), and, for a head of sales, setting a manager's quota.
import { Body1, Button, Dropdown, Field, Input, Option, Select, Spinner, Subtitle2, makeStyles, tokens } from '@fluentui/react-components';
import { useEffect, useState } from 'react';
import { withStageNames } from '../../../shared/report/stage-names';
import { isoWeek } from '../../ui/i18n';
import { EmptyState } from '../../ui/EmptyState';
import { usePane, useI18n } from '../../ui/context';
import { ProblemBar } from '../../ui/ProblemBar';
import { weeksBefore, wonValue, writeReportSheet } from '../report-sheet';

const useStyles = makeStyles({
  form: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
});

/** Weeks of won value the trend line shows (the chosen week and the ones before it). */
const TREND_WEEKS = 8;

export default function ReportsTab() {
  const styles = useStyles();
  const i18n = useI18n();
  const { host, client } = usePane();
  const excel = host.excel!;
  const example = isoWeek();
  const [week, setWeek] = useState(example);
  const [scope, setScope] = useState<'org' | 'me'>('org');
  const [role, setRole] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [progress, setProgress] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [users, setUsers] = useState<Array<{ id: string; name: string; role: string }>>([]);
  const [quota, setQuota] = useState({ userId: '', period: new Date().toISOString().slice(0, 7), amount: '', currency: 'BGN' });
  const [quotaDone, setQuotaDone] = useState(false);
  const [quotaError, setQuotaError] = useState<unknown>(null);

  useEffect(() => {
    client.me().then(
      (me) => {
        setRole(me.user.role);
        if (me.user.role === 'manager') setScope('me');
        else
          client.users().then(
            (u) => setUsers(u.items.filter((x) => x.role === 'manager')),
            () => setUsers([]),
          );
      },
      () => setRole(null),
    );
  }, [client]);

  const write = async () => {
    setBusy(true);
    setError(null);
    setDone(null);
    try {
      const lang = i18n.lang;
      const report = await client.weeklyReport({ week, scope, lang });
      const label = report.period?.label ?? week;
      const earlier = await Promise.all(
        weeksBefore(label, TREND_WEEKS - 1).map((w) => client.weeklyReport({ week: w, scope, lang }).then((r) => [w, r] as const)),
      );
      const won = report.sections.find((s) => s.key === 'wonLost');
      const currency = String(won?.rows.find((r) => r[0] === 'won')?.[1] ?? 'BGN');
      const trend = [...earlier, [label, report] as const].map(([w, r]) => ({ week: w, value: wonValue(r, currency) }));
      const result = await writeReportSheet({
        excel,
        // The sheet is for reading: stages by name in the user's language.
        report: withStageNames(report, lang),
        week: label,
        trend,
        labels: {
          noRows: i18n.t('reports.noRows'),
          trendTitle: `${i18n.t('reports.section.won')} (${currency})`,
          week: i18n.t('reports.week'),
          won: currency,
        },
        onSection: (d, t) => setProgress(i18n.t('rp.writing', { done: d, total: t })),
      });
      setDone(i18n.t('rp.written', { sheet: result.sheet, count: result.sections }));
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
      setProgress(null);
    }
  };

  const saveQuota = async () => {
    setQuotaDone(false);
    setQuotaError(null);
    try {
      const amountMinor = Math.round(Number(quota.amount.replace(/\s/g, '').replace(',', '.')) * 100);
      await client.quotas.put({ userId: quota.userId, period: quota.period.trim(), amountMinor, currency: quota.currency });
      setQuotaDone(true);
    } catch (e) {
      setQuotaError(e);
    }
  };

  const fieldError =
    error && typeof error === 'object' && 'fieldErrors' in error
      ? (i18n.fieldMessage(error as never, '/week') ?? i18n.fieldMessage(error as never, 'week'))
      : undefined;
  const canSetQuota = role === 'head' || role === 'admin';
  return (
    <EmptyState title={i18n.t('reports.title')} description={i18n.t('rp.intro', { week: example })}>
      <form
        className={styles.form}
        onSubmit={(e) => {
          e.preventDefault();
          void write();
        }}
      >
        <Field
          label={i18n.t('reports.week')}
          hint={i18n.t('reports.weekHint', { week: example })}
          validationMessage={fieldError}
          validationState={fieldError ? 'error' : 'none'}
        >
          <Input value={week} onChange={(_, d) => setWeek(d.value.trim().toUpperCase())} pattern="\d{4}-W\d{2}" />
        </Field>
        <Field label={i18n.t('rp.scope')}>
          <Select value={scope} onChange={(_, d) => setScope(d.value as 'org' | 'me')}>
            {role !== 'manager' ? <option value="org">{i18n.t('rp.scope.org')}</option> : null}
            <option value="me">{i18n.t('rp.scope.me')}</option>
          </Select>
        </Field>
        <div>
          <Button appearance="primary" type="submit" disabled={busy}>
            {i18n.t('rp.write')}
          </Button>
        </div>
      </form>
      {busy ? <Spinner size="tiny" label={progress ?? i18n.t('reports.inserting')} /> : null}
      {done ? (
        <Body1 role="status" data-testid="report-done">
          {done}
        </Body1>
      ) : null}
      <ProblemBar error={error} />
      {canSetQuota ? (
        <form
          className={styles.form}
          onSubmit={(e) => {
            e.preventDefault();
            void saveQuota();
          }}
        >
          <Subtitle2 as="h3">{i18n.t('rp.quota')}</Subtitle2>
          <Field label={i18n.t('rp.quota.user')}>
            <Dropdown
              value={users.find((u) => u.id === quota.userId)?.name ?? ''}
              selectedOptions={[quota.userId]}
              onOptionSelect={(_, d) => setQuota((q) => ({ ...q, userId: d.optionValue ?? '' }))}
            >
              {users.map((u) => (
                <Option key={u.id} value={u.id}>
                  {u.name}
                </Option>
              ))}
            </Dropdown>
          </Field>
          <Field label={i18n.t('rp.quota.period')} validationMessage={i18n.fieldMessage(quotaError as never, '/period')}>
            <Input value={quota.period} onChange={(_, d) => setQuota((q) => ({ ...q, period: d.value }))} />
          </Field>
          <Field label={i18n.t('rp.quota.amount')} validationMessage={i18n.fieldMessage(quotaError as never, '/amountMinor')}>
            <Input inputMode="decimal" value={quota.amount} onChange={(_, d) => setQuota((q) => ({ ...q, amount: d.value }))} />
          </Field>
          <Field label={i18n.t('pl.col.currency')}>
            <Select value={quota.currency} onChange={(_, d) => setQuota((q) => ({ ...q, currency: d.value }))}>
              {['BGN', 'EUR', 'RUB', 'USD'].map((c) => (
                <option key={c}>{c}</option>
              ))}
            </Select>
          </Field>
          <div>
            <Button type="submit" disabled={!quota.userId}>
              {i18n.t('rp.quota.save')}
            </Button>
          </div>
          {quotaDone ? <Body1 role="status">{i18n.t('rp.quota.saved')}</Body1> : null}
          <ProblemBar error={quotaError} />
        </form>
      ) : null}
    </EmptyState>
  );
}

// Today, in both panes: tasks due today and overdue, each with the client it is for, deals gone
// quiet, open complaints; a task opens in place (its client, contact, deal, lead and note, and in
// Outlook its deal), and is marked done here with If-Match (a changed task refreshes the list
// instead of being overwritten). Offline, "done" is queued and sent once the pane is back online;
// the task shows as queued.
import { Body1, Button, Caption1, Spinner, Subtitle2, makeStyles, tokens } from '@fluentui/react-components';
import { useCallback, useEffect, useState } from 'react';
import type { TodayAnswer as TodayBody } from '../api/contract';
type TodayTask = TodayBody['dueToday'][number];
import { ApiError } from '../api/problem';
import { EmptyState } from './EmptyState';
import { usePane, useI18n } from './context';
import { ProblemBar } from './ProblemBar';

const useStyles = makeStyles({
  list: {
    margin: 0,
    paddingInlineStart: 0,
    listStyleType: 'none',
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalXS,
  },
  item: { display: 'flex', justifyContent: 'space-between', gap: tokens.spacingHorizontalS, alignItems: 'center' },
  task: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXXS },
  title: { paddingInline: 0, minWidth: 0, textAlign: 'start', justifyContent: 'flex-start', fontWeight: tokens.fontWeightSemibold },
  details: {
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalXXS,
    paddingInlineStart: tokens.spacingHorizontalM,
    borderLeft: `${tokens.strokeWidthThick} solid ${tokens.colorNeutralStroke2}`,
  },
  note: { margin: 0, whiteSpace: 'pre-wrap' },
});

/** What Today says about a task's client (GET /today names them). */
const text = (v: unknown): string | null => (typeof v === 'string' && v ? v : null);

/** The one line that says whom a task is for: the client (or contact, or lead) and the deal. */
function clientLine(t: TodayTask): string | null {
  const who = text(t.clientName) ?? text(t.contactName) ?? text(t.leadName);
  const deal = text(t.dealTitle);
  // A deal titled after its client ("Acme · Licences") says both already.
  if (who && deal && deal.includes(who)) return deal;
  const parts = [who, deal].filter((p): p is string => p !== null);
  return parts.length ? parts.join(' · ') : null;
}

/** `onOpenDeal` (the Outlook pane) opens a task's deal in the deal view. */
export default function TodayView({ onOpenDeal }: { onOpenDeal?: (dealId: string) => void } = {}) {
  const styles = useStyles();
  const [opened, setOpened] = useState<string | null>(null);
  const i18n = useI18n();
  const { client } = usePane();
  const [day, setDay] = useState<TodayBody | null>(null);
  const [busy, setBusy] = useState(false);
  const [note, setNote] = useState<string | null>(null);
  /** Tasks whose "done" waits in the offline queue. */
  const [queued, setQueued] = useState<ReadonlySet<string>>(new Set());
  const [error, setError] = useState<unknown>(null);
  const tz = Intl.DateTimeFormat().resolvedOptions().timeZone;

  const load = useCallback(async () => {
    setBusy(true);
    setError(null);
    try {
      setDay(await client.today({ owner: 'me', tz }));
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }, [client, tz]);

  useEffect(() => {
    void load();
  }, [load]);

  // Once the queue has been sent, the server's list is the truth again.
  useEffect(
    () =>
      client.queue.onChange(() => {
        if (client.queue.size > 0) return;
        setQueued(new Set());
        void load();
      }),
    [client, load],
  );

  const markDone = async (task: TodayTask) => {
    setNote(null);
    setError(null);
    try {
      const result = await client.mutate({
        method: 'PATCH',
        path: '/tasks/:id',
        params: { id: task.id },
        body: { done: true },
        headers: { 'If-Match': `"${task.version}"` },
      });
      if (result.status === 'queued') {
        setQueued((ids) => new Set(ids).add(task.id));
        return;
      }
    } catch (e) {
      if (e instanceof ApiError && e.status === 412) setNote(i18n.t('td.changed'));
      else setError(e);
    }
    await load();
  };

  const tasks = (title: string, list: TodayTask[]) => (
    <section aria-label={title}>
      <Subtitle2 as="h3">{title}</Subtitle2>
      {list.length === 0 ? <Caption1 block>{i18n.t('td.none')}</Caption1> : null}
      <ul className={styles.list}>
        {list.map((t) => {
          const open = opened === t.id;
          const who = clientLine(t);
          const dealId = text(t.dealId);
          return (
            <li key={t.id} className={styles.task} data-task={t.id}>
              <div className={styles.item}>
                <div>
                  <Button
                    appearance="transparent"
                    className={styles.title}
                    aria-expanded={open}
                    aria-controls={`task-details-${t.id}`}
                    onClick={() => setOpened(open ? null : t.id)}
                  >
                    {t.title}
                  </Button>
                  <Caption1 block data-testid="task-client">
                    {who ?? i18n.t('td.noClient')}
                  </Caption1>
                  {t.dueAt ? <Caption1 block>{i18n.formatDateTime(t.dueAt)}</Caption1> : null}
                </div>
                <Button size="small" disabled={queued.has(t.id)} onClick={() => void markDone(t)}>
                  {queued.has(t.id) ? i18n.t('td.queued') : i18n.t('td.done')}
                </Button>
              </div>
              {open ? (
                <div id={`task-details-${t.id}`} className={styles.details} data-testid="task-details">
                  {text(t.clientName) ? <Body1>{i18n.t('td.client', { name: text(t.clientName)! })}</Body1> : null}
                  {text(t.contactName) ? <Body1>{i18n.t('td.contact', { name: text(t.contactName)! })}</Body1> : null}
                  {text(t.dealTitle) ? <Body1>{i18n.t('td.deal', { title: text(t.dealTitle)! })}</Body1> : null}
                  {text(t.leadName) ? <Body1>{i18n.t('td.lead', { name: text(t.leadName)! })}</Body1> : null}
                  {t.dueAt ? <Body1>{i18n.t('td.due', { date: i18n.formatDateTime(t.dueAt) })}</Body1> : null}
                  {text(t.notes) ? (
                    <>
                      <Caption1 block>{i18n.t('td.note')}</Caption1>
                      <Body1 as="p" className={styles.note}>
                        {text(t.notes)}
                      </Body1>
                    </>
                  ) : null}
                  {onOpenDeal && dealId ? (
                    <div>
                      <Button size="small" appearance="primary" onClick={() => onOpenDeal(dealId)}>
                        {i18n.t('td.openDeal')}
                      </Button>
                    </div>
                  ) : null}
                </div>
              ) : null}
            </li>
          );
        })}
      </ul>
    </section>
  );

  const empty = day && !day.dueToday.length && !day.overdue.length && !day.staleDeals.length && !day.openCases.length;
  return (
    <EmptyState title={empty ? i18n.t('today.title') : i18n.t('excel.tab.today')} description={i18n.t('today.empty')}>
      <div>
        <Button disabled={busy} onClick={() => void load()}>
          {i18n.t('td.refresh')}
        </Button>
      </div>
      {busy ? <Spinner size="tiny" label={i18n.t('common.loading')} /> : null}
      {note ? <Body1 role="status">{note}</Body1> : null}
      <ProblemBar error={error} />
      {day && !empty ? (
        <>
          {tasks(i18n.t('td.dueToday'), day.dueToday)}
          {tasks(i18n.t('td.overdue'), day.overdue)}
          <section aria-label={i18n.t('td.stale')}>
            <Subtitle2 as="h3">{i18n.t('td.stale')}</Subtitle2>
            {day.staleDeals.length === 0 ? <Caption1 block>{i18n.t('td.none')}</Caption1> : null}
            <ul className={styles.list}>
              {day.staleDeals.map((d) => (
                <li key={d.id}>
                  <Body1>
                    {d.title} · {i18n.formatMoney(d.amountMinor, d.currency)}
                  </Body1>
                  {d.daysSinceActivity !== undefined ? (
                    <Caption1 block>{i18n.t('td.staleDays', { count: d.daysSinceActivity })}</Caption1>
                  ) : null}
                </li>
              ))}
            </ul>
          </section>
          <section aria-label={i18n.t('td.cases')}>
            <Subtitle2 as="h3">{i18n.t('td.cases')}</Subtitle2>
            {day.openCases.length === 0 ? <Caption1 block>{i18n.t('td.none')}</Caption1> : null}
            <ul className={styles.list}>
              {day.openCases.map((c) => (
                <li key={c.id}>
                  <Body1>{String(c.subject ?? c.id)}</Body1>
                </li>
              ))}
            </ul>
          </section>
        </>
      ) : null}
    </EmptyState>
  );
}

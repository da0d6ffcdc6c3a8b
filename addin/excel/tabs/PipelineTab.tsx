// Pipeline: pull deals (mine or the team's) into the 'Pipeline' table, edit them in Excel, refresh
// to bring colleagues' changes in, and sync to send mine. Each row's outcome is in its Status
// cell; conflicts are listed with both values (the user picks), refused rows with the reason.
import {
  Body1,
  Button,
  Field,
  Input,
  MessageBar,
  MessageBarBody,
  Radio,
  RadioGroup,
  Spinner,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { useState } from 'react';
import { notifyDataChanged } from '../../functions/cache';
import { EmptyState } from '../../ui/EmptyState';
import { usePane, useI18n } from '../../ui/context';
import type { MessageKey } from '../../ui/i18n';
import { ProblemBar } from '../../ui/ProblemBar';
import { describeStatus, refusalText, stageNamesOf, standingText } from '../pipeline-status';
import {
  COLUMNS,
  PIPELINE_TABLE,
  pullPipeline,
  refreshPipeline,
  resolveConflict,
  settleRefusal,
  syncPipeline,
  type Conflict,
  type Me,
  type PipelineOptions,
  type Refusal,
  type SyncResult,
} from '../pipeline-sync';

const useStyles = makeStyles({
  actions: { display: 'flex', gap: tokens.spacingHorizontalS, flexWrap: 'wrap', alignItems: 'end' },
  list: {
    margin: 0,
    paddingInlineStart: tokens.spacingHorizontalL,
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalS,
  },
});

export default function PipelineTab() {
  const styles = useStyles();
  const i18n = useI18n();
  const { host, client } = usePane();
  const excel = host.excel!;
  const storage = host.info.storage;
  const [owner, setOwner] = useState<'me' | 'team'>('me');
  const [busy, setBusy] = useState<string | null>(null);
  const [done, setDone] = useState<string[]>([]);
  const [runs, setRuns] = useState(0);
  const [conflicts, setConflicts] = useState<Conflict[]>([]);
  const [refused, setRefused] = useState<Refusal[]>([]);
  const [reasons, setReasons] = useState<Record<string, string>>({});
  const [error, setError] = useState<unknown>(null);
  const [me, setMe] = useState<Me | null>(null);

  const options = async (): Promise<PipelineOptions> => {
    let user = me;
    if (!user) {
      const answer = await client.me();
      user = { id: answer.user.id, name: answer.user.name, role: answer.user.role };
      setMe(user);
    }
    return {
      client,
      excel,
      storage,
      me: user,
      describe: describeStatus(i18n),
      statusHeader: i18n.t('pl.col.status'),
      stageNames: stageNamesOf(i18n),
      standing: standingText(i18n),
    };
  };

  const act = async (label: string, work: () => Promise<void>) => {
    setBusy(label);
    setError(null);
    setDone([]);
    try {
      await work();
      // Custom functions answer from a cache until the next sync: this was one.
      notifyDataChanged();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(null);
      setRuns((n) => n + 1);
    }
  };

  const show = (r: SyncResult, summary: string) => {
    setConflicts(r.conflicts);
    setRefused(r.refused);
    const lines = [summary];
    if (r.offline) lines.push(i18n.t('pl.offline'));
    setDone(lines);
  };

  const summaryOf = (r: SyncResult, kind: 'sync' | 'refresh') => {
    if (kind === 'refresh')
      return i18n.t('pl.refreshed', { merged: r.merged, added: r.added, removed: r.removed, conflicts: r.conflicts.length });
    if (r.unchanged) return i18n.t('pl.nothing');
    const sent = i18n.t('pl.synced', { updated: r.updated, created: r.created, queued: r.queued, conflicts: r.conflicts.length });
    return r.merged || r.added || r.removed || r.refused.length
      ? `${sent} ${i18n.t('pl.more', { merged: r.merged, added: r.added, removed: r.removed, refused: r.refused.length })}`
      : sent;
  };

  // A stage is shown by its name, as the cell shows it.
  const shownValue = (column: string, v: unknown) =>
    column === 'stage' && typeof v === 'string' ? (stageNamesOf(i18n)[v as keyof ReturnType<typeof stageNamesOf>] ?? v) : String(v ?? '');

  const hasTable = async () => (await excel.listTables()).some((t) => t.name.toLowerCase() === PIPELINE_TABLE.toLowerCase());

  const pull = () =>
    act(i18n.t('pipeline.pulling'), async () => {
      const o = await options();
      const headers = [
        ...COLUMNS.map((c) => i18n.t(`pl.col.${c}` as MessageKey)),
        'Leadpane id',
        'Leadpane version',
        i18n.t('pl.col.status'),
      ];
      const n = await pullPipeline({ ...o, owner, headers });
      setConflicts([]);
      setRefused([]);
      setDone([n ? i18n.t('pipeline.done', { sheet: 'Pipeline', rows: n }) : i18n.t('pipeline.noRows')]);
    });

  const run = (kind: 'sync' | 'refresh') =>
    act(i18n.t(kind === 'sync' ? 'pl.syncing' : 'pl.refreshing'), async () => {
      if (!(await hasTable())) {
        setDone([i18n.t('pl.noTable')]);
        return;
      }
      const o = await options();
      const r = kind === 'sync' ? await syncPipeline(o) : await refreshPipeline(o);
      show(r, summaryOf(r, kind));
    });

  const keep = (c: Conflict, side: 'mine' | 'theirs') =>
    act(i18n.t('pl.syncing'), async () => {
      await resolveConflict({ ...(await options()), conflict: c, keep: side });
      setConflicts((all) => all.filter((x) => x !== c));
    });

  const settle = (r: Refusal, action: 'discard' | 'retry', overrideReason?: string) =>
    act(i18n.t('pl.syncing'), async () => {
      const after = await settleRefusal({ ...(await options()), refusal: r, action, ...(overrideReason ? { overrideReason } : {}) });
      if (after) show(after, summaryOf(after, 'sync'));
      else setRefused((all) => all.filter((x) => x !== r));
    });

  const refusedKey = (r: Refusal) => `${r.id ?? 'new'}-${r.title}`;

  return (
    <EmptyState
      title={done.length || conflicts.length ? i18n.t('excel.tab.pipeline') : i18n.t('pipeline.title')}
      description={i18n.t('pipeline.empty')}
    >
      <Field label={i18n.t('pl.scope')}>
        <RadioGroup layout="horizontal" value={owner} onChange={(_, d) => setOwner(d.value as 'me' | 'team')}>
          <Radio value="me" label={i18n.t('pl.scope.me')} />
          <Radio value="team" label={i18n.t('pl.scope.team')} />
        </RadioGroup>
      </Field>
      <div className={styles.actions}>
        <Button appearance="primary" disabled={!!busy} onClick={() => void pull()}>
          {i18n.t('pipeline.pull')}
        </Button>
        <Button disabled={!!busy} onClick={() => void run('refresh')}>
          {i18n.t('pl.refresh')}
        </Button>
        <Button disabled={!!busy} onClick={() => void run('sync')}>
          {i18n.t('pl.sync')}
        </Button>
      </div>
      {busy ? <Spinner size="tiny" label={busy} /> : null}
      {done.length ? (
        <Body1 role="status" data-testid="pipeline-status">
          {done.join(' ')}
        </Body1>
      ) : null}
      {/* How many actions have finished: a script (or a test) waits for the next one. */}
      <span hidden data-testid="pipeline-runs" data-runs={runs} />
      <ProblemBar error={error} />
      {conflicts.length ? (
        <MessageBar intent="warning" data-testid="pipeline-conflicts">
          <MessageBarBody>
            {i18n.t('pl.conflicts')}
            <ul className={styles.list}>
              {conflicts.map((c) => (
                <li
                  key={`${c.id}-${c.column}`}
                  data-deal={c.id}
                  data-field={c.column}
                  data-mine={JSON.stringify(c.mine)}
                  data-theirs={JSON.stringify(c.theirs)}
                >
                  {c.column === 'row'
                    ? i18n.t(c.gone === 'scope' ? 'pl.conflictScope' : 'pl.conflictGone', { deal: c.title })
                    : i18n.t('pl.conflict', {
                        deal: c.title,
                        column: i18n.t(`pl.col.${c.column}` as MessageKey),
                        mine: shownValue(c.column, c.mine),
                        theirs: shownValue(c.column, c.theirs),
                      })}
                  <div className={styles.actions}>
                    <Button size="small" disabled={!!busy} onClick={() => void keep(c, 'mine')}>
                      {i18n.t(c.column === 'row' ? 'pl.keepRow' : 'pl.keepMine')}
                    </Button>
                    <Button size="small" disabled={!!busy} onClick={() => void keep(c, 'theirs')}>
                      {i18n.t(c.column === 'row' ? 'pl.dropRow' : 'pl.keepTheirs')}
                    </Button>
                  </div>
                </li>
              ))}
            </ul>
          </MessageBarBody>
        </MessageBar>
      ) : null}
      {refused.length ? (
        <MessageBar intent="error" data-testid="pipeline-refused">
          <MessageBarBody>
            {i18n.t('pl.refusedTitle')}
            <ul className={styles.list}>
              {refused.map((r, i) => (
                <li key={`${refusedKey(r)}-${i}`} data-deal={r.id ?? ''} data-code={r.code}>
                  {i18n.t('pl.refusedItem', { deal: r.title, reason: refusalText(i18n, r, r.fields) })}
                  <div className={styles.actions}>
                    <Button size="small" disabled={!!busy} onClick={() => void settle(r, 'discard')}>
                      {i18n.t('pl.discard')}
                    </Button>
                    <Button size="small" disabled={!!busy} onClick={() => void settle(r, 'retry')}>
                      {i18n.t('pl.retry')}
                    </Button>
                  </div>
                  {r.code === 'document_missing' && r.id && (me?.role === 'head' || me?.role === 'admin') ? (
                    <div className={styles.actions}>
                      <Field label={i18n.t('pl.override')} size="small">
                        <Input
                          size="small"
                          value={reasons[refusedKey(r)] ?? ''}
                          onChange={(_, d) => setReasons((all) => ({ ...all, [refusedKey(r)]: d.value }))}
                        />
                      </Field>
                      <Button
                        size="small"
                        disabled={!!busy || !(reasons[refusedKey(r)] ?? '').trim()}
                        onClick={() => void settle(r, 'retry', reasons[refusedKey(r)]!.trim())}
                      >
                        {i18n.t('pl.overrideSend')}
                      </Button>
                    </div>
                  ) : null}
                </li>
              ))}
            </ul>
          </MessageBarBody>
        </MessageBar>
      ) : null}
    </EmptyState>
  );
}

// Pipeline: pull deals (mine or the team's) into the 'Pipeline' table, edit them in Excel, and
// sync the changed rows back. Conflicts are shown per cell with both values; the user picks.
import {
  Body1,
  Button,
  Field,
  MessageBar,
  MessageBarBody,
  Radio,
  RadioGroup,
  Spinner,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { useState } from 'react';
import { EmptyState } from '../../ui/EmptyState';
import { usePane, useI18n } from '../../ui/context';
import type { MessageKey } from '../../ui/i18n';
import { ProblemBar } from '../../ui/ProblemBar';
import { COLUMNS, pullPipeline, resolveConflict, syncPipeline, type Conflict } from '../pipeline-sync';

const useStyles = makeStyles({
  actions: { display: 'flex', gap: tokens.spacingHorizontalS, flexWrap: 'wrap' },
  conflicts: {
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
  const [done, setDone] = useState<string | null>(null);
  const [conflicts, setConflicts] = useState<Conflict[]>([]);
  const [error, setError] = useState<unknown>(null);

  const act = async (label: string, work: () => Promise<void>) => {
    setBusy(label);
    setError(null);
    setDone(null);
    try {
      await work();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(null);
    }
  };

  const pull = () =>
    act(i18n.t('pipeline.pulling'), async () => {
      const me = await client.me();
      const owners = new Map([[me.user.id, me.user.name]]);
      if (me.user.role !== 'manager') for (const u of (await client.users().catch(() => ({ items: [] }))).items) owners.set(u.id, u.name);
      const headers = [...COLUMNS.map((c) => i18n.t(`pl.col.${c}` as MessageKey)), 'Leadpane id', 'Leadpane version'];
      // Company names for the company column: the org's companies, a few pages at most.
      const companies = new Map<string, string>();
      for (let page = 0, cursor: string | undefined; page < 10; page++) {
        const list = await client.get<{ items: Array<{ id: string; name: string }>; nextCursor: string | null }>('/companies', {
          limit: 200,
          cursor,
        });
        for (const c of list.items) companies.set(c.id, c.name);
        if (!list.nextCursor) break;
        cursor = list.nextCursor;
      }
      const n = await pullPipeline({ client, excel, storage, owner, headers, owners, companies });
      setConflicts([]);
      setDone(n ? i18n.t('pipeline.done', { sheet: 'Pipeline', rows: n }) : i18n.t('pipeline.noRows'));
    });

  const sync = () =>
    act(i18n.t('pl.syncing'), async () => {
      const tables = await excel.listTables();
      if (!tables.some((t) => t.name === 'Pipeline')) {
        setDone(i18n.t('pl.noTable'));
        return;
      }
      const r = await syncPipeline({ client, excel, storage });
      setConflicts(r.conflicts);
      setDone(
        r.unchanged
          ? i18n.t('pl.nothing')
          : i18n.t('pl.synced', { updated: r.updated, created: r.created, queued: r.queued, conflicts: r.conflicts.length }),
      );
    });

  const keep = (c: Conflict, side: 'mine' | 'theirs') =>
    act(i18n.t('pl.syncing'), async () => {
      await resolveConflict({ client, excel, storage, conflict: c, keep: side });
      setConflicts((all) => all.filter((x) => x !== c));
    });

  return (
    <EmptyState
      title={done || conflicts.length ? i18n.t('excel.tab.pipeline') : i18n.t('pipeline.title')}
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
        <Button disabled={!!busy} onClick={() => void sync()}>
          {i18n.t('pl.sync')}
        </Button>
      </div>
      {busy ? <Spinner size="tiny" label={busy} /> : null}
      {done ? (
        <Body1 role="status" data-testid="pipeline-status">
          {done}
        </Body1>
      ) : null}
      <ProblemBar error={error} />
      {conflicts.length ? (
        <MessageBar intent="warning" data-testid="pipeline-conflicts">
          <MessageBarBody>
            {i18n.t('pl.conflicts')}
            <ul className={styles.conflicts}>
              {conflicts.map((c) => (
                <li key={`${c.id}-${c.column}`}>
                  {i18n.t('pl.conflict', {
                    deal: c.title,
                    column: i18n.t(`pl.col.${c.column}` as MessageKey),
                    mine: String(c.mine ?? ''),
                    theirs: String(c.theirs ?? ''),
                  })}
                  <div className={styles.actions}>
                    <Button size="small" disabled={!!busy} onClick={() => void keep(c, 'mine')}>
                      {i18n.t('pl.keepMine')}
                    </Button>
                    <Button size="small" disabled={!!busy} onClick={() => void keep(c, 'theirs')}>
                      {i18n.t('pl.keepTheirs')}
                    </Button>
                  </div>
                </li>
              ))}
            </ul>
          </MessageBarBody>
        </MessageBar>
      ) : null}
    </EmptyState>
  );
}

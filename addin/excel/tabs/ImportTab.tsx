// Import: read a table, the selection or the sheet in one go; show the detected header row, the
// system the rows were exported from and an editable mapping; then the value-mapping step (the
// stages, statuses, currencies and owners nobody knows yet, answered once per system); dry run
// (row errors, rows matching existing records) or import in chunks with progress, resumable;
// results written back as a status column and a hidden Leadpane id column.
import { Body1, Button, Caption1, Field, ProgressBar, Radio, RadioGroup, Select, makeStyles, tokens } from '@fluentui/react-components';
import { useEffect, useState } from 'react';
import type { CanonicalField, ImportKind, SourceSystem, ValueField, ValueMaps } from '../../../shared/sheet';
import { DEAL_STATUSES, LEAD_STATUSES, STAGE_KEYS } from '../../../shared/sheet/types';
import { SOURCE_SYSTEMS, SYSTEM_LABELS } from '../../../shared/sheet/systems';
import type { ImportRowAnswer, ImportValuesAnswer } from '../../api/contract';
import { columnLetters, parseRange } from '../../office/a1';
import { EmptyState } from '../../ui/EmptyState';
import { usePane, useI18n } from '../../ui/context';
import type { MessageKey } from '../../ui/i18n';
import { ProblemBar } from '../../ui/ProblemBar';
import { CURRENCIES, fieldsOf } from '../../../shared/sheet/types';
import type { Analysis } from '../import/import-run';
import { clearResume, pendingResume } from '../import/resume';

// The import engine (header mapping, value parsing, phone data) loads when the user first reads rows.
const engine = () => import('../import/import-run');

const useStyles = makeStyles({
  actions: { display: 'flex', gap: tokens.spacingHorizontalS, flexWrap: 'wrap', alignItems: 'end' },
  mapping: { display: 'grid', gridTemplateColumns: 'minmax(0, 1fr) minmax(0, 1.3fr)', gap: tokens.spacingVerticalXS, alignItems: 'center' },
  fieldPick: { minWidth: 0, width: '100%' },
  errors: { margin: 0, paddingInlineStart: tokens.spacingHorizontalL, maxHeight: '14em', overflowY: 'auto' },
});

type Source = 'selection' | 'sheet' | `table:${string}`;
const SKIP = '__skip__';

/** A value of the sheet the API did not know, and the column it is in. */
interface Question {
  field: ValueField;
  column: string;
  raw: string;
  rows: number;
}

export default function ImportTab() {
  const styles = useStyles();
  const i18n = useI18n();
  const { host, client } = usePane();
  const excel = host.excel!;
  const storage = host.info.storage;
  const [tables, setTables] = useState<string[]>([]);
  const [source, setSource] = useState<Source>('sheet');
  const [analysis, setAnalysis] = useState<Analysis | null>(null);
  const [fields, setFields] = useState<Record<number, CanonicalField | null>>({});
  const [kind, setKind] = useState<ImportKind>('leads');
  const [currency, setCurrency] = useState<(typeof CURRENCIES)[number] | ''>('');
  const [mode, setMode] = useState<'skip' | 'update' | 'create'>('skip');
  const [system, setSystem] = useState<SourceSystem>('other');
  const [questions, setQuestions] = useState<Question[]>([]);
  const [users, setUsers] = useState<ImportValuesAnswer['users']>([]);
  const [choices, setChoices] = useState<ValueMaps>({});
  const [busy, setBusy] = useState(false);
  const [progress, setProgress] = useState<{ done: number; total: number } | null>(null);
  const [dry, setDry] = useState<ImportRowAnswer[] | null>(null);
  const [matched, setMatched] = useState(0);
  const [done, setDone] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const canResume = pendingResume(storage) !== null;

  useEffect(() => {
    excel.listTables().then(
      (t) => setTables(t.map((x) => x.name)),
      () => setTables([]),
    );
  }, [excel]);

  const read = async () => {
    setBusy(true);
    setError(null);
    setDry(null);
    setDone(null);
    try {
      const src = source.startsWith('table:')
        ? { kind: 'table' as const, name: source.slice(6) }
        : source === 'selection'
          ? { kind: 'selection' as const }
          : { kind: 'sheet' as const };
      const { analyse, readSource } = await engine();
      const a = analyse(await readSource(excel, src));
      setAnalysis(a);
      setKind(a.kind);
      setSystem(a.system ?? 'other');
      setChoices({});
      // A sheet with the source's record IDs is a later export of records already here: update them.
      setMode(a.mapping.columns.some((c) => c.field === 'externalId') ? 'update' : 'skip');
      // Amounts that name no currency: the organisation's currency (the API applies it), else the
      // one the sheet's country pays in, for the user to confirm.
      const org = await client.imports.defaults().catch(() => null);
      setCurrency(a.kind !== 'leads' && !org?.currency && a.context.currency ? a.context.currency : '');
      setFields(Object.fromEntries(a.mapping.columns.map((c) => [c.index, c.field])));
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  // Another kind maps the same columns to other fields (an invoice's "Due date" is not a deal's).
  const changeKind = async (next: ImportKind) => {
    setKind(next);
    setDry(null);
    if (!analysis) return;
    const { analyse } = await engine();
    const read = analysis.outCol === undefined ? analysis.read : { ...analysis.read, outCol: analysis.outCol };
    const a = analyse(read, next);
    setAnalysis(a);
    setFields(Object.fromEntries(a.mapping.columns.map((c) => [c.index, c.field])));
  };

  // The value-mapping step: the sheet's distinct values under the mapped columns, asked about.
  useEffect(() => {
    if (!analysis) return;
    let live = true;
    void (async () => {
      const { valueQuestions } = await engine();
      const all = valueQuestions(analysis, fields, kind, system);
      if (!all.length) {
        if (live) setQuestions([]);
        return;
      }
      const values: Partial<Record<ValueField, string[]>> = {};
      for (const q of all) (values[q.field] ??= []).push(q.raw);
      try {
        const answer = await client.imports.values({ kind, system, values });
        if (!live) return;
        const known = new Set(answer.items.filter((i) => i.value !== null).map((i) => `${i.field}|${i.raw}`));
        setQuestions(
          all.filter((q) => !known.has(`${q.field}|${q.raw}`)).map(({ field, column, raw, rows }) => ({ field, column, raw, rows })),
        );
        setUsers(answer.users);
      } catch (e) {
        if (live) setError(e);
      }
    })();
    return () => {
      live = false;
    };
  }, [analysis, fields, kind, system, client]);

  const choose = (q: Question, value: string) =>
    setChoices((c) => {
      const table = { ...c[q.field] };
      if (value) table[q.raw] = value;
      else delete table[q.raw];
      return { ...c, [q.field]: table };
    });
  const optionsOf = (q: Question): Array<[string, string]> => {
    if (q.field === 'stage') return STAGE_KEYS.map((k) => [k, i18n.t(`stage.${k}` as MessageKey)]);
    if (q.field === 'status')
      return kind === 'deals'
        ? DEAL_STATUSES.map((k) => [k, i18n.t(`deal.status.${k}` as MessageKey)])
        : LEAD_STATUSES.map((k) => [k, i18n.t(`lead.status.${k}` as MessageKey)]);
    if (q.field === 'currency') return CURRENCIES.map((c) => [c, c]);
    return users.map((u) => [u.id, u.name || u.email]);
  };

  const reason = (code: string) => (i18n.has(`reason.${code}`) ? i18n.t(`reason.${code}` as MessageKey) : code);
  const sheetRow = (row: number) => (analysis?.read.address ? parseRange(analysis.read.address).row : 0) + row + 1;
  const sheetColumn = (header: string) => {
    const c = analysis?.mapping.columns.find((x) => x.header === header);
    const col0 = analysis?.read.address ? parseRange(analysis.read.address).col : 0;
    return c ? `${columnLetters(col0 + c.index)} (${header})` : header || '—';
  };

  const go = async (dryRun: boolean) => {
    if (!analysis) return;
    if (!Object.values(fields).some(Boolean)) {
      setError(new Error(i18n.t('imp.noMapping')));
      return;
    }
    setBusy(true);
    setError(null);
    setDone(null);
    setDry(null);
    try {
      const { runImport, writeBack } = await engine();
      const result = await runImport({
        api: client.imports,
        storage,
        analysis,
        kind,
        mode,
        ...(currency ? { currency } : {}),
        system,
        values: choices,
        fields,
        dryRun,
        onProgress: (d, t) => setProgress({ done: d, total: t }),
      });
      if (dryRun) {
        setDry(result.results.filter((r) => r.status === 'error'));
        setMatched(result.results.filter((r) => r.match).length);
        return;
      }
      await writeBack(excel, analysis, result.results, (r) =>
        r.status === 'error'
          ? i18n.t('imp.status.error', { reason: r.errors.map((e) => `${e.column ? `${e.column}: ` : ''}${reason(e.reason)}`).join('; ') })
          : i18n.t(`imp.status.${r.status}`),
      );
      await client.imports.finish(result.importId).catch(() => undefined);
      clearResume(storage);
      setDone(i18n.t('imp.done', result.counts));
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  const headerRow = analysis?.mapping.headerRow ?? 0;
  const dataRows = analysis ? analysis.read.values.length - headerRow - 1 : 0;
  return (
    <EmptyState title={i18n.t('import.title')} description={i18n.t('imp.intro')}>
      <div className={styles.actions}>
        <Field label={i18n.t('imp.source')}>
          <Select value={source} onChange={(_, d) => setSource(d.value as Source)}>
            <option value="sheet">{i18n.t('imp.source.sheet')}</option>
            <option value="selection">{i18n.t('imp.source.selection')}</option>
            {tables.map((t) => (
              <option key={t} value={`table:${t}`}>
                {i18n.t('imp.source.table', { name: t })}
              </option>
            ))}
          </Select>
        </Field>
        <Button appearance="primary" disabled={busy} onClick={() => void read()}>
          {i18n.t('imp.read')}
        </Button>
      </div>
      <ProblemBar error={error} />
      {analysis && dataRows < 1 ? <Body1 role="status">{i18n.t('import.nothing')}</Body1> : null}
      {analysis && dataRows >= 1 ? (
        <>
          <Body1 data-testid="import-header">
            {i18n.t('imp.headerRow', { row: String(sheetRow(headerRow)), sheet: analysis.read.sheet, rows: dataRows })}
          </Body1>
          <Caption1 block>{i18n.t('imp.mapping')}</Caption1>
          <div className={styles.mapping} data-testid="import-mapping">
            {analysis.mapping.columns
              .filter((c) => c.index !== analysis.statusCol && c.index !== analysis.idCol)
              .map((c) => {
                const value = fields[c.index] ?? null;
                return [
                  <Body1 key={`h${c.index}`} id={`map-h-${c.index}`}>
                    {c.header || columnLetters(c.index)}
                  </Body1>,
                  <Select
                    key={`d${c.index}`}
                    aria-labelledby={`map-h-${c.index}`}
                    className={styles.fieldPick}
                    value={value ?? SKIP}
                    onChange={(_, d) => setFields((f) => ({ ...f, [c.index]: d.value === SKIP ? null : (d.value as CanonicalField) }))}
                  >
                    <option value={SKIP}>{i18n.t('imp.skip')}</option>
                    {fieldsOf(kind).map((f) => (
                      <option key={f} value={f}>
                        {i18n.t(`field.${f}` as MessageKey)}
                      </option>
                    ))}
                  </Select>,
                ];
              })}
          </div>
          <Field label={i18n.t('imp.kind')}>
            <RadioGroup layout="horizontal" value={kind} onChange={(_, d) => void changeKind(d.value as ImportKind)}>
              <Radio value="leads" label={i18n.t('imp.kind.leads')} />
              <Radio value="deals" label={i18n.t('imp.kind.deals')} />
              <Radio value="payments" label={i18n.t('imp.kind.payments')} />
            </RadioGroup>
          </Field>
          {kind === 'payments' ? <Caption1 block>{i18n.t('imp.paymentsHint')}</Caption1> : null}
          {kind !== 'payments' ? (
            <Field label={i18n.t('imp.system')}>
              <Select value={system} onChange={(_, d) => setSystem(d.value as SourceSystem)}>
                {SOURCE_SYSTEMS.map((s) => (
                  <option key={s} value={s}>
                    {s === 'other' ? i18n.t('imp.system.other') : SYSTEM_LABELS[s]}
                  </option>
                ))}
              </Select>
            </Field>
          ) : null}
          {questions.length ? (
            <div data-testid="import-values" role="group" aria-labelledby="imp-values-title">
              <Caption1 block id="imp-values-title">
                {i18n.t('imp.values')}
              </Caption1>
              <Body1 block>
                {system === 'other' ? i18n.t('imp.values.introOther') : i18n.t('imp.values.intro', { system: SYSTEM_LABELS[system] })}
              </Body1>
              <div className={styles.mapping}>
                {questions.map((q, i) => [
                  <Body1 key={`q${i}`} id={`val-q-${i}`}>
                    {`${i18n.t(`field.${q.field}` as MessageKey)}: ${q.raw}`}
                  </Body1>,
                  <Select
                    key={`a${i}`}
                    aria-labelledby={`val-q-${i}`}
                    className={styles.fieldPick}
                    value={choices[q.field]?.[q.raw] ?? ''}
                    onChange={(_, d) => choose(q, d.value)}
                  >
                    <option value="">{q.field === 'owner' ? i18n.t('imp.values.me') : i18n.t('imp.values.unset')}</option>
                    {optionsOf(q).map(([v, label]) => (
                      <option key={v} value={v}>
                        {label}
                      </option>
                    ))}
                  </Select>,
                ])}
              </div>
            </div>
          ) : null}
          {kind !== 'leads' ? (
            <Field label={i18n.t('imp.currency')}>
              <Select value={currency} onChange={(_, d) => setCurrency(d.value as typeof currency)}>
                <option value="">—</option>
                {CURRENCIES.map((c) => (
                  <option key={c} value={c}>
                    {c}
                  </option>
                ))}
              </Select>
            </Field>
          ) : null}
          <Field label={i18n.t('imp.mode')}>
            <RadioGroup value={mode} onChange={(_, d) => setMode(d.value as 'skip' | 'update' | 'create')}>
              <Radio value="skip" label={i18n.t('imp.mode.skip')} />
              <Radio value="update" label={i18n.t('imp.mode.update')} />
              <Radio value="create" label={i18n.t('imp.mode.create')} />
            </RadioGroup>
          </Field>
          <div className={styles.actions}>
            <Button disabled={busy} onClick={() => void go(true)}>
              {i18n.t('imp.dryRun')}
            </Button>
            <Button appearance="primary" disabled={busy} onClick={() => void go(false)}>
              {canResume ? i18n.t('imp.resume') : i18n.t('imp.run')}
            </Button>
          </div>
        </>
      ) : null}
      {progress && busy ? (
        <Field validationMessage={i18n.t('imp.progress', { done: progress.done, total: progress.total })} validationState="none">
          <ProgressBar value={progress.total ? progress.done / progress.total : 0} />
        </Field>
      ) : null}
      {dry ? (
        <div role="status" data-testid="import-dry">
          <Body1>{dry.length ? i18n.t('imp.dryErrors', { count: dry.length }) : i18n.t('imp.dryOk', { count: dataRows })}</Body1>
          {matched ? <Body1 block>{i18n.t('imp.matches', { count: matched })}</Body1> : null}
          <ul className={styles.errors}>
            {dry.flatMap((r) =>
              r.errors.map((e, i) => (
                <li key={`${r.row}-${i}`}>
                  {i18n.t('imp.errorRow', { row: String(sheetRow(e.row)), column: sheetColumn(e.column), reason: reason(e.reason) })}
                </li>
              )),
            )}
          </ul>
        </div>
      ) : null}
      {done ? (
        <Body1 role="status" data-testid="import-done">
          {done}
        </Body1>
      ) : null}
    </EmptyState>
  );
}

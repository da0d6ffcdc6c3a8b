// Import: read a table, the selection or the sheet in one go; show the detected header row and an
// editable mapping; dry run (row errors) or import in chunks with progress, resumable; results
// written back as a status column and a hidden Leadpane id column.
import { Body1, Button, Caption1, Field, ProgressBar, Radio, RadioGroup, Select, makeStyles, tokens } from '@fluentui/react-components';
import { useEffect, useState } from 'react';
import type { CanonicalField, ImportKind } from '../../../shared/sheet';
import type { ImportRowAnswer } from '../../api/client';
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
  const [busy, setBusy] = useState(false);
  const [progress, setProgress] = useState<{ done: number; total: number } | null>(null);
  const [dry, setDry] = useState<ImportRowAnswer[] | null>(null);
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
        fields,
        dryRun,
        onProgress: (d, t) => setProgress({ done: d, total: t }),
      });
      if (dryRun) {
        setDry(result.results.filter((r) => r.status === 'error'));
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

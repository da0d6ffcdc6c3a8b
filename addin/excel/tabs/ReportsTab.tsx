// Reports: one section of the weekly report into a new sheet, as a table.
import { Body1, Button, Field, Input, Select, Spinner, makeStyles, tokens } from '@fluentui/react-components';
import { useId, useState } from 'react';
import { rectangular, toMatrix } from '../../api/tabular';
import { isoWeek, type MessageKey } from '../../ui/i18n';
import { EmptyState } from '../../ui/EmptyState';
import { usePane, useI18n } from '../../ui/context';
import { ProblemBar } from '../../ui/ProblemBar';
import { sheetName } from './sheet-names';

const SECTIONS = ['leads', 'pipeline', 'won', 'quota', 'forecast', 'activity', 'overdue', 'complaints'] as const;

const useStyles = makeStyles({
  form: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
});

export default function ReportsTab() {
  const styles = useStyles();
  const i18n = useI18n();
  const { host, client } = usePane();
  const excel = host.excel!;
  const example = isoWeek();
  const [week, setWeek] = useState(example);
  const [section, setSection] = useState<(typeof SECTIONS)[number]>('won');
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const formId = useId();

  const insert = async () => {
    setBusy(true);
    setError(null);
    setDone(null);
    try {
      const values = rectangular(toMatrix(await client.reports.weekly({ week, section })));
      if (values.length < 2) {
        setDone(i18n.t('reports.noRows'));
        return;
      }
      const sheet = sheetName(week, section);
      await excel.addWorksheet(sheet, { replace: true, activate: true });
      const written = await excel.writeValues(sheet, 'A1', values);
      await excel.createTable(sheet, written.address);
      setDone(i18n.t('reports.done', { sheet }));
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  const fieldError = error && typeof error === 'object' && 'fieldErrors' in error ? i18n.fieldMessage(error as never, 'week') : undefined;
  return (
    <EmptyState title={i18n.t('reports.title')} description={i18n.t('reports.empty', { week: example })}>
      <form
        id={formId}
        className={styles.form}
        onSubmit={(e) => {
          e.preventDefault();
          void insert();
        }}
      >
        <Field
          label={i18n.t('reports.week')}
          hint={i18n.t('reports.weekHint', { week: example })}
          validationMessage={fieldError}
          validationState={fieldError ? 'error' : 'none'}
        >
          <Input value={week} onChange={(_, d) => setWeek(d.value)} pattern="\d{4}-W\d{2}" />
        </Field>
        <Field label={i18n.t('reports.section')}>
          <Select value={section} onChange={(_, d) => setSection(d.value as (typeof SECTIONS)[number])}>
            {SECTIONS.map((s) => (
              <option key={s} value={s}>
                {i18n.t(`reports.section.${s}` as MessageKey)}
              </option>
            ))}
          </Select>
        </Field>
        <div>
          <Button appearance="primary" type="submit" disabled={busy}>
            {i18n.t('reports.insert')}
          </Button>
        </div>
      </form>
      {busy ? <Spinner size="tiny" label={i18n.t('reports.inserting')} /> : null}
      {done ? <Body1 role="status">{done}</Body1> : null}
      <ProblemBar error={error} />
    </EmptyState>
  );
}

// Pipeline: pull the open deals into an Excel table on its own sheet.
import { Body1, Button, Spinner } from '@fluentui/react-components';
import { useState } from 'react';
import { rectangular, toMatrix } from '../../api/tabular';
import { EmptyState } from '../../ui/EmptyState';
import { usePane, useI18n } from '../../ui/context';
import { ProblemBar } from '../../ui/ProblemBar';
import { sheetName } from './sheet-names';

export default function PipelineTab() {
  const i18n = useI18n();
  const { host, client } = usePane();
  const excel = host.excel!;
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);

  const pull = async () => {
    setBusy(true);
    setError(null);
    setDone(null);
    try {
      const values = rectangular(toMatrix(await client.reports.pipeline({})));
      if (values.length < 2) {
        setDone(i18n.t('pipeline.noRows'));
        return;
      }
      const sheet = sheetName(i18n.t('excel.tab.pipeline'));
      await excel.addWorksheet(sheet, { replace: true, activate: true });
      const written = await excel.writeValues(sheet, 'A1', values);
      await excel.createTable(sheet, written.address, { name: 'LeadpanePipeline' });
      setDone(i18n.t('pipeline.done', { sheet, rows: values.length - 1 }));
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <EmptyState
      title={i18n.t('pipeline.title')}
      description={i18n.t('pipeline.empty')}
      actions={
        <div>
          <Button appearance="primary" disabled={busy} onClick={() => void pull()}>
            {i18n.t('pipeline.pull')}
          </Button>
        </div>
      }
    >
      {busy ? <Spinner size="tiny" label={i18n.t('pipeline.pulling')} /> : null}
      {done ? <Body1 role="status">{done}</Body1> : null}
      <ProblemBar error={error} />
    </EmptyState>
  );
}

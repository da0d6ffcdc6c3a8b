// Import, first step: read the rows the user selected (or the whole sheet) through ExcelHost.
import { Body1, Button, Caption1, Spinner, makeStyles, tokens } from '@fluentui/react-components';
import { useState } from 'react';
import type { RangeRead } from '../../office/types';
import { EmptyState } from '../../ui/EmptyState';
import { usePane, useI18n } from '../../ui/context';
import { ProblemBar } from '../../ui/ProblemBar';

const useStyles = makeStyles({
  actions: { display: 'flex', gap: tokens.spacingHorizontalS, flexWrap: 'wrap' },
  headers: { margin: 0, paddingInlineStart: tokens.spacingHorizontalXL },
});

export default function ImportTab() {
  const styles = useStyles();
  const i18n = useI18n();
  const excel = usePane().host.excel!;
  const [busy, setBusy] = useState(false);
  const [read, setRead] = useState<RangeRead | null>(null);
  const [error, setError] = useState<unknown>(null);

  const run = async (how: 'selection' | 'sheet') => {
    setBusy(true);
    setError(null);
    try {
      setRead(how === 'selection' ? await excel.readSelection() : await excel.readUsedRange());
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  const headers = read?.values[0]?.map((v) => String(v ?? '')).filter(Boolean) ?? [];
  return (
    <EmptyState
      title={i18n.t('import.title')}
      description={i18n.t('import.empty')}
      actions={
        <div className={styles.actions}>
          <Button appearance="primary" disabled={busy} onClick={() => void run('selection')}>
            {i18n.t('import.readSelection')}
          </Button>
          <Button disabled={busy} onClick={() => void run('sheet')}>
            {i18n.t('import.readSheet')}
          </Button>
        </div>
      }
    >
      {busy ? <Spinner size="tiny" label={i18n.t('import.reading')} /> : null}
      <ProblemBar error={error} />
      {read ? (
        read.values.length < 2 ? (
          <Body1 role="status">{i18n.t('import.nothing')}</Body1>
        ) : (
          <div role="status">
            <Body1>
              {i18n.t('import.summary', {
                rows: read.values.length - 1,
                columns: read.values[0]?.length ?? 0,
                sheet: read.sheet,
                address: read.address,
              })}
            </Body1>
            <Caption1 block>{i18n.t('import.headers')}</Caption1>
            <ul className={styles.headers}>
              {headers.map((h, i) => (
                <li key={`${i}-${h}`}>{h}</li>
              ))}
            </ul>
            <Caption1 block>{i18n.t('import.next')}</Caption1>
          </div>
        )
      ) : null}
    </EmptyState>
  );
}

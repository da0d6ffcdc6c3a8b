// Browser mode only: open an .xlsx/.csv as the workbook, download the result as .xlsx.
import { Body1, Button, Caption1, makeStyles, tokens } from '@fluentui/react-components';
import { useRef, useState, useSyncExternalStore } from 'react';
import type { BrowserExcelHost } from '../office/excel-browser';
import { usePane, useI18n } from '../ui/context';
import { ProblemBar } from '../ui/ProblemBar';

const useStyles = makeStyles({
  root: {
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalS,
    padding: tokens.spacingHorizontalS,
    border: `${tokens.strokeWidthThin} dashed ${tokens.colorNeutralStroke1}`,
    borderRadius: tokens.borderRadiusMedium,
  },
  actions: { display: 'flex', gap: tokens.spacingHorizontalS, flexWrap: 'wrap' },
  hidden: { display: 'none' },
});

export function WorkbookBar() {
  const styles = useStyles();
  const i18n = useI18n();
  const workbook = usePane().host.excel as BrowserExcelHost;
  const input = useRef<HTMLInputElement>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  useSyncExternalStore(
    (notify) => workbook.onChange(notify),
    () => workbook.revision(),
  );

  const open = async (file: File | undefined) => {
    if (!file) return;
    setBusy(i18n.t('workbook.opening', { name: file.name }));
    setError(null);
    try {
      await workbook.openFile(file);
    } catch {
      setError(i18n.t('workbook.failed'));
    } finally {
      setBusy(null);
      if (input.current) input.current.value = '';
    }
  };

  return (
    <section
      className={styles.root}
      aria-label={i18n.t('workbook.open')}
      onDragOver={(e) => e.preventDefault()}
      onDrop={(e) => {
        e.preventDefault();
        void open(e.dataTransfer.files[0]);
      }}
    >
      <Body1>{i18n.t('workbook.hint')}</Body1>
      <input
        ref={input}
        className={styles.hidden}
        type="file"
        accept=".xlsx,.csv,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        aria-label={i18n.t('workbook.open')}
        onChange={(e) => void open(e.target.files?.[0])}
      />
      <div className={styles.actions}>
        <Button onClick={() => input.current?.click()} disabled={busy !== null}>
          {i18n.t('workbook.open')}
        </Button>
        <Button onClick={() => void workbook.download()} disabled={!workbook.isOpen() || busy !== null}>
          {i18n.t('workbook.download')}
        </Button>
      </div>
      <Caption1 role="status">
        {busy ??
          (workbook.isOpen()
            ? i18n.t('workbook.opened', {
                name: workbook.fileName() ?? workbook.sheetNames()[0] ?? '',
                count: workbook.sheetNames().length,
              })
            : i18n.t('workbook.none'))}
      </Caption1>
      {error ? <ProblemBar error={new Error(error)} /> : null}
    </section>
  );
}

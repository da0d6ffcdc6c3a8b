// What the Settings sections share: the records they read, a loader hook, the copy button and
// the layout of a narrow pane.
import { Button, makeStyles, tokens } from '@fluentui/react-components';
import { useCallback, useEffect, useRef, useState, type DependencyList } from 'react';
import type { Me, Role } from '../../api/contract';
import { useI18n } from '../context';

export interface SectionProps {
  me: Me;
}

export type { User as UserRecord } from '../../api/contract';

/** Heads of sales look after managers; admins after everyone (the API says the same). */
export const mayManage = (me: Me, role: Role) => me.user.role === 'admin' || (me.user.role === 'head' && role === 'manager');

/** If-Match for a version the pane read. */
export const ifMatch = (version: number) => ({ 'If-Match': `"${version}"` });

export const useSettingsStyles = makeStyles({
  column: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  form: {
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalS,
    paddingBottom: tokens.spacingVerticalS,
  },
  list: {
    margin: 0,
    paddingInlineStart: 0,
    listStyleType: 'none',
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalS,
  },
  card: {
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalXXS,
    padding: `${tokens.spacingVerticalXS} 0`,
    borderBottom: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
  },
  row: { display: 'flex', flexWrap: 'wrap', alignItems: 'center', gap: tokens.spacingHorizontalS },
  grow: { flexGrow: 1, minWidth: '8rem' },
  // A select whose options are long (names with addresses) still fits the pane.
  fit: { minWidth: 0, maxWidth: '100%' },
  code: { fontFamily: tokens.fontFamilyMonospace, fontSize: tokens.fontSizeBase200 },
});

/** Data read once the section opens; `reload` reads it again, `busy` while it is on its way. */
export function useLoaded<T>(load: () => Promise<T>, deps: DependencyList) {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(true);
  const live = useRef(true);
  // Only the latest read is shown: an earlier one answering late must not undo a change.
  const latest = useRef(0);
  // Read again whenever `deps` change (the loader itself is a new function every render).
  const run = useCallback(load, deps);
  const reload = useCallback(async () => {
    const turn = ++latest.current;
    const current = () => live.current && turn === latest.current;
    setBusy(true);
    try {
      const value = await run();
      if (current()) {
        setData(value);
        setError(null);
      }
    } catch (e) {
      if (current()) setError(e);
    } finally {
      if (current()) setBusy(false);
    }
  }, [run]);
  useEffect(() => {
    live.current = true;
    void reload();
    return () => {
      live.current = false;
    };
  }, [reload]);
  return { data, error, busy, reload };
}

/** Copies `text`; where the webview refuses the clipboard, says to copy by hand. */
export function CopyButton({ text, label, onDone }: { text: string; label?: string; onDone: (message: string) => void }) {
  const i18n = useI18n();
  return (
    <Button
      size="small"
      aria-label={label}
      onClick={() => {
        if (!navigator.clipboard) return onDone(i18n.t('st.copyFailed'));
        navigator.clipboard.writeText(text).then(
          () => onDone(i18n.t('st.copied')),
          () => onDone(i18n.t('st.copyFailed')),
        );
      }}
    >
      {i18n.t('st.copy')}
    </Button>
  );
}

/** A decimal amount as typed ("50 000,50") in minor units, or null when it is not one. */
export function toMinor(text: string): number | null {
  const clean = text.replace(/[\s\u00a0']/g, '').replace(',', '.');
  if (!/^\d+(\.\d{1,2})?$/.test(clean)) return null;
  const [whole, fraction = ''] = clean.split('.');
  return Number(whole) * 100 + Number(fraction.padEnd(2, '0'));
}

import {
  Body1,
  Button,
  FluentProvider,
  MessageBar,
  MessageBarActions,
  MessageBarBody,
  makeStyles,
  tokens,
  webDarkTheme,
  webLightTheme,
} from '@fluentui/react-components';
import { useEffect, useState, useSyncExternalStore, type ReactNode } from 'react';
import type { ThemeName } from '../office/types';
import { isProblemCode } from '../api/problem';
import { I18nContext, PaneContext, usePane, useI18n, type Pane } from './context';
import type { I18n } from './i18n/core';

const useStyles = makeStyles({
  provider: { minHeight: '100vh', display: 'flex', flexDirection: 'column' },
  main: {
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalM,
    padding: tokens.spacingHorizontalM,
    flexGrow: 1,
  },
});

function useOnline(): boolean {
  return useSyncExternalStore(
    (notify) => {
      window.addEventListener('online', notify);
      window.addEventListener('offline', notify);
      return () => {
        window.removeEventListener('online', notify);
        window.removeEventListener('offline', notify);
      };
    },
    () => navigator.onLine,
  );
}

/** Offline notice, queued changes, and changes the server refused. */
function ConnectionBar() {
  const { client } = usePane();
  const i18n = useI18n();
  const online = useOnline();
  const lastFailure = (code: string | undefined) => i18n.problem(isProblemCode(code) ? code : 'internal');
  const pending = useSyncExternalStore(
    (notify) => client.queue.onChange(notify),
    () => client.queue.size,
  );
  const failures = useSyncExternalStore(
    (notify) => client.queue.onChange(notify),
    () => client.queue.failures().length,
  );
  return (
    <>
      {!online ? (
        <MessageBar intent="warning">
          <MessageBarBody>{i18n.t('common.offline')}</MessageBarBody>
        </MessageBar>
      ) : null}
      {pending > 0 ? (
        <MessageBar intent="info">
          <MessageBarBody>{i18n.t('common.queued', { count: pending })}</MessageBarBody>
          {online ? (
            <MessageBarActions>
              <Button size="small" onClick={() => void client.flushQueue()}>
                {i18n.t('common.sendNow')}
              </Button>
            </MessageBarActions>
          ) : null}
        </MessageBar>
      ) : null}
      {failures > 0 ? (
        <MessageBar intent="error">
          <MessageBarBody>
            {i18n.t('common.queueFailed', {
              count: failures,
              message: lastFailure(client.queue.failures().at(-1)?.code),
            })}
          </MessageBarBody>
          <MessageBarActions>
            <Button size="small" onClick={() => client.queue.dismissFailures()}>
              {i18n.t('common.dismiss')}
            </Button>
          </MessageBarActions>
        </MessageBar>
      ) : null}
    </>
  );
}

/** FluentProvider with Office's (or the system's) theme, translations (see startPane), and the pane context. */
export function AppShell({ pane, i18n, children }: { pane: Pane; i18n: I18n; children: ReactNode }) {
  const styles = useStyles();
  const { info } = pane.host;
  const [theme, setTheme] = useState<ThemeName>(() => info.theme());

  useEffect(() => info.onThemeChanged(setTheme), [info]);
  useEffect(() => {
    document.documentElement.lang = i18n.lang;
    document.documentElement.style.colorScheme = theme;
  }, [i18n, theme]);
  useEffect(() => pane.client.flushWhenOnline(window), [pane.client]);

  return (
    <PaneContext.Provider value={pane}>
      <I18nContext.Provider value={i18n}>
        <FluentProvider theme={theme === 'dark' ? webDarkTheme : webLightTheme} className={styles.provider}>
          <main className={styles.main}>
            {info.officeLoadError ? (
              <MessageBar intent="warning">
                <MessageBarBody>{i18n.t('host.officeFailed', { reason: info.officeLoadError })}</MessageBarBody>
              </MessageBar>
            ) : info.mode === 'browser' ? (
              <Body1>{i18n.t('host.browserMode')}</Body1>
            ) : null}
            <ConnectionBar />
            {children}
          </main>
        </FluentProvider>
      </I18nContext.Provider>
    </PaneContext.Provider>
  );
}

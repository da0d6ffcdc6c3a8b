import { Body1, Caption1, Spinner, Tab, TabList, makeStyles, tokens } from '@fluentui/react-components';
import { lazy, Suspense, useEffect, useState } from 'react';
import type { Me } from '../api/contract';
import type { MailItem } from '../office/types';
import { AuthGate } from '../ui/AuthGate';
import { usePane, useI18n } from '../ui/context';
import { EmptyState } from '../ui/EmptyState';
import { hasSettings } from '../ui/settings/has-settings';
import { EmlDrop } from './EmlDrop';
import { MeContext } from './me';
import { SenderPanel } from './SenderPanel';

// Today is its own chunk: the first screen is the open message's sender.
const TodayView = lazy(() => import('../ui/TodayView'));
// Settings (heads and admins only) too, loaded when its tab is opened.
const Settings = lazy(() => import('../ui/settings/SettingsView'));
// A follow-up's deal opens from Today in the deal view.
const DealView = lazy(() => import('./DealView'));

const useStyles = makeStyles({
  item: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXXS },
  panel: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM, paddingTop: tokens.spacingVerticalS },
});

/** The open message, following ItemChanged (a pinned pane moves with the selection). */
function useCurrentItem(): MailItem | null | undefined {
  const mail = usePane().host.mail!;
  const [item, setItem] = useState<MailItem | null | undefined>(undefined);
  useEffect(() => {
    let live = true;
    const load = () => {
      mail.currentItem().then(
        (next) => live && setItem(next),
        () => live && setItem(null),
      );
    };
    load();
    const off = mail.onItemChanged(load);
    return () => {
      live = false;
      void off.then(
        (unsubscribe) => unsubscribe(),
        () => undefined,
      );
    };
  }, [mail]);
  return item;
}

function MailHome() {
  const styles = useStyles();
  const i18n = useI18n();
  const { host } = usePane();
  const item = useCurrentItem();
  const browser = host.mail?.kind === 'browser';

  if (item === undefined) return <Spinner size="small" label={i18n.t('common.loading')} />;
  return (
    <>
      {item ? (
        <>
          <div className={styles.item}>
            <Caption1>
              {i18n.t('mail.from')}: {item.from ? `${item.from.name || item.from.email} <${item.from.email}>` : '—'}
            </Caption1>
            <Body1>
              {i18n.t('mail.subject')}: {item.subject || i18n.t('mail.noSubject')}
            </Body1>
          </div>
          <SenderPanel key={item.id ?? item.internetMessageId ?? ''} item={item} />
        </>
      ) : (
        <EmptyState title={i18n.t('mail.none.title')} description={i18n.t('mail.none.body')} />
      )}
      {browser ? <EmlDrop /> : null}
    </>
  );
}

type View = 'mail' | 'today' | 'settings';

/** The message's sender, and the manager's day (follow-ups, quiet deals) one tab away. */
function OutlookHome({ me }: { me: Me }) {
  const styles = useStyles();
  const i18n = useI18n();
  const [view, setView] = useState<View>('mail');
  // Today and Settings stay mounted once opened, so switching back and forth keeps their state.
  const [todayOpened, setTodayOpened] = useState(false);
  const [settingsOpened, setSettingsOpened] = useState(false);
  const [todayDeal, setTodayDeal] = useState<string | null>(null);
  return (
    <>
      <TabList
        selectedValue={view}
        onTabSelect={(_, data) => {
          setView(data.value as View);
          if (data.value === 'today') setTodayOpened(true);
          if (data.value === 'settings') setSettingsOpened(true);
        }}
        aria-label={i18n.t('outlook.tabs')}
        size="small"
      >
        <Tab value="mail" id="tab-mail" aria-controls="panel-mail">
          {i18n.t('outlook.tab.mail')}
        </Tab>
        <Tab value="today" id="tab-today" aria-controls="panel-today">
          {i18n.t('excel.tab.today')}
        </Tab>
        {hasSettings(me) ? (
          <Tab value="settings" id="tab-settings" aria-controls="panel-settings">
            {i18n.t('excel.tab.settings')}
          </Tab>
        ) : null}
      </TabList>
      <div
        id="panel-mail"
        role="tabpanel"
        aria-labelledby="tab-mail"
        hidden={view !== 'mail'}
        className={view === 'mail' ? styles.panel : undefined}
      >
        <MailHome />
      </div>
      {todayOpened ? (
        <div
          id="panel-today"
          role="tabpanel"
          aria-labelledby="tab-today"
          hidden={view !== 'today'}
          className={view === 'today' ? styles.panel : undefined}
        >
          <Suspense fallback={<Spinner size="small" label={i18n.t('common.loading')} />}>
            {todayDeal ? <DealView dealId={todayDeal} item={null} onBack={() => setTodayDeal(null)} /> : null}
            <div hidden={todayDeal !== null}>
              <TodayView onOpenDeal={setTodayDeal} />
            </div>
          </Suspense>
        </div>
      ) : null}
      {settingsOpened ? (
        <div
          id="panel-settings"
          role="tabpanel"
          aria-labelledby="tab-settings"
          hidden={view !== 'settings'}
          className={view === 'settings' ? styles.panel : undefined}
        >
          <Suspense fallback={<Spinner size="small" label={i18n.t('common.loading')} />}>
            <Settings me={me} />
          </Suspense>
        </div>
      ) : null}
    </>
  );
}

export function OutlookApp() {
  return (
    <AuthGate>
      {(me) => (
        <MeContext.Provider value={me}>
          <OutlookHome me={me} />
        </MeContext.Provider>
      )}
    </AuthGate>
  );
}

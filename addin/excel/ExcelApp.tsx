import { Spinner, Tab, TabList, makeStyles, tokens } from '@fluentui/react-components';
import { lazy, Suspense, useState } from 'react';
import type { Me } from '../api/contract';
import type { MessageKey } from '../ui/i18n';
import { AuthGate } from '../ui/AuthGate';
import { hasSettings } from '../ui/settings/has-settings';
import { lazyModule } from '../ui/lazy-module';
import { usePane, useI18n } from '../ui/context';
import { WorkbookBar } from './WorkbookBar';

// Each tab is its own chunk: the first screen loads only the shell and the tab it shows. That tab
// (Import) is fetched right away, while sign-in is still being checked, not after it; when it is
// in by the time the tabs render (the usual case), it renders directly: a Suspense fallback would
// hold the finished tab back for React's 300 ms fallback throttle.
const importTab = lazyModule(() => import('./tabs/ImportTab'));
void importTab.load().catch(() => undefined);
const tabs = {
  import: lazy(() => importTab.load()),
  pipeline: lazy(() => import('./tabs/PipelineTab')),
  reports: lazy(() => import('./tabs/ReportsTab')),
  today: lazy(() => import('../ui/TodayView')),
} as const;
// Settings (heads and admins only) is a chunk of its own, loaded when its tab is opened.
const Settings = lazy(() => import('../ui/settings/SettingsView'));
type TabId = keyof typeof tabs | 'settings';
const ORDER: TabId[] = ['import', 'pipeline', 'reports', 'today', 'settings'];

const useStyles = makeStyles({
  panel: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM, paddingTop: tokens.spacingVerticalS },
});

function ExcelHome({ me }: { me: Me }) {
  const styles = useStyles();
  const i18n = useI18n();
  const { host } = usePane();
  const [selected, setSelected] = useState<TabId>('import');
  // Visited tabs stay mounted (hidden), so switching tabs keeps what was typed. The flex class
  // goes only on the shown panel: a display rule would override the hidden attribute.
  const [visited, setVisited] = useState<Set<TabId>>(() => new Set(['import']));
  // Decided once: switching between the lazy wrapper and the module later would remount the tab.
  const [loadedImport] = useState(() => importTab.get());

  const order = ORDER.filter((id) => id !== 'settings' || hasSettings(me));

  const select = (tab: TabId) => {
    setSelected(tab);
    setVisited((v) => (v.has(tab) ? v : new Set(v).add(tab)));
  };

  return (
    <>
      {host.excel?.kind === 'browser' ? <WorkbookBar /> : null}
      <TabList
        selectedValue={selected}
        onTabSelect={(_, data) => select(data.value as TabId)}
        aria-label={i18n.t('excel.tabs')}
        size="small"
      >
        {order.map((id) => (
          <Tab key={id} value={id} id={`tab-${id}`} aria-controls={`panel-${id}`}>
            {i18n.t(`excel.tab.${id}` as MessageKey)}
          </Tab>
        ))}
      </TabList>
      {ORDER.filter((id) => visited.has(id)).map((id) => {
        const Panel = id === 'settings' ? null : id === 'import' && loadedImport ? loadedImport.default : tabs[id];
        return (
          <div
            key={id}
            id={`panel-${id}`}
            role="tabpanel"
            aria-labelledby={`tab-${id}`}
            hidden={selected !== id}
            className={selected === id ? styles.panel : undefined}
          >
            <Suspense fallback={<Spinner size="small" label={i18n.t('common.loading')} />}>
              {Panel ? <Panel /> : <Settings me={me} />}
            </Suspense>
          </div>
        );
      })}
    </>
  );
}

export function ExcelApp() {
  return <AuthGate>{(me) => <ExcelHome me={me} />}</AuthGate>;
}

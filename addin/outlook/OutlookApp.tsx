import { Body1, Caption1, Spinner, makeStyles, tokens } from '@fluentui/react-components';
import { useEffect, useState } from 'react';
import type { MailItem } from '../office/types';
import { AuthGate } from '../ui/AuthGate';
import { usePane, useI18n } from '../ui/context';
import { EmptyState } from '../ui/EmptyState';
import { EmlDrop } from './EmlDrop';
import { SenderPanel } from './SenderPanel';

const useStyles = makeStyles({
  item: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXXS },
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

export function OutlookApp() {
  return <AuthGate>{() => <MailHome />}</AuthGate>;
}

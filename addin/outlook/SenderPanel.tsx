// Who is this? One batched /match call for every address of the thread (from, to, cc), then the
// sender's client card (a known contact, or a lead captured earlier from the same address), or
// the lead form filled from the email when Leadpane does not know the sender. A forwarded email
// is read first: the lead of a forwarded web form is the person in the form, and of a forwarded
// email its original sender, never the colleague who forwarded it.
import { Body1, Caption1, Spinner, makeStyles, tokens } from '@fluentui/react-components';
import { lazy, Suspense, useEffect, useState } from 'react';
import type { Deal } from '../api/contract';
import type { MailItem } from '../office/types';
import { usePane, useI18n } from '../ui/context';
import { ProblemBar } from '../ui/ProblemBar';
import { lazyModule, loadedComponent } from '../ui/lazy-module';
import { LeadForm, loadExtras } from './LeadForm';
import { isForward, senderCompany, senderContact, senderLead, threadEmails, type MatchAll } from './model';
import { useExtraction } from './use-extraction';

// Filing an attachment in a deal is offered after the card loaded: its form is a separate chunk.
const FileToDeal = lazy(() => import('./FileToDeal'));

// The client card (a known contact, company or lead) and its actions are a separate chunk, so the
// lead form for an unknown sender comes up without them. SenderPanel loads the chunk before it
// shows a /match answer that has any contact, company or lead, so these render without waiting.
type Cards = typeof import('./ClientCard');
const cards = lazyModule<Cards>(() => import('./ClientCard'));

const ClientCard = loadedComponent(cards, (m) => m.ClientCard);
const LeadCard = loadedComponent(cards, (m) => m.LeadCard);

export { threadEmails } from './model';

const useStyles = makeStyles({
  list: { margin: 0, paddingInlineStart: tokens.spacingHorizontalXL },
  text: { margin: 0 },
});

/**
 * The message's files (inline images left out), so the user sees what came with it; from a known
 * client, each can fill a document slot of one of the client's open deals.
 */
function Attachments({ item, companyId = null }: { item: MailItem; companyId?: string | null }) {
  const styles = useStyles();
  const i18n = useI18n();
  const { client } = usePane();
  const files = item.attachments.filter((a) => !a.isInline);
  const [deals, setDeals] = useState<Deal[]>([]);
  useEffect(() => {
    if (!companyId || files.length === 0) return;
    let live = true;
    client.companyCard(companyId).then(
      (card) => live && setDeals(card.openDeals),
      () => undefined, // the card shows its own error; filing is simply not offered
    );
    return () => {
      live = false;
    };
  }, [client, companyId, files.length]);
  if (files.length === 0) return null;
  return (
    <section aria-labelledby="attachments-title">
      <Caption1 as="h3" id="attachments-title" block>
        {i18n.t('mail.attachments', { count: files.length })}
      </Caption1>
      <ul className={styles.list}>
        {files.map((a) => (
          <li key={a.id}>
            <Body1>
              {a.name} · {i18n.formatNumber(Math.max(1, Math.round(a.size / 1024)))} KB
            </Body1>
            {deals.length > 0 ? (
              <Suspense fallback={null}>
                <FileToDeal item={item} attachment={a} deals={deals} />
              </Suspense>
            ) : null}
          </li>
        ))}
      </ul>
    </section>
  );
}

export function SenderPanel({ item }: { item: MailItem }) {
  const i18n = useI18n();
  const styles = useStyles();
  const { client, host } = usePane();
  const [result, setResult] = useState<MatchAll | null>(null);
  const [error, setError] = useState<unknown>(null);
  // only a forward is read before the card: whose lead it is depends on what was forwarded
  const forward = item.from !== null && isForward(item.subject);
  const extraction = useExtraction(host.mail!, item, forward, loadExtras);
  const read = extraction.status === 'done' ? extraction.extraction : null;
  const leadEmail = forward && read && read.kind !== 'direct' ? (read.lead.email?.value ?? null) : null;
  const emails = [...new Set([...(leadEmail ? [leadEmail] : []), ...threadEmails(item)])];
  const key = forward && extraction.status === 'pending' ? '' : emails.join(',');

  useEffect(() => {
    if (!key) return;
    let live = true;
    setResult(null);
    setError(null);
    client
      .match(key.split(','))
      .then(async (r) => {
        const all = r as MatchAll;
        if (all.contacts.length + all.companies.length + (all.leads?.length ?? 0) > 0) await cards.load();
        return all;
      })
      .then(
        (r) => live && setResult(r),
        (e: unknown) => live && setError(e),
      );
    return () => {
      live = false;
    };
  }, [client, key]);

  if (error) return <ProblemBar error={error} />;
  if (!item.from) return <Attachments item={item} />;
  if (!result || !key) return <Spinner size="small" label={i18n.t('mail.looking')} />;

  const sender = (leadEmail ?? item.from.email).toLowerCase();
  const known = senderContact(result, sender);
  const company = known?.company ?? senderCompany(result, sender);
  const lead = known ? null : senderLead(result, sender);
  const others = result.contacts.filter((c) => c.contact.id !== known?.contact.id);

  let main: React.ReactNode;
  if (known) main = <ClientCard item={item} contact={known.contact} company={company} />;
  else if (lead) main = <LeadCard item={item} lead={lead} />;
  else
    main = (
      <>
        {company ? (
          <>
            <ClientCard item={item} contact={null} company={company} />
            <Body1 as="p" className={styles.text}>
              {i18n.t('card.companyOnly', { company: company.name, email: item.from.email })}
            </Body1>
          </>
        ) : null}
        <LeadForm item={item} extraction={forward ? extraction : undefined} />
      </>
    );

  return (
    <>
      {main}
      <Attachments item={item} companyId={company?.id ?? null} />
      {others.length > 0 ? (
        <section aria-labelledby="others-title">
          <Caption1 as="h3" id="others-title" block>
            {i18n.t('card.others')}
          </Caption1>
          <ul className={styles.list}>
            {others.map((c) => (
              <li key={c.contact.id}>
                <Body1>{[c.contact.fullName, c.company?.name].filter(Boolean).join(' · ')}</Body1>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </>
  );
}

// Who is this? Looks up every address of the thread, then shows the sender's client card, or a
// new-contact form when Leadpane does not know the sender.
import { Badge, Body1, Caption1, Spinner, Subtitle2, makeStyles, tokens } from '@fluentui/react-components';
import { useEffect, useState } from 'react';
import type { Company, CompanyCard, Contact, MatchResponse } from '../api/types';
import type { MailItem } from '../office/types';
import { usePane, useI18n } from '../ui/context';
import { ProblemBar } from '../ui/ProblemBar';
import { NewContactForm } from './NewContactForm';

const useStyles = makeStyles({
  card: {
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalS,
    padding: tokens.spacingHorizontalM,
    borderRadius: tokens.borderRadiusMedium,
    backgroundColor: tokens.colorNeutralBackground2,
    border: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
  },
  row: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalS, flexWrap: 'wrap' },
  list: { margin: 0, paddingInlineStart: tokens.spacingHorizontalXL },
  text: { margin: 0 },
});

const domainOf = (email: string) => email.slice(email.lastIndexOf('@') + 1).toLowerCase();

/** The thread's addresses, sender first, without duplicates. */
export function threadEmails(item: MailItem): string[] {
  const all = [item.from, ...item.to, ...item.cc].filter((a) => a !== null).map((a) => a.email.trim().toLowerCase());
  return [...new Set(all)].filter((e) => e.includes('@'));
}

/** The company the sender's domain matched, when the answer lets us tell. */
function senderCompany(result: MatchResponse, sender: string): Company | null {
  const domain = domainOf(sender);
  const byDomain = result.companies.find((c) => {
    const fields = [c.company.domain, c.company.website, ...(Array.isArray(c.company.domains) ? c.company.domains : [])];
    return fields.some((f) => typeof f === 'string' && f.toLowerCase().includes(domain));
  });
  if (byDomain) return byDomain.company;
  return result.companies.length === 1 ? result.companies[0]!.company : null;
}

function ClientCard({ contact, company }: { contact: Contact | null; company: Company | null }) {
  const styles = useStyles();
  const i18n = useI18n();
  const { client } = usePane();
  const [card, setCard] = useState<CompanyCard | null>(null);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    if (!company) return;
    let live = true;
    client.companyCard(company.id).then(
      (c) => live && setCard(c),
      (e) => live && setError(e),
    );
    return () => {
      live = false;
    };
  }, [client, company]);

  const activityLabel = (type: string) => {
    const key = `activity.${type}`;
    return i18n.has(key) ? i18n.t(key) : type;
  };
  const vip = card?.company.vipTier ?? company?.vipTier ?? null;
  return (
    <section className={styles.card} aria-label={company?.name ?? contact?.fullName ?? ''}>
      {contact ? (
        <div>
          <Caption1 block>{i18n.t('card.contact')}</Caption1>
          <Subtitle2 as="h2" block>
            {contact.fullName}
          </Subtitle2>
          <Body1 as="p" className={styles.text}>
            {[contact.title, contact.email].filter(Boolean).join(' · ')}
          </Body1>
        </div>
      ) : null}
      {company ? (
        <div className={styles.row}>
          <div>
            <Caption1 block>{i18n.t('card.company')}</Caption1>
            <Subtitle2 as={contact ? 'h3' : 'h2'} block>
              {company.name}
            </Subtitle2>
          </div>
          {vip !== null && vip !== '' ? (
            <Badge appearance="filled" color="important">
              {i18n.t('card.vip', { tier: String(vip) })}
            </Badge>
          ) : null}
        </div>
      ) : null}
      {company && !card && !error ? <Spinner size="tiny" label={i18n.t('common.loading')} /> : null}
      <ProblemBar error={error} />
      {card ? (
        <>
          <div>
            <Caption1 block>{i18n.t('card.openDeals')}</Caption1>
            {card.openDeals.length === 0 ? (
              <Body1 as="p" className={styles.text}>
                {i18n.t('card.noDeals')}
              </Body1>
            ) : (
              <ul className={styles.list}>
                {card.openDeals.map((d) => (
                  <li key={d.id}>
                    <Body1>
                      {d.title} · {d.stage} · {i18n.formatMoney(d.amountMinor, d.currency)}
                    </Body1>
                  </li>
                ))}
              </ul>
            )}
          </div>
          <div>
            <Caption1 block>{i18n.t('card.lastActivity')}</Caption1>
            <Body1 as="p" className={styles.text}>
              {card.lastActivity
                ? `${activityLabel(card.lastActivity.type)} · ${card.lastActivity.subject} · ${i18n.formatRelative(card.lastActivity.occurredAt)}`
                : i18n.t('card.noActivity')}
            </Body1>
          </div>
          <div>
            <Caption1 block>{i18n.t('card.openCases')}</Caption1>
            {card.openCases.length === 0 ? (
              <Body1 as="p" className={styles.text}>
                {i18n.t('card.noCases')}
              </Body1>
            ) : (
              <ul className={styles.list}>
                {card.openCases.map((c) => (
                  <li key={c.id}>
                    <Body1>{[c.kind, c.subject, c.status].filter(Boolean).join(' · ')}</Body1>
                  </li>
                ))}
              </ul>
            )}
          </div>
        </>
      ) : null}
    </section>
  );
}

export function SenderPanel({ item }: { item: MailItem }) {
  const i18n = useI18n();
  const styles = useStyles();
  const { client } = usePane();
  const [result, setResult] = useState<MatchResponse | null>(null);
  const [error, setError] = useState<unknown>(null);
  const emails = threadEmails(item);
  const key = emails.join(',');

  useEffect(() => {
    if (!key) return;
    let live = true;
    client.match(key.split(',')).then(
      (r) => live && setResult(r),
      (e) => live && setError(e),
    );
    return () => {
      live = false;
    };
  }, [client, key]);

  if (error) return <ProblemBar error={error} />;
  if (!item.from) return null;
  if (!result) return <Spinner size="small" label={i18n.t('mail.looking')} />;

  const sender = item.from.email.toLowerCase();
  const senderMatch = result.contacts.find((c) => c.contact.email?.toLowerCase() === sender) ?? null;
  const company = senderMatch?.company ?? senderCompany(result, sender);
  const others = result.contacts.filter((c) => c !== senderMatch);

  return (
    <>
      {senderMatch || company ? <ClientCard contact={senderMatch?.contact ?? null} company={company} /> : null}
      {!senderMatch && company ? (
        <Body1 as="p" className={styles.text}>
          {i18n.t('card.companyOnly', { company: company.name, email: item.from.email })}
        </Body1>
      ) : null}
      {!senderMatch ? <NewContactForm from={item.from} company={company} /> : null}
      {others.length > 0 ? (
        <section aria-label={i18n.t('card.others')}>
          <Caption1 block>{i18n.t('card.others')}</Caption1>
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

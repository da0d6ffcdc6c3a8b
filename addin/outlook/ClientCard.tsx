// A known sender: the client card (company, VIP tier, open deals, open complaints, credit, last
// contact) and what to do with this email. A lead captured earlier gets a smaller card.
import {
  Badge,
  Body1,
  Caption1,
  MessageBar,
  MessageBarBody,
  Radio,
  RadioGroup,
  Spinner,
  Subtitle2,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { useEffect, useState } from 'react';
import type { Company, CompanyCard, Contact } from '../api/types';
import type { MailItem } from '../office/types';
import { usePane, useI18n } from '../ui/context';
import { ProblemBar } from '../ui/ProblemBar';
import { MailActions } from './MailActions';
import { isVip, type CreditSummary, type LeadRecord } from './model';

export const useCardStyles = makeStyles({
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

type FullCard = CompanyCard & { lastContactDays?: number | null; credit?: CreditSummary | null };

function Section({ title, children }: { title: string; children: React.ReactNode }) {
  return (
    <div>
      <Caption1 block>{title}</Caption1>
      {children}
    </div>
  );
}

function CreditLine({ credit }: { credit: CreditSummary }) {
  const i18n = useI18n();
  const styles = useCardStyles();
  if (!credit.invoices12m && credit.creditLimitMinor === null) {
    return (
      <Body1 as="p" className={styles.text}>
        {i18n.t('card.noCredit')}
      </Body1>
    );
  }
  const parts = [i18n.t('card.creditScore', { grade: credit.grade, score: credit.score })];
  if (credit.creditLimitMinor !== null)
    parts.push(i18n.t('card.creditLimit', { amount: i18n.formatMoney(credit.creditLimitMinor, credit.currency) }));
  if (credit.overdueAmountMinor > 0)
    parts.push(
      i18n.t('card.creditOverdue', { amount: i18n.formatMoney(credit.overdueAmountMinor, credit.currency), days: credit.maxDaysOverdue }),
    );
  return (
    <Body1 as="p" className={styles.text}>
      {parts.join(' · ')}
    </Body1>
  );
}

export function ClientCard({ item, contact, company }: { item: MailItem; contact: Contact | null; company: Company | null }) {
  const styles = useCardStyles();
  const i18n = useI18n();
  const { client } = usePane();
  const [card, setCard] = useState<FullCard | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [dealId, setDealId] = useState('');

  useEffect(() => {
    if (!company) return;
    let live = true;
    client.companyCard(company.id).then(
      (c) => live && setCard(c as FullCard),
      (e: unknown) => live && setError(e),
    );
    return () => {
      live = false;
    };
  }, [client, company]);

  const label = (prefix: string, value: string | undefined) => {
    const key = `${prefix}.${value ?? ''}`;
    return i18n.has(key) ? i18n.t(key) : (value ?? '');
  };
  const vip = card?.company.vipTier ?? company?.vipTier ?? null;
  const openComplaints = card?.openCases.filter((c) => (c.kind ?? 'complaint') === 'complaint') ?? [];
  const openProposals = card?.openCases.filter((c) => c.kind === 'proposal') ?? [];
  const link = { companyId: company?.id ?? null, contactId: contact?.id ?? null, dealId: dealId || null, leadId: null };

  return (
    <>
      <section className={styles.card} aria-label={company?.name ?? contact?.fullName ?? ''} data-testid="client-card">
        {contact ? (
          <div>
            <Caption1 block>{i18n.t('card.contact')}</Caption1>
            <Subtitle2 as="h2" block>
              {contact.fullName}
            </Subtitle2>
            <Body1 as="p" className={styles.text}>
              {[contact.title, contact.email ?? (Array.isArray(contact.emails) ? contact.emails[0] : null)].filter(Boolean).join(' · ')}
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
            {isVip(vip) ? (
              <Badge appearance="filled" color="important" data-testid="vip-badge">
                {i18n.t('card.vip', { tier: String(vip) })}
              </Badge>
            ) : null}
          </div>
        ) : null}
        {isVip(vip) ? (
          <MessageBar intent="warning" data-testid="vip-flag">
            <MessageBarBody>{i18n.t('card.vipSender')}</MessageBarBody>
          </MessageBar>
        ) : null}
        {company && !card && !error ? <Spinner size="tiny" label={i18n.t('common.loading')} /> : null}
        <ProblemBar error={error} />
        {card ? (
          <>
            <div>
              <Caption1 block id="open-deals-title">
                {i18n.t('card.openDeals')}
              </Caption1>
              {card.openDeals.length === 0 ? (
                <Body1 as="p" className={styles.text}>
                  {i18n.t('card.noDeals')}
                </Body1>
              ) : (
                // Choosing a deal here links the actions below (log, follow-up, complaint) to it.
                <RadioGroup aria-labelledby="open-deals-title" value={dealId} onChange={(_, d) => setDealId(d.value)}>
                  {card.openDeals.map((d) => (
                    <Radio
                      key={d.id}
                      value={d.id}
                      label={`${d.title} · ${label('stage', d.stage)} · ${i18n.formatMoney(d.amountMinor, d.currency)}`}
                    />
                  ))}
                  <Radio value="" label={i18n.t('actions.noDeal')} />
                </RadioGroup>
              )}
            </div>
            <Section title={i18n.t('card.openComplaints')}>
              {openComplaints.length === 0 ? (
                <Body1 as="p" className={styles.text}>
                  {i18n.t('card.noCases')}
                </Body1>
              ) : (
                <ul className={styles.list}>
                  {openComplaints.map((c) => (
                    <li key={c.id}>
                      <Body1>
                        {[c.subject, label('case.priority', c.priority as string | undefined), label('case.status', c.status)]
                          .filter(Boolean)
                          .join(' · ')}
                      </Body1>
                    </li>
                  ))}
                </ul>
              )}
            </Section>
            {openProposals.length > 0 ? (
              <Section title={i18n.t('card.openProposals')}>
                <ul className={styles.list}>
                  {openProposals.map((c) => (
                    <li key={c.id}>
                      <Body1>{[c.subject, label('case.status', c.status)].filter(Boolean).join(' · ')}</Body1>
                    </li>
                  ))}
                </ul>
              </Section>
            ) : null}
            {card.credit ? (
              <Section title={i18n.t('card.credit')}>
                <CreditLine credit={card.credit} />
              </Section>
            ) : null}
            <Section title={i18n.t('card.lastActivity')}>
              <Body1 as="p" className={styles.text}>
                {card.lastActivity
                  ? `${label('activity', card.lastActivity.type)} · ${card.lastActivity.subject} · ${i18n.formatRelative(card.lastActivity.occurredAt)}`
                  : i18n.t('card.noActivity')}
              </Body1>
            </Section>
          </>
        ) : null}
      </section>
      <MailActions item={item} link={link} />
    </>
  );
}

/** A sender Leadpane knows only as a lead (captured from an earlier email, a form, a sheet). */
export function LeadCard({ item, lead }: { item: MailItem; lead: LeadRecord }) {
  const styles = useCardStyles();
  const i18n = useI18n();
  const status = `lead.status.${lead.status}`;
  const source = `lead.source.${lead.source}`;
  return (
    <>
      <section className={styles.card} aria-label={lead.fullName ?? lead.email ?? ''} data-testid="lead-card">
        <div>
          <Caption1 block>{i18n.t('card.lead')}</Caption1>
          <Subtitle2 as="h2" block>
            {lead.fullName ?? lead.email ?? '—'}
          </Subtitle2>
          <Body1 as="p" className={styles.text}>
            {[lead.companyName, lead.email, lead.phone].filter(Boolean).join(' · ')}
          </Body1>
        </div>
        <div className={styles.row}>
          <Badge appearance="tint">{i18n.has(status) ? i18n.t(status) : lead.status}</Badge>
          <Badge appearance="outline">{i18n.has(source) ? i18n.t(source) : lead.source}</Badge>
        </div>
      </section>
      <MailActions
        item={item}
        link={{
          companyId: lead.convertedCompanyId ?? null,
          contactId: lead.convertedContactId ?? null,
          dealId: lead.convertedDealId ?? null,
          leadId: lead.id,
        }}
      />
    </>
  );
}

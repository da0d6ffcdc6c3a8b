// A known sender: the client card (company and its identifier, VIP tier, open deals, open
// complaints with their age, the credit score with its reasons and the limit, last contact) and
// what to do with this email. Heads of sales set the VIP tier and the credit limit here; anyone
// opens a deal in the deal view. A lead captured earlier gets a smaller card, and is converted
// into a client and a deal from it.
import {
  Badge,
  Body1,
  Button,
  Caption1,
  Field,
  Input,
  MessageBar,
  MessageBarBody,
  Select,
  Spinner,
  Subtitle2,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { lazy, Suspense, useCallback, useEffect, useState } from 'react';
import type { Body, Company, CompanyCard, Contact } from '../api/contract';
import type { MailItem } from '../office/types';
import { usePane, useI18n } from '../ui/context';
import { ProblemBar } from '../ui/ProblemBar';
import { countryOfUser, identifierCountry, identifierLabel } from './company-id';
import { caseLine, MailActions } from './MailActions';
import { isHead, useMe } from './me';
import { CURRENCIES, decimalToMinor, isVip, minorToInput, type CreditSummary, type LeadRecord } from './model';
import { creditReasons } from './explain';
import { RuleBar } from './RuleBar';

// The deal view and the lead's conversion are chunks of their own, loaded when opened.
const DealView = lazy(() => import('./DealView'));
const ConvertLead = lazy(() => import('./ConvertLead'));

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
  fields: { display: 'flex', alignItems: 'flex-end', gap: tokens.spacingHorizontalS, flexWrap: 'wrap' },
  list: { margin: 0, paddingInlineStart: tokens.spacingHorizontalXL },
  plain: {
    margin: 0,
    paddingInlineStart: 0,
    listStyleType: 'none',
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalXS,
  },
  grow: { flexGrow: 1 },
  text: { margin: 0 },
});

type FullCard = CompanyCard;

function Section({ title, id, children }: { title: string; id?: string; children: React.ReactNode }) {
  return (
    <div>
      <Caption1 block id={id}>
        {title}
      </Caption1>
      {children}
    </div>
  );
}

function CreditLine({ credit }: { credit: CreditSummary }) {
  const i18n = useI18n();
  const styles = useCardStyles();
  const parts = [i18n.t('card.creditScore', { grade: credit.grade, score: credit.score })];
  parts.push(
    credit.creditLimitMinor !== null
      ? i18n.t('card.creditLimit', { amount: i18n.formatMoney(credit.creditLimitMinor, credit.currency) })
      : i18n.t('card.noLimit'),
  );
  if (credit.overdueAmountMinor > 0)
    parts.push(
      i18n.t('card.creditOverdue', { amount: i18n.formatMoney(credit.overdueAmountMinor, credit.currency), days: credit.maxDaysOverdue }),
    );
  const none = !credit.invoices12m && credit.creditLimitMinor === null && credit.openAmountMinor === 0;
  // With no history at all, "no payment history yet" says it; the reasons would only repeat it.
  const reasons = none ? [] : creditReasons(i18n, credit);
  return (
    <>
      <Body1 as="p" className={styles.text} data-testid="credit-line">
        {none ? i18n.t('card.noCredit') : parts.join(' · ')}
      </Body1>
      {reasons.length ? (
        <ul className={styles.list} aria-label={i18n.t('card.creditWhy')} data-testid="credit-reasons">
          {reasons.map((r) => (
            <li key={r}>
              <Caption1>{r}</Caption1>
            </li>
          ))}
        </ul>
      ) : null}
    </>
  );
}

/** What only heads of sales set on a client: the VIP tier and the credit limit. */
function HeadSettings({ company, onSaved }: { company: Company; onSaved: (message: string) => Promise<void> }) {
  const styles = useCardStyles();
  const i18n = useI18n();
  const { client } = usePane();
  const [tier, setTier] = useState(String(Number(company.vipTier) || 0));
  const [limit, setLimit] = useState(minorToInput(company.creditLimitMinor ?? null));
  const [currency, setCurrency] = useState(company.creditCurrency ?? 'BGN');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [badLimit, setBadLimit] = useState(false);

  const save = async (body: Body<'PATCH', '/companies/:id'>, message: string) => {
    setBusy(true);
    setError(null);
    try {
      await client.send({
        method: 'PATCH',
        path: '/companies/:id',
        params: { id: company.id },
        body,
        headers: { 'If-Match': `"${company.version}"` },
      });
      await onSaved(message);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  const saveLimit = () => {
    const minor = limit.trim() ? decimalToMinor(limit) : null;
    setBadLimit(limit.trim() !== '' && minor === null);
    if (limit.trim() && minor === null) return;
    void save({ creditLimitMinor: minor, creditCurrency: minor === null ? null : currency }, i18n.t('card.limitSaved'));
  };

  return (
    <section aria-labelledby="head-settings-title" data-testid="head-settings">
      <Caption1 as="h3" id="head-settings-title" block>
        {i18n.t('card.headSettings')}
      </Caption1>
      <div className={styles.fields}>
        <Field label={i18n.t('card.vipTier')}>
          <Select name="vipTier" value={tier} onChange={(_, d) => setTier(d.value)}>
            {['0', '1', '2', '3'].map((t) => (
              <option key={t} value={t}>
                {t === '0' ? i18n.t('card.vipNone') : i18n.t('card.vipLevel', { tier: t })}
              </option>
            ))}
          </Select>
        </Field>
        <Button size="small" disabled={busy} onClick={() => void save({ vipTier: Number(tier) }, i18n.t('card.vipSaved'))}>
          {i18n.t('card.vipSave')}
        </Button>
      </div>
      <div className={styles.fields}>
        <Field
          label={i18n.t('card.limitAmount')}
          validationMessage={badLimit ? i18n.t('deal.badAmount') : undefined}
          validationState={badLimit ? 'error' : 'none'}
        >
          <Input name="creditLimit" inputMode="decimal" value={limit} onChange={(_, d) => setLimit(d.value)} />
        </Field>
        <Field label={i18n.t('deal.currency')}>
          <Select name="creditCurrency" value={currency} onChange={(_, d) => setCurrency(d.value)}>
            {CURRENCIES.map((c) => (
              <option key={c} value={c}>
                {c}
              </option>
            ))}
          </Select>
        </Field>
        <Button size="small" disabled={busy} onClick={saveLimit}>
          {i18n.t('card.limitSave')}
        </Button>
      </div>
      <RuleBar error={error} />
    </section>
  );
}

export function ClientCard({ item, contact, company }: { item: MailItem; contact: Contact | null; company: Company | null }) {
  const styles = useCardStyles();
  const i18n = useI18n();
  const { client } = usePane();
  const me = useMe();
  const [card, setCard] = useState<FullCard | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [dealId, setDealId] = useState('');
  const [openDeal, setOpenDeal] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);

  const load = useCallback(async () => {
    if (!company) return;
    try {
      setCard(await client.companyCard(company.id));
      setError(null);
    } catch (e) {
      setError(e);
    }
  }, [client, company]);

  useEffect(() => {
    void load();
  }, [load]);

  const label = (prefix: string, value: string | undefined) => {
    const key = `${prefix}.${value ?? ''}`;
    return i18n.has(key) ? i18n.t(key) : (value ?? '');
  };

  if (openDeal)
    return (
      <Suspense fallback={<Spinner size="small" label={i18n.t('common.loading')} />}>
        <DealView
          dealId={openDeal}
          item={item}
          onBack={() => {
            setOpenDeal(null);
            void load();
          }}
        />
      </Suspense>
    );

  const full = card?.company ?? (company as Company | null);
  const vip = full?.vipTier ?? null;
  const openComplaints = card?.openCases.filter((c) => (c.kind ?? 'complaint') === 'complaint') ?? [];
  const openProposals = card?.openCases.filter((c) => c.kind === 'proposal') ?? [];
  const link = { companyId: company?.id ?? null, contactId: contact?.id ?? null, dealId: dealId || null, leadId: null };
  const userCountry = countryOfUser(i18n.locale, i18n.lang);
  const idCountry = full
    ? identifierCountry(
        full.eik,
        { country: full.country, website: full.website, email: contact?.emails?.[0] ?? null, phones: [full.phone], vat: full.vat },
        userCountry,
      )
    : null;
  const head = isHead(me);

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
              {[contact.title, contact.emails?.[0] ?? null].filter(Boolean).join(' · ')}
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
              {full?.eik ? (
                <Caption1 block data-testid="company-identifier">
                  {identifierLabel(i18n, idCountry, userCountry)}: {full.eik}
                </Caption1>
              ) : null}
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
        {saved ? (
          <MessageBar intent="success" role="status">
            <MessageBarBody>{saved}</MessageBarBody>
          </MessageBar>
        ) : null}
        {card ? (
          <>
            <Section title={i18n.t('card.openDeals')} id="open-deals-title">
              {card.openDeals.length === 0 ? (
                <Body1 as="p" className={styles.text}>
                  {i18n.t('card.noDeals')}
                </Body1>
              ) : (
                <ul className={styles.plain} aria-labelledby="open-deals-title" data-testid="open-deals">
                  {card.openDeals.map((d) => (
                    <li key={d.id} className={styles.row}>
                      <Body1 className={styles.grow}>
                        {`${d.title} · ${label('stage', d.stage)} · ${i18n.formatMoney(d.amountMinor, d.currency)}`}
                      </Body1>
                      <Button size="small" aria-label={i18n.t('deal.openAria', { title: d.title })} onClick={() => setOpenDeal(d.id)}>
                        {i18n.t('deal.open')}
                      </Button>
                    </li>
                  ))}
                </ul>
              )}
            </Section>
            {card.openDeals.length > 0 ? (
              // The deal the actions below (log, follow-up, complaint) are linked to.
              <Field label={i18n.t('card.linkDeal')}>
                <Select name="linkDeal" value={dealId} onChange={(_, d) => setDealId(d.value)}>
                  <option value="">{i18n.t('actions.noDeal')}</option>
                  {card.openDeals.map((d) => (
                    <option key={d.id} value={d.id}>
                      {d.title}
                    </option>
                  ))}
                </Select>
              </Field>
            ) : null}
            <Section title={i18n.t('card.openComplaints')}>
              {openComplaints.length === 0 ? (
                <Body1 as="p" className={styles.text}>
                  {i18n.t('card.noCases')}
                </Body1>
              ) : (
                <ul className={styles.list} data-testid="open-complaints">
                  {openComplaints.map((c) => (
                    <li key={c.id}>
                      <Body1>{caseLine(i18n, c)}</Body1>
                    </li>
                  ))}
                </ul>
              )}
            </Section>
            {openProposals.length > 0 ? (
              <Section title={i18n.t('card.openProposals')}>
                <ul className={styles.list} data-testid="open-proposals">
                  {openProposals.map((c) => (
                    <li key={c.id}>
                      <Body1>{caseLine(i18n, c)}</Body1>
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
            {head ? (
              <HeadSettings
                key={card.company.version}
                company={card.company}
                onSaved={async (message) => {
                  setSaved(message);
                  await load();
                }}
              />
            ) : (
              <Caption1 block data-testid="head-only-note">
                {i18n.t('card.headOnly')}
              </Caption1>
            )}
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
      <MailActions item={item} link={link} onChanged={() => void load()} />
    </>
  );
}

/** A sender Leadpane knows only as a lead (captured from an earlier email, a form, a sheet). */
export function LeadCard({ item, lead }: { item: MailItem; lead: LeadRecord }) {
  const styles = useCardStyles();
  const i18n = useI18n();
  const [converting, setConverting] = useState(false);
  const [converted, setConverted] = useState<{ dealId: string | null; link: LeadLink; name: string } | null>(null);
  const status = `lead.status.${lead.status}`;
  const source = `lead.source.${lead.source}`;

  if (converted)
    return (
      <>
        {converted.dealId ? (
          <Suspense fallback={<Spinner size="small" label={i18n.t('common.loading')} />}>
            <DealView dealId={converted.dealId} item={item} notice={i18n.t('convert.done', { name: converted.name })} />
          </Suspense>
        ) : (
          <MessageBar intent="success" role="status">
            <MessageBarBody>{i18n.t('convert.done', { name: converted.name })}</MessageBarBody>
          </MessageBar>
        )}
        <MailActions item={item} link={converted.link} />
      </>
    );

  const canConvert = lead.status !== 'converted' && lead.status !== 'disqualified';
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
        {canConvert && !converting ? (
          <div>
            <Button appearance="primary" onClick={() => setConverting(true)}>
              {i18n.t('convert.button')}
            </Button>
          </div>
        ) : null}
      </section>
      {converting ? (
        <Suspense fallback={<Spinner size="small" label={i18n.t('common.loading')} />}>
          <ConvertLead item={item} lead={lead} onCancel={() => setConverting(false)} onConverted={(result) => setConverted(result)} />
        </Suspense>
      ) : (
        <MailActions
          item={item}
          link={{
            companyId: lead.convertedCompanyId ?? null,
            contactId: lead.convertedContactId ?? null,
            dealId: lead.convertedDealId ?? null,
            leadId: lead.id,
          }}
        />
      )}
    </>
  );
}

type LeadLink = { companyId: string | null; contactId: string | null; dealId: string | null; leadId: string | null };

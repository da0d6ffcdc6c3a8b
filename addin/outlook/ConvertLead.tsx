// A lead becomes a client from the Outlook pane: the company, the contact and the deal. What
// Leadpane already holds is shown first (matched on email, phone, identifier, VAT, domain or name,
// the strongest first, and chosen by default), so a conversion reuses the client instead of making
// a copy; a new company or contact is made only when the user picks it. A chunk of its own.
import {
  Body1,
  Button,
  Caption1,
  Field,
  Input,
  Radio,
  RadioGroup,
  Select,
  Spinner,
  Subtitle2,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { useEffect, useState } from 'react';
import { LeadConvert } from '../../shared/schemas';
import type { Body, CompanyMatch, ContactMatch } from '../api/contract';
import { ApiError } from '../api/problem';
import { checkBody } from '../api/validate';
import type { MailItem } from '../office/types';
import { usePane, useI18n } from '../ui/context';
import { isFreeMail } from '../../shared/identity';
import { countryOfIdentifier, countryOfSender, countryOfUser, identifierLabel } from './company-id';
import { CURRENCIES, decimalToMinor, type LeadRecord, type MatchAll } from './model';
import { RuleBar } from './RuleBar';

const useStyles = makeStyles({
  form: {
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalS,
    padding: tokens.spacingHorizontalM,
    borderRadius: tokens.borderRadiusMedium,
    border: `${tokens.strokeWidthThick} solid ${tokens.colorBrandStroke1}`,
  },
  row: { display: 'flex', gap: tokens.spacingHorizontalS, flexWrap: 'wrap', alignItems: 'flex-end' },
  grow: { flexGrow: 1, minWidth: '8rem' },
  text: { margin: 0 },
});

export interface Converted {
  dealId: string | null;
  name: string;
  link: { companyId: string | null; contactId: string | null; dealId: string | null; leadId: string | null };
}

const str = (v: unknown): string | null => (typeof v === 'string' && v.trim() ? v.trim() : null);
const listOf = (v: string | null) => (v ? [v] : []);

export default function ConvertLead({
  item,
  lead,
  onCancel,
  onConverted,
}: {
  item: MailItem;
  lead: LeadRecord;
  onCancel: () => void;
  onConverted: (result: Converted) => void;
}) {
  const styles = useStyles();
  const i18n = useI18n();
  const { client } = usePane();
  const [match, setMatch] = useState<MatchAll | null>(null);
  const [companyChoice, setCompanyChoice] = useState('new');
  const [contactChoice, setContactChoice] = useState('new');
  const [title, setTitle] = useState(() => (item.subject || lead.companyName || lead.fullName || '—').slice(0, 200));
  const [amount, setAmount] = useState('');
  const [currency, setCurrency] = useState('BGN');
  const [close, setClose] = useState('');
  const [badAmount, setBadAmount] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const eik = str(lead.eik);
  const vat = str(lead.vat);
  const userCountry = countryOfUser(i18n.locale, i18n.lang);
  const idCountry =
    countryOfIdentifier(eik) ?? countryOfSender({ email: lead.email, website: str(lead.website), phones: [lead.phone], vat });
  const idLabel = identifierLabel(i18n, idCountry ?? userCountry, userCountry);

  useEffect(() => {
    let live = true;
    const q = (v: string | null) => (v ? [v] : []);
    client
      .get('/match', {
        query: {
          email: q(str(lead.email)),
          phone: q(str(lead.phone)),
          eik: q(eik),
          vat: q(vat),
          name: q(str(lead.fullName)),
          company: q(str(lead.companyName)),
        },
      })
      .then(
        (m) => {
          if (!live) return;
          setMatch(m);
          // The strongest match is what the conversion would reuse anyway: chosen by default.
          const bestCompany = [...m.companies].sort((a, b) => b.score - a.score)[0];
          const bestContact = [...m.contacts].sort((a, b) => b.score - a.score)[0];
          if (bestCompany) setCompanyChoice(bestCompany.company.id);
          if (bestContact && bestContact.matched.some((k) => k === 'email' || k === 'phone')) setContactChoice(bestContact.contact.id);
        },
        (e: unknown) => live && setError(e),
      );
    return () => {
      live = false;
    };
  }, [client, lead, eik, vat]);

  const keys = (matched: string[]) =>
    matched
      .map((k) => {
        if (k === 'eik') return idLabel;
        const key = `match.key.${k}`;
        return i18n.has(key) ? i18n.t(key) : k;
      })
      .join(', ');

  const companies: CompanyMatch[] = match?.companies ?? [];
  const contacts: ContactMatch[] = match?.contacts ?? [];
  const newCompanyName = str(lead.companyName) ?? (eik ? `${idLabel} ${eik}` : null);
  const personName = str(lead.fullName) ?? str(lead.email) ?? str(lead.phone);

  const convert = async () => {
    const amountMinor = amount.trim() ? decimalToMinor(amount) : null;
    setBadAmount(amount.trim() !== '' && amountMinor === null);
    if (amount.trim() && amountMinor === null) return;
    // The deal's part of the conversion, checked with the route's own schema before anything is made.
    const deal: Body<'POST', '/leads/:id/convert'> = {
      createDeal: true,
      dealTitle: title.trim() || undefined,
      ...(amountMinor !== null ? { amountMinor, currency } : {}),
      ...(close ? { expectedClose: close } : {}),
    };
    const invalid = checkBody(LeadConvert, deal);
    setError(invalid);
    if (invalid) return;
    setBusy(true);
    try {
      let companyId: string | undefined = companyChoice !== 'new' && companyChoice !== 'none' ? companyChoice : undefined;
      let contactId: string | undefined = contactChoice !== 'new' ? contactChoice : undefined;
      // A new company is made here, as the user chose it: the conversion would otherwise reuse a
      // match, and it keeps only a Bulgarian ЕИК (a Russian ИНН or a UK number would be lost).
      // The keys are the lead's, so a retry answers the records made the first time.
      if (companyChoice === 'new' && newCompanyName) {
        const email = str(lead.email);
        const domain = email && !isFreeMail(email) ? email.slice(email.lastIndexOf('@') + 1).toLowerCase() : null;
        companyId = (
          await client.create(
            '/companies',
            {
              body: {
                name: newCompanyName,
                eik,
                vat,
                website: str(lead.website),
                domain,
                city: str(lead.city),
                address: str(lead.address),
                country: idCountry,
                ownerId: str(lead.ownerId),
              },
            },
            { idempotencyKey: `convert-company-${lead.id}` },
          )
        ).id;
      }
      if (contactChoice === 'new' && contacts.length > 0 && personName)
        contactId = (
          await client.create(
            '/contacts',
            {
              body: {
                fullName: personName,
                title: str(lead.title),
                emails: listOf(str(lead.email)),
                phones: listOf(str(lead.phone)),
                companyId: companyId ?? null,
              },
            },
            { idempotencyKey: `convert-contact-${lead.id}` },
          )
        ).id;
      const result = await client.create('/leads/:id/convert', {
        params: { id: lead.id },
        body: {
          ...(companyId ? { companyId } : {}),
          ...(contactId ? { contactId } : {}),
          ...deal,
        },
      });
      onConverted({
        dealId: result.deal?.id ?? null,
        name: result.company?.name ?? result.contact?.fullName ?? personName ?? '',
        link: {
          companyId: result.company?.id ?? null,
          contactId: result.contact?.id ?? null,
          dealId: result.deal?.id ?? null,
          leadId: lead.id,
        },
      });
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  const apiError = error instanceof ApiError ? error : null;
  /** The route's message for one field of the conversion (a JSON Pointer such as /dealTitle). */
  const fieldError = (path: string) => i18n.fieldMessage(apiError, path) ?? apiError?.fieldMessages[path];
  return (
    <section className={styles.form} aria-labelledby="convert-title" data-testid="convert-lead">
      <Subtitle2 as="h2" id="convert-title">
        {i18n.t('convert.title')}
      </Subtitle2>
      {!match && !error ? <Spinner size="tiny" label={i18n.t('convert.checking')} /> : null}
      {match ? (
        <>
          <Body1 as="p" className={styles.text} data-testid="convert-intro">
            {companies.length + contacts.length > 0 ? i18n.t('convert.matchFirst') : i18n.t('convert.nothingMatched')}
          </Body1>
          {eik ? (
            <Caption1 block data-testid="lead-identifier">
              {idLabel}: {eik}
            </Caption1>
          ) : null}
          <div>
            <Caption1 block id="convert-company-label">
              {i18n.t('convert.company')}
            </Caption1>
            <RadioGroup aria-labelledby="convert-company-label" value={companyChoice} onChange={(_, d) => setCompanyChoice(d.value)}>
              {companies.map((c) => (
                <Radio
                  key={c.company.id}
                  value={c.company.id}
                  label={i18n.t('convert.existing', { name: c.company.name, keys: keys(c.matched) })}
                />
              ))}
              {newCompanyName ? (
                <Radio value="new" label={i18n.t('convert.newCompany', { name: newCompanyName })} />
              ) : (
                <Radio value="new" label={i18n.t('convert.noCompany')} />
              )}
            </RadioGroup>
          </div>
          <div>
            <Caption1 block id="convert-contact-label">
              {i18n.t('convert.contact')}
            </Caption1>
            <RadioGroup aria-labelledby="convert-contact-label" value={contactChoice} onChange={(_, d) => setContactChoice(d.value)}>
              {contacts.map((c) => (
                <Radio
                  key={c.contact.id}
                  value={c.contact.id}
                  label={i18n.t('convert.existing', {
                    name: [c.contact.fullName, c.company?.name].filter(Boolean).join(' · '),
                    keys: keys(c.matched),
                  })}
                />
              ))}
              <Radio value="new" label={i18n.t('convert.newContact', { name: personName ?? '—' })} />
            </RadioGroup>
          </div>
          <Field
            label={i18n.t('convert.dealTitle')}
            validationMessage={fieldError('/dealTitle')}
            validationState={fieldError('/dealTitle') ? 'error' : 'none'}
          >
            <Input name="dealTitle" value={title} onChange={(_, d) => setTitle(d.value)} />
          </Field>
          <div className={styles.row}>
            <Field
              className={styles.grow}
              label={i18n.t('deal.amount')}
              validationMessage={badAmount ? i18n.t('deal.badAmount') : fieldError('/amountMinor')}
              validationState={badAmount || fieldError('/amountMinor') ? 'error' : 'none'}
            >
              <Input name="dealAmount" inputMode="decimal" value={amount} onChange={(_, d) => setAmount(d.value)} />
            </Field>
            <Field
              label={i18n.t('deal.currency')}
              validationMessage={fieldError('/currency')}
              validationState={fieldError('/currency') ? 'error' : 'none'}
            >
              <Select name="dealCurrency" value={currency} onChange={(_, d) => setCurrency(d.value)}>
                {CURRENCIES.map((c) => (
                  <option key={c} value={c}>
                    {c}
                  </option>
                ))}
              </Select>
            </Field>
          </div>
          <Field
            label={i18n.t('deal.closeDate')}
            validationMessage={fieldError('/expectedClose')}
            validationState={fieldError('/expectedClose') ? 'error' : 'none'}
          >
            <Input name="dealClose" type="date" value={close} onChange={(_, d) => setClose(d.value)} />
          </Field>
        </>
      ) : null}
      <RuleBar error={error} />
      <div className={styles.row}>
        <Button appearance="primary" disabled={busy || !match} onClick={() => void convert()}>
          {busy ? i18n.t('lead.saving') : i18n.t('convert.submit')}
        </Button>
        <Button appearance="subtle" disabled={busy} onClick={onCancel}>
          {i18n.t('case.cancel')}
        </Button>
      </div>
    </section>
  );
}

// An unknown sender: the lead form, filled by the shared extraction engine from the open email
// (headers, newest message, signature), each field editable with its confidence and where it came
// from. A company guessed from the mail domain is offered apart, marked as a guess, never filled
// in. For a web form a colleague forwarded, the lead is the person in the form. Before a lead is
// created, /match looks for the same person or company (email, phones, EIK, VAT, names) so nobody
// creates a silent duplicate.
import {
  Body1,
  Button,
  Caption1,
  Field,
  Input,
  MessageBar,
  MessageBarBody,
  Spinner,
  Subtitle2,
  Textarea,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { lazy, Suspense, useEffect, useRef, useState, type FormEvent } from 'react';
import type { Body } from '../api/contract';
import { ApiError } from '../api/problem';
import type { Field as XField, PhoneField } from '../../shared/email';
import type { MailItem } from '../office/types';
import type { MessageKey } from '../ui/i18n';
import { usePane, useI18n } from '../ui/context';
import { ProblemBar } from '../ui/ProblemBar';
import type { Confidence } from './ConfidenceHint';
import { lazyModule, loadedComponent } from '../ui/lazy-module';
import { countryOfUser, identifierCountry, identifierLabel } from './company-id';
import { messageKey, type LeadRecord, type Link, type MatchAll } from './model';
import { useExtraction, type ExtractionState } from './use-extraction';

// Not needed for the first paint, so separate chunks loaded alongside the extraction: the
// confidence badges shown once it has filled the form, and the actions on the email offered once
// a lead exists (logEmail also links the email to a duplicate the user picks).
const hints = lazyModule(() => import('./ConfidenceHint'));
const mailActions = lazyModule(() => import('./MailActions'));
const leadCheck = lazyModule(() => import('./lead-check'));
/** The form's after-paint chunks; whoever runs the extraction for the form loads them alongside. */
export const loadExtras = () => Promise.all([hints.load(), mailActions.load()]);

// The deal a "Create deal" made opens in the deal view, a chunk of its own.
const DealView = lazy(() => import('./DealView'));

const ConfidenceHint = loadedComponent(hints, (m) => m.ConfidenceHint);
const MailActions = loadedComponent(mailActions, (m) => m.MailActions);

const useStyles = makeStyles({
  form: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  text: { margin: 0 },
  list: {
    margin: 0,
    paddingInlineStart: tokens.spacingHorizontalXL,
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalXS,
  },
  row: { display: 'flex', gap: tokens.spacingHorizontalS, flexWrap: 'wrap', alignItems: 'center' },
  guess: {
    display: 'flex',
    gap: tokens.spacingHorizontalS,
    flexWrap: 'wrap',
    alignItems: 'center',
    padding: tokens.spacingHorizontalS,
    borderRadius: tokens.borderRadiusMedium,
    border: `${tokens.strokeWidthThin} dashed ${tokens.colorPaletteMarigoldBorder2}`,
  },
  dupes: {
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalS,
    padding: tokens.spacingHorizontalM,
    borderRadius: tokens.borderRadiusMedium,
    border: `${tokens.strokeWidthThick} solid ${tokens.colorPaletteMarigoldBorder2}`,
  },
});

const TEXT_FIELDS = [
  'fullName',
  'firstName',
  'lastName',
  'email',
  'companyName',
  'title',
  'website',
  'city',
  'address',
  'eik',
  'vat',
] as const;
type TextField = (typeof TEXT_FIELDS)[number];
type FieldName = TextField | 'needs';

const LABELS: Record<FieldName, MessageKey> = {
  fullName: 'lead.fullName',
  firstName: 'lead.firstName',
  lastName: 'lead.lastName',
  email: 'lead.email',
  companyName: 'lead.company',
  title: 'lead.title',
  website: 'lead.website',
  city: 'lead.city',
  address: 'lead.address',
  eik: 'lead.eik',
  vat: 'lead.vat',
  needs: 'lead.needs',
};

type Values = Record<FieldName, string>;
type Phone = { value: string; kind: PhoneField['kind']; confidence: number | null; source: string | null };

const conf = (f: XField<string> | null | undefined): Confidence | null => (f ? { confidence: f.confidence, source: f.source } : null);

type Created = { lead: LeadRecord; link: Link; deal: boolean };
type Dupes = { result: MatchAll; kind: 'lead' | 'deal' };

/** Trimmed text, or null when empty (the API treats null as absent). */
const orNull = (v: string) => (v.trim() ? v.trim() : null);

/**
 * The lead form of the open email. `extraction` is the engine's reading when the panel already ran
 * it (to find whose lead a forwarded form is); otherwise the form runs it after the first paint.
 */
export function LeadForm({ item, extraction: given }: { item: MailItem; extraction?: ExtractionState }) {
  const styles = useStyles();
  const i18n = useI18n();
  const { client, host } = usePane();
  const from = item.from!;
  const [values, setValues] = useState<Values>(() => ({
    fullName: from.name,
    firstName: '',
    lastName: '',
    email: from.email,
    companyName: '',
    title: '',
    website: '',
    city: '',
    address: '',
    eik: '',
    vat: '',
    needs: '',
  }));
  const [confidence, setConfidence] = useState<Partial<Record<FieldName, Confidence | null>>>({});
  const [phones, setPhones] = useState<Phone[]>([{ value: '', kind: null, confidence: null, source: null }]);
  const [fax, setFax] = useState<{ value: string; confidence: Confidence | null }>({ value: '', confidence: null });
  const touched = useRef(new Set<string>());
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [dupes, setDupes] = useState<Dupes | null>(null);
  const [linked, setLinked] = useState<string | null>(null);
  const [created, setCreated] = useState<Created | null>(null);
  const own = useExtraction(host.mail!, item, given === undefined, loadExtras);
  const extraction = given ?? own;

  useEffect(() => {
    if (extraction.status !== 'done') return;
    const l = extraction.extraction.lead;
    // a forwarded form or email: the header's name and address are the colleague's, not the lead's
    const notSender = extraction.extraction.kind !== 'direct';
    const found: Record<FieldName, XField<string> | null> = {
      fullName: l.fullName,
      firstName: l.firstName,
      lastName: l.lastName,
      email: l.email,
      companyName: l.company,
      title: l.title,
      website: l.website,
      city: l.city,
      address: l.address,
      eik: l.eik,
      vat: l.vat,
      needs: extraction.needs ? { value: extraction.needs, confidence: 0.7, source: 'body' } : null,
    };
    setValues((v) => {
      const next = { ...v };
      for (const [k, f] of Object.entries(found) as Array<[FieldName, XField<string> | null]>)
        if (!touched.current.has(k) && (f || notSender)) next[k] = f ? f.value : '';
      return next;
    });
    setConfidence(Object.fromEntries(Object.entries(found).map(([k, f]) => [k, conf(f)])));
    if (l.phones.length > 0 && !touched.current.has('phones'))
      setPhones(l.phones.map((p) => ({ value: p.value, kind: p.kind, confidence: p.confidence, source: p.source })));
    if (l.fax.length > 0 && !touched.current.has('fax'))
      setFax({ value: l.fax.map((f) => f.value).join(', '), confidence: conf(l.fax[0]) });
  }, [extraction]);

  const apiError = error instanceof ApiError ? error : null;
  const fieldMessage = (name: string) => {
    const path = `/${name}`;
    return i18n.fieldMessage(apiError, path) ?? apiError?.fieldMessages[path];
  };
  const set = (name: FieldName, value: string) => {
    touched.current.add(name);
    setValues((v) => ({ ...v, [name]: value }));
  };
  const phoneValues = phones.map((p) => p.value.trim()).filter(Boolean);
  const done = extraction.status === 'done' ? extraction.extraction : null;
  const guess = done?.suggestions.company ?? null;
  const leadPerson = done && done.kind !== 'direct' ? (done.lead.fullName?.value ?? done.lead.email?.value ?? null) : null;

  const findDuplicates = () =>
    client.get('/match', {
      query: {
        email: orNull(values.email) ? [values.email.trim()] : [],
        phone: phoneValues,
        eik: orNull(values.eik) ?? undefined,
        vat: orNull(values.vat) ?? undefined,
        name: orNull(values.fullName) ?? undefined,
        company: orNull(values.companyName) ?? undefined,
      },
    });

  /** POST /leads's body from the form. */
  const leadBody = (): Body<'POST', '/leads'> => {
    const extra = phoneValues.slice(1);
    const notes = [
      extra.length ? i18n.t('lead.otherPhones', { phones: extra.join(', ') }) : null,
      fax.value.trim() ? i18n.t('lead.faxNote', { fax: fax.value.trim() }) : null,
    ].filter((n): n is string => n !== null);
    return {
      source: 'email',
      fullName: orNull(values.fullName),
      firstName: orNull(values.firstName),
      lastName: orNull(values.lastName),
      email: orNull(values.email),
      phone: phoneValues[0] ?? null,
      companyName: orNull(values.companyName),
      title: orNull(values.title),
      website: orNull(values.website),
      city: orNull(values.city),
      address: orNull(values.address),
      eik: orNull(values.eik),
      vat: orNull(values.vat),
      needs: orNull(values.needs),
      notes: notes.length ? notes.join('\n') : null,
      externalRef: messageKey(item),
    };
  };

  const createLead = async (kind: 'lead' | 'deal', body: Body<'POST', '/leads'>) => {
    const lead = await client.create('/leads', { body });
    let link: Link = { companyId: null, contactId: null, dealId: null, leadId: lead.id };
    if (kind === 'deal') {
      const conversion = await client.create('/leads/:id/convert', {
        params: { id: lead.id },
        body: {
          createDeal: true,
          dealTitle: (item.subject || values.companyName || values.fullName || '—').slice(0, 200),
        },
      });
      link = {
        companyId: conversion.company?.id ?? null,
        contactId: conversion.contact?.id ?? null,
        dealId: conversion.deal?.id ?? null,
        leadId: lead.id,
      };
    }
    await mailActions.load().catch(() => undefined); // loaded after the first paint already, unless that failed
    setCreated({ lead, link, deal: kind === 'deal' });
  };

  const submit = async (kind: 'lead' | 'deal', checked: boolean) => {
    setBusy(kind);
    setError(null);
    setLinked(null);
    try {
      // The route's own schema: a lead it would refuse is not sent, and its fields say why.
      const body = leadBody();
      const invalid = (await leadCheck.load()).checkLead(body);
      if (invalid) throw invalid;
      if (!checked) {
        const result = await findDuplicates();
        if (result.contacts.length + result.companies.length + result.leads.length > 0) {
          setDupes({ result, kind });
          return;
        }
      }
      setDupes(null);
      await createLead(kind, body);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(null);
    }
  };

  const linkTo = async (link: Link, name: string) => {
    setBusy('link');
    setError(null);
    try {
      const { logEmail } = await mailActions.load();
      await logEmail(client, host.mail!, item, link);
      setLinked(i18n.t('dupes.linked', { name }));
    } catch (e) {
      setError(e);
    } finally {
      setBusy(null);
    }
  };

  // The identifier is named for its country: ЕИК, ИНН or Company number (see company-id.ts).
  const userCountry = countryOfUser(i18n.locale, i18n.lang);
  const eikLabel = identifierLabel(
    i18n,
    identifierCountry(values.eik, { email: values.email, website: values.website, phones: phoneValues, vat: values.vat }, userCountry),
    userCountry,
  );
  const labelOf = (name: FieldName) => (name === 'eik' ? eikLabel : i18n.t(LABELS[name]));

  const matchedOn = (keys: string[]) =>
    i18n.t('card.matchedOn', {
      keys: keys.map((k) => (k === 'eik' ? eikLabel : i18n.has(`match.key.${k}`) ? i18n.t(`match.key.${k}` as MessageKey) : k)).join(', '),
    });

  if (created) {
    const message = i18n.t(created.deal ? 'lead.dealCreated' : 'lead.created', {
      name: created.lead.fullName ?? created.lead.email ?? '',
    });
    return (
      <>
        {created.deal && created.link.dealId ? (
          <Suspense fallback={<Spinner size="small" label={i18n.t('common.loading')} />}>
            <DealView dealId={created.link.dealId} item={item} notice={message} />
          </Suspense>
        ) : (
          <MessageBar intent="success" role="status">
            <MessageBarBody>{message}</MessageBarBody>
          </MessageBar>
        )}
        <MailActions item={item} link={created.link} />
      </>
    );
  }

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    void submit('lead', false);
  };

  return (
    <form className={styles.form} onSubmit={onSubmit} aria-labelledby="new-lead-title" data-testid="lead-form">
      <Subtitle2 as="h2" id="new-lead-title">
        {i18n.t('lead.new.title')}
      </Subtitle2>
      <Body1 as="p" className={styles.text} data-testid="lead-form-intro">
        {leadPerson && done
          ? i18n.t(done.kind === 'webform' ? 'lead.new.fromForm' : 'lead.new.fromForward', {
              name: leadPerson,
              forwarder: from.name || from.email,
            })
          : i18n.t('lead.new.body', { email: from.email })}
      </Body1>
      {extraction.status === 'pending' ? <Spinner size="tiny" label={i18n.t('lead.reading')} /> : null}
      {extraction.status === 'failed' ? (
        <MessageBar intent="warning">
          <MessageBarBody>{i18n.t('lead.readFailed')}</MessageBarBody>
        </MessageBar>
      ) : null}
      {extraction.status === 'done' && extraction.truncated ? (
        <MessageBar intent="info">
          <MessageBarBody>{i18n.t('lead.truncated', { kb: 100 })}</MessageBarBody>
        </MessageBar>
      ) : null}
      {TEXT_FIELDS.map((name) => {
        const message = fieldMessage(name);
        return (
          <div key={name} data-field={name}>
            <Field
              label={labelOf(name)}
              hint={confidence[name] ? <ConfidenceHint c={confidence[name] ?? null} /> : undefined}
              validationMessage={message}
              validationState={message ? 'error' : 'none'}
            >
              <Input name={name} type={name === 'email' ? 'email' : 'text'} value={values[name]} onChange={(_, d) => set(name, d.value)} />
            </Field>
            {name === 'companyName' && guess && !values.companyName.trim() ? (
              // a guess is shown apart and never filled in: the email does not state it
              <div className={styles.guess} data-testid="company-guess" data-source="domain">
                <Caption1>{i18n.t('lead.guess.company', { company: guess.value })}</Caption1>
                <Button
                  size="small"
                  onClick={() => {
                    set('companyName', guess.value);
                    setConfidence((c) => ({ ...c, companyName: { confidence: guess.confidence, source: guess.source } }));
                  }}
                >
                  {i18n.t('lead.guess.use')}
                </Button>
              </div>
            ) : null}
          </div>
        );
      })}
      {phones.map((phone, i) => {
        const message = i === 0 ? fieldMessage('phone') : undefined;
        const kind = phone.kind ? i18n.t(`lead.phone.${phone.kind}`) : null;
        return (
          <div key={i} data-field={`phone-${i}`}>
            <Field
              label={kind ? i18n.t('lead.phoneKind', { kind }) : i18n.t('lead.phone')}
              hint={
                phone.confidence !== null ? <ConfidenceHint c={{ confidence: phone.confidence, source: phone.source ?? '' }} /> : undefined
              }
              validationMessage={message}
              validationState={message ? 'error' : 'none'}
            >
              <Input
                name={`phone-${i}`}
                type="tel"
                value={phone.value}
                onChange={(_, d) => {
                  touched.current.add('phones');
                  setPhones((list) => list.map((p, j) => (j === i ? { ...p, value: d.value } : p)));
                }}
              />
            </Field>
          </div>
        );
      })}
      <div>
        <Button
          size="small"
          appearance="subtle"
          onClick={() => {
            touched.current.add('phones');
            setPhones((list) => [...list, { value: '', kind: null, confidence: null, source: null }]);
          }}
        >
          {i18n.t('lead.addPhone')}
        </Button>
      </div>
      <div data-field="fax">
        <Field label={i18n.t('lead.fax')} hint={fax.confidence ? <ConfidenceHint c={fax.confidence} /> : undefined}>
          <Input
            name="fax"
            type="tel"
            value={fax.value}
            onChange={(_, d) => {
              touched.current.add('fax');
              setFax((f) => ({ ...f, value: d.value }));
            }}
          />
        </Field>
      </div>
      <Field
        label={i18n.t(LABELS.needs)}
        hint={confidence.needs ? <ConfidenceHint c={confidence.needs} /> : undefined}
        validationMessage={fieldMessage('needs')}
        validationState={fieldMessage('needs') ? 'error' : 'none'}
      >
        <Textarea name="needs" value={values.needs} rows={4} resize="vertical" onChange={(_, d) => set('needs', d.value)} />
      </Field>

      {dupes ? (
        <section className={styles.dupes} aria-labelledby="dupes-title" data-testid="duplicates">
          <Subtitle2 as="h3" id="dupes-title">
            {i18n.t('dupes.title')}
          </Subtitle2>
          <Body1 as="p" className={styles.text}>
            {i18n.t('dupes.body')}
          </Body1>
          <ul className={styles.list}>
            {dupes.result.contacts.map((c) => (
              <li key={`p-${c.contact.id}`}>
                <Body1 block>
                  {i18n.t('dupes.contact')}: {[c.contact.fullName, c.company?.name].filter(Boolean).join(' · ')}
                </Body1>
                <Caption1 block>{matchedOn(c.matched)}</Caption1>
                <Button
                  size="small"
                  disabled={busy !== null}
                  onClick={() =>
                    void linkTo(
                      { companyId: c.company?.id ?? c.contact.companyId ?? null, contactId: c.contact.id, dealId: null, leadId: null },
                      c.contact.fullName,
                    )
                  }
                >
                  {i18n.t('dupes.link')}
                </Button>
              </li>
            ))}
            {dupes.result.companies.map((c) => (
              <li key={`c-${c.company.id}`}>
                <Body1 block>
                  {i18n.t('dupes.company')}: {c.company.name}
                </Body1>
                <Caption1 block>{matchedOn(c.matched)}</Caption1>
                <Button
                  size="small"
                  disabled={busy !== null}
                  onClick={() => void linkTo({ companyId: c.company.id, contactId: null, dealId: null, leadId: null }, c.company.name)}
                >
                  {i18n.t('dupes.link')}
                </Button>
              </li>
            ))}
            {(dupes.result.leads ?? []).map((l) => (
              <li key={`l-${l.lead.id}`}>
                <Body1 block>
                  {i18n.t('dupes.lead')}: {[l.lead.fullName, l.lead.companyName, l.lead.email].filter(Boolean).join(' · ')}
                </Body1>
                <Caption1 block>{matchedOn(l.matched)}</Caption1>
                <Button
                  size="small"
                  disabled={busy !== null}
                  onClick={() =>
                    void linkTo(
                      { companyId: null, contactId: null, dealId: null, leadId: l.lead.id },
                      l.lead.fullName ?? l.lead.email ?? '',
                    )
                  }
                >
                  {i18n.t('dupes.link')}
                </Button>
              </li>
            ))}
          </ul>
          <div className={styles.row}>
            <Button disabled={busy !== null} onClick={() => void submit(dupes.kind, true)}>
              {i18n.t('dupes.createAnyway')}
            </Button>
            <Button appearance="subtle" disabled={busy !== null} onClick={() => setDupes(null)}>
              {i18n.t('common.dismiss')}
            </Button>
          </div>
          {linked ? (
            <MessageBar intent="success" role="status">
              <MessageBarBody>{linked}</MessageBarBody>
            </MessageBar>
          ) : null}
        </section>
      ) : null}

      <ProblemBar error={error} />
      <div className={styles.row}>
        <Button appearance="primary" type="submit" disabled={busy !== null}>
          {busy === 'lead' ? i18n.t('lead.saving') : i18n.t('lead.create')}
        </Button>
        <Button disabled={busy !== null} onClick={() => void submit('deal', false)}>
          {busy === 'deal' ? i18n.t('lead.saving') : i18n.t('lead.createDeal')}
        </Button>
      </div>
    </form>
  );
}

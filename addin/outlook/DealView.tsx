// One deal in the Outlook pane, reached from the client card, after "Create deal", after a lead's
// conversion and from Today: move its stage with the rules said in the user's language (won needs
// the document package: which documents are missing; a head of sales may override with a reason),
// change amount, close date and next step; the competitors in it with their prices, and "lost to"
// with the reason when the deal is lost; the document checklist of its stage, filled from the open
// email's attachments and approved here. A chunk of its own: the first screen does not need it.
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
  Textarea,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { ApiError } from '../api/problem';
import type { MailAttachmentInfo, MailItem } from '../office/types';
import { usePane, useI18n } from '../ui/context';
import type { MessageKey } from '../ui/i18n';
import { isHead, mayChange, useMe } from './me';
import { CURRENCIES, decimalToMinor, minorToInput, messageKey } from './model';
import { missingDocuments, slotLabel } from './explain';
import { RuleBar } from './RuleBar';
import { DealPatch, type Stage } from '../../shared/schemas';
import type { Body, Competitor, Deal as DealRecord, DealCompetitor, DealDocuments } from '../api/contract';
import { checkBody } from '../api/validate';

const STAGES = ['new', 'qualified', 'proposal', 'negotiation', 'won', 'lost'] as const;

/** A deal as the pane reads it. */
export type { DealRecord };
type DocumentRow = DealDocuments['documents'][number];
type Checklist = DealDocuments;
type LinkedCompetitor = DealCompetitor;
type CompetitorRecord = Competitor;
type DealPatchBody = Body<'PATCH', '/deals/:id'>;

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  section: {
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalS,
    padding: tokens.spacingHorizontalM,
    borderRadius: tokens.borderRadiusMedium,
    border: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
  },
  row: { display: 'flex', gap: tokens.spacingHorizontalS, flexWrap: 'wrap', alignItems: 'flex-end' },
  list: { margin: 0, paddingInlineStart: 0, listStyleType: 'none', display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  item: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXXS },
  text: { margin: 0 },
  grow: { flexGrow: 1, minWidth: '8rem' },
});

type Outcome = { ok: string } | null;

const stageLabel = (i18n: ReturnType<typeof useI18n>, stage: string) => {
  const key = `stage.${stage}`;
  return i18n.has(key) ? i18n.t(key) : stage;
};

function Success({ outcome }: { outcome: Outcome }) {
  if (!outcome) return null;
  return (
    <MessageBar intent="success" role="status">
      <MessageBarBody>{outcome.ok}</MessageBarBody>
    </MessageBar>
  );
}

const ifMatch = (version: number) => ({ 'If-Match': `"${version}"` });

/** The deal's own fields: stage with its rules, amount, close date, next step, and the loss. */
function DealForm({
  deal,
  checklist,
  linked,
  competitors,
  readOnly,
  onSaved,
}: {
  deal: DealRecord;
  checklist: Checklist | null;
  linked: LinkedCompetitor[];
  competitors: CompetitorRecord[];
  readOnly: boolean;
  onSaved: (message: string, stale?: boolean) => Promise<void>;
}) {
  const styles = useStyles();
  const i18n = useI18n();
  const { client } = usePane();
  const me = useMe();
  const [stage, setStage] = useState(deal.stage);
  const [amount, setAmount] = useState(minorToInput(deal.amountMinor));
  const [currency, setCurrency] = useState(deal.currency);
  const [close, setClose] = useState(deal.expectedClose ?? '');
  const [nextStep, setNextStep] = useState(deal.nextStep ?? '');
  const [reason, setReason] = useState(deal.lostReason ?? '');
  const lostToNow = linked.find((l) => l.lostTo)?.competitorId ?? '';
  const [lostTo, setLostTo] = useState(lostToNow);
  const [newName, setNewName] = useState('');
  const [price, setPrice] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [fieldErrors, setFieldErrors] = useState<Partial<Record<'amount' | 'reason' | 'newName' | 'price', string>>>({});
  const [refused, setRefused] = useState<{ body: DealPatchBody; version: number } | null>(null);
  const [overrideReason, setOverrideReason] = useState('');
  const [overrideError, setOverrideError] = useState<string | undefined>();

  const documents = checklist?.documents ?? [];
  const blocking = (checklist?.blockingWon ?? []).map((slot) => {
    const d = documents.find((x) => x.slot === slot);
    return slotLabel(i18n, slot, d?.label);
  });
  const losing = stage === 'lost';
  // Linked competitors first, then the organisation's others.
  const lostToOptions = [
    ...linked.map((l) => ({ id: l.competitorId, name: l.competitorName })),
    ...competitors.filter((c) => !linked.some((l) => l.competitorId === c.id)),
  ];

  const changes = (): DealPatchBody | null => {
    const out: DealPatchBody = {};
    const minor = decimalToMinor(amount);
    if (amount.trim() && minor === null) {
      setFieldErrors({ amount: i18n.t('deal.badAmount') });
      return null;
    }
    if ((minor ?? 0) !== deal.amountMinor) out.amountMinor = minor ?? 0;
    if (currency !== deal.currency) out.currency = currency;
    if ((close || null) !== (deal.expectedClose ?? null)) out.expectedClose = close || null;
    if ((nextStep.trim() || null) !== (deal.nextStep ?? null)) out.nextStep = nextStep.trim() || null;
    return out;
  };

  const patch = async (body: DealPatchBody, version: number) =>
    client.send({ method: 'PATCH', path: '/deals/:id', params: { id: deal.id }, body, headers: ifMatch(version) });

  const fail = async (e: unknown, body: DealPatchBody, version: number) => {
    if (e instanceof ApiError && e.status === 412) {
      await onSaved(i18n.t('deal.stale'), true);
      return;
    }
    if (e instanceof ApiError && e.problem.code === 'business_rule') setRefused({ body, version });
    setError(e);
  };

  const save = async () => {
    setError(null);
    setFieldErrors({});
    setRefused(null);
    const body = changes();
    if (!body) return;
    // The route's own schema: a change it would refuse is not sent, and its fields say why.
    const invalid = checkBody(DealPatch, losing || stage === deal.stage ? body : { ...body, stage });
    if (invalid) return setError(invalid);
    if (losing) {
      const priceMinor = price.trim() ? decimalToMinor(price) : null;
      const problems: typeof fieldErrors = {};
      if (!reason.trim()) problems.reason = i18n.t('deal.lostNeedsReason');
      if (lostTo === 'new' && !newName.trim()) problems.newName = i18n.t('comp.needName');
      if (price.trim() && priceMinor === null) problems.price = i18n.t('deal.badAmount');
      if (Object.keys(problems).length) return setFieldErrors(problems);
      setBusy(true);
      let version = deal.version;
      try {
        if (Object.keys(body).length) version = (await patch(body, version)).version;
        let competitorId: string | null = lostTo && lostTo !== 'new' ? lostTo : null;
        let name = lostToOptions.find((c) => c.id === competitorId)?.name ?? null;
        if (lostTo === 'new') {
          const created = await client.create('/competitors', { body: { name: newName.trim() } });
          competitorId = created.id;
          name = created.name;
        }
        await client.send({
          method: 'POST',
          path: '/deals/:id/lose',
          params: { id: deal.id },
          body: { lostReason: reason.trim(), competitorId, priceMinor: competitorId ? priceMinor : null },
          headers: ifMatch(version),
        });
        await onSaved(name ? i18n.t('deal.lostTo', { competitor: name }) : i18n.t('deal.lostDone'));
      } catch (e) {
        await fail(e, body, version);
      } finally {
        setBusy(false);
      }
      return;
    }
    if (stage !== deal.stage) body.stage = stage;
    if (!Object.keys(body).length) return setError(null);
    setBusy(true);
    try {
      await patch(body, deal.version);
      await onSaved(i18n.t('deal.saved'));
    } catch (e) {
      await fail(e, body, deal.version);
    } finally {
      setBusy(false);
    }
  };

  const override = async () => {
    if (!refused) return;
    if (!overrideReason.trim()) return setOverrideError(i18n.t('deal.overrideNeedsReason'));
    setOverrideError(undefined);
    setBusy(true);
    try {
      await patch({ ...refused.body, overrideReason: overrideReason.trim() }, refused.version);
      await onSaved(i18n.t('deal.overridden'));
    } catch (e) {
      await fail(e, refused.body, refused.version);
    } finally {
      setBusy(false);
    }
  };

  const missing = missingDocuments(error, i18n, documents);
  const apiError = error instanceof ApiError ? error : null;
  /** The route's message for one field of the body (a JSON Pointer such as /amountMinor). */
  const fieldError = (path: string) => i18n.fieldMessage(apiError, path) ?? apiError?.fieldMessages[path];
  return (
    <section className={styles.section} aria-labelledby="deal-form-title">
      <Subtitle2 as="h3" id="deal-form-title">
        {i18n.t('deal.details')}
      </Subtitle2>
      <Field label={i18n.t('deal.stage')}>
        <Select name="stage" value={stage} disabled={readOnly} onChange={(_, d) => setStage(d.value as Stage)}>
          {STAGES.map((s) => (
            <option key={s} value={s}>
              {stageLabel(i18n, s)}
            </option>
          ))}
        </Select>
      </Field>
      {stage === 'won' && deal.stage !== 'won' && checklist ? (
        <MessageBar intent={blocking.length ? 'warning' : 'info'} data-testid="won-needs">
          <MessageBarBody>
            {blocking.length ? i18n.t('deal.wonNeeds', { documents: blocking.join(', ') }) : i18n.t('deal.wonReady')}
          </MessageBarBody>
        </MessageBar>
      ) : null}
      {losing ? (
        <>
          <Field
            label={i18n.t('deal.lostReason')}
            required
            validationMessage={fieldErrors.reason}
            validationState={fieldErrors.reason ? 'error' : 'none'}
          >
            <Textarea name="lostReason" value={reason} disabled={readOnly} rows={2} onChange={(_, d) => setReason(d.value)} />
          </Field>
          <Field label={i18n.t('deal.lostToField')}>
            <Select name="lostTo" value={lostTo} disabled={readOnly} onChange={(_, d) => setLostTo(d.value)}>
              <option value="">{i18n.t('deal.lostToNone')}</option>
              {lostToOptions.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name}
                </option>
              ))}
              <option value="new">{i18n.t('comp.new')}</option>
            </Select>
          </Field>
          {lostTo === 'new' ? (
            <Field
              label={i18n.t('comp.newName')}
              validationMessage={fieldErrors.newName}
              validationState={fieldErrors.newName ? 'error' : 'none'}
            >
              <Input name="lostToName" value={newName} onChange={(_, d) => setNewName(d.value)} />
            </Field>
          ) : null}
          {lostTo ? (
            <Field
              label={i18n.t('comp.price')}
              validationMessage={fieldErrors.price}
              validationState={fieldErrors.price ? 'error' : 'none'}
            >
              <Input name="lostPrice" inputMode="decimal" value={price} onChange={(_, d) => setPrice(d.value)} />
            </Field>
          ) : null}
        </>
      ) : null}
      <div className={styles.row}>
        <Field
          className={styles.grow}
          label={i18n.t('deal.amount')}
          validationMessage={fieldErrors.amount ?? fieldError('/amountMinor')}
          validationState={fieldErrors.amount || fieldError('/amountMinor') ? 'error' : 'none'}
        >
          <Input name="amount" inputMode="decimal" value={amount} disabled={readOnly} onChange={(_, d) => setAmount(d.value)} />
        </Field>
        <Field
          label={i18n.t('deal.currency')}
          validationMessage={fieldError('/currency')}
          validationState={fieldError('/currency') ? 'error' : 'none'}
        >
          <Select name="currency" value={currency} disabled={readOnly} onChange={(_, d) => setCurrency(d.value)}>
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
        <Input name="expectedClose" type="date" value={close} disabled={readOnly} onChange={(_, d) => setClose(d.value)} />
      </Field>
      <Field
        label={i18n.t('deal.nextStep')}
        validationMessage={fieldError('/nextStep')}
        validationState={fieldError('/nextStep') ? 'error' : 'none'}
      >
        <Input name="nextStep" value={nextStep} disabled={readOnly} onChange={(_, d) => setNextStep(d.value)} />
      </Field>
      <RuleBar error={error} documents={documents} />
      {refused && missing.length ? (
        isHead(me) ? (
          <div className={styles.section} data-testid="override">
            <Field
              label={i18n.t('deal.overrideReason')}
              hint={i18n.t('deal.overrideHint')}
              validationMessage={overrideError}
              validationState={overrideError ? 'error' : 'none'}
            >
              <Textarea name="overrideReason" value={overrideReason} rows={2} onChange={(_, d) => setOverrideReason(d.value)} />
            </Field>
            <div>
              <Button appearance="primary" disabled={busy} onClick={() => void override()}>
                {i18n.t('deal.override')}
              </Button>
            </div>
          </div>
        ) : (
          <Body1 as="p" className={styles.text}>
            {i18n.t('deal.askHead')}
          </Body1>
        )
      ) : null}
      <div>
        <Button appearance="primary" disabled={busy || readOnly} onClick={() => void save()}>
          {busy ? i18n.t('deal.saving') : losing && deal.stage !== 'lost' ? i18n.t('deal.markLost') : i18n.t('deal.save')}
        </Button>
      </div>
    </section>
  );
}

/** The competitors in the deal with their prices; add one from the list or a new one. */
function Competitors({
  deal,
  linked,
  competitors,
  readOnly,
  onChanged,
}: {
  deal: DealRecord;
  linked: LinkedCompetitor[];
  competitors: CompetitorRecord[];
  readOnly: boolean;
  onChanged: (message: string) => Promise<void>;
}) {
  const styles = useStyles();
  const i18n = useI18n();
  const { client } = usePane();
  const others = competitors.filter((c) => !linked.some((l) => l.competitorId === c.id));
  const [pick, setPick] = useState(others[0]?.id ?? 'new');
  const [name, setName] = useState('');
  const [price, setPrice] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [fieldErrors, setFieldErrors] = useState<{ name?: string; price?: string }>({});

  const add = async () => {
    setError(null);
    const priceMinor = price.trim() ? decimalToMinor(price) : null;
    const problems: typeof fieldErrors = {};
    if (pick === 'new' && !name.trim()) problems.name = i18n.t('comp.needName');
    if (price.trim() && priceMinor === null) problems.price = i18n.t('deal.badAmount');
    setFieldErrors(problems);
    if (Object.keys(problems).length) return;
    setBusy(true);
    try {
      const competitor =
        pick === 'new' ? await client.create('/competitors', { body: { name: name.trim() } }) : competitors.find((c) => c.id === pick)!;
      await client.create('/deals/:id/competitors', { params: { id: deal.id }, body: { competitorId: competitor.id, priceMinor } });
      setName('');
      setPrice('');
      await onChanged(i18n.t('comp.added', { name: competitor.name }));
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  const remove = async (l: LinkedCompetitor) => {
    setError(null);
    setBusy(true);
    try {
      await client.send(
        { method: 'DELETE', path: '/deals/:id/competitors/:competitorId', params: { id: deal.id, competitorId: l.competitorId } },
        { idempotent: false },
      );
      await onChanged(i18n.t('comp.removed', { name: l.competitorName }));
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className={styles.section} aria-labelledby="deal-competitors-title" data-testid="deal-competitors">
      <Subtitle2 as="h3" id="deal-competitors-title">
        {i18n.t('comp.title')}
      </Subtitle2>
      {linked.length === 0 ? (
        <Body1 as="p" className={styles.text}>
          {i18n.t('comp.none')}
        </Body1>
      ) : (
        <ul className={styles.list}>
          {linked.map((l) => (
            <li key={l.id} className={styles.row}>
              <Body1 className={styles.grow}>
                {l.competitorName}
                {l.priceMinor !== null ? ` · ${i18n.formatMoney(l.priceMinor, l.currency ?? deal.currency)}` : ''}
              </Body1>
              {l.lostTo ? (
                <Badge appearance="filled" color="danger">
                  {i18n.t('comp.wonIt')}
                </Badge>
              ) : null}
              <Button
                size="small"
                appearance="subtle"
                disabled={busy || readOnly}
                aria-label={i18n.t('comp.removeAria', { name: l.competitorName })}
                onClick={() => void remove(l)}
              >
                {i18n.t('comp.remove')}
              </Button>
            </li>
          ))}
        </ul>
      )}
      {readOnly ? null : (
        <>
          <Field label={i18n.t('comp.pick')}>
            <Select name="competitor" value={pick} onChange={(_, d) => setPick(d.value)}>
              {others.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name}
                </option>
              ))}
              <option value="new">{i18n.t('comp.new')}</option>
            </Select>
          </Field>
          {pick === 'new' ? (
            <Field
              label={i18n.t('comp.newName')}
              validationMessage={fieldErrors.name}
              validationState={fieldErrors.name ? 'error' : 'none'}
            >
              <Input name="competitorName" value={name} onChange={(_, d) => setName(d.value)} />
            </Field>
          ) : null}
          <Field label={i18n.t('comp.price')} validationMessage={fieldErrors.price} validationState={fieldErrors.price ? 'error' : 'none'}>
            <Input name="competitorPrice" inputMode="decimal" value={price} onChange={(_, d) => setPrice(d.value)} />
          </Field>
          <div>
            <Button disabled={busy} onClick={() => void add()}>
              {i18n.t('comp.add')}
            </Button>
          </div>
        </>
      )}
      <RuleBar error={error} />
    </section>
  );
}

/** One document of the checklist: its status, a file of the open email to fill it, approve, request. */
function DocumentLine({
  deal,
  doc,
  item,
  files,
  readOnly,
  onChanged,
}: {
  deal: DealRecord;
  doc: DocumentRow;
  item: MailItem | null;
  files: MailAttachmentInfo[];
  readOnly: boolean;
  onChanged: (message: string) => Promise<void>;
}) {
  const styles = useStyles();
  const i18n = useI18n();
  const { client } = usePane();
  const label = slotLabel(i18n, doc.slot, doc.label);
  const [file, setFile] = useState(files[0]?.id ?? '');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const put = async (body: Record<string, unknown>, message: string) => {
    setBusy(true);
    setError(null);
    try {
      await client.send(
        {
          method: 'PUT',
          path: '/deals/:id/documents/:slot',
          params: { id: deal.id, slot: doc.slot },
          body,
          headers: ifMatch(doc.version),
        },
        // The same document put twice is the same state: safe to retry.
        { idempotent: true },
      );
      await onChanged(message);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  const chosen = files.find((f) => f.id === file);
  const status = `doc.status.${doc.status}` as MessageKey;
  return (
    <li className={styles.item} data-slot={doc.slot}>
      <div className={styles.row}>
        <Body1 className={styles.grow}>
          {label}
          {doc.filename ? (
            <Caption1 block data-testid="doc-filename">
              {doc.filename}
            </Caption1>
          ) : null}
        </Body1>
        <Badge
          appearance="tint"
          color={doc.status === 'approved' ? 'success' : doc.status === 'received' ? 'brand' : doc.required ? 'danger' : 'informative'}
        >
          {i18n.t(status)}
        </Badge>
      </div>
      {readOnly ? null : (
        <div className={styles.row}>
          {files.length > 0 && doc.status !== 'approved' ? (
            <>
              <Field label={i18n.t('docs.fileFor', { label })} className={styles.grow}>
                <Select value={file} onChange={(_, d) => setFile(d.value)}>
                  {files.map((f) => (
                    <option key={f.id} value={f.id}>
                      {f.name}
                    </option>
                  ))}
                </Select>
              </Field>
              <Button
                size="small"
                disabled={busy || !chosen}
                aria-label={i18n.t('docs.attachAria', { label })}
                onClick={() =>
                  chosen &&
                  void put(
                    { filename: chosen.name, attachmentId: chosen.id, messageId: item ? (messageKey(item) ?? undefined) : undefined },
                    i18n.t('docs.attached', { name: chosen.name, label }),
                  )
                }
              >
                {i18n.t('docs.attach')}
              </Button>
            </>
          ) : null}
          {doc.status === 'received' ? (
            <Button
              size="small"
              disabled={busy}
              aria-label={i18n.t('docs.approveAria', { label })}
              onClick={() => void put({ status: 'approved' }, i18n.t('docs.approved', { label }))}
            >
              {i18n.t('docs.approve')}
            </Button>
          ) : null}
          {doc.status === 'missing' ? (
            <Button
              size="small"
              appearance="subtle"
              disabled={busy}
              aria-label={i18n.t('docs.requestAria', { label })}
              onClick={() => void put({ status: 'requested' }, i18n.t('docs.requested', { label }))}
            >
              {i18n.t('docs.request')}
            </Button>
          ) : null}
        </div>
      )}
      <RuleBar error={error} />
    </li>
  );
}

/** The document checklist: what the deal's stage requires now, then what later stages will. */
function Documents({
  deal,
  checklist,
  item,
  readOnly,
  onChanged,
}: {
  deal: DealRecord;
  checklist: Checklist;
  item: MailItem | null;
  readOnly: boolean;
  onChanged: (message: string) => Promise<void>;
}) {
  const styles = useStyles();
  const i18n = useI18n();
  const files = (item?.attachments ?? []).filter((a) => !a.isInline);
  const now = checklist.documents.filter((d) => d.required);
  const later = checklist.documents.filter((d) => !d.required);
  const line = (d: DocumentRow) => (
    <DocumentLine key={`${d.slot}-${d.version}`} deal={deal} doc={d} item={item} files={files} readOnly={readOnly} onChanged={onChanged} />
  );
  return (
    <section className={styles.section} aria-labelledby="deal-documents-title" data-testid="deal-documents">
      <Subtitle2 as="h3" id="deal-documents-title">
        {i18n.t('docs.title', { stage: stageLabel(i18n, checklist.stage) })}
      </Subtitle2>
      {now.length === 0 ? (
        <Body1 as="p" className={styles.text}>
          {i18n.t('docs.noneYet')}
        </Body1>
      ) : (
        <ul className={styles.list}>{now.map(line)}</ul>
      )}
      {later.length > 0 ? (
        <>
          <Caption1 as="h4" block>
            {i18n.t('docs.later')}
          </Caption1>
          <ul className={styles.list}>{later.map(line)}</ul>
        </>
      ) : null}
    </section>
  );
}

interface Loaded {
  deal: DealRecord;
  companyName: string | null;
  checklist: Checklist;
  linked: LinkedCompetitor[];
  competitors: CompetitorRecord[];
}

/**
 * The deal view. `item` is the open email (its attachments fill documents), or null (from Today);
 * `notice` says what just happened (the deal was created), `onBack` returns to where it came from.
 */
export default function DealView({
  dealId,
  item,
  onBack,
  notice,
}: {
  dealId: string;
  item: MailItem | null;
  onBack?: () => void;
  notice?: string | null;
}) {
  const styles = useStyles();
  const i18n = useI18n();
  const { client } = usePane();
  const me = useMe();
  const [data, setData] = useState<Loaded | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [outcome, setOutcome] = useState<Outcome>(notice ? { ok: notice } : null);
  const [stale, setStale] = useState(false);

  const load = useCallback(async () => {
    const id = encodeURIComponent(dealId);
    const [deal, checklist, linked, list] = await Promise.all([
      client.get('/deals/:id', { params: { id } }),
      client.get('/deals/:id/documents', { params: { id } }),
      client.get('/deals/:id/competitors', { params: { id } }),
      client.get('/competitors', { query: { limit: 200 } }),
    ]);
    const company = deal.companyId ? await client.get('/companies/:id', { params: { id: deal.companyId } }).catch(() => null) : null;
    return { deal, companyName: company?.name ?? null, checklist, linked: linked.items, competitors: list.items } satisfies Loaded;
  }, [client, dealId]);

  useEffect(() => {
    let live = true;
    load().then(
      (d) => live && setData(d),
      (e: unknown) => live && setError(e),
    );
    return () => {
      live = false;
    };
  }, [load]);

  const refresh = useCallback(
    async (message: string, wasStale = false) => {
      // The message shows with the state it talks about: after the reload.
      try {
        setData(await load());
        setError(null);
      } catch (e) {
        setError(e);
      }
      setStale(wasStale);
      setOutcome(wasStale ? null : { ok: message });
    },
    [load],
  );

  const readOnly = useMemo(() => (data ? !mayChange(me, data.deal.ownerId) : true), [data, me]);

  return (
    <div className={styles.root} data-testid="deal-view">
      {onBack ? (
        <div>
          <Button appearance="subtle" onClick={onBack}>
            {i18n.t('deal.back')}
          </Button>
        </div>
      ) : null}
      {!data && !error ? <Spinner size="small" label={i18n.t('common.loading')} /> : null}
      <RuleBar error={error} />
      {data ? (
        <>
          <div>
            <Caption1 block>{i18n.t('deal.heading')}</Caption1>
            <Subtitle2 as="h2" block>
              {data.deal.title}
            </Subtitle2>
            <Body1 as="p" className={styles.text}>
              {[data.companyName, stageLabel(i18n, data.deal.stage), i18n.formatMoney(data.deal.amountMinor, data.deal.currency)]
                .filter(Boolean)
                .join(' · ')}
            </Body1>
            {data.deal.stage === 'lost' && data.deal.lostReason ? (
              <Body1 as="p" className={styles.text}>
                {i18n.t('deal.lostBecause', { reason: data.deal.lostReason })}
              </Body1>
            ) : null}
          </div>
          <Success outcome={outcome} />
          {stale ? (
            <MessageBar intent="warning" role="status">
              <MessageBarBody>{i18n.t('deal.stale')}</MessageBarBody>
            </MessageBar>
          ) : null}
          {readOnly ? (
            <MessageBar intent="info" data-testid="deal-read-only">
              <MessageBarBody>{i18n.t('deal.readOnly')}</MessageBarBody>
            </MessageBar>
          ) : null}
          <DealForm
            key={`form-${data.deal.version}`}
            deal={data.deal}
            checklist={data.checklist}
            linked={data.linked}
            competitors={data.competitors}
            readOnly={readOnly}
            onSaved={refresh}
          />
          <Competitors
            key={`competitors-${data.linked.map((l) => `${l.id}:${l.lostTo}`).join(',')}-${data.competitors.length}`}
            deal={data.deal}
            linked={data.linked}
            competitors={data.competitors}
            readOnly={readOnly}
            onChanged={refresh}
          />
          <Documents deal={data.deal} checklist={data.checklist} item={item} readOnly={readOnly} onChanged={refresh} />
        </>
      ) : null}
    </div>
  );
}

// What a manager does with an email from a known client or lead: log it, set a follow-up (a title
// taken from the subject, a due date and time, a note), or open a complaint / proposal with its
// description and priority. One case of each kind per email: a second click opens the first one.
// Each action says what happened or what went wrong; field problems land on their Field.
import {
  Body1,
  Button,
  Caption1,
  Field,
  Input,
  MessageBar,
  MessageBarBody,
  Select,
  Subtitle2,
  Textarea,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { useEffect, useRef, useState } from 'react';
import { ApiError } from '../api/problem';
import type { MailHost, MailItem } from '../office/types';
import { usePane, useI18n } from '../ui/context';
import { addWorkingDays, dateTimeInputToIso, messageKey, toDateInput, type Link } from './model';
import { RuleBar } from './RuleBar';

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  row: { display: 'flex', gap: tokens.spacingHorizontalS, flexWrap: 'wrap', alignItems: 'flex-end' },
  form: {
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalS,
    padding: tokens.spacingHorizontalM,
    borderRadius: tokens.borderRadiusMedium,
    border: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
  },
  text: { margin: 0 },
});

type Outcome = { ok: string } | { error: unknown } | null;
type Kind = 'complaint' | 'proposal';
const PRIORITIES = ['low', 'normal', 'high'] as const;

/** A case as the pane reads it. */
import type { CasePriority } from '../../shared/schemas';
import type { Case as CaseRecord } from '../api/contract';
export type { CaseRecord };

/** The text an activity or case keeps from the message (the API keeps up to 10 000 characters). */
export async function bodyExcerpt(mail: MailHost, max = 10_000): Promise<string> {
  const text = await mail.getBody('text').catch(() => '');
  return text.trim().slice(0, max);
}

/** Logs the open email as an activity linked to `link`; the message id makes a repeat a no-op. */
export async function logEmail(
  client: ReturnType<typeof usePane>['client'],
  mail: MailHost,
  item: MailItem,
  link: Link,
): Promise<{ id: string }> {
  return client.create('/activities', {
    body: {
      type: 'email',
      subject: (item.subject || '—').slice(0, 300),
      excerpt: (await bodyExcerpt(mail)) || null,
      occurredAt: (item.date ?? new Date()).toISOString(),
      direction: 'in',
      companyId: link.companyId,
      contactId: link.contactId,
      dealId: link.dealId,
      leadId: link.leadId,
      externalId: messageKey(item),
    },
  });
}

function OutcomeBar({ outcome }: { outcome: Outcome }) {
  if (!outcome) return null;
  if ('error' in outcome) return <RuleBar error={outcome.error} />;
  return (
    <MessageBar intent="success" role="status">
      <MessageBarBody>{outcome.ok}</MessageBarBody>
    </MessageBar>
  );
}

/** A case in one line: subject, priority, status and age. */
export function caseLine(i18n: ReturnType<typeof useI18n>, c: CaseRecord): string {
  const label = (prefix: string, value: string) => {
    const key = `${prefix}.${value}`;
    return i18n.has(key) ? i18n.t(key) : value;
  };
  return [
    c.subject,
    label('case.priority', c.priority),
    label('case.status', c.status),
    c.createdAt ? i18n.t('case.age', { age: i18n.formatRelative(c.createdAt) }) : null,
  ]
    .filter(Boolean)
    .join(' · ');
}

/** The follow-up: a task with a title (the subject by default), due date and time, and a note. */
function FollowUp({ item, link }: { item: MailItem; link: Link }) {
  const styles = useStyles();
  const i18n = useI18n();
  const { client } = usePane();
  const subject = item.subject || i18n.t('mail.noSubject');
  const [title, setTitle] = useState(() => i18n.t('actions.followUpTitle', { subject }).slice(0, 300));
  const [due, setDue] = useState(() => toDateInput(addWorkingDays(new Date(), 2)));
  const [time, setTime] = useState('09:00');
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<Outcome>(null);
  const [local, setLocal] = useState<{ title?: string; due?: string }>({});
  const apiError = outcome && 'error' in outcome && outcome.error instanceof ApiError ? outcome.error : null;
  const serverMessage = (path: string) => (apiError ? (i18n.fieldMessage(apiError, path) ?? apiError.fieldMessages[path]) : undefined);
  const titleMessage = local.title ?? serverMessage('/title');
  const dueMessage = local.due ?? serverMessage('/dueAt');

  const save = async () => {
    const dueAt = dateTimeInputToIso(due, time);
    const problems = {
      ...(title.trim() ? {} : { title: i18n.t('actions.needTitle') }),
      ...(dueAt ? {} : { due: i18n.t('actions.badDate') }),
    };
    setLocal(problems);
    if (Object.keys(problems).length || !dueAt) return;
    setBusy(true);
    setOutcome(null);
    try {
      await client.create('/tasks', {
        body: {
          title: title.trim().slice(0, 300),
          dueAt,
          notes: note.trim() || null,
          companyId: link.companyId,
          contactId: link.contactId,
          dealId: link.dealId,
          leadId: link.leadId,
        },
      });
      setOutcome({ ok: i18n.t('actions.followUpSet', { date: i18n.formatDateTime(dueAt) }) });
    } catch (error) {
      setOutcome({ error });
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className={styles.form} aria-labelledby="follow-up-title" data-testid="follow-up">
      <Caption1 as="h4" id="follow-up-title" block>
        {i18n.t('actions.followUpHeading')}
      </Caption1>
      <Field label={i18n.t('actions.taskTitle')} validationMessage={titleMessage} validationState={titleMessage ? 'error' : 'none'}>
        <Input name="followUpTitle" value={title} onChange={(_, d) => setTitle(d.value)} />
      </Field>
      <div className={styles.row}>
        <Field label={i18n.t('actions.dueDate')} validationMessage={dueMessage} validationState={dueMessage ? 'error' : 'none'}>
          <Input type="date" name="followUpDue" value={due} onChange={(_, d) => setDue(d.value)} />
        </Field>
        <Field label={i18n.t('actions.dueTime')}>
          <Input type="time" name="followUpTime" value={time} onChange={(_, d) => setTime(d.value)} />
        </Field>
      </div>
      <Field label={i18n.t('actions.taskNote')}>
        <Textarea name="followUpNote" value={note} rows={2} resize="vertical" onChange={(_, d) => setNote(d.value)} />
      </Field>
      <div>
        <Button onClick={() => void save()} disabled={busy}>
          {busy ? i18n.t('actions.working') : i18n.t('actions.followUp')}
        </Button>
      </div>
      <OutcomeBar outcome={outcome} />
    </section>
  );
}

/**
 * A complaint or a proposal from this email: the case already opened from it, or the form to open
 * one (subject, description from the email, priority).
 */
function CaseForm({
  kind,
  item,
  link,
  existing,
  onDone,
  onCancel,
}: {
  kind: Kind;
  item: MailItem;
  link: Link;
  existing: CaseRecord | null;
  onDone: (c: CaseRecord, created: boolean) => void;
  onCancel: () => void;
}) {
  const styles = useStyles();
  const i18n = useI18n();
  const { client, host } = usePane();
  const [subject, setSubject] = useState(item.subject || i18n.t('mail.noSubject'));
  const [description, setDescription] = useState('');
  const typed = useRef(false);
  const [priority, setPriority] = useState<CasePriority>('normal');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [needSubject, setNeedSubject] = useState(false);

  // The description starts as the email's text, unless the user typed first.
  useEffect(() => {
    if (existing) return;
    let live = true;
    void bodyExcerpt(host.mail!).then((text) => live && !typed.current && setDescription(text));
    return () => {
      live = false;
    };
  }, [existing, host.mail]);

  if (existing)
    return (
      <section className={styles.form} aria-labelledby="case-existing-title" data-testid="case-existing">
        <Subtitle2 as="h4" id="case-existing-title">
          {i18n.t(kind === 'complaint' ? 'case.existingComplaint' : 'case.existingProposal')}
        </Subtitle2>
        <Body1 as="p" className={styles.text}>
          {caseLine(i18n, existing)}
        </Body1>
        {existing.description ? (
          <Caption1 block>
            {existing.description.slice(0, 300)}
            {existing.description.length > 300 ? '…' : ''}
          </Caption1>
        ) : null}
        <div>
          <Button appearance="subtle" onClick={onCancel}>
            {i18n.t('common.dismiss')}
          </Button>
        </div>
      </section>
    );

  const save = async () => {
    if (!subject.trim()) return setNeedSubject(true);
    setNeedSubject(false);
    setBusy(true);
    setError(null);
    try {
      const sourceMessageId = messageKey(item);
      const created = await client.create('/cases', {
        body: {
          kind,
          subject: subject.trim().slice(0, 300),
          description: description.trim() || null,
          priority,
          companyId: link.companyId,
          contactId: link.contactId,
          dealId: link.dealId,
          ...(sourceMessageId ? { sourceMessageId } : {}),
        },
      });
      onDone(created, true);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className={styles.form} aria-labelledby="case-form-title" data-testid="case-form">
      <Subtitle2 as="h4" id="case-form-title">
        {i18n.t(kind === 'complaint' ? 'case.newComplaint' : 'case.newProposal')}
      </Subtitle2>
      <Field
        label={i18n.t('case.subject')}
        validationMessage={needSubject ? i18n.t('case.needSubject') : undefined}
        validationState={needSubject ? 'error' : 'none'}
      >
        <Input name="caseSubject" value={subject} onChange={(_, d) => setSubject(d.value)} />
      </Field>
      <Field label={i18n.t('case.description')}>
        <Textarea
          name="caseDescription"
          value={description}
          rows={4}
          resize="vertical"
          onChange={(_, d) => {
            typed.current = true;
            setDescription(d.value);
          }}
        />
      </Field>
      <Field label={i18n.t('case.priorityField')} hint={kind === 'complaint' ? i18n.t('case.vipHint') : undefined}>
        <Select name="casePriority" value={priority} onChange={(_, d) => setPriority(d.value as CasePriority)}>
          {PRIORITIES.map((p) => (
            <option key={p} value={p}>
              {i18n.t(`case.prio.${p}`)}
            </option>
          ))}
        </Select>
      </Field>
      <RuleBar error={error} />
      <div className={styles.row}>
        <Button appearance="primary" disabled={busy} onClick={() => void save()}>
          {busy ? i18n.t('actions.working') : i18n.t(kind === 'complaint' ? 'case.saveComplaint' : 'case.saveProposal')}
        </Button>
        <Button appearance="subtle" disabled={busy} onClick={onCancel}>
          {i18n.t('case.cancel')}
        </Button>
      </div>
    </section>
  );
}

/** The actions on the open email. `onChanged` refreshes the card (a new complaint shows at once). */
export function MailActions({ item, link, onChanged }: { item: MailItem; link: Link; onChanged?: () => void }) {
  const styles = useStyles();
  const i18n = useI18n();
  const { client, host } = usePane();
  const mail = host.mail!;
  const [busy, setBusy] = useState<string | null>(null);
  const [logOutcome, setLogOutcome] = useState<Outcome>(null);
  const [caseOutcome, setCaseOutcome] = useState<Outcome>(null);
  const [open, setOpen] = useState<{ kind: Kind; existing: CaseRecord | null } | null>(null);
  const subject = item.subject || i18n.t('mail.noSubject');

  const log = async () => {
    setBusy('log');
    setLogOutcome(null);
    try {
      await logEmail(client, mail, item, link);
      setLogOutcome({ ok: i18n.t('actions.logged') });
    } catch (error) {
      setLogOutcome({ error });
    } finally {
      setBusy(null);
    }
  };

  /** Opens the case of this kind already made from this email, or the form for a new one. */
  const openCase = async (kind: Kind) => {
    setBusy(kind);
    setCaseOutcome(null);
    try {
      const id = messageKey(item);
      const found = id ? ((await client.get('/cases', { query: { sourceMessageId: id, kind, limit: 1 } })).items[0] ?? null) : null;
      setOpen({ kind, existing: found });
    } catch (error) {
      setCaseOutcome({ error });
    } finally {
      setBusy(null);
    }
  };

  const done = (c: CaseRecord) => {
    const priorityKey = `case.priority.${c.priority}`;
    const priority = i18n.has(priorityKey) ? i18n.t(priorityKey) : c.priority;
    setOpen({ kind: c.kind, existing: c });
    setCaseOutcome({ ok: i18n.t(c.kind === 'proposal' ? 'actions.proposalCreated' : 'actions.complaintCreated', { priority }) });
    onChanged?.();
  };

  const canCase = Boolean(link.companyId || link.contactId);

  return (
    <section className={styles.root} aria-labelledby="mail-actions-title">
      <Caption1 as="h3" id="mail-actions-title" block>
        {i18n.t('actions.title')}
      </Caption1>
      <div className={styles.row}>
        <Button onClick={() => void log()} disabled={busy !== null}>
          {busy === 'log' ? i18n.t('actions.working') : i18n.t('actions.logEmail')}
        </Button>
      </div>
      <OutcomeBar outcome={logOutcome} />
      <FollowUp item={item} link={link} />
      {canCase ? (
        <>
          <Body1 as="p" className={styles.text}>
            {i18n.t('actions.caseHint', { subject })}
          </Body1>
          <div className={styles.row}>
            <Button onClick={() => void openCase('complaint')} disabled={busy !== null} aria-pressed={open?.kind === 'complaint'}>
              {busy === 'complaint' ? i18n.t('actions.working') : i18n.t('actions.complaint')}
            </Button>
            <Button onClick={() => void openCase('proposal')} disabled={busy !== null} aria-pressed={open?.kind === 'proposal'}>
              {busy === 'proposal' ? i18n.t('actions.working') : i18n.t('actions.proposal')}
            </Button>
          </div>
          <OutcomeBar outcome={caseOutcome} />
          {open ? (
            <CaseForm
              key={`${open.kind}-${open.existing?.id ?? 'new'}`}
              kind={open.kind}
              item={item}
              link={link}
              existing={open.existing}
              onDone={done}
              onCancel={() => setOpen(null)}
            />
          ) : null}
        </>
      ) : null}
    </section>
  );
}

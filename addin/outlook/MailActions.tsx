// What a manager does with an email from a known client or lead: log it, set a follow-up, or
// open a complaint / proposal in one click. Each action says what happened or what went wrong;
// field problems land on their Field.
import { Body1, Button, Caption1, Field, Input, MessageBar, MessageBarBody, makeStyles, tokens } from '@fluentui/react-components';
import { useState } from 'react';
import { ApiError } from '../api/problem';
import type { MailHost, MailItem } from '../office/types';
import { usePane, useI18n } from '../ui/context';
import { ProblemBar } from '../ui/ProblemBar';
import { addWorkingDays, dateInputToIso, messageKey, toDateInput, type Link } from './model';

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  row: { display: 'flex', gap: tokens.spacingHorizontalS, flexWrap: 'wrap', alignItems: 'flex-end' },
});

type Outcome = { ok: string } | { error: unknown } | null;

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
  return client.create<{ id: string }>('/activities', {
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
  });
}

function OutcomeBar({ outcome }: { outcome: Outcome }) {
  if (!outcome) return null;
  if ('error' in outcome) return <ProblemBar error={outcome.error} />;
  return (
    <MessageBar intent="success" role="status">
      <MessageBarBody>{outcome.ok}</MessageBarBody>
    </MessageBar>
  );
}

export function MailActions({ item, link }: { item: MailItem; link: Link }) {
  const styles = useStyles();
  const i18n = useI18n();
  const { client, host } = usePane();
  const mail = host.mail!;
  const [due, setDue] = useState(() => toDateInput(addWorkingDays(new Date(), 2)));
  const [busy, setBusy] = useState<string | null>(null);
  const [logOutcome, setLogOutcome] = useState<Outcome>(null);
  const [taskOutcome, setTaskOutcome] = useState<Outcome>(null);
  const [caseOutcome, setCaseOutcome] = useState<Outcome>(null);
  const chosen = link;
  const subject = item.subject || i18n.t('mail.noSubject');
  const taskError = taskOutcome && 'error' in taskOutcome && taskOutcome.error instanceof ApiError ? taskOutcome.error : null;

  const run = async (name: string, set: (o: Outcome) => void, action: () => Promise<string>) => {
    setBusy(name);
    set(null);
    try {
      set({ ok: await action() });
    } catch (error) {
      set({ error });
    } finally {
      setBusy(null);
    }
  };

  const log = () =>
    run('log', setLogOutcome, async () => {
      await logEmail(client, mail, item, chosen);
      return i18n.t('actions.logged');
    });

  const followUp = () =>
    run('task', setTaskOutcome, async () => {
      const dueAt = dateInputToIso(due);
      if (!dueAt) throw new Error(i18n.t('actions.badDate'));
      await client.create('/tasks', {
        title: i18n.t('actions.followUpTitle', { subject }).slice(0, 300),
        dueAt,
        companyId: chosen.companyId,
        contactId: chosen.contactId,
        dealId: chosen.dealId,
        leadId: chosen.leadId,
      });
      return i18n.t('actions.followUpSet', { date: i18n.formatDate(dueAt) });
    });

  const openCase = (kind: 'complaint' | 'proposal') =>
    run(kind, setCaseOutcome, async () => {
      const created = await client.create<{ id: string; priority?: string }>('/cases', {
        kind,
        subject: subject.slice(0, 300),
        description: (await bodyExcerpt(mail)) || null,
        companyId: chosen.companyId,
        contactId: chosen.contactId,
        dealId: chosen.dealId,
      });
      const priorityKey = `case.priority.${created.priority ?? 'normal'}`;
      const priority = i18n.has(priorityKey) ? i18n.t(priorityKey) : String(created.priority ?? '');
      return i18n.t(kind === 'complaint' ? 'actions.complaintCreated' : 'actions.proposalCreated', { priority });
    });

  const dueMessage = taskError ? (i18n.fieldMessage(taskError, 'dueAt') ?? taskError.fieldMessages.dueAt) : undefined;
  const canCase = Boolean(chosen.companyId || chosen.contactId);

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
      <div className={styles.row}>
        <Field label={i18n.t('actions.dueDate')} validationMessage={dueMessage} validationState={dueMessage ? 'error' : 'none'}>
          <Input type="date" name="followUpDue" value={due} onChange={(_, d) => setDue(d.value)} />
        </Field>
        <Button onClick={() => void followUp()} disabled={busy !== null}>
          {busy === 'task' ? i18n.t('actions.working') : i18n.t('actions.followUp')}
        </Button>
      </div>
      <OutcomeBar outcome={taskOutcome} />
      {canCase ? (
        <>
          <Body1 as="p" style={{ margin: 0 }}>
            {i18n.t('actions.caseHint', { subject })}
          </Body1>
          <div className={styles.row}>
            <Button onClick={() => void openCase('complaint')} disabled={busy !== null}>
              {busy === 'complaint' ? i18n.t('actions.working') : i18n.t('actions.complaint')}
            </Button>
            <Button onClick={() => void openCase('proposal')} disabled={busy !== null}>
              {busy === 'proposal' ? i18n.t('actions.working') : i18n.t('actions.proposal')}
            </Button>
          </div>
          <OutcomeBar outcome={caseOutcome} />
        </>
      ) : null}
    </section>
  );
}

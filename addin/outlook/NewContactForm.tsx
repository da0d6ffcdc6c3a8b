// An unknown sender: a contact form prefilled from the headers. Saving goes through the offline
// queue with an Idempotency-Key; the API's per-field problems land on each Field.
import { Body1, Button, Field, Input, Subtitle2, makeStyles, tokens } from '@fluentui/react-components';
import { useState, type FormEvent } from 'react';
import { ApiError } from '../api/problem';
import type { Company } from '../api/types';
import type { MailAddress } from '../office/types';
import type { MessageKey } from '../ui/i18n';
import { usePane, useI18n } from '../ui/context';
import { ProblemBar } from '../ui/ProblemBar';

const useStyles = makeStyles({
  form: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  text: { margin: 0 },
});

type Fields = { fullName: string; email: string; phone: string; title: string; companyName: string };
const LABELS: Record<keyof Fields, MessageKey> = {
  fullName: 'contact.name',
  email: 'contact.email',
  phone: 'contact.phone',
  title: 'contact.jobTitle',
  companyName: 'contact.company',
};

export function NewContactForm({ from, company }: { from: MailAddress; company: Company | null }) {
  const styles = useStyles();
  const i18n = useI18n();
  const { client } = usePane();
  const [fields, setFields] = useState<Fields>({
    fullName: from.name,
    email: from.email,
    phone: '',
    title: '',
    companyName: company?.name ?? '',
  });
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [localErrors, setLocalErrors] = useState<Partial<Record<keyof Fields, string>>>({});

  const apiError = error instanceof ApiError ? error : null;
  const messageFor = (name: keyof Fields) => localErrors[name] ?? i18n.fieldMessage(apiError, name);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!fields.fullName.trim()) {
      setLocalErrors({ fullName: i18n.t('contact.nameRequired') });
      return;
    }
    setLocalErrors({});
    setBusy(true);
    setError(null);
    setStatus(null);
    try {
      const body = { ...fields, companyId: company?.id ?? null, source: 'email' };
      const result = await client.mutate({ method: 'POST', path: '/contacts', body });
      setStatus(result.status === 'sent' ? i18n.t('contact.saved') : i18n.t('contact.queued'));
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className={styles.form} onSubmit={(e) => void submit(e)} aria-labelledby="new-contact-title">
      <Subtitle2 as="h2" id="new-contact-title">
        {i18n.t('contact.new.title')}
      </Subtitle2>
      <Body1 as="p" className={styles.text}>
        {i18n.t('contact.new.body', { email: from.email })}
      </Body1>
      {(Object.keys(LABELS) as Array<keyof Fields>).map((name) => {
        const message = messageFor(name);
        return (
          <Field
            key={name}
            label={i18n.t(LABELS[name])}
            required={name === 'fullName'}
            validationMessage={message}
            validationState={message ? 'error' : 'none'}
          >
            <Input
              name={name}
              type={name === 'email' ? 'email' : name === 'phone' ? 'tel' : 'text'}
              value={fields[name]}
              onChange={(_, d) => setFields((f) => ({ ...f, [name]: d.value }))}
            />
          </Field>
        );
      })}
      <ProblemBar error={error} />
      {status ? <Body1 role="status">{status}</Body1> : null}
      <div>
        <Button appearance="primary" type="submit" disabled={busy}>
          {busy ? i18n.t('contact.saving') : i18n.t('contact.save')}
        </Button>
      </div>
    </form>
  );
}

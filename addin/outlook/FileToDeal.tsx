// An attachment of a client's email fills a slot of one of the client's open deals (offer,
// contract, registry extract...): the document checklist then counts it as received. The file
// stays in the mailbox; Leadpane keeps its name, the attachment id and the message id.
import { Body1, Button, Field, Select, makeStyles, tokens } from '@fluentui/react-components';
import { useEffect, useState } from 'react';
import type { Deal } from '../api/contract';
import type { MailAttachmentInfo, MailItem } from '../office/types';
import type { DealDocuments } from '../api/contract';
import { usePane, useI18n } from '../ui/context';
import type { MessageKey } from '../ui/i18n';
import { ProblemBar } from '../ui/ProblemBar';

type Slot = DealDocuments['documents'][number];

const useStyles = makeStyles({
  form: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS, paddingBlock: tokens.spacingVerticalXS },
});

export default function FileToDeal({ item, attachment, deals }: { item: MailItem; attachment: MailAttachmentInfo; deals: Deal[] }) {
  const styles = useStyles();
  const i18n = useI18n();
  const { client } = usePane();
  const [open, setOpen] = useState(false);
  const [dealId, setDealId] = useState(deals[0]?.id ?? '');
  const [slots, setSlots] = useState<Slot[] | null>(null);
  const [slot, setSlot] = useState('');
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    if (!open || !dealId) return;
    let live = true;
    setSlots(null);
    client.get('/deals/:id/documents', { params: { id: dealId } }).then(
      (list) => {
        if (!live) return;
        setSlots(list.documents);
        // The first slot still waiting for its document is the likely one.
        setSlot((list.documents.find((d) => d.status === 'missing' || d.status === 'requested') ?? list.documents[0])?.slot ?? '');
      },
      (e: unknown) => live && setError(e),
    );
    return () => {
      live = false;
    };
  }, [client, dealId, open]);

  if (done) return <Body1 role="status">{done}</Body1>;
  if (!open)
    return (
      <Button size="small" appearance="subtle" onClick={() => setOpen(true)} aria-label={i18n.t('doc.fileAria', { name: attachment.name })}>
        {i18n.t('doc.file')}
      </Button>
    );

  const chosen = slots?.find((s) => s.slot === slot);
  const save = async () => {
    if (!chosen) return;
    setBusy(true);
    setError(null);
    try {
      await client.send(
        {
          method: 'PUT',
          path: '/deals/:id/documents/:slot',
          params: { id: dealId, slot: chosen.slot },
          body: { filename: attachment.name, attachmentId: attachment.id, messageId: item.internetMessageId ?? item.id ?? undefined },
          headers: { 'If-Match': `"${chosen.version}"` },
        },
        // The same document put twice is the same state: safe to retry.
        { idempotent: true },
      );
      const deal = deals.find((d) => d.id === dealId);
      setDone(i18n.t('doc.filed', { name: attachment.name, slot: chosen.label, deal: deal?.title ?? '' }));
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className={styles.form}>
      <Field label={i18n.t('doc.deal')}>
        <Select value={dealId} onChange={(_, d) => setDealId(d.value)}>
          {deals.map((d) => (
            <option key={d.id} value={d.id}>
              {d.title}
            </option>
          ))}
        </Select>
      </Field>
      <Field label={i18n.t('doc.slot')}>
        <Select value={slot} disabled={!slots} onChange={(_, d) => setSlot(d.value)}>
          {(slots ?? []).map((s) => (
            <option key={s.slot} value={s.slot}>
              {`${s.label} · ${i18n.t(`doc.status.${s.status}` as MessageKey)}`}
            </option>
          ))}
        </Select>
      </Field>
      <ProblemBar error={error} />
      <div>
        <Button size="small" appearance="primary" disabled={busy || !chosen} onClick={() => void save()}>
          {i18n.t('doc.attach')}
        </Button>
      </div>
    </div>
  );
}

// MailHost over Office.js (Outlook read surface). Every callback API goes through fromAsync,
// which checks asyncResult.status and times out.
import { fromAsync } from './async';
import type { AttachmentContent, MailAddress, MailHost, MailItem } from './types';

export interface OfficeMailOptions {
  /** `Office.context.mailbox`, injectable for tests. */
  mailbox?: () => Office.Mailbox;
  isSetSupported?: (name: string, version: string) => boolean;
  timeoutMs?: number;
}

/** Office.EventType.ItemChanged's value; spelled out so scripted mailboxes need no Office enum. */
const ITEM_CHANGED = 'olkItemSelectedChanged';

function address(details: Office.EmailAddressDetails | null | undefined): MailAddress | null {
  if (!details?.emailAddress) return null;
  return { name: details.displayName ?? '', email: details.emailAddress };
}

function addresses(list: Office.EmailAddressDetails[] | null | undefined): MailAddress[] {
  return (list ?? []).map(address).filter((a): a is MailAddress => a !== null);
}

export function createOfficeMailHost(options: OfficeMailOptions = {}): MailHost {
  const mailbox = options.mailbox ?? (() => Office.context.mailbox);
  const supports = options.isSetSupported ?? ((name, version) => Office.context.requirements.isSetSupported(name, version));
  const timeoutMs = options.timeoutMs ?? 30_000;

  /** The open message in read mode, or null (a pinned pane with nothing selected). */
  const readItem = (): Office.MessageRead | null => {
    const item = mailbox().item as Office.MessageRead | null | undefined;
    return item ?? null;
  };

  return {
    kind: 'office',

    async currentItem(): Promise<MailItem | null> {
      const item = readItem();
      if (!item) return null;
      return {
        id: item.itemId ?? null,
        internetMessageId: item.internetMessageId ?? null,
        conversationId: item.conversationId ?? null,
        subject: typeof item.subject === 'string' ? item.subject : '',
        from: address(item.from),
        to: addresses(item.to),
        cc: addresses(item.cc),
        date: item.dateTimeCreated instanceof Date ? item.dateTimeCreated : null,
        attachments: (item.attachments ?? []).map((a) => ({
          id: a.id,
          name: a.name,
          contentType: a.contentType ?? '',
          size: a.size ?? 0,
          isInline: Boolean(a.isInline),
        })),
      };
    },

    getBody(format) {
      const item = readItem();
      if (!item) return Promise.reject(new Error('No message is open'));
      return fromAsync<string>('body.getAsync', (cb) => item.body.getAsync(format, cb), timeoutMs);
    },

    async getAttachmentContent(id): Promise<AttachmentContent> {
      const item = readItem();
      if (!item) throw new Error('No message is open');
      if (!supports('Mailbox', '1.8')) throw new Error('This Outlook cannot read attachments (Mailbox 1.8 needed)');
      const content = await fromAsync<Office.AttachmentContent>(
        'getAttachmentContentAsync',
        (cb) => item.getAttachmentContentAsync(id, cb),
        timeoutMs,
      );
      const format = String(content.format).toLowerCase();
      if (format === 'base64') {
        const info = item.attachments.find((a) => a.id === id);
        return { kind: 'file', contentType: info?.contentType ?? 'application/octet-stream', base64: content.content };
      }
      if (format === 'eml') return { kind: 'eml', text: content.content };
      if (format === 'icalendar') return { kind: 'icalendar', text: content.content };
      return { kind: 'url', url: content.content };
    },

    async onItemChanged(listener) {
      await fromAsync<void>(
        'addHandlerAsync(ItemChanged)',
        (cb) => mailbox().addHandlerAsync(ITEM_CHANGED, () => listener(), cb),
        timeoutMs,
      );
      return () => {
        // Removing is best effort: the pane is going away anyway.
        mailbox().removeHandlerAsync(ITEM_CHANGED, () => undefined);
      };
    },
  };
}

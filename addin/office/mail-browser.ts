// MailHost over a dropped or pasted .eml: browser mode and the tests' scripted Outlook.
// postal-mime is loaded only when a message arrives.
import type { Address, Email } from 'postal-mime';
import type { AttachmentContent, MailAddress, MailHost, MailItem } from './types';

export interface BrowserMailHost extends MailHost {
  readonly kind: 'browser';
  /** Makes this raw RFC 822 message the open item and notifies ItemChanged listeners. */
  loadEml(raw: string | ArrayBuffer | Uint8Array | Blob): Promise<MailItem>;
  /** No open item (as a pinned pane between selections). */
  clear(): void;
}

function flatten(list: Address[] | Address | undefined): MailAddress[] {
  const items = list === undefined ? [] : Array.isArray(list) ? list : [list];
  return items.flatMap((a) =>
    a.group ? a.group.map((m) => ({ name: m.name, email: m.address })) : a.address ? [{ name: a.name, email: a.address }] : [],
  );
}

function toBase64(content: ArrayBuffer | Uint8Array | string): string {
  const bytes =
    typeof content === 'string' ? new TextEncoder().encode(content) : content instanceof Uint8Array ? content : new Uint8Array(content);
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

/** A plain-text rendering of HTML for messages without a text part. */
function htmlToText(html: string): string {
  return html
    .replace(/<(script|style)[^>]*>[\s\S]*?<\/\1>/gi, '')
    .replace(/<br\s*\/?>|<\/(p|div|tr|li|h\d)>/gi, '\n')
    .replace(/<[^>]+>/g, '')
    .replace(/&nbsp;/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

let counter = 0;

export function createBrowserMailHost(): BrowserMailHost {
  let email: Email | null = null;
  let item: MailItem | null = null;
  const listeners = new Set<() => void>();

  return {
    kind: 'browser',

    async loadEml(raw) {
      const { default: PostalMime } = await import('postal-mime');
      const parsed = await PostalMime.parse(raw, { attachmentEncoding: 'arraybuffer' });
      const date = parsed.date ? new Date(parsed.date) : null;
      email = parsed;
      item = {
        id: `eml-${++counter}`,
        internetMessageId: parsed.messageId ?? null,
        conversationId: null,
        subject: parsed.subject ?? '',
        from: flatten(parsed.from)[0] ?? null,
        to: flatten(parsed.to),
        cc: flatten(parsed.cc),
        date: date && !Number.isNaN(date.getTime()) ? date : null,
        attachments: parsed.attachments.map((a, i) => ({
          id: `att-${i}`,
          name: a.filename ?? `attachment-${i + 1}`,
          contentType: a.mimeType,
          size: typeof a.content === 'string' ? a.content.length : a.content.byteLength,
          isInline: a.disposition === 'inline' || Boolean(a.related),
        })),
      };
      listeners.forEach((l) => l());
      return item;
    },

    clear() {
      email = null;
      item = null;
      listeners.forEach((l) => l());
    },

    async currentItem() {
      return item;
    },

    async getBody(format) {
      if (!email) throw new Error('No message is open');
      if (format === 'html') return email.html ?? (email.text ?? '').replace(/[&<>]/g, (c) => `&#${c.charCodeAt(0)};`);
      return email.text ?? htmlToText(email.html ?? '');
    },

    async getAttachmentContent(id): Promise<AttachmentContent> {
      const index = Number(id.replace(/^att-/, ''));
      const attachment = email?.attachments[index];
      if (!attachment) throw new Error(`Attachment ${id} was not found`);
      if (attachment.mimeType === 'message/rfc822') {
        const text = typeof attachment.content === 'string' ? attachment.content : new TextDecoder().decode(attachment.content);
        return { kind: 'eml', text };
      }
      return { kind: 'file', contentType: attachment.mimeType, base64: toBase64(attachment.content) };
    },

    async onItemChanged(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

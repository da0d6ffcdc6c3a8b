/** Raw .eml to the engine's input, with postal-mime (runs in browsers and workerd alike). */
import PostalMime from 'postal-mime';
import type { EmailInput, MailAddress } from './types';

type PmAddress = { name?: string; address?: string; group?: PmAddress[] };

function mailbox(a: PmAddress | undefined): MailAddress | null {
  if (!a) return null;
  if (a.address) return { name: a.name || null, address: a.address };
  return a.group?.[0] ? mailbox(a.group[0]) : null;
}

function list(items: PmAddress[] | undefined): MailAddress[] {
  const out: MailAddress[] = [];
  for (const a of items ?? []) {
    if (a.group) out.push(...list(a.group));
    else if (a.address) out.push({ name: a.name || null, address: a.address });
  }
  return out;
}

/**
 * Parses a raw RFC 822 message (.eml) into the engine's input: decoded headers and bodies
 * (base64, quoted-printable, RFC 2047, windows-1251, koi8-r...).
 * @example
 * const input = await parseEml(rawText);
 * const { lead } = extractLead(input);
 */
export async function parseEml(raw: string | ArrayBuffer | Uint8Array): Promise<EmailInput> {
  const mail = await PostalMime.parse(raw);
  let from = mailbox(mail.from as PmAddress | undefined);
  if (from && !from.name) {
    // Exchange/Enron exports keep the display name in X-From
    const xFrom = mail.headers.find((h) => h.key === 'x-from')?.value?.trim();
    if (xFrom && !xFrom.includes('@') && xFrom.length < 80) from = { ...from, name: xFrom.replace(/\s*<[^>]*>\s*$/, '') };
  }
  return {
    from,
    to: list(mail.to as PmAddress[] | undefined),
    cc: list(mail.cc as PmAddress[] | undefined),
    date: mail.date ?? null,
    subject: mail.subject ?? null,
    messageId: mail.messageId ?? null,
    text: mail.text ?? null,
    html: mail.html ?? null,
  };
}

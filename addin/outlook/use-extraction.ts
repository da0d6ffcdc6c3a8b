// Reads the open message and runs the shared extraction engine on it, after the first paint:
// the engine (and libphonenumber's metadata) is a separate chunk, and a long thread can take a
// while, so the pane shows its skeleton first and stays responsive.
import { useEffect, useState } from 'react';
import type { Extraction } from '../../shared/email';
import type { MailHost, MailItem } from '../office/types';

/** Bodies are cut here before extraction: 100 KB holds any real signature and the newest reply. */
export const BODY_CAP = 100 * 1024;

export type ExtractionState =
  | { status: 'pending' }
  | { status: 'done'; extraction: Extraction; truncated: boolean; needs: string }
  | { status: 'failed'; error: unknown };

/** Waits until the browser is idle (or 200 ms at most), so the skeleton paints first. */
function afterPaint(): Promise<void> {
  return new Promise((resolve) => {
    const w = globalThis as unknown as { requestIdleCallback?: (cb: () => void, o?: { timeout: number }) => number };
    if (typeof w.requestIdleCallback === 'function') w.requestIdleCallback(() => resolve(), { timeout: 200 });
    else setTimeout(resolve, 0);
  });
}

/**
 * What the sender asks for: the newest message as the engine gives it (quoted history and the
 * signature left out; a web form's dump; a colleague's note over a forwarded form). Capped at the
 * API's 5000.
 */
export function needsOf(extraction: Extraction): string {
  return extraction.newMessage.trim().slice(0, 5000);
}

export async function extractFromItem(
  mail: MailHost,
  item: MailItem,
): Promise<Omit<Extract<ExtractionState, { status: 'done' }>, 'status'>> {
  let text = await mail.getBody('text').catch(() => '');
  let html: string | null = null;
  if (!text.trim()) html = await mail.getBody('html').catch(() => '');
  const size = text.length + (html?.length ?? 0);
  const truncated = size > BODY_CAP;
  if (truncated) {
    text = text.slice(0, BODY_CAP);
    if (html) html = html.slice(0, BODY_CAP);
  }
  const { extractLead } = await import('../../shared/email');
  const extraction = extractLead({
    from: item.from ? { name: item.from.name || null, address: item.from.email } : null,
    to: item.to.map((a) => ({ name: a.name || null, address: a.email })),
    cc: item.cc.map((a) => ({ name: a.name || null, address: a.email })),
    subject: item.subject,
    date: item.date ? item.date.toISOString() : null,
    messageId: item.internetMessageId,
    text: text || null,
    html,
  });
  return { extraction, truncated, needs: needsOf(extraction) };
}

/**
 * The extraction of `item`, computed once per item after the first paint. `alongside` (what the
 * filled form shows, such as its lazily loaded pieces) runs at the same time, and the state turns
 * done when both have finished; its failure is the caller's to handle.
 */
export function useExtraction(mail: MailHost, item: MailItem, enabled: boolean, alongside?: () => Promise<unknown>): ExtractionState {
  const [state, setState] = useState<ExtractionState>({ status: 'pending' });
  useEffect(() => {
    if (!enabled) return;
    let live = true;
    setState({ status: 'pending' });
    afterPaint()
      .then(() => Promise.all([extractFromItem(mail, item), alongside?.().catch(() => undefined)]))
      .then(
        ([done]) => live && setState({ status: 'done', ...done }),
        (error: unknown) => live && setState({ status: 'failed', error }),
      );
    return () => {
      live = false;
    };
  }, [mail, item, enabled, alongside]);
  return state;
}

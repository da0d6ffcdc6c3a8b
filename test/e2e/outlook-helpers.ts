/**
 * What the Outlook pane's end-to-end tests share: messages built for the project (UTF-8 text
 * and attachments), axe-core served from the pane's own origin, and plain API calls for setup
 * and for reading back what the pane did.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { RESULTS, type Api } from './harness';

/** Polls until the pane settles (a first load compiles its chunks on a busy machine). */
export function eventually<T>(read: () => Promise<T> | T, timeout = 60_000): ReturnType<typeof expect.poll<T>> {
  return expect.poll(read, { timeout, interval: 150 });
}

export interface EmlAttachment {
  name: string;
  contentType: string;
  content: string;
}

/** A 7-bit RFC 822 message: UTF-8 headers and plain-text body in base64, and optional attachments. */
export function buildEml(m: {
  from: string;
  fromName: string;
  subject: string;
  messageId: string;
  body: string;
  to?: string;
  attachments?: EmlAttachment[];
}): string {
  const word = (s: string) => `=?UTF-8?B?${Buffer.from(s).toString('base64')}?=`;
  const b64 = (s: string) => Buffer.from(s.replace(/\n/g, '\r\n')).toString('base64').replace(/.{76}/g, '$&\r\n');
  const head = [
    `From: ${word(m.fromName)} <${m.from}>`,
    `To: ${m.to ?? 'ivan.petrov@demo.leadpane.dev'}`,
    `Subject: ${word(m.subject)}`,
    'Date: Wed, 1 Jul 2026 09:00:00 +0300',
    `Message-ID: ${m.messageId}`,
    'MIME-Version: 1.0',
  ];
  if (!m.attachments?.length)
    return [...head, 'Content-Type: text/plain; charset=UTF-8', 'Content-Transfer-Encoding: base64', '', b64(m.body), ''].join('\r\n');
  const parts = [
    ['Content-Type: text/plain; charset=UTF-8', 'Content-Transfer-Encoding: base64', '', b64(m.body)].join('\r\n'),
    ...m.attachments.map((a) =>
      [
        `Content-Type: ${a.contentType}; name="${a.name}"`,
        `Content-Disposition: attachment; filename="${a.name}"`,
        'Content-Transfer-Encoding: base64',
        '',
        Buffer.from(a.content).toString('base64'),
      ].join('\r\n'),
    ),
  ];
  return [
    ...head,
    'Content-Type: multipart/mixed; boundary="lp-part"',
    '',
    ...parts.map((p) => `--lp-part\r\n${p}`),
    '--lp-part--',
    '',
  ].join('\r\n');
}

/** A small PDF-looking file: enough for the pane, which files the attachment's name and id. */
export const pdf = (name: string): EmlAttachment => ({ name, contentType: 'application/pdf', content: `%PDF-1.4\n% ${name}\n` });

/** Serious and critical axe-core violations on the page; axe is served from the pane's origin (its CSP allows no other). */
export async function axeViolations(page: Page): Promise<string[]> {
  await page.route('**/__test__/axe.min.js', (route) =>
    route.fulfill({
      contentType: 'text/javascript',
      body: readFileSync(resolve(import.meta.dirname, '../../node_modules/axe-core/axe.min.js'), 'utf8'),
    }),
  );
  await page.addScriptTag({ url: '/__test__/axe.min.js' });
  const violations = await page.evaluate(async () => {
    const axe = (
      window as unknown as {
        axe: { run: (ctx: unknown) => Promise<{ violations: Array<{ id: string; impact: string; nodes: Array<{ target: string[] }> }> }> };
      }
    ).axe;
    // Tabster's focus sentinels pass focus on at once; they are how Fluent manages arrow keys.
    const result = await axe.run({ exclude: [['[data-tabster-dummy]']] });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, targets: v.nodes.map((n) => n.target.join(' ')) }));
  });
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.targets.join(', ')}`);
}

export const shot = (page: Page, name: string) => page.screenshot({ path: resolve(RESULTS, `e2e-outlook-${name}.png`), fullPage: true });

/** Whether fetch failed because the server had closed the kept-alive connection it reused. */
const staleConnection = (err: unknown) => (err as { cause?: { code?: string } })?.cause?.code === 'UND_ERR_SOCKET';

/**
 * A call to the real API with a demo user's token; answers status and JSON. A POST carries an
 * Idempotency-Key, so the one retry on a connection the local server closed while idle (Node's
 * fetch keeps connections alive between calls) can never make a second record.
 */
export async function apiCall(
  api: Api,
  token: string,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; json: any }> {
  const init = {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(method === 'POST' ? { 'idempotency-key': crypto.randomUUID() } : {}),
      ...headers,
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  };
  const res = await fetch(`${api.url}/api/v1${path}`, init).catch((err: unknown) => {
    if (!staleConnection(err)) throw err;
    return fetch(`${api.url}/api/v1${path}`, init);
  });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : null };
}

/** A value safe to put in SQL text (the tests' own fixtures only). */
export const sqlText = (s: string) => `'${s.replace(/'/g, "''")}'`;

/// <reference types="office-js" />
// MailHost over Office.js (a scripted mailbox through office-addin-mock) and over a dropped .eml.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { OfficeMockObject } from 'office-addin-mock';
import { describe, expect, it, vi } from 'vitest';
import { fromAsync } from '../../addin/office/async';
import { createBrowserMailHost } from '../../addin/office/mail-browser';
import { createOfficeMailHost } from '../../addin/office/mail-office';

const fixture = (name: string) => readFileSync(resolve(import.meta.dirname, 'fixtures', name));
type Callback = (result: { status: string; value: unknown; error?: { name: string; message: string } }) => void;
const ok = (value: unknown) => ({ status: 'succeeded', value });
const failed = (name: string, message: string) => ({ status: 'failed', value: undefined, error: { name, message } });

/** A read-mode message in a scripted mailbox; `answer` decides how each async call ends. */
function scriptedMailbox(
  answer: (call: string) => ReturnType<typeof ok> | ReturnType<typeof failed> | 'never' = (c) => ok(c === 'body' ? 'Hello' : undefined),
) {
  const handlers: Array<() => void> = [];
  const mock = new OfficeMockObject(
    {
      host: 'outlook',
      item: {
        itemId: 'AAMk-1',
        internetMessageId: '<offer-42@acme.bg>',
        conversationId: 'conv-1',
        subject: 'Оферта',
        from: { displayName: 'Иван Петров', emailAddress: 'ivan.petrov@acme.bg' },
        to: [{ displayName: 'Maria', emailAddress: 'maria@leadpane.example' }],
        cc: [],
        dateTimeCreated: new Date('2026-06-30T06:15:00Z'),
        attachments: [{ id: 'att-1', name: 'offer.pdf', contentType: 'application/pdf', size: 1200, isInline: false }],
        body: {
          getAsync(_format: string, callback: Callback) {
            const a = answer('body');
            if (a !== 'never') callback(a);
          },
        },
        getAttachmentContentAsync(_id: string, callback: Callback) {
          const a = answer('attachment');
          if (a !== 'never') callback(a);
        },
      },
      addHandlerAsync(_type: string, handler: () => void, callback: Callback) {
        handlers.push(handler);
        callback(ok(undefined));
      },
      removeHandlerAsync() {
        handlers.length = 0;
      },
    },
    'outlook' as never,
  );
  return { mailbox: mock as unknown as Office.Mailbox, handlers };
}

describe('MailHost over Office.js', () => {
  it('reads the current message’s headers and attachments', async () => {
    const { mailbox } = scriptedMailbox();
    const host = createOfficeMailHost({ mailbox: () => mailbox, isSetSupported: () => true });
    expect(await host.currentItem()).toEqual({
      id: 'AAMk-1',
      internetMessageId: '<offer-42@acme.bg>',
      conversationId: 'conv-1',
      subject: 'Оферта',
      from: { name: 'Иван Петров', email: 'ivan.petrov@acme.bg' },
      to: [{ name: 'Maria', email: 'maria@leadpane.example' }],
      cc: [],
      date: new Date('2026-06-30T06:15:00Z'),
      attachments: [{ id: 'att-1', name: 'offer.pdf', contentType: 'application/pdf', size: 1200, isInline: false }],
    });
  });

  it('answers the body through getAsync and rejects when Office reports a failure', async () => {
    const good = createOfficeMailHost({ mailbox: () => scriptedMailbox().mailbox, isSetSupported: () => true });
    expect(await good.getBody('text')).toBe('Hello');
    const bad = createOfficeMailHost({
      mailbox: () => scriptedMailbox(() => failed('GenericResponseError', 'Server busy')).mailbox,
      isSetSupported: () => true,
    });
    await expect(bad.getBody('html')).rejects.toMatchObject({ name: 'HostError', code: 'GenericResponseError' });
  });

  it('times out a callback that never comes', async () => {
    const host = createOfficeMailHost({ mailbox: () => scriptedMailbox(() => 'never').mailbox, isSetSupported: () => true, timeoutMs: 20 });
    await expect(host.getBody('text')).rejects.toMatchObject({ code: 'Timeout' });
  });

  it('reads attachment content only where Mailbox 1.8 is supported', async () => {
    const { mailbox } = scriptedMailbox(() => ok({ format: 'base64', content: 'JVBERi0=' }));
    const supported = createOfficeMailHost({ mailbox: () => mailbox, isSetSupported: () => true });
    expect(await supported.getAttachmentContent('att-1')).toEqual({ kind: 'file', contentType: 'application/pdf', base64: 'JVBERi0=' });
    const old = createOfficeMailHost({ mailbox: () => mailbox, isSetSupported: () => false });
    await expect(old.getAttachmentContent('att-1')).rejects.toThrow(/1\.8/);
  });

  it('turns ItemChanged into a listener call and unsubscribes', async () => {
    const { mailbox, handlers } = scriptedMailbox();
    const host = createOfficeMailHost({ mailbox: () => mailbox, isSetSupported: () => true });
    const listener = vi.fn();
    const off = await host.onItemChanged(listener);
    handlers.forEach((h) => h());
    expect(listener).toHaveBeenCalledTimes(1);
    off();
    expect(handlers).toHaveLength(0);
  });

  it('answers no item for a pinned pane with nothing selected', async () => {
    const host = createOfficeMailHost({ mailbox: () => ({ item: null }) as unknown as Office.Mailbox, isSetSupported: () => true });
    expect(await host.currentItem()).toBeNull();
  });

  it('checks asyncResult.status, not the absence of an exception', async () => {
    await expect(fromAsync('x', (cb) => cb({ status: 'failed', value: 'looks fine', error: null }))).rejects.toThrow(/x failed/);
    await expect(
      fromAsync('y', () => {
        throw new Error('boom');
      }),
    ).rejects.toThrow(/boom/);
  });
});

describe('MailHost over a dropped .eml', () => {
  it('makes the message the open item, with decoded Cyrillic headers, and says so', async () => {
    const host = createBrowserMailHost();
    const changed = vi.fn();
    await host.onItemChanged(changed);
    expect(await host.currentItem()).toBeNull();

    await host.loadEml(fixture('known-sender.eml'));

    expect(changed).toHaveBeenCalledTimes(1);
    expect(await host.currentItem()).toMatchObject({
      internetMessageId: '<offer-42@acme.bg>',
      subject: 'Оферта за лицензии',
      from: { name: 'Иван Петров', email: 'ivan.petrov@acme.bg' },
      to: [{ name: 'Maria Sales', email: 'maria@leadpane.example' }],
      cc: [{ name: 'Georgi Dimitrov', email: 'georgi@acme.bg' }],
      date: new Date('2026-06-30T06:15:00Z'),
    });
    expect(await host.getBody('text')).toContain('Моля, изпратете оферта за 25 лиценза.');
    expect(await host.getBody('html')).toContain('Иван Петров');
  });

  it('lists attachments and answers their content as base64', async () => {
    const eml = [
      'From: a@example.com',
      'To: b@example.com',
      'Subject: file',
      'MIME-Version: 1.0',
      'Content-Type: multipart/mixed; boundary="b1"',
      '',
      '--b1',
      'Content-Type: text/plain',
      '',
      'see attached',
      '--b1',
      'Content-Type: text/csv; name="leads.csv"',
      'Content-Disposition: attachment; filename="leads.csv"',
      'Content-Transfer-Encoding: base64',
      '',
      Buffer.from('name,phone\nIvan,+359').toString('base64'),
      '--b1--',
      '',
    ].join('\r\n');
    const host = createBrowserMailHost();
    const item = await host.loadEml(eml);
    expect(item.attachments).toEqual([{ id: 'att-0', name: 'leads.csv', contentType: 'text/csv', size: 20, isInline: false }]);
    const content = await host.getAttachmentContent('att-0');
    expect(content.kind === 'file' && Buffer.from(content.base64, 'base64').toString()).toBe('name,phone\nIvan,+359');
  });
});

// The web-to-lead form as a website visitor meets it: the embed snippet pasted into a plain page
// of another origin, in Chromium, posting to the real API (the local server on the local D1).
import { createServer, type Server } from 'node:http';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../scripts/lib/local';
import { launchBrowser, RESULTS, startApi, type Api } from './harness';

let api: Api;
let browser: Browser;
let site: Server;
let siteOrigin: string;
let formKey: string;

const webformLeads = () => api.sql<{ n: number }>(`SELECT count(*) AS n FROM leads WHERE source = 'webform';`)[0]!.n;

beforeAll(async () => {
  api = await startApi({ seed: false });
  browser = await launchBrowser();
  const port = await freePort();
  siteOrigin = `http://127.0.0.1:${port}`;
  const res = await fetch(`${api.url}/api/v1/forms`, {
    method: 'POST',
    headers: { authorization: `Bearer ${api.tokens.head}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'Website contact form', allowedOrigins: [siteOrigin] }),
  });
  expect(res.status).toBe(201);
  formKey = ((await res.json()) as { formKey: string }).formKey;
  const snippet = await (await fetch(`${api.url}/api/v1/forms/${formKey}/embed?lang=bg`)).text();
  // The company's website: a plain page of its own origin with the snippet pasted in.
  site = createServer((_req, out) => {
    out.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    out.end(
      `<!doctype html><html lang="bg"><meta charset="utf-8"><title>Фирма</title><body><h1>Свържете се с нас</h1>${snippet}</body></html>`,
    );
  }).listen(port, '127.0.0.1');
}, 600_000);

afterAll(async () => {
  await browser?.close();
  site?.close();
  await api?.stop();
});

describe('the web-to-lead form on a website', () => {
  it('creates a lead from the embedded snippet, and a filled honeypot creates none', { timeout: 180_000 }, async () => {
    const page = await (await browser.newContext({ locale: 'bg-BG' })).newPage();
    await page.goto(siteOrigin);
    await page.getByLabel('Име *').fill('Стефан Колев');
    await page.getByLabel('Телефон *').fill('0888 555 111');
    const sent = page.waitForResponse((r) => r.url().endsWith(`/api/v1/forms/${formKey}`) && r.request().method() === 'POST');
    await page.getByRole('button').click();
    expect((await sent).status()).toBe(200);
    await expect.poll(() => page.getByRole('status').innerText(), { timeout: 30_000 }).not.toBe('');
    await page.screenshot({ path: `${RESULTS}/webform-sent.png`, fullPage: true });
    expect(webformLeads()).toBe(1);
    const lead = api.sql<{ full_name: string; phone_e164: string }>(
      `SELECT full_name, phone_e164 FROM leads WHERE source = 'webform';`,
    )[0]!;
    expect(lead).toEqual({ full_name: 'Стефан Колев', phone_e164: '+359888555111' });

    // A bot fills every field, the hidden one too: it is told "thank you" and nothing is saved.
    await page.getByLabel('Име *').fill('Bot');
    await page.getByLabel('Телефон *').fill('0888 000 000');
    await page.evaluate(() => ((document.querySelector('input[name="website_url"]') as HTMLInputElement).value = 'http://spam.example'));
    const trapped = page.waitForResponse((r) => r.url().endsWith(`/api/v1/forms/${formKey}`) && r.request().method() === 'POST');
    await page.getByRole('button').click();
    expect((await trapped).status()).toBe(200);
    expect(webformLeads()).toBe(1);
  });

  it('refuses 100 posts a minute from one address with 429 after the limit', { timeout: 180_000 }, async () => {
    const before = webformLeads();
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let i = 0; i < 100; i++) {
      const post = () =>
        fetch(`${api.url}/api/v1/forms/${formKey}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', origin: siteOrigin, 'x-forwarded-for': '203.0.113.7' },
          body: JSON.stringify({ name: `Flood ${i}`, phone: '0888 111 222', clientToken: `flood-${i}` }),
        });
      // A kept-alive socket may be closed by the server between posts; the clientToken makes a
      // repeated post safe, exactly as the embedded script relies on.
      const res = await post().catch(post);
      statuses.push(res.status);
      if (res.status === 429) retryAfter ??= res.headers.get('retry-after');
      await res.arrayBuffer();
    }
    const accepted = statuses.filter((s) => s === 200).length;
    expect(accepted).toBeGreaterThan(0);
    expect(accepted).toBeLessThan(100);
    expect(statuses.slice(accepted), statuses.join(',')).toEqual(Array(100 - accepted).fill(429));
    expect(Number(retryAfter)).toBeGreaterThan(0);
    expect(webformLeads() - before).toBe(accepted);
  });
});

import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { call, countRows, makeOrg } from './harness';

type Org = Awaited<ReturnType<typeof makeOrg>>;
const SITE = 'https://www.acme.bg';

async function makeForm(org: Org, o: Record<string, unknown> = {}) {
  const res = await call(org.head, 'POST', '/api/v1/forms', { body: { name: 'Contact us', allowedOrigins: [SITE], ...o } });
  expect(res.status).toBe(201);
  return res.json as { id: string; formKey: string; version: number };
}
/** A post from the website: no token. */
const post = (formKey: string, body: unknown, headers: Record<string, string> = {}) =>
  call(null, 'POST', `/api/v1/forms/${formKey}`, { body, headers: { 'cf-connecting-ip': '203.0.113.7', ...headers } });
const postForm = (formKey: string, fields: Record<string, string>, headers: Record<string, string> = {}) =>
  call(null, 'POST', `/api/v1/forms/${formKey}`, {
    raw: new URLSearchParams(fields).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'cf-connecting-ip': '203.0.113.7', ...headers },
  });
const webLeads = (org: Org) =>
  env.DB.prepare(`SELECT * FROM leads WHERE org_id = ?1 AND source = 'webform' ORDER BY created_at, id`)
    .bind(org.orgId)
    .all<Record<string, string | null>>();

describe('web-to-lead forms (authenticated side)', () => {
  it('a head creates a form and gets its public key; a manager cannot; everyone can list them', async () => {
    const org = await makeOrg();
    const form = await makeForm(org, { ownerId: org.manager.userId });
    expect(form).toMatchObject({ name: 'Contact us', ownerId: org.manager.userId, allowedOrigins: [SITE], active: true, version: 1 });
    expect(form.formKey).toMatch(/^wf_[\w-]{22}$/);
    expect((await call(org.manager, 'POST', '/api/v1/forms', { body: { name: 'Mine' } })).status).toBe(403);
    expect((await call(org.manager, 'GET', '/api/v1/forms')).json.items.map((f: { id: string }) => f.id)).toEqual([form.id]);
    const bad = await call(org.head, 'POST', '/api/v1/forms', { body: { name: 'X', allowedOrigins: ['https://acme.bg/path'] } });
    expect(bad.status).toBe(422);
    expect(bad.json.errors[0].path).toBe('/allowedOrigins/0');
  });

  it('a deactivated form answers 404 to the website', async () => {
    const org = await makeOrg();
    const form = await makeForm(org);
    const off = await call(org.admin, 'PATCH', `/api/v1/forms/${form.id}`, { body: { active: false }, headers: { 'if-match': '"1"' } });
    expect(off.json).toMatchObject({ active: false, version: 2, formKey: form.formKey });
    const res = await post(form.formKey, { name: 'Ivan', phone: '0888123456' });
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toMatch(/problem\+json/);
    expect((await post('wf_AAAAAAAAAAAAAAAAAAAAAA', { name: 'Ivan', phone: '0888123456' })).status).toBe(404);
  });
});

describe('posting the public form', () => {
  it("a post with name and phone creates a webform lead for the form's owner, without a token", async () => {
    const org = await makeOrg();
    const form = await makeForm(org, { ownerId: org.manager2.userId });
    const res = await post(form.formKey, {
      name: 'Иван Петров',
      phone: '0888 123 456',
      email: 'Ivan@Example.BG',
      company: 'Петров ЕООД',
      message: 'Искам оферта',
    });
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ ok: true, message: 'Thank you! We will contact you soon.' });
    const { results } = await webLeads(org);
    expect(results).toHaveLength(1);
    expect(results[0]).toMatchObject({
      full_name: 'Иван Петров',
      phone: '0888 123 456',
      phone_e164: '+359888123456',
      email: 'ivan@example.bg',
      company_name: 'Петров ЕООД',
      needs: 'Искам оферта',
      owner_id: org.manager2.userId,
      status: 'new',
    });
    const audit = await env.DB.prepare(`SELECT user_id, details FROM audit_log WHERE org_id = ?1 AND entity = 'lead'`)
      .bind(org.orgId)
      .first<{ user_id: string | null; details: string }>();
    expect(audit).toMatchObject({ user_id: null });
    expect(JSON.parse(audit!.details)).toMatchObject({ via: 'webform', formId: form.id });
  });

  it('an urlencoded post works and is answered in the language of Accept-Language', async () => {
    const org = await makeOrg();
    const form = await makeForm(org);
    const res = await postForm(form.formKey, { name: 'Мария', phone: '+359 2 987 6543' }, { 'accept-language': 'bg-BG,bg;q=0.9,en;q=0.8' });
    expect(res.status).toBe(200);
    expect(res.json.message).toBe('Благодарим ви! Ще се свържем с вас скоро.');
    expect(res.headers.get('content-language')).toBe('bg');
    expect(await countRows('leads', org.orgId)).toBe(1);
  });

  it('without JavaScript the browser gets an HTML thank-you page in the form language', async () => {
    const org = await makeOrg();
    const form = await makeForm(org);
    const res = await postForm(
      form.formKey,
      { name: 'Ольга', phone: '+7 495 123 45 67', lang: 'ru', respond: 'html' },
      { origin: SITE, referer: `${SITE}/contacts` },
    );
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(res.text).toContain('Спасибо! Мы скоро свяжемся с вами.');
    expect(res.text).toContain(`href="${SITE}/contacts"`);
  });

  it('missing name and phone answer 422 problem+json with per-field messages in the chosen language', async () => {
    const org = await makeOrg();
    const form = await makeForm(org);
    const res = await post(form.formKey, { email: 'not-an-email', lang: 'ru' });
    expect(res.status).toBe(422);
    expect(res.headers.get('content-type')).toMatch(/problem\+json/);
    expect(res.json).toMatchObject({ code: 'validation_failed', detail: 'Пожалуйста, проверьте отмеченные поля.' });
    expect(res.json.errors).toEqual([
      { path: '/name', code: 'required', message: 'Пожалуйста, укажите ваше имя.' },
      { path: '/phone', code: 'required', message: 'Пожалуйста, укажите номер телефона.' },
      { path: '/email', code: 'invalid_email', message: 'Этот адрес электронной почты выглядит неверным.' },
    ]);
    const phone = await post(form.formKey, { name: 'Bot', phone: 'call me maybe' });
    expect(phone.json.errors).toEqual([{ path: '/phone', code: 'invalid_phone', message: 'This phone number does not look right.' }]);
    expect(await countRows('leads', org.orgId)).toBe(0);
  });

  it('a filled honeypot is answered 200 like a success and creates nothing', async () => {
    const org = await makeOrg();
    const form = await makeForm(org);
    const res = await post(form.formKey, { name: 'Cheap Pills', phone: '+1 555 0100', website_url: 'http://spam.example' });
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ ok: true, message: 'Thank you! We will contact you soon.' });
    expect(await countRows('leads', org.orgId)).toBe(0);
  });

  it('a retry with the same clientToken, even at the same moment, creates one lead', async () => {
    const org = await makeOrg();
    const form = await makeForm(org);
    const body = { name: 'Retry Person', phone: '0899 111 222', clientToken: 'c7b3a1e2-5f1d-4c1a-9d7e-1a2b3c4d5e6f' };
    const first = await post(form.formKey, body);
    const again = await post(form.formKey, body);
    expect([first.status, again.status]).toEqual([200, 200]);
    const burst = await Promise.all(
      Array.from({ length: 5 }, (_, i) =>
        post(form.formKey, { ...body, clientToken: 'burst-token' }, { 'cf-connecting-ip': `198.51.100.${i}` }),
      ),
    );
    expect(burst.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    expect(await countRows('leads', org.orgId)).toBe(2);
  });

  it('without an owner, leads go round robin among the active managers only', async () => {
    const org = await makeOrg();
    const form = await makeForm(org);
    for (let i = 0; i < 4; i++) expect((await post(form.formKey, { name: `Visitor ${i}`, phone: `0888 00000${i}` })).status).toBe(200);
    const owners = (await webLeads(org)).results.map((l) => l.owner_id);
    const managers = [org.manager.userId, org.manager2.userId].sort();
    expect(owners).toEqual([...managers, ...managers]);
    // A manager who leaves drops out of the rotation.
    await env.DB.prepare('UPDATE users SET active = 0 WHERE id = ?1').bind(org.manager2.userId).run();
    await post(form.formKey, { name: 'Visitor 5', phone: '0888 000005' });
    await post(form.formKey, { name: 'Visitor 6', phone: '0888 000006' });
    expect((await webLeads(org)).results.slice(4).map((l) => l.owner_id)).toEqual([org.manager.userId, org.manager.userId]);
    // The rotation is internal: the form's version did not move.
    expect((await call(org.head, 'GET', `/api/v1/forms/${form.id}`)).json.version).toBe(1);
  });

  it('100 posts a minute from one address: the first 10 pass, the rest get 429 with Retry-After', async () => {
    const org = await makeOrg();
    const form = await makeForm(org);
    const statuses: number[] = [];
    let refused: Awaited<ReturnType<typeof post>> | null = null;
    for (let i = 0; i < 100; i++) {
      const res = await post(
        form.formKey,
        { name: `Flood ${i}`, phone: `0888 1${String(i).padStart(5, '0')}` },
        { 'cf-connecting-ip': '192.0.2.66' },
      );
      statuses.push(res.status);
      refused ??= res.status === 429 ? res : null;
    }
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(200));
    expect(statuses.slice(10)).toEqual(Array(90).fill(429));
    expect(refused!.headers.get('content-type')).toMatch(/problem\+json/);
    expect(refused!.json.code).toBe('rate_limited');
    expect(Number(refused!.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(Number(refused!.headers.get('retry-after'))).toBeLessThanOrEqual(60);
    expect(await countRows('leads', org.orgId)).toBe(10);
    // Another address still gets through.
    expect(
      (await post(form.formKey, { name: 'Neighbour', phone: '0888 999999' }, { 'x-forwarded-for': '192.0.2.99, 10.0.0.1' })).status,
    ).toBe(200);
  });

  it('a form takes at most 100 posts a minute from all addresses together', async () => {
    const org = await makeOrg();
    const form = await makeForm(org);
    // Honeypot posts are counted like any other and create nothing, which keeps this quick.
    const statuses: number[] = [];
    for (let i = 0; i < 101; i++)
      statuses.push(
        (
          await post(
            form.formKey,
            { name: 'x', phone: '0888 123456', website_url: 'bot' },
            { 'cf-connecting-ip': `10.1.${i >> 8}.${i & 255}` },
          )
        ).status,
      );
    expect(statuses.filter((s) => s === 200)).toHaveLength(100);
    expect(statuses[100]).toBe(429);
  });

  it('a body over 16 KB answers 413', async () => {
    const org = await makeOrg();
    const form = await makeForm(org);
    const res = await post(form.formKey, { name: 'Long', phone: '0888 123456', message: 'x'.repeat(17_000) });
    expect(res.status).toBe(413);
    expect(res.headers.get('content-type')).toMatch(/problem\+json/);
  });
});

describe('CORS of the public form', () => {
  it('answers preflights and posts with Access-Control-Allow-Origin only for the listed origins', async () => {
    const org = await makeOrg();
    const form = await makeForm(org);
    const preflight = (origin: string) =>
      call(null, 'OPTIONS', `/api/v1/forms/${form.formKey}`, {
        headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
      });
    const ok = await preflight(SITE);
    expect(ok.status).toBe(204);
    expect(ok.headers.get('access-control-allow-origin')).toBe(SITE);
    expect(ok.headers.get('access-control-allow-methods')).toContain('POST');
    expect(ok.headers.get('access-control-allow-headers')).toContain('content-type');
    const other = await preflight('https://evil.example');
    expect(other.headers.get('access-control-allow-origin')).toBeNull();

    const listed = await post(form.formKey, { name: 'From site', phone: '0888 123456' }, { origin: SITE });
    expect(listed.status).toBe(200);
    expect(listed.headers.get('access-control-allow-origin')).toBe(SITE);
    const invalid = await post(form.formKey, { name: 'From site' }, { origin: SITE });
    expect(invalid.status).toBe(422);
    expect(invalid.headers.get('access-control-allow-origin')).toBe(SITE);

    const foreign = await post(form.formKey, { name: 'Elsewhere', phone: '0888 123456' }, { origin: 'https://evil.example' });
    expect(foreign.status).toBe(403);
    expect(foreign.headers.get('access-control-allow-origin')).toBeNull();
    expect(await countRows('leads', org.orgId)).toBe(1);
  });
});

describe('the embed snippet', () => {
  it('is a self-contained HTML form in the chosen language that posts to the API, with a no-script fallback', async () => {
    const org = await makeOrg();
    const form = await makeForm(org);
    const res = await call(null, 'GET', `/api/v1/forms/${form.formKey}/embed?lang=bg`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    const html = res.text;
    expect(html).toMatch(new RegExp(`<form [^>]*action="http://localhost/api/v1/forms/${form.formKey}" method="post"`));
    expect(html).toContain('name="website_url"');
    expect(html).toContain('name="clientToken"');
    expect(html).toContain('<noscript><input type="hidden" name="respond" value="html"></noscript>');
    expect(html).toContain('Телефон');
    expect(html).toContain('fetch(f.action');
    // No outside dependencies: no external scripts, styles, images or fonts.
    expect(html).not.toMatch(/<script[^>]+src=|<link|<img|@import|url\(/i);
    const urls = [...html.matchAll(/https?:\/\/[^\s"'<)]+/g)].map((m) => m[0]);
    expect(urls.every((u) => u.startsWith('http://localhost/api/v1/forms/'))).toBe(true);
  });

  it('an unknown form key answers 404 problem+json', async () => {
    const res = await call(null, 'GET', '/api/v1/forms/wf_AAAAAAAAAAAAAAAAAAAAAA/embed');
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toMatch(/problem\+json/);
  });
});

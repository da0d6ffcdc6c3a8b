// The Outlook pane end to end: the built pane served by the real Worker with a real local D1
// seeded with the demo organisation, Chromium driving it, and only the mail item scripted (an
// .eml handed to the browser-mode MailHost). Every check reads the D1 back with api.sql.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, openPane, RESULTS, startApi, type Api } from './harness';

const eventually = <T>(read: () => Promise<T> | T, timeout = 60_000) => expect.poll(read, { timeout, interval: 150 });
const FIXTURE = resolve(import.meta.dirname, '../fixtures/email/windows-1251-lead-bg.eml');

let api: Api;
let browser: Browser;

beforeAll(async () => {
  api = await startApi();
  browser = await launchBrowser();
}, 600_000);

afterAll(async () => {
  await browser?.close();
  await api?.stop();
});

/** A 7-bit RFC 822 message with a UTF-8 plain-text body in base64. */
function buildEml(m: { from: string; fromName: string; subject: string; messageId: string; body: string; to?: string }): string {
  const word = (s: string) => `=?UTF-8?B?${Buffer.from(s).toString('base64')}?=`;
  return [
    `From: ${word(m.fromName)} <${m.from}>`,
    `To: ${m.to ?? 'ivan@leadpane-demo.bg'}`,
    `Subject: ${word(m.subject)}`,
    'Date: Wed, 1 Jul 2026 09:00:00 +0300',
    `Message-ID: ${m.messageId}`,
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=UTF-8',
    'Content-Transfer-Encoding: base64',
    '',
    Buffer.from(m.body.replace(/\n/g, '\r\n')).toString('base64').replace(/.{76}/g, '$&\r\n'),
    '',
  ].join('\r\n');
}

const open = (eml: string, language = 'bg') => openPane(browser, api, 'outlook', { host: { language, token: api.tokens.manager, eml } });
const value = (page: Page, name: string) => page.locator(`[name="${name}"]`).inputValue();
const shot = (page: Page, name: string) => page.screenshot({ path: resolve(RESULTS, `e2e-outlook-${name}.png`), fullPage: true });

/** A contact of a VIP (tier 3) company with its email, as the seed made it. */
function vipContact() {
  const [row] = api.sql<{ email: string; company_id: string; company: string }>(
    `SELECT c.email_norm AS email, c.company_id, co.name AS company FROM contacts c JOIN companies co ON co.id = c.company_id
      WHERE co.vip_tier = 3 AND c.email_norm IS NOT NULL AND c.deleted_at IS NULL ORDER BY co.name LIMIT 1`,
  );
  if (!row) throw new Error('the demo seed has no VIP contact');
  return row;
}

describe('the Outlook pane against the real API', () => {
  it('is served with a CSP that allows no inline script, and a missing file answers 404', async () => {
    for (const page of ['/outlook/taskpane.html', '/excel/taskpane.html', '/functions/functions.html']) {
      const res = await fetch(api.url + page);
      expect(res.status, page).toBe(200);
      const csp = res.headers.get('content-security-policy') ?? '';
      expect(csp, page).toMatch(/script-src 'self' https:\/\/appsforoffice\.microsoft\.com(;|$)/);
      expect(csp.split(';').find((d) => d.trim().startsWith('script-src'))).not.toContain('unsafe-inline');
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    }
    const missing = await fetch(`${api.url}/outlook/no-such-file.js`);
    expect(missing.status).toBe(404);
  });

  it(
    'fills the lead form from a windows-1251 Bulgarian email, creates the lead, and shows the card when the mail is opened again',
    { timeout: 240_000 },
    async () => {
      const eml = readFileSync(FIXTURE, 'latin1');
      expect(eml).toMatch(/charset=windows-1251/);
      const { page, context, errors, foreign } = await open(eml);
      await eventually(() => page.getByRole('heading', { name: 'Ново запитване' }).count()).toBe(1);
      await eventually(() => value(page, 'eik')).toBe('204512306');
      expect(await value(page, 'fullName')).toBe('Радослава Енчева');
      expect(await value(page, 'firstName')).toBe('Радослава');
      expect(await value(page, 'lastName')).toBe('Енчева');
      expect(await value(page, 'companyName')).toBe('Строймат Груп ООД');
      expect(await value(page, 'title')).toBe('Търговски директор');
      expect(await value(page, 'email')).toBe('r.encheva@stroymat-grup.bg');
      expect(await value(page, 'phone-0')).toBe('+35929814455');
      expect(await value(page, 'phone-1')).toBe('+359887123456');
      expect(await page.getByText('Телефон (мобилен)').count()).toBe(1);
      expect(await page.locator('[name="needs"]').inputValue()).toContain('40 лиценза');
      expect(await page.getByText('Висока сигурност').count()).toBeGreaterThan(3);
      expect(await page.getByText('zapitvane.pdf', { exact: false }).count()).toBe(1);
      await shot(page, 'lead-form-bg');

      await page.getByRole('button', { name: 'Създай запитване' }).click();
      await eventually(() => page.getByText('Запитването е създадено', { exact: false }).count()).toBe(1);
      const leads = api.sql<{ source: string; external_ref: string; eik: string; company_name: string; phone_e164: string; needs: string }>(
        `SELECT source, external_ref, eik, company_name, phone_e164, needs FROM leads WHERE email_norm = 'r.encheva@stroymat-grup.bg'`,
      );
      expect(leads).toHaveLength(1);
      expect(leads[0]).toMatchObject({
        source: 'email',
        external_ref: '<cp1251-lead-1@stroymat-grup.bg>',
        eik: '204512306',
        company_name: 'Строймат Груп ООД',
        phone_e164: '+35929814455',
      });
      expect(leads[0]!.needs).toContain('40 лиценза');
      expect(errors).toEqual([]);
      expect(foreign).toEqual([]);
      await context.close();

      // The same mail again, in a new page: the sender is known now.
      const again = await open(eml);
      await eventually(() => again.page.getByTestId('lead-card').count()).toBe(1);
      expect(await again.page.getByTestId('lead-form').count()).toBe(0);
      expect(await again.page.getByRole('heading', { name: 'Радослава Енчева' }).count()).toBe(1);
      await shot(again.page, 'lead-card-bg');
      await again.context.close();
    },
  );

  /** The source badge ("Signature", "Header", "Guess", ...) shown beside a field of the lead form. */
  const sourceOf = (page: Page, field: string) => page.locator(`[data-field="${field}"] [data-source]`).first().getAttribute('data-source');
  const badgeOf = (page: Page, field: string) => page.locator(`[data-field="${field}"] [data-source] .fui-Badge`).first().innerText();

  it(
    'Bulgarian: the name the sender signed in Cyrillic beats a Latin From name, each field says where it came from, and the needs stop above the signature',
    { timeout: 240_000 },
    async () => {
      const eml = buildEml({
        from: 'ivana.georgieva@rodopa-tex.bg',
        fromName: 'Ivana Georgieva',
        subject: 'Запитване за шевни машини',
        messageId: '<bg-signed-1@rodopa-tex.bg>',
        body: [
          'Здравейте,',
          '',
          'Интересуваме се от 4 промишлени шевни машини с директно задвижване. Моля за оферта с доставка до цеха ни.',
          '',
          'Поздрави,',
          'Ивана Георгиева',
          'Главен технолог',
          'Родопа Текс ООД',
          '4700 Смолян, бул. „България“ 12, вх. Б, ет. 3, офис 7',
          'тел.: 0301 6 25 40',
          'факс: 0301 6 25 41',
          'моб.: 0887 315 620',
        ].join('\n'),
      });
      const { page, context, errors } = await open(eml, 'bg');
      await eventually(() => value(page, 'companyName')).toBe('Родопа Текс ООД');
      expect(await value(page, 'fullName')).toBe('Ивана Георгиева');
      expect(await value(page, 'title')).toBe('Главен технолог');
      expect(await value(page, 'city')).toBe('Смолян');
      expect(await value(page, 'phone-0')).toBe('+35930162540');
      expect(await value(page, 'phone-1')).toBe('+359887315620');
      expect(await value(page, 'fax')).toBe('+35930162541');
      expect(await page.locator('[name="needs"]').inputValue()).toBe(
        'Здравейте,\n\nИнтересуваме се от 4 промишлени шевни машини с директно задвижване. Моля за оферта с доставка до цеха ни.',
      );
      await eventually(() => sourceOf(page, 'fullName')).toBe('signature');
      expect(await badgeOf(page, 'fullName')).toBe('Подпис');
      expect(await sourceOf(page, 'email')).toBe('header');
      expect(await badgeOf(page, 'email')).toBe('Заглавка');
      expect(await sourceOf(page, 'phone-0')).toBe('signature');
      expect(await sourceOf(page, 'fax')).toBe('signature');
      expect(await page.getByTestId('company-guess').count()).toBe(0);
      await shot(page, 'lead-form-sources-bg');

      await page.getByRole('button', { name: 'Създай запитване' }).click();
      await eventually(() => page.getByText('Запитването е създадено', { exact: false }).count()).toBe(1);
      const [lead] = api.sql<{ full_name: string; company_name: string; city: string; needs: string; notes: string }>(
        `SELECT full_name, company_name, city, needs, notes FROM leads WHERE email_norm = 'ivana.georgieva@rodopa-tex.bg'`,
      );
      expect(lead).toMatchObject({ full_name: 'Ивана Георгиева', company_name: 'Родопа Текс ООД', city: 'Смолян' });
      expect(lead!.needs).not.toContain('Поздрави');
      expect(lead!.notes).toContain('Факс: +35930162541');
      expect(errors).toEqual([]);
      await context.close();
    },
  );

  it(
    'Russian: a web form forwarded by a colleague becomes the lead of the person in the form, never of the colleague',
    { timeout: 240_000 },
    async () => {
      const eml = buildEml({
        from: 'd.larionov@kotlotech-e2e.ru',
        fromName: 'Денис Ларионов',
        subject: 'Fwd: Заявка с сайта',
        messageId: '<ru-forwarded-form-1@kotlotech-e2e.ru>',
        body: [
          'Оля, это твой регион, перезвони им до обеда.',
          '',
          '--',
          'Ларионов Д.',
          '',
          '-------- Пересылаемое сообщение --------',
          '03.03.2025, 09:12, "kotlotech-e2e.ru" <robot@kotlotech-e2e.ru>:',
          '',
          'Заявка с сайта',
          '',
          'ФИО: Семенов Олег Петрович',
          'Организация: ООО «ВологдаТеплоСеть»',
          'Должность: главный энергетик',
          'Телефон: +7 (8172) 72-41-09',
          'E-mail: o.semenov@vologda-ts-e2e.ru',
          'Город: Вологда',
          'Сообщение: Нужны два котла по 2 МВт с горелками, монтаж летом.',
          '',
          '-------- Конец пересылаемого сообщения --------',
        ].join('\n'),
      });
      const { page, context, errors } = await open(eml, 'ru');
      await eventually(() => value(page, 'email')).toBe('o.semenov@vologda-ts-e2e.ru');
      expect(await value(page, 'fullName')).toBe('Семенов Олег Петрович');
      expect(await value(page, 'firstName')).toBe('Олег');
      expect(await value(page, 'lastName')).toBe('Семенов');
      expect(await value(page, 'companyName')).toBe('ООО ВологдаТеплоСеть');
      expect(await value(page, 'title')).toBe('главный энергетик');
      expect(await value(page, 'city')).toBe('Вологда');
      expect(await value(page, 'phone-0')).toBe('+78172724109');
      expect(await page.getByTestId('lead-form-intro').innerText()).toContain('Семенов Олег Петрович');
      await eventually(() => sourceOf(page, 'email')).toBe('form');
      expect(await badgeOf(page, 'fullName')).toBe('Веб-форма');
      await shot(page, 'forwarded-form-ru');

      await page.getByRole('button', { name: 'Создать лид' }).click();
      await eventually(() => api.sql(`SELECT id FROM leads WHERE email_norm = 'o.semenov@vologda-ts-e2e.ru'`).length).toBe(1);
      const [lead] = api.sql<{ full_name: string; company_name: string; needs: string }>(
        `SELECT full_name, company_name, needs FROM leads WHERE email_norm = 'o.semenov@vologda-ts-e2e.ru'`,
      );
      expect(lead).toMatchObject({ full_name: 'Семенов Олег Петрович', company_name: 'ООО ВологдаТеплоСеть' });
      expect(api.sql(`SELECT id FROM leads WHERE email_norm = 'd.larionov@kotlotech-e2e.ru'`)).toEqual([]);
      expect(errors).toEqual([]);
      await context.close();
    },
  );

  it(
    'English: a company guessed from the mail domain is offered apart as a guess and filled only when taken',
    { timeout: 240_000 },
    async () => {
      const eml = buildEml({
        from: 'ivan.kolev@tehnomarket-e2e.co.uk',
        fromName: 'Ivan Kolev',
        subject: 'Quick question',
        messageId: '<en-guess-1@tehnomarket-e2e.co.uk>',
        body: 'Hello, do you ship to Serbia?\n',
      });
      const { page, context, errors } = await open(eml, 'en');
      const guess = page.getByTestId('company-guess');
      await eventually(() => guess.count()).toBe(1);
      expect(await value(page, 'companyName')).toBe('');
      expect(await value(page, 'website')).toBe('');
      expect(await guess.innerText()).toContain('Tehnomarket-e2e');
      expect(await guess.innerText()).toContain('not written in the email');
      expect(await value(page, 'fullName')).toBe('Ivan Kolev');
      expect(await badgeOf(page, 'fullName')).toBe('Header');
      expect(await page.locator('[name="needs"]').inputValue()).toBe('Hello, do you ship to Serbia?');
      await shot(page, 'company-guess-en');

      await guess.getByRole('button', { name: 'Use the guess' }).click();
      expect(await value(page, 'companyName')).toBe('Tehnomarket-e2e');
      await eventually(() => badgeOf(page, 'companyName')).toBe('Guess');
      expect(await guess.count()).toBe(0);
      expect(errors).toEqual([]);
      await context.close();
    },
  );

  it('logging the same email twice makes one activity', { timeout: 180_000 }, async () => {
    const contact = vipContact();
    const messageId = '<log-twice-1@e2e.example>';
    const eml = buildEml({
      from: contact.email,
      fromName: 'Client',
      subject: 'Re: delivery schedule',
      messageId,
      body: 'Hello,\nplease confirm the delivery date.\n',
    });
    const { page, context } = await open(eml, 'en');
    const log = page.getByRole('button', { name: 'Log email' });
    await eventually(() => log.count()).toBe(1);
    const answers: number[] = [];
    page.on('response', (r) => {
      if (r.request().method() === 'POST' && new URL(r.url()).pathname === '/api/v1/activities') answers.push(r.status());
    });
    await log.click();
    await eventually(() => answers.length).toBe(1);
    await eventually(() => page.getByText('The email is logged', { exact: false }).count()).toBe(1);
    await log.click();
    await eventually(() => answers.length).toBe(2);
    await eventually(() => page.getByText('The email is logged', { exact: false }).count()).toBe(1);
    // The first call creates, the repeat answers the same activity.
    expect(answers).toEqual([201, 200]);
    const rows = api.sql<{ n: number; company_id: string; type: string }>(
      `SELECT count(*) AS n, max(company_id) AS company_id, max(type) AS type FROM activities WHERE external_id = '<log-twice-1@e2e.example>'`,
    );
    expect(rows[0]).toMatchObject({ n: 1, company_id: contact.company_id, type: 'email' });
    await shot(page, 'logged-twice-en');
    await context.close();
  });

  it('flags a VIP sender and opens a high-priority complaint with the email as its description', { timeout: 180_000 }, async () => {
    const contact = vipContact();
    const eml = buildEml({
      from: contact.email,
      fromName: 'VIP Client',
      subject: 'Забавена доставка по поръчка 1042',
      messageId: '<vip-complaint-1@e2e.example>',
      body: 'Здравейте,\nдоставката закъснява с една седмица. Очакваме обяснение.\n',
    });
    const { page, context, errors } = await open(eml);
    await eventually(() => page.getByTestId('vip-badge').count())
      .toBe(1)
      .catch(async (error: unknown) => {
        await shot(page, 'vip-failed');
        throw error;
      });
    expect(await page.getByTestId('vip-badge').innerText()).toBe('VIP 3');
    expect(await page.getByTestId('vip-flag').count()).toBe(1);
    await page.getByRole('button', { name: 'Оплакване' }).click();
    const form = page.getByTestId('case-form');
    await eventually(() => form.getByLabel('Описание').inputValue()).toContain('доставката закъснява с една седмица');
    await form.getByRole('button', { name: 'Отвори оплакване' }).click();
    await eventually(() => page.getByText('Оплакването е създадено (висок приоритет).').count()).toBe(1);
    const cases = api.sql<{ kind: string; priority: string; company_id: string; description: string }>(
      `SELECT kind, priority, company_id, description FROM cases WHERE subject = 'Забавена доставка по поръчка 1042'`,
    );
    expect(cases.map((c) => ({ ...c, description: c.description.replace(/\r\n/g, '\n') }))).toEqual([
      {
        kind: 'complaint',
        priority: 'high',
        company_id: contact.company_id,
        description: 'Здравейте,\nдоставката закъснява с една седмица. Очакваме обяснение.',
      },
    ]);
    await shot(page, 'vip-complaint-bg');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('warns before a duplicate: a signature phone of an existing contact offers “link to existing”', { timeout: 180_000 }, async () => {
    const [existing] = api.sql<{ id: string; phone: string; full_name: string; company_id: string }>(
      `SELECT id, phone_e164 AS phone, full_name, company_id FROM contacts WHERE phone_e164 LIKE '+3598%' AND deleted_at IS NULL ORDER BY id LIMIT 1`,
    );
    expect(existing).toBeDefined();
    const local = '0' + existing!.phone.slice(4).replace(/^(\d{3})(\d{3})(\d+)$/, '$1 $2 $3');
    const eml = buildEml({
      from: 'new.address.2026@gmail.com',
      fromName: 'Тодор Маринов',
      subject: 'Нова поръчка',
      messageId: '<dup-phone-1@e2e.example>',
      body: `Здравейте,\nпишем ви от новия си адрес, искаме още 10 броя.\n\nПоздрави,\nТодор Маринов\nмоб.: ${local}\n`,
    });
    const { page, context } = await open(eml);
    await eventually(() => value(page, 'phone-0')).toBe(existing!.phone);
    await page.getByRole('button', { name: 'Създай запитване' }).click();
    const dupes = page.getByTestId('duplicates');
    await eventually(() => dupes.count()).toBe(1);
    expect(await dupes.getByText(existing!.full_name, { exact: false }).count()).toBeGreaterThan(0);
    expect(await dupes.getByText('Съвпадение по', { exact: false }).first().innerText()).toContain('телефон');
    await shot(page, 'duplicate-bg');
    await dupes.getByRole('button', { name: 'Свържи със съществуващ' }).first().click();
    await eventually(() => page.getByText('Имейлът е записан към', { exact: false }).count()).toBe(1);
    const logged = api.sql<{ contact_id: string }>(`SELECT contact_id FROM activities WHERE external_id = '<dup-phone-1@e2e.example>'`);
    expect(logged).toEqual([{ contact_id: existing!.id }]);
    expect(api.sql(`SELECT id FROM leads WHERE email_norm = 'new.address.2026@gmail.com'`)).toEqual([]);
    await context.close();
  });

  it('Today: 20 tasks marked done offline are each applied exactly once after reconnecting', { timeout: 240_000 }, async () => {
    const tag = `offline-${Date.now().toString(36)}`;
    // Due now: on today's list (or, a moment later, overdue) whatever the hour, midnight included.
    const dueAt = new Date().toISOString();
    for (let i = 0; i < 20; i++) {
      const res = await fetch(`${api.url}/api/v1/tasks`, {
        method: 'POST',
        headers: { authorization: `Bearer ${api.tokens.manager}`, 'content-type': 'application/json' },
        body: JSON.stringify({ title: `${tag} #${String(i).padStart(2, '0')}`, dueAt, assigneeId: api.userIds.manager }),
      });
      expect(res.status).toBe(201);
    }
    const done = () => api.sql<{ n: number }>(`SELECT count(*) AS n FROM tasks WHERE title LIKE '${tag}%' AND done = 1;`)[0]!.n;
    const { page, context, errors } = await open(
      buildEml({ from: 'someone@example.org', fromName: 'Someone', subject: 'Hello', messageId: `<${tag}@example.org>`, body: 'Hi' }),
      'en',
    );
    await page.getByRole('tab', { name: 'Today' }).click({ timeout: 120_000 });
    const rows = page.locator('li', { hasText: tag });
    await expect.poll(() => rows.count(), { timeout: 60_000 }).toBe(20);

    await context.setOffline(true);
    for (let i = 0; i < 20; i++) {
      const row = page.locator('li', { hasText: `${tag} #${String(i).padStart(2, '0')}` });
      await row.getByRole('button', { name: 'Mark done' }).click();
      await row.getByRole('button', { name: 'Queued: sent when online' }).waitFor({ timeout: 10_000 });
      expect(await row.getByRole('button', { name: 'Queued: sent when online' }).isDisabled()).toBe(true);
    }
    await shot(page, 'today-offline-queued');
    // Nothing reached the server while offline.
    expect(done()).toBe(0);

    await context.setOffline(false);
    // Wait on the pane, not on the database: a synchronous SQL query would stall this process, which
    // also carries the browser's routed requests.
    await expect
      .poll(() => page.evaluate(() => Object.keys(localStorage).some((k) => k.endsWith('queue.pending'))), { timeout: 120_000 })
      .toBe(false);
    expect(done()).toBe(20);
    // Each change applied once: one version step and one audit entry per task, none refused.
    const applied = api.sql<{ version: number; updates: number }>(
      `SELECT t.version, (SELECT count(*) FROM audit_log a WHERE a.entity_id = t.id AND a.action = 'update') AS updates
         FROM tasks t WHERE t.title LIKE '${tag}%';`,
    );
    expect(applied.map((r) => [r.version, r.updates])).toEqual(Array.from({ length: 20 }, () => [2, 1]));
    // The list comes back from the server without the finished tasks.
    await expect.poll(() => rows.count(), { timeout: 60_000 }).toBe(0);
    expect(errors).toEqual([]);
  });

  it('files an attachment of a client’s email as a document of the client’s open deal', { timeout: 240_000 }, async () => {
    const [target] = api.sql<{ email: string; deal_id: string; title: string }>(
      `SELECT c.email_norm AS email, d.id AS deal_id, d.title FROM contacts c JOIN deals d ON d.company_id = c.company_id AND d.org_id = c.org_id
        WHERE d.owner_id = '${api.userIds.manager}' AND d.stage IN ('new', 'qualified', 'proposal', 'negotiation') AND d.deleted_at IS NULL
          AND c.email_norm IS NOT NULL AND c.deleted_at IS NULL
          AND NOT EXISTS (SELECT 1 FROM deal_documents x WHERE x.deal_id = d.id AND x.slot = 'contract') ORDER BY d.id LIMIT 1;`,
    );
    if (!target) throw new Error('the demo seed has no open deal of manager 1 with a contact');
    const messageId = `<contract-${Date.now()}@client.example>`;
    const pdf = Buffer.from('%PDF-1.4\n% signed contract\n').toString('base64');
    const eml = [
      `From: Client <${target.email}>`,
      'To: ivan@leadpane-demo.bg',
      'Subject: Signed contract',
      'Date: Wed, 1 Jul 2026 09:00:00 +0300',
      `Message-ID: ${messageId}`,
      'MIME-Version: 1.0',
      'Content-Type: multipart/mixed; boundary="b1"',
      '',
      '--b1',
      'Content-Type: text/plain; charset=UTF-8',
      '',
      'Please find the signed contract attached.',
      '--b1',
      'Content-Type: application/pdf; name="contract-signed.pdf"',
      'Content-Disposition: attachment; filename="contract-signed.pdf"',
      'Content-Transfer-Encoding: base64',
      '',
      pdf,
      '--b1--',
      '',
    ].join('\r\n');
    const { page, errors } = await open(eml, 'en');
    await page.getByTestId('client-card').waitFor({ timeout: 120_000 });
    await page.getByRole('button', { name: 'File in a deal: contract-signed.pdf' }).click({ timeout: 60_000 });
    const files = page.locator('section[aria-labelledby="attachments-title"]');
    await files.getByLabel('Deal', { exact: true }).selectOption(target.deal_id);
    await expect
      .poll(() => files.getByLabel('Document', { exact: true }).locator('option').count(), { timeout: 30_000 })
      .toBeGreaterThan(0);
    await files.getByLabel('Document', { exact: true }).selectOption('contract');
    await files.getByRole('button', { name: 'Attach' }).click();
    await page.getByText(`contract-signed.pdf filed as Contract in «${target.title}».`).waitFor({ timeout: 30_000 });
    const [doc] = api.sql<{ status: string; filename: string; message_id: string; attachment_id: string }>(
      `SELECT status, filename, message_id, attachment_id FROM deal_documents WHERE deal_id = '${target.deal_id}' AND slot = 'contract';`,
    );
    expect(doc).toMatchObject({ status: 'received', filename: 'contract-signed.pdf', message_id: messageId });
    expect(doc!.attachment_id).toBeTruthy();
    expect(errors).toEqual([]);
  });
});

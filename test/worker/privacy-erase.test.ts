import { env } from 'cloudflare:workers';
import { afterAll, describe, expect, it } from 'vitest';
import { nameKey } from '../../shared/identity';
import { newCounts, printCounts } from '../probes/counts';
import { call, makeOrg } from './harness';

const counts = newCounts();
afterAll(() => printCounts('worker/privacy-erase', counts));

const NAME = 'Десислава Кирилова';
const EMAIL = 'desislava.kirilova@zornitsa-print.bg';
const PHONE = '0887 654 321';
const E164 = '+359887654321';

/** Every table with its text columns, and whether it has an org_id to scope the search by. */
async function textColumns(): Promise<{ table: string; columns: string[]; scoped: boolean }[]> {
  const { results: tables } = await env.DB.prepare(
    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%' AND name NOT LIKE 'd1_%'",
  ).all<{ name: string }>();
  const out: { table: string; columns: string[]; scoped: boolean }[] = [];
  for (const { name } of tables) {
    const { results: cols } = await env.DB.prepare(`SELECT name, type FROM pragma_table_info(?1)`)
      .bind(name)
      .all<{ name: string; type: string }>();
    const columns = cols.filter((c) => /TEXT|CHAR|CLOB|^$/i.test(c.type)).map((c) => c.name);
    if (columns.length) out.push({ table: name, columns, scoped: cols.some((c) => c.name === 'org_id') });
  }
  return out;
}

/** Where in the organisation's rows each needle still appears (case-insensitive). */
async function whereFound(orgId: string, needles: string[]): Promise<string[]> {
  const found: string[] = [];
  for (const { table, columns, scoped } of await textColumns())
    // One query a column: D1 caps the columns of a result and the terms of a compound SELECT.
    for (const col of columns) {
      const sums = needles.map((_, n) => `sum(instr(lower("${col}"), lower(?${n + 1})) > 0) AS n${n}`).join(', ');
      const row = await env.DB.prepare(`SELECT ${sums} FROM "${table}"${scoped ? ` WHERE org_id = ?${needles.length + 1}` : ''}`)
        .bind(...needles, ...(scoped ? [orgId] : []))
        .first<Record<string, number | null>>();
      needles.forEach((needle, n) => {
        if (row![`n${n}`]) found.push(`${table}.${col} holds "${needle}" (${row![`n${n}`]})`);
      });
    }
  return found;
}

describe('erasing a person', () => {
  it("leaves their name, e-mail and phone nowhere in the organisation's tables: records, audit, tasks, cases, deals, import rows and stored answers", async () => {
    const org = await makeOrg('Erase everywhere');
    const m = org.manager;
    const company = (await call(m, 'POST', '/api/v1/companies', { body: { name: 'Зорница Принт ООД', eik: '831642181' } })).json;
    // The person arrives as a lead by e-mail (retried with its key: the stored answer holds her data)...
    const lead = (
      await call(m, 'POST', '/api/v1/leads', {
        body: { source: 'email', fullName: NAME, email: EMAIL, phone: PHONE, title: 'Управител', needs: `${NAME} иска оферта` },
        headers: { 'idempotency-key': 'lead-from-mail-1' },
      })
    ).json;
    // ...is renamed once (the audit keeps the change), and converted without a company: the deal is named after her.
    await call(m, 'PATCH', `/api/v1/leads/${lead.id}`, { body: { notes: `Говорих с ${NAME}, ${PHONE}` }, headers: { 'if-match': '"1"' } });
    const conversion = (await call(m, 'POST', `/api/v1/leads/${lead.id}/convert`, { body: {} })).json;
    const contact = conversion.contact;
    await call(m, 'PATCH', `/api/v1/contacts/${contact.id}`, {
      body: { title: 'Собственик', companyId: company.id },
      headers: { 'if-match': `"${contact.version}"` },
    });
    await call(m, 'PATCH', `/api/v1/deals/${conversion.deal.id}`, {
      body: { nextStep: `Обаждане на ${NAME} на ${PHONE}` },
      headers: { 'if-match': '"1"' },
    });
    await call(m, 'POST', '/api/v1/tasks', { body: { title: `Обади се на ${NAME}`, notes: EMAIL, contactId: contact.id } });
    await call(m, 'POST', '/api/v1/cases', {
      body: {
        kind: 'complaint',
        subject: `Рекламация от ${NAME}`,
        description: `Пише от ${EMAIL}`,
        contactId: contact.id,
        companyId: company.id,
      },
    });
    await call(m, 'POST', '/api/v1/activities', {
      body: { type: 'email', subject: `Re: оферта за ${NAME}`, excerpt: EMAIL, contactId: contact.id },
    });
    // A sheet row refused for a typo quotes her e-mail and name in its errors.
    const mapping = {
      headerRow: 0,
      columns: [
        { index: 0, header: 'Име', field: 'fullName' },
        { index: 1, header: 'E-mail', field: 'email' },
        { index: 2, header: 'Телефон', field: 'phone' },
        { index: 3, header: 'Дата', field: 'expectedCloseDate' },
      ],
    };
    const imp = (await call(m, 'POST', '/api/v1/imports', { body: { kind: 'deals', mapping } })).json;
    const chunk = await call(m, 'POST', `/api/v1/imports/${imp.id}/chunks`, {
      body: { chunk: 0, firstRow: 1, rows: [[NAME, `${EMAIL}`, PHONE, NAME]] },
    });
    expect(chunk.json.counts.error).toBe(1);
    const needles = [NAME, EMAIL, PHONE, E164, nameKey(NAME)];
    expect((await whereFound(org.orgId, needles)).length).toBeGreaterThan(10);

    const current = (await call(org.head, 'GET', `/api/v1/contacts/${contact.id}`)).headers.get('etag')!;
    const erase = await call(org.head, 'POST', `/api/v1/contacts/${contact.id}/erase`, { headers: { 'if-match': current } });
    counts.requests += 12;
    expect(erase.status, erase.text).toBe(200);

    const left = await whereFound(org.orgId, needles);
    counts.rows_lost += 0;
    expect(left).toEqual([]);
    // What the records were for stays: the deal's amount and stage, the task's and case's links and status.
    const deal = (await call(org.head, 'GET', `/api/v1/deals/${conversion.deal.id}`)).json;
    expect(deal).toMatchObject({ stage: 'qualified', leadId: lead.id, contactId: contact.id });
    const cases = (await call(org.head, 'GET', `/api/v1/cases?companyId=${company.id}`)).json.items;
    expect(cases).toHaveLength(1);
    expect(cases[0]).toMatchObject({ subject: '[erased]', status: 'open', contactId: contact.id });
    // The erase is audited, with counts and no data.
    const audit = await env.DB.prepare(`SELECT details FROM audit_log WHERE org_id = ?1 AND action = 'erase'`)
      .bind(org.orgId)
      .first<{ details: string }>();
    expect(JSON.parse(audit!.details)).toEqual({ leads: 1, activities: 2, tasks: 1, cases: 1, deals: 1 });
    // The export after the erase shows which fields changed, never their values.
    const exported = await call(org.head, 'GET', `/api/v1/contacts/${contact.id}/export`);
    for (const n of needles) expect(exported.text.toLowerCase()).not.toContain(n.toLowerCase());
    expect(
      exported.json.audit.some(
        (a: { details: { erased?: boolean; fields?: string[] } }) => a.details?.erased && a.details.fields?.includes('title'),
      ),
    ).toBe(true);
    // A retry of the first capture is still answered, without her data.
    const replay = await call(m, 'POST', '/api/v1/leads', {
      body: { source: 'email', fullName: NAME, email: EMAIL, phone: PHONE, title: 'Управител', needs: `${NAME} иска оферта` },
      headers: { 'idempotency-key': 'lead-from-mail-1' },
    });
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(replay.json.id).toBe(lead.id);
    expect(replay.text).not.toContain(EMAIL);
    // Many requests and a search of every table twice: more than the default 5 s on a busy machine.
  }, 30_000);
});

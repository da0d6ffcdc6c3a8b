// What Power Query and spreadsheets read: each weekly report section and each list as one flat CSV
// table (one header row, typed columns, ISO dates, amounts with their currency); stage names in
// the reader's language in downloads; "overdue" and "age" measured against now while a week runs.
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { SECTIONS, SECTION_KEYS } from '../../shared/report/definitions';
import { isoWeekOf, weekPeriod } from '../../shared/report/period';
import { app } from '../../worker/app';
import { newId } from '../../worker/lib/ids';
import { weeklyReport } from '../../worker/reports/weekly-report';
import { unzipText } from '../helpers/zip';
import { build, call, makeOrg, type Member } from './harness';

const OVERRIDE = { 'x-override-reason': 'test data' };

/** RFC 4180 fields of a CSV body (after its BOM), line by line. */
function parseCsv(text: string): string[][] {
  expect(text.charCodeAt(0)).toBe(0xfeff);
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  const body = text.slice(1);
  for (let i = 0; i < body.length; i++) {
    const ch = body[i]!;
    if (quoted) {
      if (ch === '"' && body[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(cell);
      cell = '';
    } else if (ch === '\r' && body[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else cell += ch;
  }
  expect(cell, 'the body ends with a line break').toBe('');
  return rows;
}

async function seed() {
  const org = await makeOrg('Power Query Co');
  const company = (await call(org.head, 'POST', '/api/v1/companies', { body: build.company({ name: 'Алфа ООД' }) })).json;
  // A deal created won is signed off by the head of sales, who overrides the document rule, in the manager's name.
  const deal = async (who: Member, o: Record<string, unknown>) => {
    const won = o.stage === 'won';
    const res = await call(won ? org.head : who, 'POST', '/api/v1/deals', {
      body: build.deal(won ? { ownerId: who.userId, ...o } : o),
      headers: OVERRIDE,
    });
    expect(res.status, res.text).toBe(201);
    return res.json;
  };
  const a = await deal(org.manager, {
    title: '=HYPERLINK("http://x")',
    stage: 'negotiation',
    amountMinor: 123_450,
    currency: 'EUR',
    companyId: company.id,
    expectedClose: '2026-12-31',
  });
  const b = await deal(org.manager2, { title: 'Поддръжка, "пакет"', stage: 'won', amountMinor: 5, currency: 'BGN' });
  await call(org.manager, 'POST', '/api/v1/leads', { body: build.lead({ fullName: 'Мария Георгиева', email: 'maria@example.bg' }) });
  await call(org.manager, 'POST', '/api/v1/tasks', { body: build.task({ title: 'Обади се', dueAt: '2026-11-18T09:00:00.000Z' }) });
  await call(org.manager, 'POST', '/api/v1/activities', { body: build.activity({ subject: 'Среща', companyId: company.id }) });
  return { org, company, a, b };
}

describe('format=csv on the lists', () => {
  it('answers the deals the filters select as one table: names for ids, amounts in major units with their currency, ISO dates', async () => {
    const { org, a, b } = await seed();
    const res = await call(org.head, 'GET', '/api/v1/deals?format=csv');
    expect(res.status, res.text).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const rows = parseCsv(res.text);
    const header = rows[0]!;
    expect(header).toEqual([
      'Id',
      'Title',
      'Company',
      'Stage',
      'Amount',
      'Currency',
      'Probability',
      'Expected close',
      'Owner',
      'Next step',
      'Lost reason',
      'Competitor',
      'Closed at',
      'Created at',
      'Updated at',
    ]);
    expect(rows.every((r) => r.length === header.length)).toBe(true);
    const byId = new Map(rows.slice(1).map((r) => [r[0], Object.fromEntries(header.map((h, i) => [h, r[i]]))]));
    expect(byId.size).toBe(2);
    expect(byId.get(a.id)).toMatchObject({
      Title: `'=HYPERLINK("http://x")`,
      Company: 'Алфа ООД',
      Stage: 'Negotiation',
      Amount: '1234.50',
      Currency: 'EUR',
      'Expected close': '2026-12-31',
      Owner: 'manager',
    });
    expect(byId.get(b.id)).toMatchObject({ Title: 'Поддръжка, "пакет"', Stage: 'Won', Amount: '0.05', Currency: 'BGN', Owner: 'manager2' });
    expect(byId.get(b.id)!['Closed at']).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?Z$/);

    // The list's own filters apply, and stage names follow lang.
    const mine = parseCsv((await call(org.manager, 'GET', '/api/v1/deals?format=csv&owner=me&lang=bg')).text);
    expect(mine.slice(1).map((r) => [r[0], r[3]])).toEqual([[a.id, 'Преговори']]);
    // Without format=csv the list is the JSON it always was.
    expect((await call(org.head, 'GET', '/api/v1/deals?limit=1')).json.items).toHaveLength(1);
  });

  it('answers leads, activities and tasks the same way, and refuses a bad query with a problem', async () => {
    const { org } = await seed();
    const table = async (path: string) => {
      const res = await call(org.head, 'GET', path);
      expect(res.status, res.text).toBe(200);
      const rows = parseCsv(res.text);
      expect(rows.every((r) => r.length === rows[0]!.length)).toBe(true);
      expect(rows[0]!.every((h) => h.length > 0)).toBe(true);
      return rows;
    };
    const leads = await table('/api/v1/leads?format=csv');
    expect(leads[1]![leads[0]!.indexOf('Name')]).toBe('Мария Георгиева');
    const tasks = await table('/api/v1/tasks?format=csv');
    expect(tasks[1]![tasks[0]!.indexOf('Due at')]).toBe('2026-11-18T09:00:00.000Z');
    expect(tasks[1]![tasks[0]!.indexOf('Done')]).toBe('false');
    const activities = await table('/api/v1/activities?format=csv');
    expect(activities[1]![activities[0]!.indexOf('Company')]).toBe('Алфа ООД');

    const bad = await call(org.head, 'GET', '/api/v1/deals?format=csv&stage=maybe');
    expect(bad.status).toBe(422);
    expect(bad.headers.get('content-type')).toContain('application/problem+json');
  });

  it("never answers another organisation's rows", async () => {
    await seed();
    const other = await makeOrg('Other PQ');
    const rows = parseCsv((await call(other.head, 'GET', '/api/v1/deals?format=csv')).text);
    expect(rows).toHaveLength(1);
  });
});

describe('get /api/v1/reports/weekly/sections/{section}', () => {
  it('answers every section as one flat table: the header row names every column, every row as wide', async () => {
    const { org } = await seed();
    for (const key of SECTION_KEYS) {
      const res = await call(org.head, 'GET', `/api/v1/reports/weekly/sections/${key}?week=2026-W47`);
      expect(res.status, `${key}: ${res.text}`).toBe(200);
      expect(res.headers.get('content-disposition')).toBe(`attachment; filename="leadpane-weekly-2026-W47-${key}.csv"`);
      const rows = parseCsv(res.text);
      expect(rows[0], key).toEqual(SECTIONS[key].columns.map((c) => c.label.en));
      expect(rows.every((r) => r.length === rows[0]!.length)).toBe(true);
    }
  });

  it('writes amounts in major units beside their currency, rates as fractions, stage names in the language asked', async () => {
    const { org } = await seed();
    // The running week: the deals were made just now.
    const week = isoWeekOf(new Date());
    const current = (await call(org.head, 'GET', `/api/v1/reports/weekly?week=${week}`)).json;
    const json = current.sections.find((s: { key: string }) => s.key === 'pipeline');
    expect(json.rows.length).toBeGreaterThan(1);
    const rows = parseCsv((await call(org.head, 'GET', `/api/v1/reports/weekly/sections/pipeline?week=${week}&lang=ru`)).text);
    expect(rows[0]).toEqual(SECTIONS.pipeline.columns.map((c) => c.label.ru));
    expect(rows.slice(1)).toEqual(
      json.rows.map((r: Array<string | number>) => [
        {
          negotiation: 'Переговоры',
          won: 'Выиграна',
          new: 'Новая',
          qualified: 'Квалифицирована',
          proposal: 'Предложение',
          lost: 'Проиграна',
        }[r[0] as string],
        r[1],
        String(r[2]),
        (Number(r[3]) / 100).toFixed(2),
        String(r[4]),
        (Number(r[5]) / 100).toFixed(2),
      ]),
    );
  });

  it('answers json on request, 404 for a section that does not exist, and 403 for a manager asking for the organisation', async () => {
    const { org } = await seed();
    const json = await call(org.head, 'GET', '/api/v1/reports/weekly/sections/wonLost?week=2026-W47&format=json');
    expect(json.json.section.key).toBe('wonLost');
    expect((await call(org.head, 'GET', '/api/v1/reports/weekly/sections/nope?week=2026-W47')).status).toBe(404);
    expect((await call(org.manager, 'GET', '/api/v1/reports/weekly/sections/pipeline')).status).toBe(403);
    expect((await call(org.manager, 'GET', '/api/v1/reports/weekly/sections/pipeline?scope=me')).status).toBe(200);
  });
});

describe('the weekly report’s downloads and its running week', () => {
  it('names stages in the reader’s language in CSV and XLSX downloads, and keeps the keys in JSON', async () => {
    const { org } = await seed();
    const week = isoWeekOf(new Date());
    const json = await call(org.head, 'GET', `/api/v1/reports/weekly?week=${week}&lang=bg`);
    const pipeline = json.json.sections.find((s: { key: string }) => s.key === 'pipeline');
    expect(pipeline.rows.map((r: string[]) => r[0])).toContain('negotiation');
    const csv = await call(org.head, 'GET', `/api/v1/reports/weekly?week=${week}&lang=bg&format=csv`);
    expect(csv.text).toContain('Преговори,EUR');
    expect(csv.text).not.toMatch(/(^|\n)negotiation,/);
    const xlsx = await app.request(
      `/api/v1/reports/weekly?week=${week}&lang=bg&format=xlsx`,
      { headers: { authorization: `Bearer ${org.head.token}` } },
      env,
    );
    const strings = (await unzipText(new Uint8Array(await xlsx.arrayBuffer()))).get('xl/sharedStrings.xml')!;
    expect(strings).toContain('<t>Преговори</t>');
    expect(strings).not.toContain('<t>negotiation</t>');
  });

  it('counts overdue follow-ups and ages against now while the week runs, and against its end once it is over', async () => {
    const org = await makeOrg('Running week');
    const now = Date.now();
    const iso = (ms: number) => new Date(ms).toISOString();
    const task = (title: string, due: string) =>
      env.DB.prepare(
        `INSERT INTO tasks (id, org_id, title, due_at, assignee_id, name_key, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, 'k', ?6, ?6)`,
      ).bind(newId(), org.orgId, title, due, org.manager.userId, '2026-01-01T00:00:00.000Z');
    await env.DB.batch([
      // Due an hour ago: overdue now. Due a minute from now: not overdue yet, though before the week's end.
      task('An hour ago', iso(now - 3_600_000)),
      task('In a minute', iso(now + 60_000)),
      // Last week's task, still open: overdue since before this week.
      task('Last week', iso(now - 8 * 86_400_000)),
    ]);
    const section = async (week: string) =>
      (await call(org.head, 'GET', `/api/v1/reports/weekly?week=${week}`)).json.sections.find(
        (s: { key: string }) => s.key === 'overdueFollowUps',
      ).rows as Array<[string, string, string, number]>;
    const running = await section(isoWeekOf(new Date(now)));
    expect(running.map((r) => [r[0], r[3]])).toEqual([
      ['Last week', 8],
      ['An hour ago', 0],
    ]);
    // A week that is over counts at its end: last week's report measures the old task at its Monday.
    const last = weekPeriod(isoWeekOf(new Date(now - 7 * 86_400_000)))!;
    const past = await section(isoWeekOf(new Date(now - 7 * 86_400_000)));
    const due = now - 8 * 86_400_000;
    expect(past.map((r) => [r[0], r[3]])).toEqual(
      due < Date.parse(last.to) ? [['Last week', Math.floor((Date.parse(last.to) - due) / 86_400_000)]] : [],
    );
    // The report computed at any clock gives the same past week.
    const report = await weeklyReport(env.DB, org.orgId, last, { kind: 'org', id: null }, 'en', () => new Date(Date.parse(last.from) - 1));
    expect(report.sections.find((s) => s.key === 'overdueFollowUps')!.rows.map((r) => r[0])).toEqual(past.map((r) => r[0]));
  });
});

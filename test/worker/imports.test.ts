import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { mapSheet } from '../../shared/sheet';
import { call, countRows, makeOrg, type Member } from './harness';

const HEADERS = ['Име', 'Фирма', 'E-mail адрес', 'GSM', 'ЕИК', 'Град', 'Етап', 'Сума', 'Отг. търговец'];

function sheet(n: number, bad: (i: number) => boolean = () => false) {
  const rows: (string | number | null)[][] = [['Клиенти 2026', null, null, null, null, null, null, null, null], [], HEADERS];
  for (let i = 0; i < n; i++)
    rows.push([
      `Иван Петров ${i}`,
      `Фирма ${i} ООД`,
      bad(i) ? `not-an-email-${i}` : `ivan${i}@firma${i}.bg`,
      `0888 ${String(100000 + i).slice(-6)}`,
      '831642181',
      'София',
      ['Нова', 'Оферта', 'Преговори', 'Спечелена'][i % 4]!,
      `${1000 + i},50 лв.`,
      'manager',
    ]);
  return rows;
}

async function start(who: Member, kind: 'leads' | 'deals', rows: (string | number | null)[][], mode = 'skip') {
  const mapping = mapSheet(rows);
  const res = await call(who, 'POST', '/api/v1/imports', {
    body: { kind, mode, mapping, fileName: 'clients.xlsx', rowsExpected: rows.length - mapping.headerRow - 1 },
  });
  expect(res.status).toBe(201);
  return { id: res.json.id as string, headerRow: mapping.headerRow };
}

async function send(
  who: Member,
  id: string,
  rows: (string | number | null)[][],
  firstRow: number,
  chunkSize = 1000,
  extra: Record<string, unknown> = {},
) {
  const out = [];
  for (let start = 0, n = 0; start < rows.length; start += chunkSize, n++) {
    const res = await call(who, 'POST', `/api/v1/imports/${id}/chunks`, {
      body: { chunk: n, firstRow: firstRow + start, rows: rows.slice(start, start + chunkSize), ...extra },
    });
    expect(res.status, res.text).toBe(200);
    out.push(res.json);
  }
  return out;
}

describe('imports', () => {
  it('1,000 rows with 50 bad ones save 950 and answer 50 precise errors', async () => {
    const org = await makeOrg();
    const rows = sheet(1000, (i) => i % 20 === 7);
    const imp = await start(org.manager, 'leads', rows);
    const [result] = await send(org.manager, imp.id, rows.slice(imp.headerRow + 1), imp.headerRow + 1);
    expect(result.counts).toEqual({ created: 950, updated: 0, skipped: 0, error: 50 });
    expect(await countRows('leads', org.orgId)).toBe(950);
    const errors = await call(org.manager, 'GET', `/api/v1/imports/${imp.id}/rows?status=error&limit=1000`);
    expect(errors.json.items).toHaveLength(50);
    expect(errors.json.items[0]).toEqual({
      row: imp.headerRow + 1 + 7,
      status: 'error',
      id: null,
      errors: [{ row: imp.headerRow + 1 + 7, column: 'E-mail адрес', field: 'email', reason: 'invalid_email', value: 'not-an-email-7' }],
    });
    const progress = await call(org.manager, 'GET', `/api/v1/imports/${imp.id}`);
    expect(progress.json).toMatchObject({ rowsDone: 1000, counts: { created: 950, error: 50 }, chunks: 1 });
    const lead = (await call(org.manager, 'GET', '/api/v1/leads?limit=1')).json.items[0];
    expect(lead).toMatchObject({
      source: 'excel',
      companyName: expect.stringMatching(/ООД$/),
      phone: expect.stringMatching(/^\+3598/),
      ownerId: org.manager.userId,
    });
  });

  it('a chunk sent again, or twice at once, applies once', async () => {
    const org = await makeOrg();
    const rows = sheet(300);
    const imp = await start(org.manager, 'leads', rows);
    const data = rows.slice(imp.headerRow + 1);
    await send(org.manager, imp.id, data, imp.headerRow + 1, 100);
    const again = await send(org.manager, imp.id, data, imp.headerRow + 1, 100);
    expect(again.every((r) => r.applied === false)).toBe(true);
    expect(again[1].rows).toHaveLength(100);
    const twin = { chunk: 9, firstRow: 500, rows: sheet(5).slice(3) };
    const both = await Promise.all([1, 2].map(() => call(org.manager, 'POST', `/api/v1/imports/${imp.id}/chunks`, { body: twin })));
    expect(both.map((r) => r.status)).toEqual([200, 200]);
    expect(both.filter((r) => r.json.applied)).toHaveLength(1);
    expect(await countRows('leads', org.orgId)).toBe(300);
  });

  it("pages through the row results across chunks, all or by status, and refuses a chunk resending another's rows", async () => {
    const org = await makeOrg();
    const rows = sheet(250, (i) => i % 20 === 3);
    const imp = await start(org.manager, 'leads', rows);
    const first = imp.headerRow + 1;
    const data = rows.slice(first);
    // Sent out of order: the results still come back by row.
    await send(org.manager, imp.id, data.slice(100), first + 100, 100);
    await call(org.manager, 'POST', `/api/v1/imports/${imp.id}/chunks`, { body: { chunk: 5, firstRow: first, rows: data.slice(0, 100) } });
    const all = async (status = '', limit = 60) => {
      const out: { row: number; status: string; id: string | null }[] = [];
      let pages = 0;
      for (let cursor: string | null = '-1'; cursor !== null; pages++) {
        const page = await call(org.manager, 'GET', `/api/v1/imports/${imp.id}/rows?limit=${limit}&cursor=${cursor}${status}`);
        expect(page.status).toBe(200);
        out.push(...page.json.items);
        cursor = page.json.nextCursor;
      }
      return { out, pages };
    };
    const every = await all();
    expect(every.out.map((r) => r.row)).toEqual(data.map((_, i) => first + i));
    expect(every.pages).toBe(5);
    expect(every.out.filter((r) => r.status === 'created')).toHaveLength(237);
    const errors = await all('&status=error', 4);
    expect(errors.out.map((r) => r.row)).toEqual(data.flatMap((_, i) => (i % 20 === 3 ? [first + i] : [])));
    expect(errors.pages).toBe(4);
    const overlap = await call(org.manager, 'POST', `/api/v1/imports/${imp.id}/chunks`, {
      body: { chunk: 9, firstRow: first + 150, rows: data.slice(150, 160) },
    });
    expect(overlap.status).toBe(409);
    expect(overlap.headers.get('content-type')).toContain('application/problem+json');
    expect(overlap.json.errors[0]).toMatchObject({ path: '/firstRow', code: 'rows_overlap' });
    expect(await countRows('leads', org.orgId)).toBe(237);
    // Right after the last chunk: nothing overlaps.
    const next = await call(org.manager, 'POST', `/api/v1/imports/${imp.id}/chunks`, {
      body: { chunk: 10, firstRow: first + 250, rows: sheet(252).slice(imp.headerRow + 1 + 250) },
    });
    expect(next.json.counts).toEqual({ created: 2, updated: 0, skipped: 0, error: 0 });
  });

  it('keeps the row results of imports made before they were stored a chunk at a time', async () => {
    const org = await makeOrg();
    const rows = sheet(30, (i) => i === 4);
    const imp = await start(org.manager, 'leads', rows);
    const [sent] = await send(org.manager, imp.id, rows.slice(imp.headerRow + 1), imp.headerRow + 1);
    // The chunk as an earlier version stored it: results a row each in import_rows.
    const migrations = env.TEST_MIGRATIONS;
    const createRows = migrations.find((m) => m.name.startsWith('0004_'))!.queries.filter((q) => /import_rows/.test(q));
    const move = migrations.find((m) => m.name.startsWith('0012_'))!.queries.filter((q) => /^\s*(UPDATE|DROP)/.test(q));
    expect([createRows.length, move.length]).toEqual([2, 2]);
    await env.DB.batch([
      ...createRows.map((q) => env.DB.prepare(q)),
      env.DB.prepare(`UPDATE import_chunks SET results = '[]' WHERE import_id = ?1`).bind(imp.id),
      env.DB.prepare(
        `INSERT INTO import_rows (org_id, import_id, row_no, status, entity_id, errors)
         SELECT ?1, ?2, value ->> 'row', value ->> 'status', value ->> 'id', CASE WHEN json_array_length(value -> 'errors') > 0 THEN value ->> 'errors' END
           FROM json_each(?3)`,
      ).bind(org.orgId, imp.id, JSON.stringify(sent.rows)),
    ]);
    await env.DB.batch(move.map((q) => env.DB.prepare(q)));
    const page = await call(org.manager, 'GET', `/api/v1/imports/${imp.id}/rows?limit=1000`);
    expect(page.json.items).toEqual(sent.rows);
    expect(page.json.items[4]).toMatchObject({ status: 'error', errors: [{ field: 'email', reason: 'invalid_email' }] });
  });

  it('skips or updates rows that match existing leads by email, and matches by Leadpane id', async () => {
    const org = await makeOrg();
    const rows = sheet(10);
    const data = rows.slice(3);
    const first = await start(org.manager, 'leads', rows);
    const [created] = await send(org.manager, first.id, data, 3);
    const second = await start(org.manager, 'leads', rows, 'skip');
    expect((await send(org.manager, second.id, data, 3))[0].counts).toMatchObject({ created: 0, skipped: 10 });
    const changed = data.map((r) => [...r]);
    changed[0]![0] = 'Иван Петров Променен';
    const third = await start(org.manager, 'leads', rows, 'update');
    // Only the row that changed is written; the nine the sheet repeats as they are only match.
    const updated = (await send(org.manager, third.id, changed, 3))[0];
    expect(updated.counts).toEqual({ created: 0, updated: 1, skipped: 9, error: 0 });
    expect(updated.rows.map((r: { match?: string }) => r.match)).toEqual(Array(10).fill('email'));
    const id = created.rows[0].id;
    const lead = (await call(org.manager, 'GET', `/api/v1/leads/${id}`)).json;
    expect(lead).toMatchObject({ fullName: 'Иван Петров Променен', version: 2 });
    // By id: the email changed in the sheet, the hidden id column still points at the lead.
    changed[0]![2] = 'new.address@firma0.bg';
    const fourth = await start(org.manager, 'leads', rows, 'create');
    const res = await call(org.manager, 'POST', `/api/v1/imports/${fourth.id}/chunks`, {
      body: { chunk: 0, firstRow: 3, rows: [changed[0]], ids: [id] },
    });
    expect(res.json.rows[0]).toMatchObject({ status: 'updated', id });
    expect((await call(org.manager, 'GET', `/api/v1/match?email=new.address@firma0.bg`)).json.leads[0].lead.id).toBe(id);
    expect(await countRows('leads', org.orgId)).toBe(10);
  });

  it('imports deals with their companies, stages, amounts and owners', async () => {
    const org = await makeOrg();
    const rows = sheet(8);
    const imp = await start(org.head, 'deals', rows);
    const [res] = await send(org.head, imp.id, rows.slice(3), 3);
    expect(res.counts.created).toBe(8);
    // All rows carry the same EIK, so they share one company.
    expect(await countRows('companies', org.orgId)).toBe(1);
    expect(await countRows('deal_stage_history', org.orgId)).toBe(8);
    const deal = (await call(org.head, 'GET', `/api/v1/deals/${res.rows[1].id}`)).json;
    expect(deal).toMatchObject({ stage: 'proposal', amountMinor: 100_150, currency: 'BGN', ownerId: org.manager.userId });
  });

  it('a dry run reports every row and writes nothing', async () => {
    const org = await makeOrg();
    const rows = sheet(20, (i) => i === 3);
    const imp = await start(org.manager, 'leads', rows);
    const [res] = await send(org.manager, imp.id, rows.slice(3), 3, 1000, { dryRun: true });
    expect(res).toMatchObject({ dryRun: true, counts: { created: 19, error: 1 } });
    expect(res.rows).toHaveLength(20);
    expect(await countRows('leads', org.orgId)).toBe(0);
  });

  it('refuses more than 1,000 rows a chunk and a mapping that maps nothing', async () => {
    const org = await makeOrg();
    const rows = sheet(1001);
    const imp = await start(org.manager, 'leads', rows);
    const res = await call(org.manager, 'POST', `/api/v1/imports/${imp.id}/chunks`, {
      body: { chunk: 0, firstRow: 3, rows: rows.slice(3) },
    });
    expect(res.status).toBe(422);
    expect(res.json.errors[0].path).toBe('/rows');
    const none = await call(org.manager, 'POST', '/api/v1/imports', {
      body: { kind: 'leads', mapping: { headerRow: 0, columns: [{ index: 0, header: 'X', field: null }] } },
    });
    expect(none.status).toBe(422);
  });
});

import { env } from 'cloudflare:workers';
import { afterAll, describe, expect, it } from 'vitest';
import { app } from '../../worker/app';
import { newCounts, printCounts } from '../probes/counts';
import { build, call, countRows, makeOrg, type Member } from './harness';

// The rules that hold on every path that writes (worker/rules): ownership by role, the documents
// a won deal needs, fields only heads set, and who reads whose numbers. Each finding of an outside
// probe of the API has a test here.
const counts = newCounts();
afterAll(() => printCounts('worker/write-rules', counts));

type Org = Awaited<ReturnType<typeof makeOrg>>;

/** A call counted as a probe: `bypass` says whether the answer let a refused write through. */
async function probe(who: Member | null, method: string, path: string, opts: Parameters<typeof call>[3] = {}) {
  const res = await call(who, method, path, opts);
  counts.requests++;
  counts.bad_inputs++;
  if (res.status >= 500) counts['500s']++;
  return res;
}

async function importRows(
  who: Member,
  kind: 'leads' | 'deals',
  mode: 'create' | 'update' | 'skip',
  header: string[],
  fields: (string | null)[],
  rows: (string | number | null)[][],
  ids?: (string | null)[],
) {
  const mapping = { headerRow: 0, columns: header.map((h, index) => ({ index, header: h, field: fields[index] })) };
  const imp = await probe(who, 'POST', '/api/v1/imports', { body: { kind, mode, mapping } });
  expect(imp.status, imp.text).toBe(201);
  const res = await probe(who, 'POST', `/api/v1/imports/${imp.json.id}/chunks`, {
    body: { chunk: 0, firstRow: 1, rows, ...(ids ? { ids } : {}) },
  });
  return { importId: imp.json.id as string, res };
}

const read = (table: string, id: string) =>
  env.DB.prepare(`SELECT * FROM ${table} WHERE id = ?1`).bind(id).first<Record<string, unknown>>();

describe('ownership holds on imports as on the record routes', () => {
  it("a manager's update import of a colleague's lead, by id or by email, changes nothing and says which row and why", async () => {
    const org = await makeOrg();
    const theirs = (
      await call(org.manager2, 'POST', '/api/v1/leads', {
        body: build.lead({ fullName: 'Колега Лийд', email: 'colleague.lead@acme.bg', notes: 'theirs' }),
      })
    ).json;
    const before = await read('leads', theirs.id);
    // The single route refuses it...
    expect(
      (await probe(org.manager, 'PATCH', `/api/v1/leads/${theirs.id}`, { body: { notes: 'mine' }, headers: { 'if-match': '"1"' } })).status,
    ).toBe(403);
    // ...and so does an import by id, and one that matches by email alone; the manager's own row goes ahead.
    const byId = await importRows(
      org.manager,
      'leads',
      'update',
      ['Name', 'Notes', 'Owner'],
      ['fullName', 'notes', 'owner'],
      [
        ['Taken Over', 'mine now', 'manager'],
        ['My Own Lead', 'fine', null],
      ],
      [theirs.id, null],
    );
    expect(byId.res.status).toBe(200);
    expect(byId.res.json.counts).toEqual({ created: 1, updated: 0, skipped: 0, error: 1 });
    expect(byId.res.json.rows[0]).toMatchObject({ row: 1, status: 'error', id: theirs.id });
    expect(byId.res.json.rows[0].errors).toEqual([{ row: 1, column: '', field: 'ownerId', reason: 'not_owner' }]);
    const byEmail = await importRows(
      org.manager,
      'leads',
      'update',
      ['Name', 'E-mail', 'Notes'],
      ['fullName', 'email', 'notes'],
      [['Taken Over', 'colleague.lead@acme.bg', 'mine now']],
    );
    expect(byEmail.res.json.rows[0]).toMatchObject({ status: 'error', errors: [{ reason: 'not_owner' }] });
    expect(await read('leads', theirs.id)).toEqual(before);
    expect(await countRows('leads', org.orgId)).toBe(2);
  });

  it("a manager's import cannot move a colleague's deal to won or change its amount", async () => {
    const org = await makeOrg();
    const theirs = (await call(org.manager2, 'POST', '/api/v1/deals', { body: build.deal({ title: 'Their deal', amountMinor: 500_00 }) }))
      .json;
    const before = await read('deals', theirs.id);
    const { res } = await importRows(
      org.manager,
      'deals',
      'update',
      ['Deal', 'Stage', 'Amount'],
      ['dealTitle', 'stage', 'amount'],
      [['Their deal', 'won', '999999']],
      [theirs.id],
    );
    expect(res.json.rows[0]).toMatchObject({ status: 'error', errors: [{ field: 'ownerId', reason: 'not_owner' }] });
    expect(await read('deals', theirs.id)).toEqual(before);
  });

  it('a manager cannot give imported rows to a colleague through the Owner column; the refusal names that column', async () => {
    const org = await makeOrg();
    const { res } = await importRows(
      org.manager,
      'leads',
      'create',
      ['Name', 'Owner'],
      ['fullName', 'owner'],
      [
        ['For a colleague', 'manager2'],
        ['For me', 'manager'],
      ],
    );
    expect(res.json.counts).toEqual({ created: 1, updated: 0, skipped: 0, error: 1 });
    expect(res.json.rows[0]).toMatchObject({ row: 1, status: 'error', id: null });
    expect(res.json.rows[0].errors).toEqual([{ row: 1, column: 'Owner', field: 'ownerId', reason: 'owner_not_allowed' }]);
    const { results } = await env.DB.prepare('SELECT full_name, owner_id FROM leads WHERE org_id = ?1').bind(org.orgId).all();
    expect(results).toEqual([{ full_name: 'For me', owner_id: org.manager.userId }]);
  });

  it("a head's import may update anyone's lead and hand rows to a manager", async () => {
    const org = await makeOrg();
    const theirs = (await call(org.manager2, 'POST', '/api/v1/leads', { body: build.lead({ fullName: 'Assigned' }) })).json;
    const { res } = await importRows(
      org.head,
      'leads',
      'update',
      ['Name', 'Owner'],
      ['fullName', 'owner'],
      [['Reassigned', 'manager']],
      [theirs.id],
    );
    expect(res.json.counts.updated).toBe(1);
    expect(await read('leads', theirs.id)).toMatchObject({ full_name: 'Reassigned', owner_id: org.manager.userId });
  });

  it('rows go into an import only from the user who started it', async () => {
    const org = await makeOrg();
    const mapping = { headerRow: 0, columns: [{ index: 0, header: 'Name', field: 'fullName' }] };
    const imp = (await call(org.manager2, 'POST', '/api/v1/imports', { body: { kind: 'leads', mapping } })).json;
    const res = await probe(org.manager, 'POST', `/api/v1/imports/${imp.id}/chunks`, {
      body: { chunk: 0, firstRow: 1, rows: [['Sneaked in']] },
    });
    expect(res.status).toBe(403);
    expect((await probe(org.manager, 'POST', `/api/v1/imports/${imp.id}/finish`)).status).toBe(403);
    expect(await countRows('leads', org.orgId)).toBe(0);
  });
});

describe('a deal is won only with its document package, on every path', () => {
  const docsMissing = (res: { status: number; json: { code: string; errors: { path: string }[] } }) => {
    expect(res.status).toBe(422);
    expect(res.json.code).toBe('business_rule');
    expect(res.json.errors.map((e) => e.path)).toContain('/documents/contract');
  };

  it("POST /deals created as won is refused with the missing documents, and accepted with a head of sales' audited reason", async () => {
    const org = await makeOrg();
    docsMissing((await probe(org.manager, 'POST', '/api/v1/deals', { body: build.deal({ stage: 'won' }) })) as never);
    expect(await countRows('deals', org.orgId)).toBe(0);
    // A manager's reason is not enough; a head of sales' is, for the manager's deal.
    const byManager = await probe(org.manager, 'POST', '/api/v1/deals', {
      body: build.deal({ stage: 'won', overrideReason: 'Signed on paper in 2025' }),
    });
    expect(byManager.status).toBe(403);
    const ok = await call(org.head, 'POST', '/api/v1/deals', {
      body: build.deal({ stage: 'won', overrideReason: 'Signed on paper in 2025', ownerId: org.manager.userId }),
    });
    expect(ok.status, ok.text).toBe(201);
    expect(ok.json).not.toHaveProperty('overrideReason');
    const audit = await env.DB.prepare(`SELECT details FROM audit_log WHERE org_id = ?1 AND action = 'override' AND entity_id = ?2`)
      .bind(org.orgId, ok.json.id)
      .first<{ details: string }>();
    expect(JSON.parse(audit!.details)).toMatchObject({ rule: 'documents_required_to_win', reason: 'Signed on paper in 2025' });
  });

  it('converting a lead straight to won is refused without the documents', async () => {
    const org = await makeOrg();
    const lead = (await call(org.manager, 'POST', '/api/v1/leads', { body: build.lead({ companyName: 'Convert AD' }) })).json;
    docsMissing((await probe(org.manager, 'POST', `/api/v1/leads/${lead.id}/convert`, { body: { stage: 'won' } })) as never);
    expect(await countRows('deals', org.orgId)).toBe(0);
    expect((await read('leads', lead.id))!.status).toBe('new');
  });

  it('an import moving an existing deal to won is refused for that row, naming the stage column and the documents', async () => {
    const org = await makeOrg();
    const mine = (await call(org.manager, 'POST', '/api/v1/deals', { body: build.deal({ title: 'Open deal', stage: 'negotiation' }) }))
      .json;
    const other = (await call(org.manager, 'POST', '/api/v1/deals', { body: build.deal({ title: 'Other deal' }) })).json;
    const { res } = await importRows(
      org.manager,
      'deals',
      'update',
      ['Deal', 'Етап'],
      ['dealTitle', 'stage'],
      [
        ['Open deal', 'Спечелена'],
        ['Other deal', 'Оферта'],
      ],
      [mine.id, other.id],
    );
    expect(res.json.counts).toEqual({ created: 0, updated: 1, skipped: 0, error: 1 });
    expect(res.json.rows[0].errors[0]).toMatchObject({ row: 1, column: 'Етап', field: 'stage' });
    expect(res.json.rows[0].errors[0].reason).toBe('documents_missing');
    expect(res.json.rows[0].errors[0].value).toMatch(/Contract/);
    expect((await read('deals', mine.id))!.stage).toBe('negotiation');
    expect((await read('deals', other.id))!.stage).toBe('proposal');
  });

  it('deals a sheet brings in as won are history: accepted, and the import audits them as such', async () => {
    const org = await makeOrg();
    const { importId, res } = await importRows(
      org.manager,
      'deals',
      'create',
      ['Deal', 'Stage'],
      ['dealTitle', 'stage'],
      [['Won in 2024', 'won']],
    );
    expect(res.json.counts.created).toBe(1);
    const audit = await env.DB.prepare(
      `SELECT details FROM audit_log WHERE org_id = ?1 AND action = 'override' AND entity = 'import' AND entity_id = ?2`,
    )
      .bind(org.orgId, importId)
      .first<{ details: string }>();
    expect(JSON.parse(audit!.details)).toMatchObject({ rule: 'documents_required_to_win', deals: [res.json.rows[0].id] });
  });
});

describe('fields only heads set', () => {
  it("a manager cannot set a client's VIP tier or credit limit, on create or update; a head can", async () => {
    const org = await makeOrg();
    expect((await probe(org.manager, 'POST', '/api/v1/companies', { body: build.company({ vipTier: 2 }) })).status).toBe(403);
    const company = (await call(org.manager, 'POST', '/api/v1/companies', { body: build.company() })).json;
    for (const body of [{ vipTier: 3 }, { creditLimitMinor: 1_000_000 }, { creditCurrency: 'EUR' }]) {
      const res = await probe(org.manager, 'PATCH', `/api/v1/companies/${company.id}`, { body, headers: { 'if-match': '"1"' } });
      expect(res.status, JSON.stringify(body)).toBe(403);
      expect(res.json.errors[0]).toMatchObject({ path: `/${Object.keys(body)[0]}`, code: 'head_only_field' });
    }
    // A manager's other changes to the client still go through.
    expect(
      (await call(org.manager, 'PATCH', `/api/v1/companies/${company.id}`, { body: { city: 'Пловдив' }, headers: { 'if-match': '"1"' } }))
        .status,
    ).toBe(200);
    const head = await call(org.head, 'PATCH', `/api/v1/companies/${company.id}`, {
      body: { vipTier: 2, creditLimitMinor: 500_000_00 },
      headers: { 'if-match': '"2"' },
    });
    expect(head.status).toBe(200);
    expect(head.json).toMatchObject({ vipTier: 2, creditLimitMinor: 500_000_00 });
  });
});

describe('who reads whose numbers', () => {
  it("a manager reads their own quota and no colleague's", async () => {
    const org = await makeOrg();
    for (const m of [org.manager, org.manager2])
      await call(org.head, 'PUT', '/api/v1/quotas', {
        body: { userId: m.userId, period: '2026-12', amountMinor: 1_000_00, currency: 'BGN' },
      });
    const colleague = await probe(org.manager, 'GET', `/api/v1/quotas?owner=${org.manager2.userId}`);
    expect(colleague.status).toBe(403);
    expect(colleague.text).not.toContain(org.manager2.userId);
    const mine = await call(org.manager, 'GET', '/api/v1/quotas');
    expect(mine.json.items.map((q: { userId: string }) => q.userId)).toEqual([org.manager.userId]);
    expect((await call(org.head, 'GET', '/api/v1/quotas')).json.items).toHaveLength(2);
  });
});

describe("idempotency keys are their sender's", () => {
  it("a manager sending an admin's key and body gets their own answer, never the admin's stored 201", async () => {
    const org = await makeOrg();
    const body = { email: 'new.user@example.com', name: 'New User', role: 'manager' };
    const first = await call(org.admin, 'POST', '/api/v1/users', { body, headers: { 'idempotency-key': 'shared-key-1' } });
    expect(first.status).toBe(201);
    const copied = await probe(org.manager, 'POST', '/api/v1/users', { body, headers: { 'idempotency-key': 'shared-key-1' } });
    expect(copied.status).toBe(403);
    expect(copied.headers.get('idempotent-replayed')).toBeNull();
    expect(copied.text).not.toContain(first.json.id);
  });

  it('a refusal to one user is not replayed to another who sends the same key', async () => {
    const org = await makeOrg();
    const body = { email: 'second.user@example.com', name: 'Second', role: 'manager' };
    expect((await probe(org.manager, 'POST', '/api/v1/users', { body, headers: { 'idempotency-key': 'shared-key-2' } })).status).toBe(403);
    const admin = await call(org.admin, 'POST', '/api/v1/users', { body, headers: { 'idempotency-key': 'shared-key-2' } });
    expect(admin.status).toBe(201);
    // The admin's own retry is still a replay.
    const retry = await call(org.admin, 'POST', '/api/v1/users', { body, headers: { 'idempotency-key': 'shared-key-2' } });
    expect(retry.status).toBe(201);
    expect(retry.json.id).toBe(admin.json.id);
  });
});

describe('web forms and public answers', () => {
  const formOf = async (org: Org) =>
    (await call(org.head, 'POST', '/api/v1/forms', { body: { name: 'Site' } })).json as { formKey: string };
  const post = (key: string, body: unknown, headers: Record<string, string>, vars: Record<string, string> = {}) =>
    app.request(
      `/api/v1/forms/${key}`,
      { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) },
      { ...env, ...vars },
    );

  it("on the local server X-Forwarded-For and CF-Connecting-IP are the client's word: rotating them spends one address's budget, not the form's", async () => {
    const org = await makeOrg();
    const { formKey } = await formOf(org);
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) {
      const res = await post(
        formKey,
        { name: `Visitor ${i}`, phone: `0888 2${String(i).padStart(5, '0')}` },
        { 'x-forwarded-for': `198.51.100.${i}`, 'cf-connecting-ip': `203.0.113.${i}` },
        { LOCAL_SERVER: 'true' },
      );
      counts.requests++;
      statuses.push(res.status);
    }
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(200));
    expect(statuses.slice(10)).toEqual([429, 429]);
    expect(await countRows('leads', org.orgId)).toBe(10);
  });

  it('behind the edge only CF-Connecting-IP tells visitors apart; X-Forwarded-For never does', async () => {
    const org = await makeOrg();
    const { formKey } = await formOf(org);
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++)
      statuses.push(
        (
          await post(
            formKey,
            { name: `Rotator ${i}`, phone: `0888 3${String(i).padStart(5, '0')}` },
            { 'cf-connecting-ip': '192.0.2.10', 'x-forwarded-for': `198.51.100.${i}` },
          )
        ).status,
      );
    counts.requests += 11;
    expect(statuses.at(-1)).toBe(429);
    expect((await post(formKey, { name: 'Real visitor', phone: '0888 399999' }, { 'cf-connecting-ip': '192.0.2.11' })).status).toBe(200);
  });

  it('the honeypot sent as an array, an object or true still marks a bot: thanked, nothing made', async () => {
    const org = await makeOrg();
    const { formKey } = await formOf(org);
    for (const trap of [['x'], { a: 1 }, true, 1]) {
      const res = await post(formKey, { name: 'Bot', phone: '0888 123456', website_url: trap }, { 'cf-connecting-ip': '192.0.2.20' });
      counts.requests++;
      counts.bad_inputs++;
      expect(res.status).toBe(200);
    }
    expect(await countRows('leads', org.orgId)).toBe(0);
  });

  it('the embed posts to the configured origin, whatever Host the request named', async () => {
    const org = await makeOrg();
    const { formKey } = await formOf(org);
    const res = await app.request(
      `http://attacker.example/api/v1/forms/${formKey}/embed`,
      {},
      { ...env, PUBLIC_ORIGIN: 'https://crm.example.com/' },
    );
    const html = await res.text();
    expect(html).toContain(`action="https://crm.example.com/api/v1/forms/${formKey}"`);
    expect(html).not.toContain('attacker.example');
  });

  it('API answers are never stored by browsers or proxies', async () => {
    const org = await makeOrg();
    for (const path of ['/api/v1/me', '/api/v1/deals', '/api/v1/nothing-here']) {
      const res = await call(org.manager, 'GET', path);
      expect(res.headers.get('cache-control'), path).toBe('no-store');
    }
    expect((await call(null, 'GET', '/api/v1/deals')).headers.get('cache-control')).toBe('no-store');
  });
});

import { env } from 'cloudflare:workers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IMPORT_KINDS } from '../../shared/sheet/types';
import { app } from '../../worker/app';
import { routeDocs } from '../../worker/http/openapi';
import { newCounts, printCounts } from '../probes/counts';
import { build, call, makeOrg } from './harness';

// Generated from the route table, like the cross-organisation suite: every route that writes is
// either one whose record a manager may change only when it is theirs (then a manager tries it on
// a colleague's record and must change nothing), or a shared one, listed with the reason. A new
// write route fails here until it is placed in one of the two.
void app;
const counts = newCounts();
afterAll(() => printCounts('worker/ownership', counts));

const key = (r: { method: string; path: string }) => `${r.method} ${r.path}`;
const writes = () => routeDocs.filter((r) => r.method !== 'get');

/** Shared routes, and why a manager may use them on a colleague's data (or why nothing of a colleague's is at stake). */
const SHARED: Record<string, string> = {
  'post /api/v1/users': 'heads (managers only) and admins (the role suite checks it)',
  'patch /api/v1/users/:id': 'heads (managers only) and admins',
  'post /api/v1/tokens': "a user's own token; heads make managers', admins anyone's",
  'delete /api/v1/tokens/:id': "a user revokes their own tokens; heads managers', admins anyone's",
  'put /api/v1/settings/microsoft': 'admins only: the tenant link',
  'post /api/v1/setup': 'the setup secret, once per deployment: no organisation exists yet',
  'post /api/v1/companies': 'clients are shared; VIP tier and credit limit are head-only fields (write-rules suite)',
  'patch /api/v1/companies/:id': 'clients are shared; head-only fields checked by the write-rules suite',
  'delete /api/v1/companies/:id': 'heads and admins only',
  'post /api/v1/companies/:id/restore': 'clients are shared',
  'post /api/v1/companies/:id/payments': "a client's payment history is shared",
  'post /api/v1/imports/values': "writes nothing: it answers what a sheet's values mean",
  'put /api/v1/imports/defaults': 'heads and admins only',
  'post /api/v1/activities': 'anyone logs what happened with a client',
  'post /api/v1/contacts': 'contacts are shared client records',
  'patch /api/v1/contacts/:id': 'contacts are shared client records',
  'delete /api/v1/contacts/:id': 'heads and admins only',
  'post /api/v1/contacts/:id/restore': 'contacts are shared client records',
  'post /api/v1/contacts/:id/erase': 'heads and admins only',
  'patch /api/v1/activities/:id': 'the client history is the team’s',
  'delete /api/v1/activities/:id': 'the client history is the team’s',
  'post /api/v1/activities/:id/restore': 'the client history is the team’s',
  'post /api/v1/tasks': 'follow-ups may be set for a colleague',
  'patch /api/v1/tasks/:id': 'follow-ups are shared',
  'delete /api/v1/tasks/:id': 'follow-ups are shared',
  'post /api/v1/tasks/:id/restore': 'follow-ups are shared',
  'post /api/v1/cases': 'complaints and proposals belong to the client',
  'patch /api/v1/cases/:id': 'complaints and proposals belong to the client',
  'delete /api/v1/cases/:id': 'complaints and proposals belong to the client',
  'post /api/v1/cases/:id/restore': 'complaints and proposals belong to the client',
  'post /api/v1/cases/:id/respond': 'whoever answers the client first counts',
  'post /api/v1/competitors': 'the competitor list is shared',
  'patch /api/v1/competitors/:id': 'the competitor list is shared',
  'delete /api/v1/competitors/:id': 'heads and admins only',
  'post /api/v1/competitors/:id/restore': 'the competitor list is shared',
  'put /api/v1/settings/documents': 'heads and admins only',
  'post /api/v1/forms': 'heads and admins only',
  'patch /api/v1/forms/:id': 'heads and admins only',
  'post /api/v1/forms/:formKey': 'public web form: the lead goes to the form’s owner',
  'put /api/v1/quotas': 'heads and admins only',
  'post /api/v1/reports/fn/batch': 'reads only: the custom functions of one recalculation, each answered as its own GET route',
  'post /api/v1/imports': "a user starts their own import; its rows are checked as the user's writes",
};

type Org = Awaited<ReturnType<typeof makeOrg>>;
let org: Org;
/** The colleague's records, by the route parameter names they fill. */
const ids: Record<string, string> = {};

interface Probe {
  /** The parameters of the path, from the colleague's records. */
  params: Record<string, string>;
  body?: unknown;
  /** What must not change: SQL for the colleague's rows. */
  state: string[];
}

/** How to try each owned route on a colleague's record. */
const PROBES: Record<string, () => Probe> = {
  'post /api/v1/leads': () => ({ params: {}, body: build.lead({ ownerId: org.manager2.userId }), state: [count('leads')] }),
  'patch /api/v1/leads/:id': () => ({
    params: { id: ids.lead! },
    body: { fullName: 'Taken over', notes: 'mine' },
    state: [row('leads', ids.lead!)],
  }),
  'delete /api/v1/leads/:id': () => ({ params: { id: ids.lead! }, state: [row('leads', ids.lead!)] }),
  'post /api/v1/leads/:id/restore': () => ({ params: { id: ids.deletedLead! }, state: [row('leads', ids.deletedLead!)] }),
  'post /api/v1/leads/:id/convert': () => ({
    params: { id: ids.lead! },
    body: {},
    state: [row('leads', ids.lead!), count('deals'), count('contacts')],
  }),
  'post /api/v1/deals': () => ({ params: {}, body: build.deal({ ownerId: org.manager2.userId }), state: [count('deals')] }),
  'patch /api/v1/deals/:id': () => ({
    params: { id: ids.deal! },
    body: { stage: 'won', amountMinor: 1, overrideReason: 'mine now' },
    state: [row('deals', ids.deal!), count('deal_stage_history')],
  }),
  'delete /api/v1/deals/:id': () => ({ params: { id: ids.deal! }, state: [row('deals', ids.deal!)] }),
  'post /api/v1/deals/:id/restore': () => ({ params: { id: ids.deletedDeal! }, state: [row('deals', ids.deletedDeal!)] }),
  'put /api/v1/deals/:id/documents/:slot': () => ({
    params: { id: ids.deal!, slot: 'contract' },
    body: { filename: 'contract.pdf', status: 'approved' },
    state: [count('deal_documents')],
  }),
  'post /api/v1/deals/:id/competitors': () => ({
    params: { id: ids.deal! },
    body: { competitorId: ids.competitor!, lostTo: true },
    state: [`SELECT * FROM deal_competitors WHERE deal_id = '${ids.deal}' ORDER BY id`],
  }),
  'post /api/v1/deals/:id/lose': () => ({
    params: { id: ids.deal! },
    body: { lostReason: 'Taken over', competitorId: ids.competitor! },
    state: [row('deals', ids.deal!), `SELECT * FROM deal_competitors WHERE deal_id = '${ids.deal}' ORDER BY id`],
  }),
  'delete /api/v1/deals/:id/competitors/:competitorId': () => ({
    params: { id: ids.deal!, competitorId: ids.competitor! },
    state: [`SELECT * FROM deal_competitors WHERE deal_id = '${ids.deal}' ORDER BY id`],
  }),
  'post /api/v1/imports/:id/chunks': () => ({
    params: { id: ids.import! },
    body: { chunk: 0, firstRow: 1, rows: [['Sneaked in']] },
    state: [count('leads'), `SELECT * FROM import_chunks WHERE import_id = '${ids.import}'`],
  }),
  'post /api/v1/imports/:id/finish': () => ({ params: { id: ids.import! }, state: [`SELECT * FROM imports WHERE id = '${ids.import}'`] }),
};

const count = (table: string) => `SELECT count(*) AS n FROM ${table} WHERE org_id = '${org.orgId}'`;
const row = (table: string, id: string) => `SELECT * FROM ${table} WHERE id = '${id}'`;
const snapshot = async (sqls: string[]) => Promise.all(sqls.map(async (sql) => (await env.DB.prepare(sql).all()).results));

beforeAll(async () => {
  org = await makeOrg('Ownership');
  const them = org.manager2;
  const lead = (await call(them, 'POST', '/api/v1/leads', { body: build.lead({ email: 'their.lead@acme.bg' }) })).json;
  const deal = (await call(them, 'POST', '/api/v1/deals', { body: build.deal({ stage: 'negotiation' }) })).json;
  const deletedLead = (await call(them, 'POST', '/api/v1/leads', { body: build.lead() })).json;
  await call(them, 'DELETE', `/api/v1/leads/${deletedLead.id}`, { headers: { 'if-match': '"1"' } });
  const deletedDeal = (await call(them, 'POST', '/api/v1/deals', { body: build.deal() })).json;
  await call(them, 'DELETE', `/api/v1/deals/${deletedDeal.id}`, { headers: { 'if-match': '"1"' } });
  const competitor = (await call(them, 'POST', '/api/v1/competitors', { body: { name: 'Rival AD' } })).json;
  await call(them, 'POST', `/api/v1/deals/${deal.id}/competitors`, { body: { competitorId: competitor.id, priceMinor: 100 } });
  const mapping = { headerRow: 0, columns: [{ index: 0, header: 'Name', field: 'fullName' }] };
  const imp = (await call(them, 'POST', '/api/v1/imports', { body: { kind: 'leads', mapping } })).json;
  Object.assign(ids, {
    lead: lead.id,
    deal: deal.id,
    deletedLead: deletedLead.id,
    deletedDeal: deletedDeal.id,
    competitor: competitor.id,
    import: imp.id,
  });
  for (const [k, v] of Object.entries(ids)) expect(v, k).toBeTruthy();
});

// Each import kind that writes owned records: a manager's update by id of a colleague's record.
const OWNED_IMPORTS: Record<(typeof IMPORT_KINDS)[number], { table: string; id: () => string; header: string; field: string } | null> = {
  leads: { table: 'leads', id: () => ids.lead!, header: 'Name', field: 'fullName' },
  deals: { table: 'deals', id: () => ids.deal!, header: 'Deal', field: 'dealTitle' },
  // Payments belong to clients (shared records) and carry no owner.
  payments: null,
};

describe("a manager and a colleague's records", () => {
  it('every route that writes is either owned (probed below) or shared with a reason', () => {
    const unplaced = writes()
      .map(key)
      .filter((k) => !PROBES[k] && !SHARED[k]);
    expect(unplaced).toEqual([]);
    const stale = [...Object.keys(PROBES), ...Object.keys(SHARED)].filter((k) => !writes().some((r) => key(r) === k));
    expect(stale).toEqual([]);
  });

  for (const [route, make] of Object.entries(PROBES))
    it(`${route} on a colleague's record answers 403 and changes nothing`, async () => {
      const probe = make();
      const [method, path] = route.split(' ') as [string, string];
      const filled = path.replace(/:(\w+)/g, (_, name: string) => probe.params[name]!);
      const before = await snapshot(probe.state);
      const res = await call(org.manager, method.toUpperCase(), filled, {
        body: probe.body,
        headers: { 'if-match': '"1"', 'x-override-reason': 'probe' },
      });
      counts.requests++;
      counts.bad_inputs++;
      if (res.status >= 500) counts['500s']++;
      const after = await snapshot(probe.state);
      if (JSON.stringify(after) !== JSON.stringify(before)) counts.rows_lost++;
      expect(res.status, res.text).toBe(403);
      expect(res.json.code).toBe('forbidden');
      expect(after).toEqual(before);
    });

  it('every import kind is placed: owned records it can update, or none', () => {
    expect(Object.keys(OWNED_IMPORTS).sort()).toEqual([...IMPORT_KINDS].sort());
  });

  for (const [kind, target] of Object.entries(OWNED_IMPORTS))
    if (target)
      it(`an import of ${kind} in update mode cannot change a colleague's record`, async () => {
        const mapping = { headerRow: 0, columns: [{ index: 0, header: target.header, field: target.field }] };
        const imp = (await call(org.manager, 'POST', '/api/v1/imports', { body: { kind, mode: 'update', mapping } })).json;
        const before = await snapshot([row(target.table, target.id())]);
        const res = await call(org.manager, 'POST', `/api/v1/imports/${imp.id}/chunks`, {
          body: { chunk: 0, firstRow: 1, rows: [['Taken over']], ids: [target.id()] },
        });
        counts.requests++;
        counts.bad_inputs++;
        expect(res.status).toBe(200);
        expect(res.json.rows[0]).toMatchObject({ status: 'error', errors: [{ reason: 'not_owner' }] });
        expect(await snapshot([row(target.table, target.id())])).toEqual(before);
      });
});

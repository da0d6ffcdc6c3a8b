import { beforeAll, describe, expect, it } from 'vitest';
import { routeDocs } from '../../worker/http/openapi';
import { app } from '../../worker/app';
import { build, call, makeOrg, type Member, type Role } from './harness';

// The suite is generated from the route table: every documented route, every role of org A,
// against every id of org B. Importing app registers every route's documentation.
void app;

type Orgs = Awaited<ReturnType<typeof makeOrg>>;
let A: Orgs;
let B: Orgs;
const idsOfB: Record<string, string> = {};
const bNames = 'Zebra-B-Secret';

beforeAll(async () => {
  A = await makeOrg('A');
  B = await makeOrg('B');
  const company = (
    await call(B.head, 'POST', '/api/v1/companies', {
      body: build.company({ name: `${bNames} AD`, eik: '831642181', website: 'b-secret.bg' }),
    })
  ).json;
  const contact = (
    await call(B.head, 'POST', '/api/v1/contacts', {
      body: build.contact({
        fullName: `${bNames} Person`,
        emails: ['person@b-secret.bg'],
        phones: ['0888 765 432'],
        companyId: company.id,
      }),
    })
  ).json;
  const lead = (
    await call(B.manager, 'POST', '/api/v1/leads', { body: build.lead({ fullName: `${bNames} Lead`, email: 'lead@b-secret.bg' }) })
  ).json;
  const deal = (await call(B.manager, 'POST', '/api/v1/deals', { body: build.deal({ title: `${bNames} Deal`, companyId: company.id }) }))
    .json;
  const activity = (
    await call(B.manager, 'POST', '/api/v1/activities', { body: build.activity({ subject: `${bNames} call`, companyId: company.id }) })
  ).json;
  const task = (await call(B.manager, 'POST', '/api/v1/tasks', { body: build.task({ title: `${bNames} task` }) })).json;
  const token = (await call(B.manager, 'POST', '/api/v1/tokens', { body: { name: 'b' } })).json;
  const kase = (
    await call(B.manager, 'POST', '/api/v1/cases', { body: { kind: 'complaint', subject: `${bNames} complaint`, companyId: company.id } })
  ).json;
  const competitor = (await call(B.manager, 'POST', '/api/v1/competitors', { body: { name: `${bNames} Rival` } })).json;
  const form = (await call(B.head, 'POST', '/api/v1/forms', { body: { name: `${bNames} form` } })).json;
  const imp = (
    await call(B.manager, 'POST', '/api/v1/imports', {
      body: { kind: 'leads', mapping: { headerRow: 0, columns: [{ index: 0, header: 'Name', field: 'fullName' }] } },
    })
  ).json;
  Object.assign(idsOfB, {
    companies: company.id,
    contacts: contact.id,
    leads: lead.id,
    deals: deal.id,
    activities: activity.id,
    tasks: task.id,
    tokens: token.id,
    users: B.manager.userId,
    imports: imp.id,
  });
  Object.assign(idsOfB, { cases: kase.id, competitors: competitor.id, forms: form.id });
  for (const [k, v] of Object.entries(idsOfB)) expect(v, k).toBeTruthy();
});

const roles: Role[] = ['manager', 'head', 'admin'];
const withId = () => routeDocs.filter((r) => r.path.includes(':id') && r.roles !== 'public');

describe('a member of another organisation', () => {
  it('the route table has routes with ids to test', () => {
    expect(withId().length).toBeGreaterThan(25);
  });

  for (const role of roles) {
    it(`as ${role} gets 404 (or 403 for a role it lacks) on every route for every id of organisation B`, async () => {
      const member: Member = A[role];
      const failures: string[] = [];
      for (const r of withId()) {
        const collection = r.path.split('/')[3]!;
        const id = idsOfB[collection];
        expect(id, `no id of B for ${r.path}`).toBeTruthy();
        const path = r.path.replace(':id', id!);
        const body = r.method === 'get' || r.method === 'delete' ? undefined : (r.example ?? {});
        const res = await call(member, r.method.toUpperCase(), path, { body, headers: { 'if-match': '"1"' } });
        const allowed =
          r.roles === undefined || r.roles === 'public' || r.roles.includes(role) || (role === 'admin' && r.roles.includes('head'));
        const expected = allowed ? 404 : 403;
        if (res.status !== expected) failures.push(`${r.method.toUpperCase()} ${r.path}: ${res.status} ${res.text.slice(0, 120)}`);
        expect(res.text).not.toContain(bNames);
      }
      expect(failures).toEqual([]);
    });

    it(`as ${role} never sees organisation B's rows in lists, searches or matches`, async () => {
      const member: Member = A[role];
      const lists = routeDocs.filter((r) => r.method === 'get' && !r.path.includes(':id') && r.roles !== 'public');
      const probes = ['', '?q=zebra', `?updatedSince=${encodeURIComponent('2000-01-01T00:00:00Z')}`];
      for (const r of lists)
        for (const probe of r.path.endsWith('/match')
          ? [`?email=person@b-secret.bg&phone=0888765432&eik=831642181&name=${bNames}%20Person`]
          : r.path.endsWith('/deals/standing')
            ? [`?ids=${idsOfB.deals}`]
            : probes) {
          const res = await call(member, 'GET', r.path + probe);
          if (res.status === 403) continue;
          // A route may not take every probe (reports have no q); refusing it leaks nothing either.
          if (probe !== '' && res.status === 422) continue;
          expect(res.status, r.path + probe).toBe(200);
          expect(res.text, r.path + probe).not.toContain(bNames);
          for (const id of Object.values(idsOfB)) expect(res.text).not.toContain(id);
        }
    });
  }
});

import { describe, expect, it } from 'vitest';
import { call, countRows, makeOrg } from './harness';

const countImports = (orgId: string) => countRows('imports', orgId);
import { importSheet, sheetOf, valueStep } from './import-sheet';

const PD = [
  'Deal - ID',
  'Deal - Title',
  'Deal - Owner',
  'Deal - Value',
  'Deal - Currency',
  'Deal - Organization',
  'Deal - Stage',
  'Deal - Status',
  'Deal - Deal created',
];
const pd = (id: string, stage: string, status: string, owner = '') => ({
  'Deal - ID': id,
  'Deal - Title': `Deal ${id}`,
  'Deal - Owner': owner,
  'Deal - Value': '1000',
  'Deal - Currency': 'GBP',
  'Deal - Organization': `Client ${id} Ltd`,
  'Deal - Stage': stage,
  'Deal - Status': status,
  'Deal - Deal created': '2026-11-02 10:00:00',
});

describe('the values of an export', () => {
  it("knows every default stage and status of the system, and asks only about the team's own stage", async () => {
    const org = await makeOrg();
    const rows = sheetOf(PD, [
      pd('1', 'Qualified', 'Open'),
      pd('2', 'Contact Made', 'Open'),
      pd('3', 'Pilot Running', 'Open'),
      pd('4', 'Negotiations Started', 'Won'),
    ]);
    const step = await valueStep(org.head, rows);
    expect(step.system).toBe('pipedrive');
    expect(step.items.filter((i) => i.value === null)).toEqual([]);
    expect(step.items.find((i) => i.raw === 'Contact Made')).toEqual({
      field: 'stage',
      raw: 'Contact Made',
      value: 'qualified',
      from: 'system',
    });
    expect(step.items.find((i) => i.raw === 'Won')).toEqual({ field: 'status', raw: 'Won', value: 'won', from: 'system' });
    const custom = sheetOf(PD, [pd('5', 'Legal Sign-off', 'Open')]);
    expect((await valueStep(org.head, custom)).items.find((i) => i.field === 'stage')).toEqual({
      field: 'stage',
      raw: 'Legal Sign-off',
      value: null,
      from: null,
    });
  });

  it('refuses an unknown stage until it is mapped, then keeps the choice for the organisation and system: the next export asks nothing', async () => {
    const org = await makeOrg();
    const other = await makeOrg();
    const rows = sheetOf(PD, [pd('11', 'Legal Sign-off', 'Open'), pd('12', 'Qualified', 'Open')]);
    const refused = await importSheet(org.head, rows);
    expect(refused.rows[0]).toMatchObject({
      status: 'error',
      errors: [{ column: 'Deal - Stage', field: 'stage', reason: 'unknown_stage', value: 'Legal Sign-off' }],
    });
    const mapped = await importSheet(org.head, rows, { values: { stage: { 'Legal Sign-off': 'negotiation' } } });
    expect(mapped.counts).toEqual({ created: 1, updated: 0, skipped: 1, error: 0 });
    expect((await call(org.head, 'GET', `/api/v1/deals/${mapped.rows[0]!.id}`)).json.stage).toBe('negotiation');

    // A later export of the same system, the value written in other case: known, nothing to ask.
    const later = sheetOf(PD, [pd('13', 'LEGAL SIGN-OFF', 'Open')]);
    expect((await valueStep(org.head, later)).items.find((i) => i.field === 'stage')).toMatchObject({
      value: 'negotiation',
      from: 'choice',
    });
    expect((await importSheet(org.head, later)).counts).toEqual({ created: 1, updated: 0, skipped: 0, error: 0 });
    // Another organisation, or another system of the same one, has not said anything about it.
    expect((await valueStep(other.head, later)).items.find((i) => i.field === 'stage')).toMatchObject({ value: null });
    const hubspot = sheetOf(
      ['Record ID', 'Deal Name', 'Deal Stage', 'Amount', 'Associated Company'],
      [{ 'Record ID': '9001', 'Deal Name': 'X', 'Deal Stage': 'Legal Sign-off', Amount: '10', 'Associated Company': 'X Ltd' }],
    );
    expect((await valueStep(org.head, hubspot)).items.find((i) => i.field === 'stage')).toMatchObject({ value: null });
  });

  it('a status column decides won and lost over the stage, which the history keeps as the last open stage', async () => {
    const org = await makeOrg();
    const res = await importSheet(org.head, sheetOf(PD, [pd('21', 'Proposal Made', 'Lost'), pd('22', 'Proposal Made', 'Open')]));
    expect(res.counts).toMatchObject({ created: 2, error: 0 });
    expect((await call(org.head, 'GET', `/api/v1/deals/${res.rows[0]!.id}`)).json.stage).toBe('lost');
    expect((await call(org.head, 'GET', `/api/v1/deals/${res.rows[1]!.id}`)).json.stage).toBe('proposal');
  });

  it("an owner's name finds the user; a name that finds nobody is asked about, and the choice is kept", async () => {
    const org = await makeOrg();
    const rows = sheetOf(PD, [pd('31', 'Qualified', 'Open', 'manager'), pd('32', 'Qualified', 'Open', 'Hannah Ashdown')]);
    const step = await valueStep(org.head, rows);
    expect(step.items.filter((i) => i.field === 'owner')).toEqual([
      { field: 'owner', raw: 'manager', value: org.manager.userId, from: 'user' },
      { field: 'owner', raw: 'Hannah Ashdown', value: null, from: null },
    ]);
    const res = await importSheet(org.head, rows, { values: { owner: { 'Hannah Ashdown': org.manager2.userId } } });
    const owners = await Promise.all(res.rows.map(async (r) => (await call(org.head, 'GET', `/api/v1/deals/${r.id}`)).json.ownerId));
    expect(owners).toEqual([org.manager.userId, org.manager2.userId]);
    expect((await valueStep(org.head, rows)).items.find((i) => i.raw === 'Hannah Ashdown')).toMatchObject({
      value: org.manager2.userId,
      from: 'choice',
    });
  });

  it('answers 422 naming each choice that is not a value, and an unknown country', async () => {
    const org = await makeOrg();
    const mapping = { headerRow: 0, columns: [{ index: 0, header: 'Stage', field: 'stage' }] };
    const start = await call(org.head, 'POST', '/api/v1/imports', {
      body: {
        kind: 'deals',
        mapping,
        options: { values: { stage: { 'Pilot Running': 'pilot' }, status: { Won: 'won' }, owner: { Ann: 'ann@elsewhere.example' } } },
      },
    });
    expect(start.status).toBe(422);
    expect(start.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(start.json.errors.map((e: { path: string; code: string }) => [e.path, e.code])).toEqual([
      ['/options/values/stage/Pilot Running', 'unknown_value'],
      ['/options/values/owner/Ann', 'unknown_user'],
    ]);
    const bad = await call(org.head, 'POST', '/api/v1/imports/values', {
      body: { kind: 'deals', country: 'XX', values: { stage: ['a'] } },
    });
    expect(bad.status).toBe(422);
    expect(bad.json.errors[0]).toMatchObject({ path: '/country', code: 'unknown_country' });
    expect(await countImports(org.orgId)).toBe(0);
  });
});

import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { isoWeekOf } from '../../shared/report/period';
import { call, makeOrg, type Member } from './harness';
import { importSheet, sheetOf } from './import-sheet';

// A Pipedrive deals export: its Status column says won or lost, its stage keeps the last open one.
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
  'Deal - Expected close date',
  'Deal - Won time',
];
const pd = (id: string, title: string, value: string, stage: string, status: string, created: string, close: string) => ({
  'Deal - ID': id,
  'Deal - Title': title,
  'Deal - Value': value,
  'Deal - Currency': 'GBP',
  'Deal - Organization': `${title} Ltd`,
  'Deal - Stage': stage,
  'Deal - Status': status,
  'Deal - Deal created': created,
  'Deal - Expected close date': close,
});

const section = (report: { sections: Array<{ key: string; rows: unknown[][] }> }, key: string) =>
  report.sections.find((s) => s.key === key)!.rows;
const weekly = async (who: Member, week: string) => {
  const res = await call(who, 'GET', `/api/v1/reports/weekly?week=${week}`);
  expect(res.status, res.text).toBe(200);
  return res.json;
};

describe('history from a sheet', () => {
  it('a deal won in 2024 counts in its own week, never in the week of the import', async () => {
    const org = await makeOrg();
    const thisWeek = isoWeekOf(new Date());
    const rows = sheetOf(PD, [
      pd('501', 'Kettlewell', '18500', 'Negotiations Started', 'Won', '2024-02-12 09:30:00', '2024-03-14'),
      pd('502', 'Brackenfield', '7200', 'Proposal Made', 'Lost', '2021-05-03 11:00:00', '2021-06-30'),
      pd('503', 'Ollerton', '9100', 'Qualified', 'Open', '2026-10-01 10:00:00', '2027-01-31'),
    ]);
    const res = await importSheet(org.head, rows);
    expect(res).toMatchObject({ kind: 'deals', system: 'pipedrive', counts: { created: 3, error: 0 } });
    const [won, lost, open] = res.rows.map((r) => r.id!);

    // The deal keeps the sheet's dates: created then, won on the close date.
    const deal = (await call(org.head, 'GET', `/api/v1/deals/${won}`)).json;
    expect(deal).toMatchObject({
      stage: 'won',
      createdAt: '2024-02-12T00:00:00.000Z',
      closedAt: '2024-03-14T00:00:00.000Z',
      amountMinor: 1_850_000,
    });
    const history = await env.DB.prepare(
      'SELECT deal_id, from_stage, to_stage, changed_at, import_id, undated FROM deal_stage_history WHERE org_id = ?1 ORDER BY changed_at',
    )
      .bind(org.orgId)
      .all<Record<string, unknown>>();
    expect(history.results.filter((h) => h.deal_id === won)).toEqual([
      { deal_id: won, from_stage: null, to_stage: 'negotiation', changed_at: '2024-02-12T00:00:00.000Z', import_id: res.id, undated: 0 },
      { deal_id: won, from_stage: 'negotiation', to_stage: 'won', changed_at: '2024-03-14T00:00:00.000Z', import_id: res.id, undated: 0 },
    ]);
    expect(history.results.find((h) => h.deal_id === lost && h.to_stage === 'lost')).toMatchObject({
      changed_at: '2021-06-30T00:00:00.000Z',
    });
    expect(history.results.find((h) => h.deal_id === open)).toMatchObject({
      to_stage: 'qualified',
      changed_at: '2026-10-01T00:00:00.000Z',
    });

    // The week of the import shows none of it as won or lost, nor as moved.
    const now = await weekly(org.head, thisWeek);
    expect(section(now, 'wonLost')).toEqual([]);
    expect(section(now, 'movements')).toEqual([]);
    // The weeks they happened in do.
    expect(section(await weekly(org.head, '2024-W11'), 'wonLost')).toEqual([['won', 'GBP', 1, 1_850_000, 31]]);
    expect(section(await weekly(org.head, '2021-W26'), 'wonLost')).toEqual([['lost', 'GBP', 1, 720_000, 58]]);
    // LEADPANE.WON of this week counts nothing either.
    const monday = (await weekly(org.head, thisWeek)).period.from.slice(0, 10);
    const fn = await call(org.head, 'GET', `/api/v1/reports/fn/won?from=${monday}&to=${new Date().toISOString().slice(0, 10)}`);
    expect(fn.status, fn.text).toBe(200);
    expect(fn.json.rows).toEqual([]);
  });

  it('a past week already reported is computed again with the deals imported into it', async () => {
    const org = await makeOrg();
    // Asked first: the 2024 week is stored as a snapshot (pipeline at its ends, wins up to it).
    expect(section(await weekly(org.head, '2024-W12'), 'pipeline')).toEqual([]);
    await importSheet(org.head, sheetOf(PD, [pd('601', 'Thornaby', '4000', 'Proposal Made', 'Won', '2024-02-01 09:00:00', '2024-03-14')]));
    expect(section(await weekly(org.head, '2024-W12'), 'pipeline')).toEqual([['won', 'GBP', 1, 400_000, 1, 400_000]]);
  });

  it('a won deal without a close date is closed undated: in no week, the import week included', async () => {
    const org = await makeOrg();
    const res = await importSheet(org.head, sheetOf(PD, [pd('701', 'Hexham', '2500', 'Proposal Made', 'Won', '', '')]));
    expect(res.counts).toMatchObject({ created: 1, error: 0 });
    const deal = (await call(org.head, 'GET', `/api/v1/deals/${res.rows[0]!.id}`)).json;
    expect(deal).toMatchObject({ stage: 'won', closedAt: null });
    const week = await weekly(org.head, isoWeekOf(new Date()));
    expect(section(week, 'wonLost')).toEqual([]);
    expect(section(week, 'movements')).toEqual([]);
  });

  it('a later export that moves a deal to lost records the loss on its close date', async () => {
    const org = await makeOrg();
    await importSheet(org.head, sheetOf(PD, [pd('801', 'Morpeth', '3000', 'Proposal Made', 'Open', '2026-01-05 09:00:00', '2026-03-31')]));
    const later = await importSheet(
      org.head,
      sheetOf(PD, [pd('801', 'Morpeth', '3000', 'Proposal Made', 'Lost', '2026-01-05 09:00:00', '2026-02-20')]),
    );
    expect(later.counts).toEqual({ created: 0, updated: 1, skipped: 0, error: 0 });
    const deal = (await call(org.head, 'GET', `/api/v1/deals/${later.rows[0]!.id}`)).json;
    expect(deal).toMatchObject({ stage: 'lost', closedAt: '2026-02-20T00:00:00.000Z' });
    expect(section(await weekly(org.head, '2026-W08'), 'wonLost')).toEqual([['lost', 'GBP', 1, 300_000, 46]]);
    expect(section(await weekly(org.head, isoWeekOf(new Date())), 'wonLost')).toEqual([]);
  });

  it("a lead keeps its sheet's created date and counts as new in that week, not the import's", async () => {
    const org = await makeOrg();
    const header = ['Record Id', 'First Name', 'Last Name', 'Company', 'Email', 'Lead Status', 'Created Time'];
    const res = await importSheet(
      org.head,
      sheetOf(header, [
        {
          'Record Id': 'zcrm_1',
          'First Name': 'Ada',
          'Last Name': 'Quill',
          Company: 'Quill Ltd',
          Email: 'ada@quill.example',
          'Lead Status': 'Contacted',
          'Created Time': '2025-05-14 10:00:00',
        },
      ]),
    );
    const lead = (await call(org.head, 'GET', `/api/v1/leads/${res.rows[0]!.id}`)).json;
    expect(lead.createdAt).toBe('2025-05-14T00:00:00.000Z');
    expect(section(await weekly(org.head, '2025-W20'), 'newLeadsBySource')).toEqual([['excel', 1]]);
    expect(section(await weekly(org.head, isoWeekOf(new Date())), 'newLeadsBySource')).toEqual([]);
  });
});

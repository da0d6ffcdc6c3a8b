// Pipeline sync when an answer was lost: the server applied the change (then crashed, or the
// connection dropped), the pane sends it again with the old version and gets 412. A 412 whose
// current row already holds the pane's values is the pane's own change, not a conflict.
import { describe, expect, it } from 'vitest';
import { createApiClient } from '../../addin/api/client';
import type { DealListItem as DealRecord } from '../../addin/api/contract';
import { createFetchTransport } from '../../addin/api/transport';
import { pullPipeline, syncPipeline, PIPELINE_SHEET, COLUMNS } from '../../addin/excel/pipeline-sync';
import { createBrowserExcelHost } from '../../addin/office/excel-browser';
import type { KeyValueStorage } from '../../addin/office/types';

function memoryStorage(): KeyValueStorage {
  const map = new Map<string, string>();
  return { get: (k) => map.get(k) ?? null, set: (k, v) => void map.set(k, v), remove: (k) => void map.delete(k) };
}

const deal: DealRecord = {
  id: 'd1',
  version: 3,
  createdAt: '2026-06-01T09:00:00Z',
  updatedAt: '2026-06-01T09:00:00Z',
  probability: 50,
  title: 'Поддръжка 2027',
  stage: 'proposal',
  amountMinor: 120_000,
  currency: 'BGN',
  nextStep: 'Call',
};

/** The API as the pane sees it: a list with one deal, then the PATCH answers given. */
function api(patchAnswers: Array<() => Response>) {
  const patches: Array<{ ifMatch: string | null; body: unknown }> = [];
  const fetch = (async (url: string | URL | Request, init?: RequestInit) => {
    const u = new URL(String(url));
    if (init?.method === 'PATCH') {
      patches.push({ ifMatch: new Headers(init.headers).get('if-match'), body: JSON.parse(String(init.body)) });
      return patchAnswers.shift()!();
    }
    if (u.pathname.endsWith('/deals')) return Response.json({ items: [deal], nextCursor: null });
    throw new Error(`unexpected ${u.pathname}`);
  }) as typeof globalThis.fetch;
  const client = createApiClient({
    transport: createFetchTransport({ baseUrl: 'http://crm.test/api/v1', getToken: () => 'lp_t', fetch }),
    storage: memoryStorage(),
    retry: { sleep: async () => undefined },
    isOnline: () => true,
  });
  return { client, patches };
}

const precondition = (current: DealRecord) => () =>
  new Response(
    JSON.stringify({
      type: 'about:blank',
      title: 'Precondition failed',
      status: 412,
      code: 'precondition_failed',
      detail: 'changed',
      current,
    }),
    {
      status: 412,
      headers: { 'content-type': 'application/problem+json' },
    },
  );

async function pulledThenEdited(client: ReturnType<typeof api>['client']) {
  const excel = createBrowserExcelHost({ sheets: { Sheet1: [['keep']] } });
  const storage = memoryStorage();
  await pullPipeline({ client, excel, storage, owner: 'me', headers: [...COLUMNS, 'id', 'version'] });
  // The user moves the deal to negotiation in the sheet.
  await excel.writeValues(PIPELINE_SHEET, 'C2', [['negotiation']]);
  return { excel, storage };
}

describe('pipeline sync after a lost answer', () => {
  it('takes a 412 whose current row already holds the change as applied, with no conflict', async () => {
    const { client, patches } = api([precondition({ ...deal, version: 4, stage: 'negotiation' })]);
    const { excel, storage } = await pulledThenEdited(client);
    const result = await syncPipeline({ client, excel, storage });
    expect(patches).toEqual([{ ifMatch: '"3"', body: { stage: 'negotiation' } }]);
    expect(result).toMatchObject({ updated: 1, conflicts: [] });
    // The hidden version column moves to the server's version, so the next sync sends nothing.
    expect((await excel.readTable('Pipeline')).rows[0]![COLUMNS.length + 1]).toBe(4);
    expect(await syncPipeline({ client, excel, storage })).toMatchObject({ updated: 0, unchanged: true });
    expect(patches).toHaveLength(1);
  });

  it('still reports a conflict when the server holds another value', async () => {
    const { client } = api([precondition({ ...deal, version: 4, stage: 'lost' })]);
    const { excel, storage } = await pulledThenEdited(client);
    const result = await syncPipeline({ client, excel, storage });
    expect(result.updated).toBe(0);
    expect(result.conflicts.map((c) => [c.column, c.mine, c.theirs])).toEqual([['stage', 'negotiation', 'lost']]);
  });
});

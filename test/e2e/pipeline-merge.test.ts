// The pipeline sync's merge against the real API (wrangler dev + local D1): the sync code of the
// Excel pane runs here on the browser-mode workbook, one per user, so each case can set up exactly
// the interleaving it is about. The panes themselves, in Chromium, are in pipeline-model.test.ts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiClient, type ApiClient } from '../../addin/api/client';
import type { DealListItem as DealRecord } from '../../addin/api/contract';
import { createFetchTransport } from '../../addin/api/transport';
import {
  COLUMNS,
  ID_COL,
  PIPELINE_TABLE,
  STATUS_COL,
  pullPipeline,
  refreshPipeline,
  resolveConflict,
  settleRefusal,
  syncPipeline,
  type Me,
} from '../../addin/excel/pipeline-sync';
import { createBrowserExcelHost, type BrowserExcelHost } from '../../addin/office/excel-browser';
import type { CellValue, KeyValueStorage } from '../../addin/office/types';
import { DEMO_USERS } from '../../scripts/lib/demo-seed';
import { startApi, type Api } from './harness';

let api: Api;

beforeAll(async () => {
  api = await startApi({ seed: false, vars: { RATE_LIMIT_PER_MIN: '0' } });
}, 600_000);

afterAll(async () => {
  await api?.stop();
});

function memoryStorage(): KeyValueStorage {
  const map = new Map<string, string>();
  return { get: (k) => map.get(k) ?? null, set: (k, v) => void map.set(k, v), remove: (k) => void map.delete(k) };
}

type Who = 'head' | 'manager' | 'manager2';
const USER: Record<Who, (typeof DEMO_USERS)[number]> = { head: DEMO_USERS[0], manager: DEMO_USERS[1], manager2: DEMO_USERS[2] };

interface Pane {
  who: Who;
  client: ApiClient;
  excel: BrowserExcelHost;
  storage: KeyValueStorage;
  me: Me;
  online: boolean;
}

/** A user's Excel pane without the page: their client (with an offline switch) and their workbook. */
function pane(who: Who): Pane {
  const storage = memoryStorage();
  const p = {
    who,
    storage,
    excel: createBrowserExcelHost({ sheets: { Sheet1: [['']] } }),
    me: { id: USER[who].id, name: USER[who].name, role: USER[who].role },
    online: true,
  } as Pane;
  const fetch = (async (input: string | URL | Request, init?: RequestInit) => {
    if (!p.online) throw new TypeError('Failed to fetch');
    return globalThis.fetch(input, init);
  }) as typeof globalThis.fetch;
  p.client = createApiClient({
    transport: createFetchTransport({ baseUrl: `${api.url}/api/v1`, getToken: () => api.tokens[who], fetch }),
    storage,
    retry: { retries: 1, sleep: async () => undefined },
    isOnline: () => p.online,
  });
  return p;
}

const opts = (p: Pane) => ({ client: p.client, excel: p.excel, storage: p.storage, me: p.me });
const headers = [...COLUMNS, 'id', 'version', 'status'];
const pull = (p: Pane, owner: 'me' | 'team' = 'team') => pullPipeline({ ...opts(p), owner, headers });

async function http<T = DealRecord>(
  who: Who,
  method: string,
  path: string,
  body?: unknown,
  extra: Record<string, string> = {},
): Promise<T> {
  const res = await fetch(`${api.url}/api/v1${path}`, {
    method,
    headers: { authorization: `Bearer ${api.tokens[who]}`, 'content-type': 'application/json', ...extra },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
  return (text ? JSON.parse(text) : null) as T;
}

let seq = 0;
/** A deal of `who` with a title unique to this run. */
const deal = (who: Who, o: Record<string, unknown> = {}) =>
  http(
    who,
    'POST',
    '/deals',
    { title: `Merge ${Date.now().toString(36)}-${++seq}`, amountMinor: 100_000, currency: 'BGN', stage: 'new', ...o },
    { 'idempotency-key': `seed-${Date.now()}-${seq}` },
  );
const server = (id: string) => http('head', 'GET', `/deals/${id}`);

async function rowOf(p: Pane, id: string): Promise<{ index: number; cells: CellValue[] }> {
  const table = await p.excel.readTable(PIPELINE_TABLE, { beside: 1 });
  const index = table.rows.findIndex((r) => r[ID_COL] === id);
  if (index < 0) throw new Error(`${p.who} has no row for ${id}`);
  return { index, cells: table.rows[index]! };
}

/** The user types into a cell of a deal's row. */
async function type(p: Pane, id: string, field: (typeof COLUMNS)[number], value: CellValue) {
  const { index } = await rowOf(p, id);
  const col = String.fromCharCode(65 + COLUMNS.indexOf(field));
  await p.excel.writeValues('Pipeline', `${col}${index + 2}`, [[value]]);
}
const cell = async (p: Pane, id: string, field: (typeof COLUMNS)[number]) => (await rowOf(p, id)).cells[COLUMNS.indexOf(field)];
const status = async (p: Pane, id: string) => String((await rowOf(p, id)).cells[STATUS_COL] ?? '');

describe('the pipeline sync against the real API', () => {
  it('sends a field only I changed against the colleague’s new version, and brings their other field into my cell', async () => {
    const d = await deal('manager');
    const ivan = pane('manager');
    const head = pane('head');
    await pull(ivan);
    await pull(head);
    await type(ivan, d.id, 'nextStep', 'Call on Monday');
    await type(head, d.id, 'amount', 2500);
    expect((await syncPipeline(opts(head))).updated).toBe(1);

    const r = await syncPipeline(opts(ivan));
    expect(r.conflicts).toEqual([]);
    expect(r.updated).toBe(1);
    expect(await server(d.id)).toMatchObject({ nextStep: 'Call on Monday', amountMinor: 250_000, version: 3 });
    expect(await cell(ivan, d.id, 'amount')).toBe(2500);
    expect(await status(ivan, d.id)).toBe('sent: nextStep; updated by a colleague: amount');
    // A second sync finds nothing left to do.
    expect(await syncPipeline(opts(ivan))).toMatchObject({ unchanged: true, updated: 0 });
  });

  it('calls only the same field changed to different values a conflict, and keeps both until the user picks', async () => {
    const d = await deal('manager', { stage: 'proposal' });
    const ivan = pane('manager');
    const head = pane('head');
    await pull(ivan);
    await pull(head);
    await type(ivan, d.id, 'stage', 'negotiation');
    await type(head, d.id, 'stage', 'qualified');
    await syncPipeline(opts(head));

    const r = await syncPipeline(opts(ivan));
    expect(r.conflicts.map((c) => [c.id, c.column, c.mine, c.theirs])).toEqual([[d.id, 'stage', 'negotiation', 'qualified']]);
    expect((await server(d.id)).stage).toBe('qualified');
    expect(await cell(ivan, d.id, 'stage')).toBe('negotiation');
    expect(await status(ivan, d.id)).toBe('conflict: stage');
    // The conflict stays until it is resolved: a refresh or another sync shows it again.
    expect((await refreshPipeline(opts(ivan))).conflicts.map((c) => c.column)).toEqual(['stage']);
    await resolveConflict({ ...opts(ivan), conflict: r.conflicts[0]!, keep: 'mine' });
    expect((await server(d.id)).stage).toBe('negotiation');
    expect(await syncPipeline(opts(ivan))).toMatchObject({ unchanged: true, conflicts: [] });
    // The head's sheet takes Ivan's value at its next refresh: no conflict there either.
    const h = await refreshPipeline(opts(head));
    expect(h.conflicts).toEqual([]);
    expect(await cell(head, d.id, 'stage')).toBe('negotiation');
  });

  it('refresh brings colleagues’ changes, new deals and deletions, and leaves cells I changed and did not send', async () => {
    const a = await deal('manager');
    const b = await deal('manager');
    const gone = await deal('manager2');
    const ivan = pane('manager');
    await pull(ivan);
    await type(ivan, a.id, 'nextStep', 'my unsent note');
    await http('head', 'PATCH', `/deals/${a.id}`, { nextStep: 'their note', stage: 'qualified' }, { 'if-match': `"${a.version}"` });
    await http('head', 'PATCH', `/deals/${b.id}`, { amountMinor: 777_00 }, { 'if-match': `"${b.version}"` });
    await http('head', 'DELETE', `/deals/${gone.id}`, undefined, { 'if-match': `"${gone.version}"` });
    const fresh = await deal('manager2');

    const r = await refreshPipeline(opts(ivan));
    expect(await cell(ivan, a.id, 'nextStep')).toBe('my unsent note');
    expect(await cell(ivan, a.id, 'stage')).toBe('qualified');
    expect(r.conflicts.map((c) => [c.id, c.column])).toEqual([[a.id, 'nextStep']]);
    expect(await cell(ivan, b.id, 'amount')).toBe(777);
    await expect(rowOf(ivan, gone.id)).rejects.toThrow(/no row/);
    expect(await cell(ivan, fresh.id, 'title')).toBe(fresh.title);
    expect(r).toMatchObject({ added: 1, removed: 1 });
    // Nothing was sent by a refresh.
    expect((await server(a.id)).nextStep).toBe('their note');

    // Pull re-reads the whole scope and still keeps the unsent edit.
    await pull(ivan);
    expect(await cell(ivan, a.id, 'nextStep')).toBe('my unsent note');
  });

  it('writes each row’s outcome and goes on past refused rows: a colleague’s deal, won without documents', async () => {
    const mine = await deal('manager');
    const other = await deal('manager2');
    const toWin = await deal('manager');
    const ivan = pane('manager');
    await pull(ivan);
    await type(ivan, other.id, 'amount', 1);
    await type(ivan, toWin.id, 'stage', 'won');
    await type(ivan, mine.id, 'nextStep', 'Send the offer');
    const r = await syncPipeline(opts(ivan));
    expect(r.updated).toBe(1);
    expect(r.refused.map((x) => [x.id, x.code]).sort()).toEqual(
      [
        [other.id, 'not_owner'],
        [toWin.id, 'document_missing'],
      ].sort(),
    );
    expect(await status(ivan, other.id)).toMatch(/^refused: Managers change only their own deals/);
    expect(await status(ivan, toWin.id)).toMatch(/^refused: .*missing/);
    expect(await status(ivan, mine.id)).toBe('sent: nextStep');
    expect((await server(mine.id)).nextStep).toBe('Send the offer');
    expect((await server(other.id)).amountMinor).toBe(100_000);

    // A refused edit is not sent again while the cells hold it.
    const before = (await server(toWin.id)).version;
    const again = await syncPipeline(opts(ivan));
    expect(again.refused).toHaveLength(2);
    expect((await server(toWin.id)).version).toBe(before);
    // Won without the package only on a head of sales' reason: the head's pane sends it, audited on the server.
    const head = pane('head');
    await pull(head);
    await type(head, toWin.id, 'stage', 'won');
    const byHead = await syncPipeline(opts(head));
    expect(byHead.refused.map((x) => [x.id, x.code])).toEqual([[toWin.id, 'document_missing']]);
    await settleRefusal({
      ...opts(head),
      refusal: byHead.refused[0]!,
      action: 'retry',
      overrideReason: 'Signed on paper',
    });
    expect((await server(toWin.id)).stage).toBe('won');
    // Taking the server's values back clears the refused row.
    await settleRefusal({ ...opts(ivan), refusal: again.refused.find((x) => x.id === other.id)!, action: 'discard' });
    expect(await cell(ivan, other.id, 'amount')).toBe(1000);
    expect(await syncPipeline(opts(ivan))).toMatchObject({ unchanged: true, refused: [] });
  });

  it('takes company and owner by name: a known company is looked up, an unknown one created, an unknown owner refused', async () => {
    const company = await http<{ id: string; name: string }>('head', 'POST', '/companies', { name: `Алфа ${Date.now().toString(36)} ООД` });
    const a = await deal('manager');
    const b = await deal('manager');
    const c = await deal('manager');
    const head = pane('head');
    await pull(head);
    const newName = `Нова Фирма ${Date.now().toString(36)}`;
    await type(head, a.id, 'company', company.name.toUpperCase());
    await type(head, b.id, 'company', newName);
    await type(head, b.id, 'owner', USER.manager2.name);
    await type(head, c.id, 'owner', 'Nobody Known');
    const r = await syncPipeline(opts(head));
    expect((await server(a.id)).companyId).toBe(company.id);
    const made = await server(b.id);
    expect(made.ownerId).toBe(USER.manager2.id);
    expect((await http<{ name: string }>('head', 'GET', `/companies/${made.companyId}`)).name).toBe(newName);
    expect(r.refused.map((x) => [x.id, x.code])).toEqual([[c.id, 'unknown_owner']]);
    expect((await server(c.id)).ownerId).toBe(USER.manager.id);
  });

  it('in browser mode, a downloaded workbook opened again syncs: the base travels in the file', async () => {
    const d = await deal('manager');
    const ivan = pane('manager');
    await pull(ivan, 'me');
    await type(ivan, d.id, 'nextStep', 'after reopening');
    const bytes = await ivan.excel.toXlsx();
    // Another day, another browser: only the file.
    const later = pane('manager');
    await later.excel.openFile(Object.assign(new Blob([bytes as BlobPart]), { name: 'pipeline.xlsx' }));
    await http('head', 'PATCH', `/deals/${d.id}`, { amountMinor: 4200_00 }, { 'if-match': `"${d.version}"` });
    const r = await syncPipeline(opts(later));
    expect(r).toMatchObject({ updated: 1, conflicts: [] });
    expect(await server(d.id)).toMatchObject({ nextStep: 'after reopening', amountMinor: 4200_00 });
    expect(await cell(later, d.id, 'amount')).toBe(4200);
  });

  it('offline, queues the changes; back online, sends them once and links the new rows to the deals they made', async () => {
    const d = await deal('manager');
    const ivan = pane('manager');
    await pull(ivan, 'me');
    const table = await ivan.excel.readTable(PIPELINE_TABLE);
    await type(ivan, d.id, 'stage', 'proposal');
    const title = `Offline ${Date.now().toString(36)}`;
    await ivan.excel.patchTable(PIPELINE_TABLE, {
      keyColumn: ID_COL,
      append: [[title, '', 'qualified', 900, 'EUR', '', '', '', '', '', '']],
    });
    ivan.online = false;
    const r = await syncPipeline(opts(ivan));
    expect(r).toMatchObject({ offline: true, queued: 2, updated: 0, created: 0 });
    expect(String(await (await ivan.excel.readTable(PIPELINE_TABLE)).rows[table.rows.length]![ID_COL])).toMatch(/^pending:/);
    // A sync still offline queues nothing twice.
    await syncPipeline(opts(ivan));
    expect(ivan.client.queue.size).toBe(2);

    ivan.online = true;
    expect(await ivan.client.flushQueue()).toMatchObject({ sent: 2, failed: [], remaining: 0 });
    const after = await syncPipeline(opts(ivan));
    expect(after).toMatchObject({ unchanged: true, added: 0, created: 0 });
    const rows = (await ivan.excel.readTable(PIPELINE_TABLE)).rows;
    const made = rows.find((row) => row[0] === title)!;
    expect(String(made[ID_COL])).toMatch(/^[0-9A-Z]{26}$/);
    expect(rows.filter((row) => row[0] === title)).toHaveLength(1);
    expect((await server(String(made[ID_COL]))).amountMinor).toBe(900_00);
    expect((await server(d.id)).stage).toBe('proposal');
  });

  it('keeps a row deleted on the server while I changed it, until I choose', async () => {
    const d = await deal('manager');
    const ivan = pane('manager');
    await pull(ivan, 'me');
    await type(ivan, d.id, 'amount', 12);
    await http('head', 'DELETE', `/deals/${d.id}`, undefined, { 'if-match': `"${d.version}"` });
    const r = await syncPipeline(opts(ivan));
    expect(r.conflicts.map((c) => [c.id, c.column, c.gone])).toEqual([[d.id, 'row', 'deleted']]);
    expect(await status(ivan, d.id)).toBe('deleted on the server; your changes were not sent');
    await resolveConflict({ ...opts(ivan), conflict: r.conflicts[0]!, keep: 'mine' });
    await syncPipeline(opts(ivan));
    expect(await server(d.id)).toMatchObject({ amountMinor: 1200 });
  });
});

// Pipeline as an Excel table: pull deals with a snapshot of what was pulled (partitioned storage),
// push only the rows that changed since, with If-Match; a 412 becomes per-cell conflicts (mine /
// theirs) and nothing is overwritten; rows without an id become deals (POST, Idempotency-Key).
import { parseDate, parseMoney, parseStage } from '../../shared/sheet';
import type { ApiClient, DealRecord } from '../api/client';
import { ApiError } from '../api/problem';
import type { CellValue, ExcelHost, KeyValueStorage, Matrix } from '../office/types';

export const PIPELINE_SHEET = 'Pipeline';
export const PIPELINE_TABLE = 'Pipeline';
const SNAPSHOT_KEY = 'pipeline.snapshot';
/** Visible columns, then the hidden id and version. */
export const COLUMNS = ['title', 'company', 'stage', 'amount', 'currency', 'expectedClose', 'nextStep', 'owner'] as const;
export const ID_COL = COLUMNS.length;
export const VERSION_COL = COLUMNS.length + 1;
/** Columns a sync sends (company and owner are shown, not edited here). */
const EDITABLE = ['title', 'stage', 'amount', 'currency', 'expectedClose', 'nextStep'] as const;
type Editable = (typeof EDITABLE)[number];
const COL: Record<Editable, number> = { title: 0, stage: 2, amount: 3, currency: 4, expectedClose: 5, nextStep: 6 };

type Values = Record<Editable, string | number | null>;
interface Snapshot {
  [id: string]: { version: number; values: Values };
}

export interface Conflict {
  id: string;
  row: number;
  title: string;
  column: Editable;
  mine: string | number | null;
  theirs: string | number | null;
  /** The server's row, to retry against its version. */
  current: DealRecord;
}

export interface SyncResult {
  updated: number;
  created: number;
  queued: number;
  conflicts: Conflict[];
  unchanged: boolean;
}

const valuesOf = (d: DealRecord): Values => ({
  title: d.title,
  stage: d.stage,
  amount: d.amountMinor / 100,
  currency: d.currency,
  expectedClose: d.expectedClose ?? null,
  nextStep: d.nextStep ?? null,
});

function readSnapshot(storage: KeyValueStorage): Snapshot {
  try {
    return (JSON.parse(storage.get(SNAPSHOT_KEY) ?? '{}') as Snapshot) ?? {};
  } catch {
    return {};
  }
}
const writeSnapshot = (storage: KeyValueStorage, s: Snapshot) => storage.set(SNAPSHOT_KEY, JSON.stringify(s));

/** What a cell says, in the API's terms (stage key, minor units, ISO date); undefined when unreadable. */
function fromCell(column: Editable, v: CellValue): string | number | null | undefined {
  if (v === null || v === '') return column === 'title' ? undefined : null;
  switch (column) {
    case 'stage':
      return parseStage(v) ?? undefined;
    case 'amount': {
      const m = parseMoney(v as string | number);
      return m ? m.amountMinor / 100 : undefined;
    }
    case 'expectedClose':
      return parseDate(v as string | number) ?? undefined;
    case 'currency':
      return String(v).trim().toUpperCase();
    default:
      return String(v).trim();
  }
}

const same = (a: unknown, b: unknown) => (a ?? null) === (b ?? null) || String(a ?? '') === String(b ?? '');

function patchBody(changes: Partial<Values>): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(changes)) {
    if (k === 'amount') body.amountMinor = Math.round(Number(v ?? 0) * 100);
    else body[k] = v;
  }
  return body;
}

function rowOf(d: DealRecord, companies: Map<string, string>, owners: Map<string, string>): CellValue[] {
  const v = valuesOf(d);
  return [
    v.title,
    d.companyId ? (companies.get(d.companyId) ?? '') : '',
    v.stage,
    v.amount,
    v.currency,
    v.expectedClose ?? '',
    v.nextStep ?? '',
    d.ownerId ? (owners.get(d.ownerId) ?? '') : '',
    d.id,
    d.version,
  ];
}

/** Pulls every deal of the scope into the Pipeline table and stores the snapshot. */
export async function pullPipeline(o: {
  client: ApiClient;
  excel: ExcelHost;
  storage: KeyValueStorage;
  owner: 'me' | 'team';
  headers: string[];
  companies?: Map<string, string>;
  owners?: Map<string, string>;
}): Promise<number> {
  const deals: DealRecord[] = [];
  for (let cursor: string | undefined; ;) {
    const page = await o.client.deals.list({ limit: 200, ...(o.owner === 'me' ? { owner: 'me' } : {}), ...(cursor ? { cursor } : {}) });
    deals.push(...page.items);
    if (!page.nextCursor) break;
    cursor = page.nextCursor;
  }
  const values: Matrix = [o.headers, ...deals.map((d) => rowOf(d, o.companies ?? new Map(), o.owners ?? new Map()))];
  await o.excel.addWorksheet(PIPELINE_SHEET, { replace: true, activate: true });
  const written = await o.excel.writeValues(PIPELINE_SHEET, 'A1', values);
  await o.excel.createTable(PIPELINE_SHEET, written.address, { name: PIPELINE_TABLE });
  await o.excel.setColumnsHidden(PIPELINE_SHEET, 'I:J', true);
  writeSnapshot(o.storage, Object.fromEntries(deals.map((d) => [d.id, { version: d.version, values: valuesOf(d) }])));
  return deals.length;
}

/** Sends the rows changed since the pull; answers what happened, conflicts included. */
export async function syncPipeline(o: {
  client: ApiClient;
  excel: ExcelHost;
  storage: KeyValueStorage;
  newKey?: () => string;
}): Promise<SyncResult> {
  const table = await o.excel.readTable(PIPELINE_TABLE);
  const snapshot = readSnapshot(o.storage);
  const result: SyncResult = { updated: 0, created: 0, queued: 0, conflicts: [], unchanged: true };
  const idCells: Array<{ row: number; id: CellValue; version: CellValue }> = [];
  for (const [i, cells] of table.rows.entries()) {
    const id = String(cells[ID_COL] ?? '').trim();
    const mine: Partial<Values> = {};
    for (const k of EDITABLE) {
      const v = fromCell(k, cells[COL[k]] ?? null);
      if (v !== undefined) mine[k] = v;
    }
    if (!id) {
      if (!mine.title) continue;
      result.unchanged = false;
      const sent = await o.client.mutate<DealRecord>({ method: 'POST', path: '/deals', body: patchBody(mine) });
      if (sent.status === 'sent') {
        result.created++;
        snapshot[sent.data.id] = { version: sent.data.version, values: valuesOf(sent.data) };
        idCells.push({ row: i, id: sent.data.id, version: sent.data.version });
      } else {
        result.queued++;
        idCells.push({ row: i, id: `pending:${sent.change.idempotencyKey}`, version: '' });
      }
      continue;
    }
    const before = snapshot[id];
    if (!before || id.startsWith('pending:')) continue;
    const changes: Partial<Values> = {};
    for (const k of EDITABLE) if (k in mine && !same(mine[k], before.values[k])) changes[k] = mine[k]!;
    if (Object.keys(changes).length === 0) continue;
    result.unchanged = false;
    try {
      const sent = await o.client.mutate<DealRecord>({
        method: 'PATCH',
        path: `/deals/${encodeURIComponent(id)}`,
        body: patchBody(changes),
        headers: { 'If-Match': `"${before.version}"` },
      });
      if (sent.status === 'sent') {
        result.updated++;
        snapshot[id] = { version: sent.data.version, values: valuesOf(sent.data) };
        idCells.push({ row: i, id, version: sent.data.version });
      } else {
        // Sent after reconnect with this If-Match; the server then bumps the version by one.
        // Recording that now keeps a second Sync from queueing the same change again.
        result.queued++;
        snapshot[id] = { version: before.version + 1, values: { ...before.values, ...changes } };
      }
    } catch (error) {
      if (!(error instanceof ApiError) || error.status !== 412) throw error;
      const current = (error.problem as { current?: DealRecord }).current;
      if (!current) throw error;
      const theirs = valuesOf(current);
      const differing = (Object.keys(changes) as Editable[]).filter((k) => !same(changes[k] ?? null, theirs[k]));
      if (differing.length === 0) {
        // The server already holds exactly this change: our earlier send was applied and its
        // answer lost (a crash, a dropped connection), or a colleague made the same edit.
        result.updated++;
        snapshot[id] = { version: current.version, values: theirs };
        idCells.push({ row: i, id, version: current.version });
        continue;
      }
      for (const k of differing) {
        result.conflicts.push({ id, row: i, title: String(theirs.title), column: k, mine: changes[k] ?? null, theirs: theirs[k], current });
      }
    }
  }
  writeSnapshot(o.storage, snapshot);
  // New ids and versions go back in one write of the two hidden columns.
  if (idCells.length) {
    const block: Matrix = table.rows.map((r) => [r[ID_COL] ?? '', r[VERSION_COL] ?? '']);
    for (const c of idCells) block[c.row] = [c.id, c.version];
    await o.excel.writeValues(table.sheet, 'I2', block);
  }
  return result;
}

/** The user picked a side of a conflict: mine is sent against their version, theirs is written to the cell. */
export async function resolveConflict(o: {
  client: ApiClient;
  excel: ExcelHost;
  storage: KeyValueStorage;
  conflict: Conflict;
  keep: 'mine' | 'theirs';
  sheet?: string;
}): Promise<void> {
  const { conflict: c } = o;
  const snapshot = readSnapshot(o.storage);
  const sheet = o.sheet ?? PIPELINE_SHEET;
  const letter = 'ABCDEFGHIJ'[COL[c.column]]!;
  if (o.keep === 'theirs') {
    await o.excel.writeValues(sheet, `${letter}${c.row + 2}`, [[c.theirs ?? '']]);
    snapshot[c.id] = { version: c.current.version, values: valuesOf(c.current) };
    await o.excel.writeValues(sheet, `J${c.row + 2}`, [[c.current.version]]);
  } else {
    const sent = await o.client.mutate<DealRecord>({
      method: 'PATCH',
      path: `/deals/${encodeURIComponent(c.id)}`,
      body: patchBody({ [c.column]: c.mine }),
      headers: { 'If-Match': `"${c.current.version}"` },
    });
    if (sent.status === 'sent') {
      snapshot[c.id] = { version: sent.data.version, values: valuesOf(sent.data) };
      await o.excel.writeValues(sheet, `J${c.row + 2}`, [[sent.data.version]]);
    }
  }
  writeSnapshot(o.storage, snapshot);
}

// The Pipeline table in two-way sync with the API, merged three ways per field: the base (what was
// last merged, on a very hidden sheet, see pipeline-base.ts), mine (the cells) and theirs (the
// server). A field only I changed is sent against the server's current version; a field only a
// colleague changed is written into the cell; only the same field changed to different values is
// a conflict, shown with both values. Refresh brings colleagues' changes, new deals and deletions
// (updatedSince, tombstones included) without touching cells I changed and have not sent; Pull
// re-reads the whole scope the same way. Each row's outcome goes into its Status cell, and a row
// the server refuses never stops the others.
import { companyKey } from '../../shared/identity';
import { parseDate, parseMoney } from '../../shared/sheet';
import type { Stage } from '../../shared/schemas';
import { mergeRecord, sameValue, type FieldConflict, type MergeValue } from '../../shared/sync/three-way-merge';
import type { ApiClient } from '../api/client';
import type { Body, DealListItem as DealRecord } from '../api/contract';
import { ApiError } from '../api/problem';
import { columnLetters } from '../office/a1';
import type { CellValue, ExcelHost, KeyValueStorage, Matrix, RowTarget, TablePatch } from '../office/types';
import {
  COLUMNS,
  emptyBase,
  ID_COL,
  PIPELINE_SHEET,
  PIPELINE_TABLE,
  readBase,
  STATUS_COL,
  VERSION_COL,
  writeBase,
  type BaseDeal,
  type Field,
  type PipelineBase,
  type Shown,
} from './pipeline-base';
import { stageList, stageOfCell, type StageNames } from './pipeline-stages';
import { writeStanding, type StandingText } from './pipeline-standing';

export { SYNC_SHEET, PIPELINE_SHEET, PIPELINE_TABLE, COLUMNS, ID_COL, VERSION_COL, STATUS_COL, type Field } from './pipeline-base';
const COL = Object.fromEntries(COLUMNS.map((c, i) => [c, i])) as Record<Field, number>;
const CURRENCIES = ['BGN', 'EUR', 'RUB', 'USD'];
/**
 * A refresh re-reads the last minute before its watermark: a change is stamped before its write
 * commits, so one stamped just before the newest change seen may land after it was read.
 */
const OVERLAP_MS = 60_000;
const PAGE = 200;

export interface Me {
  id: string;
  name: string;
  role: string;
}

/** What happened to one row in the last run; the Status cell says it in the user's language. */
export interface RowStatus {
  sent?: Field[];
  created?: boolean;
  merged?: Field[];
  added?: boolean;
  conflicts?: Field[];
  refused?: { reason: string; code: string };
  queued?: boolean;
  gone?: 'deleted' | 'scope';
  failed?: string;
}

export interface Conflict {
  id: string;
  row: number;
  title: string;
  /** The field, or 'row' when the deal left the server (deleted or out of the scope) while changed here. */
  column: Field | 'row';
  mine: MergeValue;
  theirs: MergeValue;
  gone?: 'deleted' | 'scope';
  /** The server's row, to send mine against its version. */
  current?: DealRecord;
}

export interface Refusal {
  id: string | null;
  title: string;
  reason: string;
  code: string;
  fields: Field[];
}

export interface SyncResult {
  updated: number;
  created: number;
  queued: number;
  conflicts: Conflict[];
  refused: Refusal[];
  /** Rows whose cells took colleagues' changes. */
  merged: number;
  /** Rows added for deals new to the sheet, and removed for deals gone from the server. */
  added: number;
  removed: number;
  /** Nothing was sent, written or found in conflict. */
  unchanged: boolean;
  /** The server could not be reached: colleagues' changes wait for the next refresh. */
  offline: boolean;
  /** Rows in the table after the run. */
  rows: number;
}

export interface PipelineOptions {
  client: ApiClient;
  excel: ExcelHost;
  storage: KeyValueStorage;
  /** The signed-in user: the "me" scope and the owner column's names. */
  me?: Me | null;
  /** The Status cell's text for a row's outcome (English words by default). */
  describe?: (status: RowStatus) => string;
  /** The Status column's header, written above it the first time a row has a status. */
  statusHeader?: string;
  /** Stage cells and their drop-down in the user's words; the stage keys when omitted. */
  stageNames?: StageNames;
  /** The read-only columns beside the Status (document package, competitors), rewritten after each run. */
  standing?: StandingText;
}

type Mode = 'pull' | 'refresh' | 'sync';

const isNetwork = (e: unknown) => e instanceof ApiError && e.code === 'network';

/** Compares two shown values; names of companies and owners ignore case. */
const same = (a: MergeValue, b: MergeValue, f: Field) =>
  f === 'company' || f === 'owner' ? sameValue(lower(a), lower(b)) : sameValue(a, b);
const lower = (v: MergeValue) => (typeof v === 'string' ? v.trim().toLowerCase() : v);

export function defaultDescribe(s: RowStatus): string {
  const parts: string[] = [];
  if (s.refused) parts.push(`refused: ${s.refused.reason}`);
  if (s.gone) parts.push(s.gone === 'deleted' ? 'deleted on the server; your changes were not sent' : 'no longer in this pipeline');
  if (s.conflicts?.length) parts.push(`conflict: ${s.conflicts.join(', ')}`);
  if (s.created) parts.push('created');
  if (s.sent?.length) parts.push(`sent: ${s.sent.join(', ')}`);
  if (s.queued) parts.push('waiting for the connection');
  if (s.merged?.length) parts.push(`updated by a colleague: ${s.merged.join(', ')}`);
  if (s.added) parts.push('new from the server');
  if (s.failed) parts.push(`not sent (${s.failed}); sync again`);
  return parts.join('; ');
}

/** What a cell says, in shown terms; `invalid` when it cannot be read as its column's kind. */
function fromCell(field: Field, v: CellValue): { value: MergeValue; invalid?: boolean } {
  if (v === null || v === '' || (typeof v === 'string' && v.trim() === '')) return { value: null };
  switch (field) {
    case 'stage': {
      const s = stageOfCell(v);
      return s ? { value: s } : { value: String(v).trim(), invalid: true };
    }
    case 'amount': {
      if (typeof v === 'number') return Number.isFinite(v) && v >= 0 ? { value: v } : { value: v, invalid: true };
      const m = parseMoney(v as string);
      return m && m.amountMinor >= 0 ? { value: m.amountMinor / 100 } : { value: String(v).trim(), invalid: true };
    }
    case 'currency': {
      const c = String(v).trim().toUpperCase();
      return CURRENCIES.includes(c) ? { value: c } : { value: c, invalid: true };
    }
    case 'expectedClose': {
      const d = parseDate(v as string | number);
      return d ? { value: d } : { value: String(v).trim(), invalid: true };
    }
    default:
      return { value: String(v).trim() };
  }
}

function mineOf(cells: CellValue[]): { values: Shown; invalid: Field[] } {
  const values = {} as Shown;
  const invalid: Field[] = [];
  for (const f of COLUMNS) {
    const read = fromCell(f, cells[COL[f]] ?? null);
    values[f] = read.value;
    if (read.invalid) invalid.push(f);
  }
  if (values.title === null) invalid.push('title');
  return { values, invalid };
}

const toCell = (f: Field, v: MergeValue, names?: StageNames): CellValue =>
  v === null || v === undefined ? '' : f === 'amount' ? Number(v) : f === 'stage' && names ? (names[v as Stage] ?? v) : v;

function shownOf(d: DealRecord, base: PipelineBase): Shown {
  return {
    title: d.title,
    company: d.companyId ? (base.companies.get(d.companyId) ?? null) : null,
    stage: d.stage,
    amount: d.amountMinor / 100,
    currency: d.currency,
    expectedClose: d.expectedClose ?? null,
    nextStep: d.nextStep ?? null,
    owner: d.ownerId ? (base.users.get(d.ownerId) ?? null) : null,
  };
}

function baseDealOf(d: DealRecord, base: PipelineBase): BaseDeal {
  return { v: d.version, s: shownOf(d, base), companyId: d.companyId ?? null, ownerId: d.ownerId ?? null };
}

/** The shown values of a base entry with today's names for its ids (a company renamed since shows its new name). */
function currentShown(b: BaseDeal, base: PipelineBase): Shown {
  const s = { ...b.s };
  if (b.companyId && base.companies.has(b.companyId)) s.company = base.companies.get(b.companyId)!;
  if (b.ownerId && base.users.has(b.ownerId)) s.owner = base.users.get(b.ownerId)!;
  return s;
}

const rowOf = (s: Shown, id: string, version: number | string, names: StageNames | undefined, status = ''): CellValue[] => [
  ...COLUMNS.map((f) => toCell(f, s[f], names)),
  id,
  version,
  status,
];

async function listDeals(client: ApiClient, query: Record<string, string>): Promise<DealRecord[]> {
  const out: DealRecord[] = [];
  for (let cursor: string | undefined; ;) {
    const page = await client.get('/deals', { query: { limit: PAGE, ...query, ...(cursor ? { cursor } : {}) } });
    out.push(...page.items);
    if (!page.nextCursor) return out;
    cursor = page.nextCursor;
  }
}

/** Names for the company and owner ids the sheet is about to show. */
async function learnNames(o: PipelineOptions, base: PipelineBase, deals: DealRecord[]): Promise<void> {
  if (o.me) base.users.set(o.me.id, o.me.name);
  const owners = new Set(deals.map((d) => d.ownerId).filter((id): id is string => !!id && !base.users.has(id)));
  if (owners.size && o.me && o.me.role !== 'manager') {
    const users = await o.client.get('/users').catch(() => ({ items: [] }));
    for (const u of users.items) base.users.set(u.id, u.name);
  }
  const missing = [...new Set(deals.map((d) => d.companyId).filter((id): id is string => !!id && !base.companies.has(id)))];
  if (missing.length > 20) {
    // Many at once (a first pull): the organisation's companies page by page beats one call each.
    const wanted = new Set(missing);
    for (let cursor: string | undefined, page = 0; wanted.size && page < 50; page++) {
      const list = await o.client.get('/companies', { query: { limit: PAGE, ...(cursor ? { cursor } : {}) } });
      for (const c of list.items) {
        base.companies.set(c.id, c.name);
        wanted.delete(c.id);
      }
      if (!list.nextCursor) break;
      cursor = list.nextCursor;
    }
  }
  const still = missing.filter((id) => !base.companies.has(id)).slice(0, 50);
  for (let i = 0; i < still.length; i += 5)
    await Promise.all(
      still.slice(i, i + 5).map(async (id) => {
        const c = await o.client.get('/companies/:id', { params: { id } }).catch(() => null);
        if (c) base.companies.set(id, c.name);
      }),
    );
}

/** Companies renamed since the watermark: their new names show in every row that names them. */
async function learnRenames(o: PipelineOptions, base: PipelineBase, since: string | null): Promise<void> {
  if (!since || base.companies.size === 0) return;
  const list = await o.client.get('/companies', { query: { limit: PAGE, updatedSince: since } });
  for (const c of list.items) if (base.companies.has(c.id) && !c.deletedAt) base.companies.set(c.id, c.name);
}

interface Plan {
  set: NonNullable<TablePatch['set']>;
  remove: NonNullable<TablePatch['remove']>;
  append: Matrix;
  /** Fields whose cell write, if left alone (the user typed meanwhile), must keep their old ancestor. */
  takes: Array<{ id: string; field: Field; ancestor: MergeValue }>;
  statuses: Map<number, RowStatus>;
  appendStatuses: RowStatus[];
}

function problemReason(error: ApiError): { reason: string; code: string } {
  const codes = error.fieldErrors.map((e) => e.code);
  const code = codes.includes('not_owner')
    ? 'not_owner'
    : codes.includes('owner_not_allowed')
      ? 'owner_not_allowed'
      : codes.includes('document_missing')
        ? 'document_missing'
        : String(error.problem.code ?? error.code);
  const detail = error.fieldErrors.length ? error.fieldErrors.map((e) => e.message).join(' ') : (error.detail ?? error.title);
  return { reason: detail, code };
}

/** What a row sends: the fields of PATCH /deals/:id (a new row's, those of POST /deals). */
type DealBody = Body<'PATCH', '/deals/:id'>;
/** A new row's body: every non-empty column, the title among them (a row without one is not sent). */
const newDeal = (body: DealBody) => body as Body<'POST', '/deals'>;

/** Values of the fields a PATCH or POST sends, in the API's terms; names resolved to ids first. */
async function bodyOf(
  o: PipelineOptions,
  base: PipelineBase,
  fields: Partial<Shown>,
  mode: Mode,
): Promise<{ body: DealBody } | { refused: { reason: string; code: string } } | { later: string }> {
  const body: DealBody = {};
  for (const [f, v] of Object.entries(fields) as Array<[Field, MergeValue]>) {
    if (f === 'amount') body.amountMinor = Math.round(Number(v ?? 0) * 100);
    else if (f === 'company') {
      const resolved = await resolveCompany(o, base, v, mode);
      if ('id' in resolved) body.companyId = resolved.id;
      else return resolved;
    } else if (f === 'owner') {
      const name = lower(v);
      if (!name) body.ownerId = null;
      else {
        const id = [...base.users].find(([, n]) => n.trim().toLowerCase() === name)?.[0];
        if (!id) return { refused: { reason: `no user named “${String(v)}”`, code: 'unknown_owner' } };
        body.ownerId = id;
      }
    } else (body as Record<string, unknown>)[f] = v === null ? null : v; // as the cell holds it; the API checks it
  }
  return { body };
}

async function resolveCompany(
  o: PipelineOptions,
  base: PipelineBase,
  name: MergeValue,
  mode: Mode,
): Promise<{ id: string | null } | { refused: { reason: string; code: string } } | { later: string }> {
  const text = typeof name === 'string' ? name.trim() : name === null ? '' : String(name);
  if (!text) return { id: null };
  const cached = [...base.companies].find(([, n]) => n.trim().toLowerCase() === text.toLowerCase());
  if (cached) return { id: cached[0] };
  if (mode !== 'sync') return { later: 'company' };
  const key = companyKey(text);
  try {
    const found = await o.client.get('/companies', { query: { q: key || text, limit: 50 } });
    const exact = found.items.filter((c) => c.name.trim().toLowerCase() === text.toLowerCase());
    const byKey = found.items.filter((c) => companyKey(c.name) === key);
    const pick = exact.length === 1 ? exact[0] : exact.length === 0 && byKey.length === 1 ? byKey[0] : null;
    if (pick) {
      base.companies.set(pick.id, pick.name);
      return { id: pick.id };
    }
    if (exact.length > 1 || byKey.length > 1)
      return { refused: { reason: `several companies are named “${text}”; pick one by its exact name`, code: 'ambiguous_company' } };
    const created = await o.client.create('/companies', { body: { name: text } });
    base.companies.set(created.id, created.name);
    return { id: created.id };
  } catch (e) {
    if (isNetwork(e)) return { later: 'network' };
    if (e instanceof ApiError) {
      const r = problemReason(e);
      return { refused: { reason: `the company “${text}” could not be created: ${r.reason}`, code: r.code } };
    }
    throw e;
  }
}

const signature = (s: Shown) => JSON.stringify(COLUMNS.map((f) => s[f]));

/** Pulls every deal of the scope into the Pipeline table (made here the first time); answers how many rows it holds. */
export async function pullPipeline(
  o: PipelineOptions & { owner: 'me' | 'team'; headers: string[]; companies?: Map<string, string>; owners?: Map<string, string> },
): Promise<number> {
  const tables = await o.excel.listTables();
  if (tables.some((t) => t.name.toLowerCase() === PIPELINE_TABLE.toLowerCase())) {
    return (await runPipeline({ statusHeader: o.headers[STATUS_COL], ...o }, 'pull', o.owner)).rows;
  }
  const base = emptyBase(o.owner);
  for (const [id, name] of o.companies ?? []) base.companies.set(id, name);
  for (const [id, name] of o.owners ?? []) base.users.set(id, name);
  const deals = (await listDeals(o.client, o.owner === 'me' ? { owner: 'me' } : {})).filter((d) => !d.deletedAt);
  await learnNames(o, base, deals);
  for (const d of deals) base.deals.set(d.id, baseDealOf(d, base));
  base.watermark = deals.reduce<string | null>(
    (w, d) => (typeof d.updatedAt === 'string' && (!w || d.updatedAt > w) ? d.updatedAt : w),
    null,
  );
  const headers = o.headers.slice(0, STATUS_COL);
  const values: Matrix = [headers, ...deals.map((d) => rowOf(base.deals.get(d.id)!.s, d.id, d.version, o.stageNames).slice(0, STATUS_COL))];
  await o.excel.addWorksheet(PIPELINE_SHEET, { replace: true, activate: true });
  const written = await o.excel.writeValues(PIPELINE_SHEET, 'A1', values);
  await o.excel.createTable(PIPELINE_SHEET, written.address, { name: PIPELINE_TABLE });
  await o.excel.setColumnsHidden(PIPELINE_SHEET, `${columnLetters(ID_COL)}:${columnLetters(VERSION_COL)}`, true);
  await o.excel.setListValidation(PIPELINE_SHEET, stageRange(deals.length), stageList(o.stageNames));
  await writeBase(o.excel, base, o.storage);
  await standingOf(o);
  return deals.length;
}

const stageRange = (rows: number) => `${columnLetters(COL.stage)}2:${columnLetters(COL.stage)}${Math.max(2, rows + 1)}`;

/** Brings colleagues' changes, new deals and deletions into the table; sends nothing. */
export const refreshPipeline = (o: PipelineOptions) => runPipeline(o, 'refresh');

/** Refreshes and sends the rows changed here; a refused row never stops the others. */
export const syncPipeline = (o: PipelineOptions) => runPipeline(o, 'sync');

async function runPipeline(o: PipelineOptions, mode: Mode, scope?: 'me' | 'team'): Promise<SyncResult> {
  const describe = o.describe ?? defaultDescribe;
  const table = await o.excel.readTable(PIPELINE_TABLE, { beside: 1 });
  const read = await readBase(o.excel, o.storage);
  const legacy = !!(read as (PipelineBase & { legacy?: boolean }) | null)?.legacy;
  const base = read ?? emptyBase(scope ?? 'me');
  if (scope) base.scope = scope;
  const result: SyncResult = {
    updated: 0,
    created: 0,
    queued: 0,
    conflicts: [],
    refused: [],
    merged: 0,
    added: 0,
    removed: 0,
    unchanged: true,
    offline: false,
    rows: 0,
  };

  // Theirs: the whole scope (pull) or what changed since the watermark, tombstones included.
  let changes: DealRecord[] = [];
  const complete = mode === 'pull' || !read;
  try {
    if (complete) changes = (await listDeals(o.client, base.scope === 'me' ? { owner: 'me' } : {})).filter((d) => !d.deletedAt);
    else {
      const since = base.watermark ? new Date(Date.parse(base.watermark) - OVERLAP_MS).toISOString() : new Date(0).toISOString();
      changes = await listDeals(o.client, { updatedSince: since });
      await learnRenames(o, base, base.watermark ? since : null);
    }
    await learnNames(o, base, changes);
  } catch (e) {
    if (!isNetwork(e) || mode === 'pull') throw e;
    result.offline = true;
  }
  const incoming = new Map<string, DealRecord>();
  for (const d of changes) {
    const known = base.deals.get(d.id);
    if (!known || d.version > known.v || legacy) incoming.set(d.id, d);
  }
  for (const d of changes)
    if (typeof d.updatedAt === 'string' && (!base.watermark || d.updatedAt > base.watermark)) base.watermark = d.updatedAt;
  const listed = new Set(changes.map((d) => d.id));
  const inScope = (d: DealRecord) => !d.deletedAt && (base.scope === 'team' || !o.me || d.ownerId === o.me.id);

  const pending = new Set(o.client.queue.list().map((c) => c.idempotencyKey));
  const failures = new Map(o.client.queue.failures().map((f) => [f.change.idempotencyKey, f]));

  const plan: Plan = { set: [], remove: [], append: [], takes: [], statuses: new Map(), appendStatuses: [] };
  const statusOf = (row: number) => {
    let s = plan.statuses.get(row);
    if (!s) plan.statuses.set(row, (s = {}));
    return s;
  };
  const at = (row: number, id: string | null): RowTarget => (id ? { key: id } : { row, match: table.rows[row]!.slice(0, COLUMNS.length) });
  const setCell = (row: number, id: string | null, col: number, value: CellValue, expect?: CellValue) =>
    plan.set.push({ at: at(row, id), col, value, ...(expect !== undefined ? { expect } : {}) });

  // The sheet's rows by id (a duplicated row counts once: the first).
  const sheetRow = new Map<string, number>();
  const blankRows: number[] = [];
  table.rows.forEach((cells, i) => {
    const id = String(cells[ID_COL] ?? '').trim();
    if (id && !sheetRow.has(id)) sheetRow.set(id, i);
    if (!id && cells.slice(0, COLUMNS.length).every((c) => c === '' || c === null)) blankRows.push(i);
  });

  /** A new deal's blank cells show what the server filled in (owner, currency...), so they do not read as edits. */
  const fillDefaults = (row: number, id: string | null, cells: CellValue[], shown: Shown) => {
    for (const f of COLUMNS) {
      const was = cells[COL[f]] ?? '';
      if ((was === '' || was === null) && shown[f] !== null) setCell(row, id, COL[f], toCell(f, shown[f], o.stageNames), was);
    }
  };

  // Sends, done after the plan so every row's merge sees the same server state.
  const sends: Array<{ row: number; send: () => Promise<void> }> = [];

  // Rows typed here: new deals, and creates that waited in the offline queue.
  const claimed = new Set<string>();
  for (const [i, cells] of table.rows.entries()) {
    const id = String(cells[ID_COL] ?? '').trim();
    if (id && !id.startsWith('pending:')) continue;
    const { values, invalid } = mineOf(cells);
    if (!id && blankRows.includes(i)) continue;
    if (id.startsWith('pending:')) {
      const key = id.slice('pending:'.length);
      const create = base.creates.get(key);
      if (pending.has(key)) {
        statusOf(i).queued = true;
        continue;
      }
      const failed = failures.get(key);
      if (failed || !create) {
        if (failed) base.refusedNew.set(signature(values), { reason: failed.message, code: failed.code });
        base.creates.delete(key);
        setCell(i, id, ID_COL, '');
        statusOf(i).refused = failed ? { reason: failed.message, code: failed.code } : { reason: 'not sent', code: 'unknown' };
        continue;
      }
      // Sent after reconnect: the deal it made is among the new ones (its answer went to the queue).
      // Fields the row left blank took the server's defaults (the owner, the currency...).
      const given = COLUMNS.filter((f) => create.values[f] !== null);
      const made = [...incoming.values()].find(
        (d) =>
          !base.deals.has(d.id) &&
          !sheetRow.has(d.id) &&
          !claimed.has(d.id) &&
          given.every((f) => same(shownOf(d, base)[f], create.values[f], f)),
      );
      if (made) {
        claimed.add(made.id);
        base.deals.set(made.id, baseDealOf(made, base));
        base.creates.delete(key);
        setCell(i, id, ID_COL, made.id);
        setCell(i, id, VERSION_COL, made.version);
        fillDefaults(i, id, cells, base.deals.get(made.id)!.s);
        sheetRow.set(made.id, i);
        continue;
      }
      if (mode !== 'sync' || result.offline) continue;
      // Otherwise the same create again, with its key: the server answers the deal it made then.
      sends.push({
        row: i,
        send: async () => {
          try {
            const d = await o.client.send(
              { method: 'POST', path: '/deals', body: create.body, headers: { 'Idempotency-Key': key } },
              { idempotent: true },
            );
            base.deals.set(d.id, baseDealOf(d, base));
            base.creates.delete(key);
            setCell(i, id, ID_COL, d.id);
            setCell(i, id, VERSION_COL, d.version);
            fillDefaults(i, id, cells, base.deals.get(d.id)!.s);
            claimed.add(d.id);
          } catch (e) {
            if (!isNetwork(e)) throw e;
            statusOf(i).queued = true;
          }
        },
      });
      continue;
    }
    // A new row.
    const sig = signature(values);
    const refused = base.refusedNew.get(sig);
    if (refused) {
      statusOf(i).refused = refused;
      result.refused.push({ id: null, title: String(values.title ?? ''), ...refused, fields: [] });
      continue;
    }
    if (invalid.length) {
      const r = invalidReason(invalid, values);
      statusOf(i).refused = r;
      result.refused.push({ id: null, title: String(values.title ?? ''), ...r, fields: invalid });
      continue;
    }
    if (mode !== 'sync') continue;
    result.unchanged = false;
    sends.push({
      row: i,
      send: async () => {
        const fields = Object.fromEntries(COLUMNS.filter((f) => values[f] !== null).map((f) => [f, values[f]])) as Partial<Shown>;
        const made = await bodyOf(o, base, fields, mode);
        if ('later' in made) {
          statusOf(i).failed = made.later;
          return;
        }
        if ('refused' in made) {
          base.refusedNew.set(sig, made.refused);
          statusOf(i).refused = made.refused;
          result.refused.push({ id: null, title: String(values.title ?? ''), ...made.refused, fields: [] });
          return;
        }
        try {
          const sent = await o.client.mutate({ method: 'POST', path: '/deals', body: newDeal(made.body) });
          if (sent.status === 'sent') {
            result.created++;
            base.deals.set(sent.data.id, baseDealOf(sent.data, base));
            claimed.add(sent.data.id);
            setCell(i, null, ID_COL, sent.data.id);
            setCell(i, null, VERSION_COL, sent.data.version);
            fillDefaults(i, null, cells, base.deals.get(sent.data.id)!.s);
            statusOf(i).created = true;
          } else {
            result.queued++;
            base.creates.set(sent.change.idempotencyKey, { key: sent.change.idempotencyKey, body: newDeal(made.body), values });
            setCell(i, null, ID_COL, `pending:${sent.change.idempotencyKey}`);
            statusOf(i).queued = true;
          }
        } catch (e) {
          if (!(e instanceof ApiError)) throw e;
          if (e.retryable) {
            statusOf(i).failed = e.code;
            return;
          }
          const r = problemReason(e);
          base.refusedNew.set(sig, r);
          statusOf(i).refused = r;
          result.refused.push({ id: null, title: String(values.title ?? ''), ...r, fields: [] });
        }
      },
    });
  }

  // Rows with an id: merged against the base, whether or not the server changed them.
  const ids = new Set<string>([...base.deals.keys(), ...sheetRow.keys(), ...incoming.keys()]);
  for (const id of ids) {
    if (id.startsWith('pending:') || claimed.has(id)) continue;
    const b = base.deals.get(id);
    const row = sheetRow.get(id);
    const inc = incoming.get(id);
    const cells = row !== undefined ? table.rows[row]! : null;
    const mine = cells ? mineOf(cells) : null;

    // Theirs, and what made it go if it went.
    let theirs: Shown | null;
    let theirsV = b?.v ?? 0;
    let goneWhy: 'deleted' | 'scope' | undefined;
    if (inc) {
      theirsV = inc.version;
      if (inScope(inc)) theirs = shownOf(inc, base);
      else {
        theirs = null;
        goneWhy = inc.deletedAt ? 'deleted' : 'scope';
      }
    } else if (b?.gone) {
      theirs = null;
      goneWhy = b.gone;
    } else if (complete && !listed.has(id)) {
      theirs = null;
      goneWhy = 'scope';
    } else if (b) theirs = currentShown(b, base);
    else continue; // a row whose deal this pane never saw and the server did not list: left alone

    // The ancestor, with a queued change counted once the queue has sent it.
    let ancestor: Shown | null = b ? { ...b.s, ...b.a } : null;
    let waiting = false;
    if (b?.p) {
      if (pending.has(b.p.key)) waiting = true;
      else {
        if (!failures.has(b.p.key) && ancestor) ancestor = { ...ancestor, ...b.p.values };
        delete b.p;
      }
    }
    if (legacy && ancestor && mine) {
      // An older pane kept no company or owner: take the sheet's as agreed.
      ancestor.company ??= mine.values.company;
      ancestor.owner ??= mine.values.owner;
    }

    const merged = mergeRecord(COLUMNS, ancestor, mine?.values ?? null, theirs, same);
    if (merged.kind === 'none') {
      base.deals.delete(id);
      continue;
    }
    if (merged.kind === 'remove') {
      plan.remove.push({ key: id, expect: cells!.slice(0, COLUMNS.length) });
      base.deals.delete(id);
      result.removed++;
      result.unchanged = false;
      continue;
    }
    if (merged.kind === 'deleted-conflict') {
      const entry = b ?? { v: theirsV, s: mine!.values, companyId: null, ownerId: null };
      entry.gone = goneWhy ?? 'deleted';
      if (inc) entry.v = inc.version;
      base.deals.set(id, entry);
      statusOf(row!).gone = entry.gone;
      result.conflicts.push({
        id,
        row: row!,
        title: String(mine!.values.title ?? ''),
        column: 'row',
        mine: null,
        theirs: null,
        gone: entry.gone,
      });
      result.unchanged = false;
      continue;
    }
    if (merged.kind === 'add') {
      const s = theirs!;
      if (!b || inc) base.deals.set(id, inc ? baseDealOf(inc, base) : b!);
      const status = describe({ added: true });
      const slot = blankRows.shift();
      if (slot !== undefined) {
        const values = rowOf(s, id, theirsV, o.stageNames, status);
        values.forEach((v, c) => setCell(slot, null, c, v));
      } else {
        plan.append.push(rowOf(s, id, theirsV, o.stageNames, status));
        plan.appendStatuses.push({ added: true });
      }
      result.added++;
      result.unchanged = false;
      continue;
    }

    // Both have it: field by field.
    const m = merged.merge;
    const next: BaseDeal = inc
      ? baseDealOf(inc, base)
      : b
        ? { ...b, s: theirs!, a: undefined }
        : { v: theirsV, s: theirs!, companyId: null, ownerId: null };
    delete next.gone;
    if (b?.r) next.r = b.r;
    if (waiting) next.p = b!.p;
    next.a = {};
    const status = statusOf(row!);
    const taken = Object.keys(m.take) as Field[];
    for (const f of taken) {
      setCell(row!, id, COL[f], toCell(f, m.take[f]!, o.stageNames), cells![COL[f]] ?? '');
      plan.takes.push({ id, field: f, ancestor: ancestor ? ancestor[f] : null });
    }
    if (taken.length) {
      status.merged = taken;
      result.merged++;
      result.unchanged = false;
    }
    if (inc && cells && String(cells[VERSION_COL] ?? '') !== String(inc.version)) setCell(row!, id, VERSION_COL, inc.version);
    for (const c of m.conflicts) next.a[c.field] = c.base;
    if (m.conflicts.length) {
      status.conflicts = m.conflicts.map((c) => c.field);
      result.unchanged = false;
      for (const c of m.conflicts) result.conflicts.push(conflictOf(id, row!, mine!.values, c, inc));
    }
    let send = m.send;
    // A refused change is not sent again while the cells still hold it, unless the server now holds
    // it too (a head of sales made the same change): then there is nothing left to refuse.
    if (next.r) {
      const still = Object.entries(next.r.values).every(([f, v]) => same(mine!.values[f as Field], v as MergeValue, f as Field));
      const done = !!theirs && Object.entries(next.r.values).every(([f, v]) => same(theirs[f as Field], v as MergeValue, f as Field));
      if (still && !done) {
        status.refused = { reason: next.r.reason, code: next.r.code };
        result.refused.push({
          id,
          title: String(mine!.values.title ?? ''),
          reason: next.r.reason,
          code: next.r.code,
          fields: Object.keys(next.r.values) as Field[],
        });
        send = Object.fromEntries(Object.entries(send).filter(([f]) => !(f in next.r!.values)));
      } else delete next.r;
    }
    const bad = mine!.invalid.filter((f) => f in send);
    if (bad.length) {
      const r = invalidReason(bad, mine!.values);
      status.refused = r;
      result.refused.push({ id, title: String(mine!.values.title ?? ''), ...r, fields: bad });
      send = Object.fromEntries(Object.entries(send).filter(([f]) => !bad.includes(f as Field)));
    }
    base.deals.set(id, next);
    if (waiting) {
      status.queued = true;
      continue;
    }
    if (Object.keys(send).length === 0 || mode !== 'sync') continue;
    result.unchanged = false;
    const title = String(mine!.values.title ?? '');
    const ancestorNow = ancestor ?? theirs!;
    sends.push({
      row: row!,
      send: () =>
        sendChanges(
          o,
          base,
          { id, row: row!, title, send, version: theirsV, mine: mine!.values, cells: cells!, ancestor: ancestorNow },
          result,
          status,
          setCell,
        ),
    });
  }

  // In the sheet's order, as the user reads it: the rows above are sent first.
  for (const { send } of sends.sort((a, b) => a.row - b.row)) await send();

  // The Status column: each row's outcome of this run, written only where it changed.
  for (const [row, s] of plan.statuses) {
    const text = describe(s);
    const id = String(table.rows[row]?.[ID_COL] ?? '').trim() || null;
    const now = table.rows[row]?.[STATUS_COL];
    if (now === undefined || String(now) !== text) setCell(row, id, STATUS_COL, text);
  }
  table.rows.forEach((cells, row) => {
    if (plan.statuses.has(row) || plan.remove.some((r) => r.key === String(cells[ID_COL] ?? '').trim())) return;
    const now = cells[STATUS_COL];
    if (now !== undefined && now !== '' && now !== null) setCell(row, String(cells[ID_COL] ?? '').trim() || null, STATUS_COL, '');
  });

  const statusShown = plan.set.some((c) => c.col === STATUS_COL && c.value !== '') || plan.append.some((r) => r[STATUS_COL]);
  if (statusShown && !String(table.headers[STATUS_COL] ?? '').trim())
    await o.excel.writeValues(table.sheet, `${columnLetters(STATUS_COL)}1`, [[o.statusHeader ?? 'Status']]);
  if (plan.set.length || plan.remove.length || plan.append.length) {
    const patched = await o.excel.patchTable(PIPELINE_TABLE, {
      keyColumn: ID_COL,
      set: plan.set,
      remove: plan.remove,
      append: plan.append,
    });
    // A cell the user typed into meanwhile keeps its old ancestor: the next run merges it again.
    for (const skip of patched.skippedCells) {
      if (!('key' in skip.at)) continue;
      const key = skip.at.key;
      const take = plan.takes.find((t) => t.id === key && COL[t.field] === skip.col);
      const d = base.deals.get(key);
      if (take && d) d.a = { ...d.a, [take.field]: take.ancestor };
    }
    for (const key of patched.skippedRows) {
      const again = incoming.get(key);
      if (again) base.deals.set(key, { ...baseDealOf(again, base), gone: again.deletedAt ? 'deleted' : 'scope' });
    }
    if (plan.append.length)
      await o.excel.setListValidation(PIPELINE_SHEET, stageRange(table.rows.length + plan.append.length), stageList(o.stageNames));
  }
  for (const d of base.deals.values()) if (d.a && Object.keys(d.a).length === 0) delete d.a;
  // One refusal per row: a change refused earlier and one refused now on the same row are one entry.
  const refusals = new Map<string, Refusal>();
  for (const r of result.refused) {
    const key = r.id ?? `new:${r.title}`;
    const seen = refusals.get(key);
    refusals.set(key, seen ? { ...r, fields: [...new Set([...seen.fields, ...r.fields])] } : r);
  }
  result.refused = [...refusals.values()];
  if (result.refused.length || result.conflicts.length) result.unchanged = false;
  await writeBase(o.excel, base, o.storage);
  result.rows = table.rows.length - plan.remove.length + plan.append.length;
  if (!result.offline) await standingOf(o);
  return result;
}

/** The read-only columns, when the pane shows them; a server that cannot say leaves them as they were. */
async function standingOf(o: PipelineOptions): Promise<void> {
  if (!o.standing) return;
  try {
    await writeStanding(o, o.standing);
  } catch (e) {
    if (!(e instanceof ApiError)) throw e;
  }
}

function conflictOf(id: string, row: number, mine: Shown, c: FieldConflict<Field>, current?: DealRecord): Conflict {
  return { id, row, title: String(mine.title ?? ''), column: c.field, mine: c.mine, theirs: c.theirs, ...(current ? { current } : {}) };
}

function invalidReason(fields: Field[], values: Shown): { reason: string; code: string } {
  if (fields.includes('title') && values.title === null) return { reason: 'a deal needs a title', code: 'title_required' };
  return {
    reason: fields.map((f) => `${f}: “${String(values[f] ?? '')}” is not a valid value`).join('; '),
    code: `invalid_${fields[0]}`,
  };
}

/** Sends one row's own changes against the server's version; a 412 is merged again once, with the server's row. */
async function sendChanges(
  o: PipelineOptions,
  base: PipelineBase,
  row: { id: string; row: number; title: string; send: Partial<Shown>; version: number; mine: Shown; cells: CellValue[]; ancestor: Shown },
  result: SyncResult,
  status: RowStatus,
  setCell: (row: number, id: string | null, col: number, value: CellValue, expect?: CellValue) => void,
): Promise<void> {
  let send = row.send;
  let version = row.version;
  for (let attempt = 0; attempt < 3; attempt++) {
    const made = await bodyOf(o, base, send, 'sync');
    if ('later' in made) {
      status.failed = made.later;
      return;
    }
    const entry = base.deals.get(row.id)!;
    if ('refused' in made) {
      entry.r = { values: send, ...made.refused };
      status.refused = made.refused;
      result.refused.push({ id: row.id, title: row.title, ...made.refused, fields: Object.keys(send) as Field[] });
      return;
    }
    try {
      const sent = await o.client.mutate({
        method: 'PATCH',
        path: '/deals/:id',
        params: { id: row.id },
        body: made.body,
        headers: { 'If-Match': `"${version}"` },
      });
      if (sent.status === 'queued') {
        // Sent after reconnect with this If-Match; until then the base stays where it was.
        entry.p = { key: sent.change.idempotencyKey, values: send };
        status.queued = true;
        result.queued++;
        return;
      }
      const a = entry.a;
      base.deals.set(row.id, { ...baseDealOf(sent.data, base), ...(a && Object.keys(a).length ? { a } : {}) });
      setCell(row.row, row.id, VERSION_COL, sent.data.version);
      status.sent = Object.keys(send) as Field[];
      delete entry.r;
      result.updated++;
      return;
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      if (e.status === 412 && e.problem.current) {
        const current = e.problem.current as DealRecord;
        await learnNames(o, base, [current]).catch(() => undefined);
        const theirs = shownOf(current, base);
        const again = mergeRecord(COLUMNS, row.ancestor, row.mine, theirs, same);
        const m = again.kind === 'fields' ? again.merge : null;
        const next = { ...baseDealOf(current, base), a: { ...entry.a } as Partial<Shown> };
        for (const f of Object.keys(m?.take ?? {}) as Field[]) {
          setCell(row.row, row.id, COL[f], toCell(f, m!.take[f]!, o.stageNames), row.cells[COL[f]] ?? '');
          (status.merged ??= []).push(f);
        }
        if (m && Object.keys(m.take).length) result.merged++;
        for (const c of m?.conflicts ?? []) {
          next.a[c.field] = c.base;
          (status.conflicts ??= []).push(c.field);
          result.conflicts.push(conflictOf(row.id, row.row, row.mine, c, current));
        }
        base.deals.set(row.id, next);
        setCell(row.row, row.id, VERSION_COL, current.version);
        send = m?.send ?? {};
        version = current.version;
        if (Object.keys(send).length === 0) {
          // The server already holds my change (an answer lost to a crash, or the same edit): sent.
          if (!m?.conflicts.length) {
            status.sent = Object.keys(row.send) as Field[];
            result.updated++;
          }
          return;
        }
        continue;
      }
      if (e.status === 404) {
        entry.gone = 'deleted';
        status.gone = 'deleted';
        result.conflicts.push({ id: row.id, row: row.row, title: row.title, column: 'row', mine: null, theirs: null, gone: 'deleted' });
        return;
      }
      if (e.retryable) {
        status.failed = e.code;
        return;
      }
      const r = problemReason(e);
      entry.r = { values: send, ...r };
      status.refused = r;
      result.refused.push({ id: row.id, title: row.title, ...r, fields: Object.keys(send) as Field[] });
      return;
    }
  }
}

/** The user picked a side of a conflict: mine is sent against their version, theirs is written to the cell. */
export async function resolveConflict(o: PipelineOptions & { conflict: Conflict; keep: 'mine' | 'theirs' }): Promise<void> {
  const c = o.conflict;
  const base = (await readBase(o.excel, o.storage)) ?? emptyBase();
  const entry = base.deals.get(c.id);
  const table = await o.excel.readTable(PIPELINE_TABLE, { beside: 1 });
  const row = table.rows.findIndex((r) => String(r[ID_COL] ?? '').trim() === c.id);
  const patch: TablePatch = { keyColumn: ID_COL, set: [] };
  if (c.column === 'row') {
    if (o.keep === 'theirs') {
      patch.remove = [{ key: c.id }];
      base.deals.delete(c.id);
    } else if (entry) {
      // Mine: the deal comes back (restored when it was deleted) and my cells are sent at the next sync.
      if (entry.gone === 'deleted') {
        const restored = await o.client.send(
          { method: 'POST', path: '/deals/:id/restore', params: { id: c.id }, headers: { 'If-Match': `"${entry.v}"` } },
          { idempotent: true },
        );
        base.deals.set(c.id, { ...baseDealOf(restored, base), a: { ...entry.s } });
      } else delete entry.gone;
      patch.set!.push({ at: { key: c.id }, col: STATUS_COL, value: '' });
    }
  } else if (entry) {
    const f = c.column;
    if (o.keep === 'theirs') {
      patch.set!.push({ at: { key: c.id }, col: COL[f], value: toCell(f, c.theirs, o.stageNames) });
      if (entry.a) delete entry.a[f];
    } else {
      const version = c.current?.version ?? entry.v;
      const made = await bodyOf(o, base, { [f]: c.mine } as Partial<Shown>, 'sync');
      if (!('body' in made)) throw new Error('refused' in made ? made.refused.reason : `not sent: ${made.later}`);
      const sent = await o.client.mutate({
        method: 'PATCH',
        path: '/deals/:id',
        params: { id: c.id },
        body: made.body,
        headers: { 'If-Match': `"${version}"` },
      });
      if (sent.status === 'sent') {
        const a = { ...entry.a };
        delete a[f];
        base.deals.set(c.id, { ...baseDealOf(sent.data, base), ...(Object.keys(a).length ? { a } : {}) });
        patch.set!.push({ at: { key: c.id }, col: VERSION_COL, value: sent.data.version });
      } else entry.p = { key: sent.change.idempotencyKey, values: { [f]: c.mine } };
    }
    const left = base.deals.get(c.id)?.a;
    if (row >= 0 && (!left || Object.keys(left).length === 0)) patch.set!.push({ at: { key: c.id }, col: STATUS_COL, value: '' });
  }
  if (patch.set!.length || patch.remove?.length) await o.excel.patchTable(PIPELINE_TABLE, patch);
  await writeBase(o.excel, base, o.storage);
}

/** A refused row: take the server's values back into its cells (discard), or send it again (with a reason to override a rule). */
export async function settleRefusal(
  o: PipelineOptions & { refusal: Refusal; action: 'discard' | 'retry'; overrideReason?: string },
): Promise<SyncResult | null> {
  const r = o.refusal;
  const base = (await readBase(o.excel, o.storage)) ?? emptyBase();
  if (!r.id) {
    // A new row: forget the refusal so the next sync sends it again, or clear the row.
    const table = await o.excel.readTable(PIPELINE_TABLE, { beside: 1 });
    const row = table.rows.findIndex((cells) => !String(cells[ID_COL] ?? '').trim() && String(cells[COL.title] ?? '').trim() === r.title);
    if (row >= 0) base.refusedNew.delete(signature(mineOf(table.rows[row]!).values));
    if (o.action === 'discard' && row >= 0)
      await o.excel.patchTable(PIPELINE_TABLE, {
        keyColumn: ID_COL,
        set: table.rows[row]!.slice(0, STATUS_COL + 1).map((_, c) => ({
          at: { row, match: table.rows[row]!.slice(0, COLUMNS.length) },
          col: c,
          value: '',
        })),
      });
    await writeBase(o.excel, base, o.storage);
    return o.action === 'retry' ? syncPipeline(o) : null;
  }
  const entry = base.deals.get(r.id);
  if (!entry) return null;
  if (o.action === 'discard') {
    const shown = currentShown(entry, base);
    await o.excel.patchTable(PIPELINE_TABLE, {
      keyColumn: ID_COL,
      set: [
        ...COLUMNS.map((f) => ({ at: { key: r.id! }, col: COL[f], value: toCell(f, shown[f], o.stageNames) })),
        { at: { key: r.id }, col: STATUS_COL, value: '' },
      ],
    });
    delete entry.r;
    entry.a = undefined;
    await writeBase(o.excel, base, o.storage);
    return null;
  }
  const values = entry.r?.values ?? {};
  delete entry.r;
  await writeBase(o.excel, base, o.storage);
  if (!o.overrideReason) return syncPipeline(o);
  // Won without the documents, with the user's reason: the rule is overridden and audited on the server.
  const made = await bodyOf(o, base, values, 'sync');
  if (!('body' in made)) throw new Error('refused' in made ? made.refused.reason : `not sent: ${made.later}`);
  await o.client.send(
    {
      method: 'PATCH',
      path: '/deals/:id',
      params: { id: r.id },
      body: { ...made.body, overrideReason: o.overrideReason },
      headers: { 'If-Match': `"${entry.v}"` },
    },
    { idempotent: true },
  );
  return refreshPipeline(o);
}

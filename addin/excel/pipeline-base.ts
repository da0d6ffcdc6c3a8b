// What the Pipeline table was last merged against, kept inside the workbook on a very hidden sheet,
// so the workbook carries it wherever it goes (another computer, a colleague's Excel, a browser-mode
// download opened again): per deal the server's version and values as shown, the ancestor of any
// unresolved conflict, a refused or queued change; the names behind company and owner ids; the
// sync's watermark. Every payload cell is JSON, so Excel never turns one into a date or a formula.
import type { Body } from '../api/contract';
import type { MergeValue } from '../../shared/sync/three-way-merge';
import type { ExcelHost, KeyValueStorage, Matrix } from '../office/types';

export const SYNC_SHEET = 'Leadpane sync';
const FORMAT = 1;
const WIDTH = 7;

export const FIELDS = ['title', 'company', 'stage', 'amount', 'currency', 'expectedClose', 'nextStep', 'owner'] as const;
export type Field = (typeof FIELDS)[number];
export const PIPELINE_SHEET = 'Pipeline';
export const PIPELINE_TABLE = 'Pipeline';
/**
 * Visible columns, then the hidden id and version: the table. The status is the column beside it,
 * so a table pulled by an earlier version of the pane (or typed by hand) has the same shape; the
 * read-only columns (pipeline-standing.ts) come after the status.
 */
export const COLUMNS = FIELDS;
export const ID_COL = COLUMNS.length;
export const VERSION_COL = COLUMNS.length + 1;
export const STATUS_COL = COLUMNS.length + 2;
/** A deal as the sheet shows it: company and owner by name, the amount in major units. */
export type Shown = Record<Field, MergeValue>;

export interface BaseDeal {
  /** The server's version of `s`. */
  v: number;
  /** The server's values at `v`, as shown. */
  s: Shown;
  /** The ids behind `s.company` and `s.owner` (a rename of either changes what is shown). */
  companyId: string | null;
  ownerId: string | null;
  /** Where the ancestor differs from `s`: the fields of unresolved conflicts. */
  a?: Partial<Shown>;
  /** A change the server refused: not sent again until the cells change. */
  r?: { values: Partial<Shown>; reason: string; code: string };
  /** A change waiting in the offline queue (its Idempotency-Key). */
  p?: { key: string; values: Partial<Shown> };
  /** Gone from the server (deleted, or out of the scope) while the row was changed here. */
  gone?: 'deleted' | 'scope';
}

export interface PendingCreate {
  key: string;
  body: Body<'POST', '/deals'>;
  values: Shown;
}

export interface PipelineBase {
  scope: 'me' | 'team';
  /** updatedAt of the newest server change merged. */
  watermark: string | null;
  deals: Map<string, BaseDeal>;
  companies: Map<string, string>;
  users: Map<string, string>;
  /** New rows whose create waits in the offline queue, by Idempotency-Key. */
  creates: Map<string, PendingCreate>;
  /** New rows the server refused, by their cells, with the reason. */
  refusedNew: Map<string, { reason: string; code: string }>;
  /** Rows the sheet had when the base was read (to clear what a shorter base leaves). */
  height: number;
}

export const emptyBase = (scope: 'me' | 'team' = 'me'): PipelineBase => ({
  scope,
  watermark: null,
  deals: new Map(),
  companies: new Map(),
  users: new Map(),
  creates: new Map(),
  refusedNew: new Map(),
  height: 0,
});

const parse = <T>(cell: unknown, fallback: T): T => {
  if (typeof cell !== 'string' || cell === '') return fallback;
  try {
    return JSON.parse(cell) as T;
  } catch {
    return fallback;
  }
};
const json = (v: unknown) => (v === undefined ? '' : JSON.stringify(v));

/** The snapshot an earlier version of the pane kept in host storage (no company or owner). */
const LEGACY_KEY = 'pipeline.snapshot';

/** Reads the base from the hidden sheet; null when the workbook has none (never pulled here, or pulled by an older pane). */
export async function readBase(excel: ExcelHost, storage?: KeyValueStorage): Promise<PipelineBase | null> {
  let values: Matrix;
  try {
    values = (await excel.readUsedRange(SYNC_SHEET)).values;
  } catch {
    return storage ? legacyBase(storage) : null;
  }
  const base = emptyBase();
  base.height = values.length;
  for (const row of values) {
    const [kind, key, c2, c3, c4, c5, c6] = row;
    const k = String(key ?? '');
    if (kind === 'meta') {
      const meta = parse<{ scope?: 'me' | 'team'; watermark?: string | null }>(c2, {});
      base.scope = meta.scope === 'team' ? 'team' : 'me';
      base.watermark = meta.watermark ?? null;
    } else if (kind === 'deal' && k) {
      const ids = parse<{ companyId?: string | null; ownerId?: string | null; gone?: BaseDeal['gone'] }>(c6, {});
      const deal: BaseDeal = {
        v: Number(c2) || 0,
        s: parse<Shown>(c3, {} as Shown),
        companyId: ids.companyId ?? null,
        ownerId: ids.ownerId ?? null,
      };
      const a = parse<Partial<Shown> | null>(c4, null);
      const r = parse<BaseDeal['r'] | null>(c5, null);
      const p = parse<{ p?: BaseDeal['p'] }>(c6, {}).p;
      if (a) deal.a = a;
      if (r) deal.r = r;
      if (p) deal.p = p;
      if (ids.gone) deal.gone = ids.gone;
      base.deals.set(k, deal);
    } else if (kind === 'company' && k) base.companies.set(k, parse<string>(c2, ''));
    else if (kind === 'user' && k) base.users.set(k, parse<string>(c2, ''));
    else if (kind === 'create' && k) {
      const c = parse<PendingCreate | null>(c2, null);
      if (c) base.creates.set(k, c);
    } else if (kind === 'refusedNew' && k) base.refusedNew.set(k, parse(c2, { reason: '', code: '' }));
  }
  return base;
}

function legacyBase(storage: KeyValueStorage): PipelineBase | null {
  const snapshot = parse<Record<string, { version: number; values: Partial<Shown> }> | null>(storage.get(LEGACY_KEY), null);
  if (!snapshot) return null;
  const base = emptyBase();
  for (const [id, e] of Object.entries(snapshot))
    base.deals.set(id, {
      v: e.version,
      s: { company: null, owner: null, ...e.values } as Shown,
      companyId: null,
      ownerId: null,
    });
  // Company and owner were not kept: marked unknown, they are taken as the sheet shows them.
  (base as PipelineBase & { legacy?: boolean }).legacy = true;
  return base;
}

/** Writes the base to the hidden sheet (made and hidden the first time), in one block. */
export async function writeBase(excel: ExcelHost, base: PipelineBase, storage?: KeyValueStorage): Promise<void> {
  const rows: Matrix = [['meta', 'pipeline', json({ format: FORMAT, scope: base.scope, watermark: base.watermark }), '', '', '', '']];
  for (const [id, d] of base.deals)
    rows.push([
      'deal',
      id,
      d.v,
      json(d.s),
      json(d.a && Object.keys(d.a).length ? d.a : undefined),
      json(d.r),
      json({ companyId: d.companyId, ownerId: d.ownerId, ...(d.gone ? { gone: d.gone } : {}), ...(d.p ? { p: d.p } : {}) }),
    ]);
  for (const [id, name] of base.companies) rows.push(['company', id, json(name), '', '', '', '']);
  for (const [id, name] of base.users) rows.push(['user', id, json(name), '', '', '', '']);
  for (const [key, c] of base.creates) rows.push(['create', key, json(c), '', '', '', '']);
  for (const [sig, r] of base.refusedNew) rows.push(['refusedNew', sig, json(r), '', '', '', '']);
  const height = rows.length;
  while (rows.length < base.height) rows.push(Array(WIDTH).fill(''));
  const sheets = await excel.listWorksheets();
  if (!sheets.some((s) => s.toLowerCase() === SYNC_SHEET.toLowerCase())) {
    await excel.addWorksheet(SYNC_SHEET);
    await excel.setWorksheetVisibility(SYNC_SHEET, 'veryHidden');
  }
  await excel.writeValues(SYNC_SHEET, 'A1', rows);
  base.height = height;
  storage?.remove(LEGACY_KEY);
}

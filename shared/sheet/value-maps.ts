/**
 * Values of the columns whose cells name one of a few things: a stage, a status, a currency or a
 * salesperson. Each value is read, in order, from the user's choices for this source system, the
 * system's own defaults, the general vocabulary, and any other system's defaults. What none of
 * them knows becomes a question for the user ("Pilot Running → ?"), asked once per organisation
 * and source system: the answer is kept and the next export from the same system asks nothing.
 */
import { currencyOf, isCurrencyCode } from './currencies';
import { parseStage, parseStatus } from './stages';
import { systemDealStatus, systemLeadStatus, systemStage, type SourceSystem } from './systems';
import { foldWord } from './text';
import { cellText } from './values';
import {
  DEAL_STATUSES,
  LEAD_STATUSES,
  STAGE_KEYS,
  type Cell,
  type DealStatus,
  type ImportKind,
  type LeadStatus,
  type StageKey,
} from './types';
import type { HeaderMapping } from './map-headers';

/** The fields whose values are mapped. */
export const VALUE_FIELDS = ['stage', 'status', 'currency', 'owner'] as const;
export type ValueField = (typeof VALUE_FIELDS)[number];

/**
 * The user's choices: per field, a value as written -> a stage key, a status (a lead's, or a deal's
 * open / won / lost), an ISO 4217 code, or for owners a user's id or e-mail.
 */
export type ValueMaps = Partial<Record<ValueField, Record<string, string>>>;

/** What a value is matched on: case, punctuation and ё/е do not matter. */
export const valueKey = (raw: string): string => foldWord(raw);

export interface ValueContext {
  kind: ImportKind;
  system?: SourceSystem | null;
  maps?: ValueMaps | null;
  /** The row's or the organisation's country: settles shared currency symbols ("$" in Canada). */
  country?: string | null;
}

/** Where a value's meaning came from. */
export type ValueSource = 'choice' | 'system' | 'vocabulary';

const indexCache = new WeakMap<Record<string, string>, Map<string, string>>();
function choiceOf(maps: ValueMaps | null | undefined, field: ValueField, raw: string): string | undefined {
  const table = maps?.[field];
  if (!table) return undefined;
  let index = indexCache.get(table);
  if (!index) {
    index = new Map(Object.entries(table).map(([k, v]) => [valueKey(k), v]));
    indexCache.set(table, index);
  }
  return index.get(valueKey(raw));
}

const isStage = (v: unknown): v is StageKey => (STAGE_KEYS as readonly unknown[]).includes(v);
const isLeadStatus = (v: unknown): v is LeadStatus => (LEAD_STATUSES as readonly unknown[]).includes(v);
const isDealStatus = (v: unknown): v is DealStatus => (DEAL_STATUSES as readonly unknown[]).includes(v);

/** A deal status read from a stage word: won and lost are outcomes, anything else is still open. */
function dealStatusFromWords(raw: string): DealStatus | null {
  const stage = parseStage(raw);
  if (stage === 'won' || stage === 'lost') return stage;
  const status = parseStatus(raw);
  return stage || status === 'new' || status === 'working' ? 'open' : null;
}

/**
 * A value's meaning and where it came from, or null when nothing knows it.
 * @example resolveValue('stage', 'Принимают решение', { kind: 'deals', system: 'amocrm' }) // { value: 'negotiation', from: 'system' }
 * @example resolveValue('stage', 'Pilot Running', { kind: 'deals', maps: { stage: { 'pilot running': 'proposal' } } }) // { value: 'proposal', from: 'choice' }
 */
export function resolveValue(field: ValueField, raw: string, ctx: ValueContext): { value: string; from: ValueSource } | null {
  const text = raw.trim();
  if (!text) return null;
  const choice = choiceOf(ctx.maps, field, text);
  const system = ctx.system ?? null;
  switch (field) {
    case 'stage': {
      if (isStage(choice)) return { value: choice, from: 'choice' };
      const own = systemStage(system, text);
      if (own) return { value: own, from: 'system' };
      const general = parseStage(text) ?? systemStage('any', text);
      return general ? { value: general, from: 'vocabulary' } : null;
    }
    case 'status': {
      if (ctx.kind === 'deals') {
        if (isDealStatus(choice)) return { value: choice, from: 'choice' };
        const own = systemDealStatus(system, text);
        if (own) return { value: own, from: 'system' };
        const general = systemDealStatus('any', text) ?? dealStatusFromWords(text);
        return general ? { value: general, from: 'vocabulary' } : null;
      }
      if (isLeadStatus(choice)) return { value: choice, from: 'choice' };
      const own = systemLeadStatus(system, text);
      if (own) return { value: own, from: 'system' };
      const general = parseStatus(text) ?? systemLeadStatus('any', text);
      return general ? { value: general, from: 'vocabulary' } : null;
    }
    case 'currency': {
      const code = choice?.toUpperCase();
      if (isCurrencyCode(code)) return { value: code, from: 'choice' };
      const found = currencyOf(text, ctx.country);
      return found ? { value: found, from: 'vocabulary' } : null;
    }
    case 'owner':
      // Owners are the organisation's users: only the API knows them; a choice names one.
      return choice ? { value: choice, from: 'choice' } : null;
  }
}

/** One distinct value of a mapped column, how often it occurs and what it means (null: a question). */
export interface ValueQuestion {
  field: ValueField;
  /** The column's header as written. */
  column: string;
  /** The value as written (the first spelling met). */
  raw: string;
  /** How many data rows hold it. */
  rows: number;
  value: string | null;
  from: ValueSource | null;
}

/** At most this many distinct values a column are listed; a column with more is free text, not a vocabulary. */
export const MAX_DISTINCT_VALUES = 200;

/**
 * Every distinct value of the stage, status, currency and owner columns below the header, with
 * its meaning where one is known: the value-mapping step shows the ones whose `value` is null.
 * @example
 * distinctValues(rows, mapping, { kind: 'deals', system: 'pipedrive' })
 *   .filter((q) => q.value === null) // [{ field: 'stage', raw: 'Pilot Running', rows: 2, ... }]
 */
export function distinctValues(rows: readonly (readonly Cell[])[], mapping: HeaderMapping, ctx: ValueContext): ValueQuestion[] {
  const out: ValueQuestion[] = [];
  for (const column of mapping.columns) {
    const field = column.field;
    if (field !== 'stage' && field !== 'status' && field !== 'currency' && field !== 'owner') continue;
    const seen = new Map<string, ValueQuestion>();
    for (let r = mapping.headerRow + 1; r < rows.length; r++) {
      const raw = cellText(rows[r]?.[column.index]);
      if (!raw) continue;
      const key = valueKey(raw);
      const q = seen.get(key);
      if (q) q.rows++;
      else {
        if (seen.size >= MAX_DISTINCT_VALUES) break;
        const meaning = resolveValue(field, raw, ctx);
        seen.set(key, { field, column: column.header, raw, rows: 1, value: meaning?.value ?? null, from: meaning?.from ?? null });
      }
    }
    out.push(...seen.values());
  }
  return out;
}

/**
 * Keeps only the choices that mean something for their field (a stage key, a status of the
 * import's kind, an ISO code, any owner), keyed as written: what an import keeps and remembers.
 * @example cleanValueMaps({ stage: { 'Pilot Running': 'proposal', X: 'nonsense' } }, 'deals') // { stage: { 'Pilot Running': 'proposal' } }
 */
export function cleanValueMaps(maps: ValueMaps | null | undefined, kind: ImportKind): ValueMaps {
  const out: ValueMaps = {};
  for (const field of VALUE_FIELDS) {
    const table = maps?.[field];
    if (!table) continue;
    const ok = (v: string) =>
      field === 'stage'
        ? isStage(v)
        : field === 'status'
          ? kind === 'deals'
            ? isDealStatus(v)
            : isLeadStatus(v)
          : field === 'currency'
            ? isCurrencyCode(v.toUpperCase())
            : v.trim().length > 0;
    const kept = Object.entries(table).filter(([k, v]) => k.trim() && typeof v === 'string' && ok(v));
    if (kept.length) out[field] = Object.fromEntries(kept.map(([k, v]) => [k.trim(), field === 'currency' ? v.toUpperCase() : v]));
  }
  return out;
}

/** Whether a text is a value of the field as an import of `kind` stores it (for forms and the CLI). */
export function isValueOf(field: Exclude<ValueField, 'owner'>, kind: ImportKind, value: string): boolean {
  if (field === 'stage') return isStage(value);
  if (field === 'currency') return isCurrencyCode(value);
  return kind === 'deals' ? isDealStatus(value) : isLeadStatus(value);
}

/**
 * Row conversion: a mapped row becomes a typed record of canonical fields plus precise per-cell
 * errors, so an import can say "row 14, column «Тел.»: not a valid phone number". The per-column
 * parsers are chosen once per mapping; phone look-ups (the costly part) are memoised.
 */
import { splitFullName } from './names';
import { parseStage, parseStatus } from './stages';
import {
  cellText,
  parseCompanyId,
  parseCurrency,
  parseDate,
  parseEmail,
  parseMoney,
  parsePhone,
  parseProbability,
  parseVat,
  parseWebsite,
  type DateOrder,
} from './values';
import { CURRENCIES, type CanonicalField, type Cell, type Currency, type LeadStatus, type StageKey } from './types';
import type { HeaderMapping } from './map-headers';

/** A typed import record; every field is optional. Money is integer minor units. */
export interface ImportRecord {
  fullName?: string;
  firstName?: string;
  lastName?: string;
  /** Normalised (lower case). */
  email?: string;
  /** E.164. */
  phone?: string;
  /** E.164. */
  mobile?: string;
  /** E.164. */
  fax?: string;
  company?: string;
  title?: string;
  website?: string;
  address?: string;
  city?: string;
  postalCode?: string;
  country?: string;
  /** EIK/BULSTAT, EGN or INN, check digits verified. */
  eik?: string;
  vatNumber?: string;
  source?: string;
  status?: LeadStatus;
  stage?: StageKey;
  /** Integer minor units (stotinki, cents, kopecks), never a float. */
  amount?: number;
  currency?: Currency;
  /** Whole percent, 0..100. */
  probability?: number;
  /** ISO date, YYYY-MM-DD. */
  expectedCloseDate?: string;
  owner?: string;
  notes?: string;
  /** ISO date, YYYY-MM-DD. */
  createdAt?: string;
  dealTitle?: string;
  /** An invoice's number as written ("0000001234", "Ф-12/2026"); a number cell loses no digits. */
  invoiceNo?: string;
  /** ISO dates, YYYY-MM-DD. */
  issuedOn?: string;
  dueOn?: string;
  paidOn?: string;
}

/** Stable reason codes (the add-in and CLI turn them into words in three languages). */
export type CellErrorReason =
  | 'invalid_email'
  | 'invalid_phone'
  | 'invalid_date'
  | 'invalid_amount'
  | 'invalid_currency'
  | 'invalid_probability'
  | 'invalid_eik'
  | 'invalid_vat'
  | 'invalid_website'
  | 'unknown_stage'
  | 'unknown_status';

/** One cell that could not be read. */
export interface CellError {
  /** The row's index in the sheet's rows (0-based, the same coordinates as `headerRow`). */
  row: number;
  /** The column's header as written. */
  column: string;
  field: CanonicalField;
  reason: CellErrorReason;
  /** The cell as text, for the message. */
  value: string;
}

export interface RowResult {
  /** The row's index in the sheet's rows, as given to the converter. */
  row: number;
  record: ImportRecord;
  /** The cells that could not be read (a shared empty array when there are none). */
  errors: readonly CellError[];
  /** True when no mapped cell had a value (a blank or spacer row). */
  empty: boolean;
}

export interface ConvertOptions {
  /** Country for national phone numbers; defaults from the headers' language (ru -> RU, else BG). */
  defaultCountry?: 'BG' | 'RU';
  /** Currency for amounts that name none, after the column header's and the currency column's. */
  defaultCurrency?: Currency | null;
  /** Day/month order of slash dates; DMY unless the sheet is known to be American. */
  dateOrder?: DateOrder;
}

type TextField =
  | 'fullName'
  | 'firstName'
  | 'lastName'
  | 'company'
  | 'title'
  | 'address'
  | 'city'
  | 'postalCode'
  | 'country'
  | 'source'
  | 'owner'
  | 'notes'
  | 'dealTitle'
  | 'invoiceNo';

/** Reads one cell into the record, or answers the reason it could not. */
type CellParser = (value: Cell, record: ImportRecord) => CellErrorReason | null;

/** Stores a parsed value (a failed parse leaves the field unset) and answers the reason when it failed. */
function keep<K extends keyof ImportRecord>(
  record: ImportRecord,
  field: K,
  value: ImportRecord[K] | null | undefined,
  reason: CellErrorReason,
): CellErrorReason | null {
  record[field] = value ?? undefined;
  return value ? null : reason;
}

const CURRENCY_CODES = new Set<string>(CURRENCIES);
// Repeated numbers (a switchboard on every row) are parsed once; a bounded cache keeps memory flat.
const PHONE_CACHE_LIMIT = 10_000;
const NO_ERRORS: readonly CellError[] = Object.freeze([]);

function textParser(field: TextField): CellParser {
  return (value, record) => {
    record[field] = typeof value === 'string' ? value.trim() : cellText(value);
    return null;
  };
}

/**
 * Builds a converter for one mapping: call it for each data row.
 * @example
 * const mapping = mapSheet(rows);
 * const convert = createRowConverter(mapping);
 * const { record, errors } = convert(rows[5]!, 5);
 */
export function createRowConverter(
  mapping: HeaderMapping,
  options: ConvertOptions = {},
): (row: readonly Cell[], rowIndex: number) => RowResult {
  const country = options.defaultCountry ?? (mapping.language === 'ru' ? 'RU' : 'BG');
  const order = options.dateOrder ?? 'DMY';
  const phoneCache = new Map<string, string | null>();
  const phone = (value: Cell): string | null => {
    const key = typeof value === 'string' ? value : String(value);
    let hit = phoneCache.get(key);
    if (hit === undefined) {
      hit = parsePhone(value, country);
      if (phoneCache.size >= PHONE_CACHE_LIMIT) phoneCache.clear();
      phoneCache.set(key, hit);
    }
    return hit;
  };

  const columns: Array<{ index: number; header: string; field: CanonicalField; parse: CellParser }> = [];
  for (const column of mapping.columns) {
    const field = column.field;
    if (!field) continue;
    let parse: CellParser;
    switch (field) {
      case 'email':
        parse = (v, r) => keep(r, 'email', parseEmail(v), 'invalid_email');
        break;
      case 'phone':
      case 'mobile':
      case 'fax':
        parse = (v, r) => keep(r, field, phone(v), 'invalid_phone');
        break;
      case 'website':
        parse = (v, r) => keep(r, 'website', parseWebsite(v), 'invalid_website');
        break;
      case 'eik':
        parse = (v, r) => keep(r, 'eik', parseCompanyId(v), 'invalid_eik');
        break;
      case 'vatNumber':
        parse = (v, r) => keep(r, 'vatNumber', parseVat(v), 'invalid_vat');
        break;
      case 'createdAt':
      case 'expectedCloseDate':
      case 'issuedOn':
      case 'dueOn':
      case 'paidOn':
        parse = (v, r) => keep(r, field, parseDate(v, order), 'invalid_date');
        break;
      case 'probability':
        parse = (v, r) => {
          const p = parseProbability(v);
          if (p === null || p === undefined) return 'invalid_probability';
          r.probability = p;
          return null;
        };
        break;
      case 'stage':
        parse = (v, r) => keep(r, 'stage', parseStage(cellText(v)), 'unknown_stage');
        break;
      case 'status':
        parse = (v, r) => keep(r, 'status', parseStatus(cellText(v)), 'unknown_status');
        break;
      case 'currency':
        parse = (v, r) => {
          const text = cellText(v).toUpperCase();
          const c = CURRENCY_CODES.has(text) ? (text as Currency) : parseCurrency(cellText(v));
          if (!c) return 'invalid_currency';
          r.currency ??= c;
          return null;
        };
        break;
      case 'amount':
        parse = (v, r) => {
          const money = parseMoney(v, null);
          if (!money) return 'invalid_amount';
          r.amount = money.amountMinor;
          // The amount's own currency ("1 200 лв.") wins over the currency column, read first.
          if (money.currency) r.currency = money.currency;
          return null;
        };
        break;
      default:
        parse = textParser(field);
    }
    columns.push({ index: column.index, header: column.header, field, parse });
  }
  // The currency column is read before the amount so an amount's own currency can override it.
  columns.sort((a, b) => (a.field === 'currency' ? -1 : 0) - (b.field === 'currency' ? -1 : 0));
  const amountHint = mapping.columns.find((c) => c.field === 'amount')?.currency ?? null;
  const fallbackCurrency = options.defaultCurrency ?? null;

  return (row, rowIndex) => {
    const record: ImportRecord = {};
    let errors: CellError[] | null = null;
    let empty = true;
    for (const c of columns) {
      const value = row[c.index];
      if (value === null || value === undefined || value === '') continue;
      if (typeof value === 'string' && value.trim() === '') continue;
      empty = false;
      const reason = c.parse(value, record);
      if (reason) {
        delete record[c.field];
        (errors ??= []).push({ row: rowIndex, column: c.header, field: c.field, reason, value: cellText(value) });
      }
    }
    if (record.amount !== undefined && record.currency === undefined) {
      const currency = amountHint ?? fallbackCurrency;
      if (currency) record.currency = currency;
    }
    if (record.fullName && record.firstName === undefined && record.lastName === undefined) {
      const parts = splitFullName(record.fullName);
      if (parts.firstName) record.firstName = parts.firstName;
      if (parts.lastName) record.lastName = parts.lastName;
    } else if (!record.fullName && (record.firstName || record.lastName)) {
      record.fullName = [record.firstName, record.lastName].filter(Boolean).join(' ');
    }
    return { row: rowIndex, record, errors: errors ?? NO_ERRORS, empty };
  };
}

/**
 * Converts every data row below the mapping's header row, skipping blank rows.
 * @example
 * const rows = [['Име', 'Имейл'], ['Иван Петров', 'ivan@acme']];
 * convertRows(rows, mapSheet(rows))[0]!.errors[0]!.reason // 'invalid_email'
 */
export function convertRows(rows: readonly (readonly Cell[])[], mapping: HeaderMapping, options: ConvertOptions = {}): RowResult[] {
  const convert = createRowConverter(mapping, options);
  const out: RowResult[] = [];
  for (let i = mapping.headerRow + 1; i < rows.length; i++) {
    const result = convert(rows[i]!, i);
    if (!result.empty) out.push(result);
  }
  return out;
}

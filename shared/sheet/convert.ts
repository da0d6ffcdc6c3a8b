/**
 * Row conversion: a mapped row becomes a typed record of canonical fields plus precise per-cell
 * errors, so an import can say "row 14, column «Тел.»: not a valid phone number". The per-column
 * parsers are chosen once per mapping; phone look-ups (the costly part) are memoised.
 */
import { countryOf } from './countries';
import { splitPersonName } from '../person-name';
import { inferSheetContext, nonDataRows } from './sheet-context';
import type { SourceSystem } from './systems';
import { resolveValue, type ValueMaps } from './value-maps';
import {
  cellText,
  parseCompanyId,
  parseDate,
  parseEmail,
  parseMoney,
  parseProbability,
  parseVat,
  parseWebsite,
  readPhone,
  type DateOrder,
} from './values';
import type { CanonicalField, Cell, Currency, DealStatus, ImportKind, LeadStatus, StageKey } from './types';
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
  /** The extension written with the phone ("доб. 215"). */
  phoneExt?: string;
  /** E.164. */
  mobile?: string;
  /** The extension written with the mobile number. */
  mobileExt?: string;
  /** E.164. */
  fax?: string;
  company?: string;
  title?: string;
  website?: string;
  address?: string;
  city?: string;
  postalCode?: string;
  country?: string;
  /** The row's country as an ISO 3166 code, when its country cell names one. */
  countryCode?: string;
  /** EIK/BULSTAT, EGN or INN, check digits verified. */
  eik?: string;
  vatNumber?: string;
  source?: string;
  /** A lead's status (leads). */
  status?: LeadStatus;
  /**
   * A deal's outcome from a deals sheet's status column (open / won / lost): it decides over the
   * stage, which then keeps the last open stage the sheet gave (`openStage`).
   */
  dealStatus?: DealStatus;
  stage?: StageKey;
  /** For a deal closed by its status column, the open stage its stage column held. */
  openStage?: StageKey;
  /** Integer minor units of the currency (stotinki, cents, kopecks), never a float. */
  amount?: number;
  /** ISO 4217. */
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
  /** The source system's own ID of the record, as written (trimmed). */
  externalId?: string;
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
  /** What the rows become: a status column holds a lead's status, or a deal's open / won / lost. */
  kind?: ImportKind;
  /** The system the sheet was exported from: its default stages and statuses are known. */
  system?: SourceSystem | null;
  /** The user's value choices (stage, status, currency, owner) for this source system. */
  values?: ValueMaps | null;
  /**
   * The organisation's country (ISO 3166 alpha-2) for national phone numbers of rows whose
   * country cell names none; without it, the country the sheet's other numbers show
   * (`sheetCountry`), then the headers' language (ru -> RU, else BG).
   */
  defaultCountry?: string | null;
  /** The country the sheet's numbers written with a country code show (see inferSheetContext). */
  sheetCountry?: string | null;
  /** Other countries the sheet shows: a national number that fails for the row's country is tried for these. */
  sheetCountries?: readonly string[];
  /** Currency for amounts that name none, after the currency column's, the cell's and the header's. */
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
  const kind = options.kind ?? 'leads';
  const valueCtx = { kind, system: options.system ?? null, maps: options.values ?? null };
  const sheetCountry = options.defaultCountry || options.sheetCountry || (mapping.language === 'ru' ? 'RU' : 'BG');
  const fallbacks = [...(options.sheetCountries ?? []), ...(sheetCountry === 'BG' ? ['RU'] : sheetCountry === 'RU' ? ['BG'] : [])];
  const order = options.dateOrder ?? 'DMY';
  const phoneCache = new Map<string, ReturnType<typeof readPhone>>();
  const phone = (value: Cell, country: string) => {
    const key = `${country}|${typeof value === 'string' ? value : String(value)}`;
    let hit = phoneCache.get(key);
    if (hit === undefined) {
      hit = readPhone(value, country, fallbacks);
      if (phoneCache.size >= PHONE_CACHE_LIMIT) phoneCache.clear();
      phoneCache.set(key, hit);
    }
    return hit;
  };
  // The row's country (its country cell, else the organisation's or the sheet's) for its phones
  // and shared currency symbols; read before the columns that need it.
  let rowCountry = sheetCountry;
  // From the columns: a mapping sent over the API carries them, not the field index.
  const countryIndex = mapping.columns.find((c) => c.field === 'country')?.index;
  const amountHint = mapping.columns.find((c) => c.field === 'amount')?.currency ?? null;
  const fallbackCurrency = options.defaultCurrency ?? null;
  // A stage, status or currency column repeats a few values: each is looked up once.
  const meanings = {
    stage: new Map<string, string | null>(),
    status: new Map<string, string | null>(),
    currency: new Map<string, string | null>(),
  };
  const meaning = (field: 'stage' | 'status' | 'currency', raw: string, country: string | null = null): string | undefined => {
    const table = meanings[field];
    const key = country ? `${country}|${raw}` : raw;
    let hit = table.get(key);
    if (hit === undefined) {
      hit = resolveValue(field, raw, { ...valueCtx, country })?.value ?? null;
      if (table.size >= PHONE_CACHE_LIMIT) table.clear();
      table.set(key, hit);
    }
    return hit ?? undefined;
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
        parse = (v, r) => {
          const p = phone(v, rowCountry);
          if (!p) return 'invalid_phone';
          r[field] = p.e164;
          if (p.ext) r[field === 'phone' ? 'phoneExt' : 'mobileExt'] = p.ext;
          return null;
        };
        break;
      case 'fax':
        parse = (v, r) => keep(r, 'fax', phone(v, rowCountry)?.e164, 'invalid_phone');
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
        parse = (v, r) => keep(r, 'stage', meaning('stage', cellText(v)) as StageKey | undefined, 'unknown_stage');
        break;
      case 'status':
        parse =
          kind === 'deals'
            ? (v, r) => keep(r, 'dealStatus', meaning('status', cellText(v)) as DealStatus | undefined, 'unknown_status')
            : (v, r) => keep(r, 'status', meaning('status', cellText(v)) as LeadStatus | undefined, 'unknown_status');
        break;
      case 'currency':
        parse = (v, r) => {
          const c = meaning('currency', cellText(v), rowCountry);
          if (!c) return 'invalid_currency';
          r.currency = c;
          return null;
        };
        break;
      case 'amount':
        parse = (v, r) => {
          // The currency column, read first, decides; else a currency written in the cell, the
          // header's ("Сумма, руб."), the organisation's.
          const given = r.currency ?? null;
          const money = parseMoney(v, given ?? amountHint ?? fallbackCurrency, { country: rowCountry });
          if (!money) return 'invalid_amount';
          r.amount = money.amountMinor;
          if (!given && money.currency) r.currency = money.currency;
          return null;
        };
        break;
      case 'externalId':
        parse = (v, r) => {
          r.externalId = cellText(v);
          return null;
        };
        break;
      default:
        parse = textParser(field);
    }
    columns.push({ index: column.index, header: column.header, field, parse });
  }
  // The currency column is read before the amount, so the amount's minor units follow it.
  columns.sort((a, b) => (a.field === 'currency' ? -1 : 0) - (b.field === 'currency' ? -1 : 0));

  return (row, rowIndex) => {
    const record: ImportRecord = {};
    let errors: CellError[] | null = null;
    let empty = true;
    rowCountry = (countryIndex !== undefined && countryOf(cellText(row[countryIndex]))) || sheetCountry;
    for (const c of columns) {
      const value = row[c.index];
      if (value === null || value === undefined || value === '') continue;
      if (typeof value === 'string' && value.trim() === '') continue;
      empty = false;
      const reason = c.parse(value, record);
      if (reason) {
        delete record[c.field as keyof ImportRecord];
        (errors ??= []).push({ row: rowIndex, column: c.header, field: c.field, reason, value: cellText(value) });
      }
    }
    if (countryIndex !== undefined && record.country) {
      const code = countryOf(record.country);
      if (code) record.countryCode = code;
    }
    if (record.amount !== undefined && record.currency === undefined) {
      const currency = amountHint ?? fallbackCurrency;
      if (currency) record.currency = currency;
    }
    // A status column decides won and lost; the stage column then keeps the last open stage.
    if (record.dealStatus === 'won' || record.dealStatus === 'lost') {
      if (record.stage && record.stage !== 'won' && record.stage !== 'lost') record.openStage = record.stage;
      record.stage = record.dealStatus;
    } else if (record.dealStatus === 'open' && (record.stage === 'won' || record.stage === 'lost')) {
      delete record.stage;
    }
    if (record.fullName && record.firstName === undefined && record.lastName === undefined) {
      const parts = splitPersonName(record.fullName);
      if (parts.firstName) record.firstName = parts.firstName;
      if (parts.lastName) record.lastName = parts.lastName;
    } else if (!record.fullName && (record.firstName || record.lastName)) {
      record.fullName = [record.firstName, record.lastName].filter(Boolean).join(' ');
    }
    return { row: rowIndex, record, errors: errors ?? NO_ERRORS, empty };
  };
}

/**
 * Converts every data row below the mapping's header row, skipping blank rows and the rows that
 * are not records (totals, folders, a report's footer); the sheet's country and date order are
 * read from the sheet unless the options give them.
 * @example
 * const rows = [['Име', 'Имейл'], ['Иван Петров', 'ivan@acme']];
 * convertRows(rows, mapSheet(rows))[0]!.errors[0]!.reason // 'invalid_email'
 */
export function convertRows(rows: readonly (readonly Cell[])[], mapping: HeaderMapping, options: ConvertOptions = {}): RowResult[] {
  const sheet = inferSheetContext(rows, mapping);
  const convert = createRowConverter(mapping, {
    sheetCountry: sheet.country,
    sheetCountries: sheet.countries,
    dateOrder: sheet.dateOrder,
    ...options,
  });
  const skip = nonDataRows(rows, mapping);
  const out: RowResult[] = [];
  for (let i = mapping.headerRow + 1; i < rows.length; i++) {
    if (skip.has(i)) continue;
    const result = convert(rows[i]!, i);
    if (!result.empty) out.push(result);
  }
  return out;
}

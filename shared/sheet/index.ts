/**
 * Sheet import, pure and shared by the Excel add-in, the Worker and the CLI: bytes -> text -> CSV
 * rows, header row detection, header -> canonical field mapping (Bulgarian, Russian, English),
 * value parsing, row conversion with per-cell errors, and formula-injection escaping.
 */
export {
  CANONICAL_FIELDS,
  STAGE_KEYS,
  LEAD_STATUSES,
  DEAL_STATUSES,
  CURRENCIES,
  IMPORT_KINDS,
  PAYMENT_FIELDS,
  fieldsOf,
  type ImportKind,
  type Cell,
  type CanonicalField,
  type StageKey,
  type LeadStatus,
  type DealStatus,
  type Currency,
  type Money,
  type SheetLanguage,
} from './types';
export { decodeBytes, type DecodedText, type TextEncodingName } from './decode';
export { parseCsv, detectDelimiter, csvField, type CsvDelimiter, type CsvOptions } from './csv';
export { detectHeaderRow } from './header-row';
export { scoreHeader, matchHeader, HEADER_THRESHOLD, type HeaderScores } from './header-match';
export {
  mapHeaders,
  mapSheet,
  mapSheetAuto,
  mappingRecord,
  detectLanguage,
  type ColumnMapping,
  type HeaderMapping,
  type MapOptions,
} from './map-headers';
export { profileColumn, type ColumnProfile } from './sniff';
export {
  cellText,
  parseDate,
  excelSerialToIso,
  parseMoney,
  parseCurrency,
  parseProbability,
  parsePhone,
  readPhone,
  parseEmail,
  parseWebsite,
  parseCompanyId,
  parseVat,
  isValidInn,
  type DateOrder,
  type PhoneReading,
  type MoneyOptions,
} from './values';
export { ISO_4217_CODES, isCurrencyCode, minorDigits, currencyOf, findCurrencyMark, localCurrency, type CurrencyMark } from './currencies';
export { countryOf } from './countries';
export { SOURCE_SYSTEMS, SYSTEM_LABELS, detectSystem, systemStage, systemLeadStatus, systemDealStatus, type SourceSystem } from './systems';
export {
  VALUE_FIELDS,
  MAX_DISTINCT_VALUES,
  valueKey,
  resolveValue,
  distinctValues,
  cleanValueMaps,
  isValueOf,
  type ValueField,
  type ValueMaps,
  type ValueContext,
  type ValueQuestion,
  type ValueSource,
} from './value-maps';
export { inferSheetContext, nonDataRows, type SheetContext } from './sheet-context';
export { parseStage, parseStatus } from './stages';
export {
  createRowConverter,
  convertRows,
  type ImportRecord,
  type CellError,
  type CellErrorReason,
  type RowResult,
  type ConvertOptions,
} from './convert';
export { escapeCell } from './escape';
export { analyseSheet, type SheetAnalysis } from './analyse';

/**
 * Header -> field mapping for a whole sheet: each column's header words are scored against the
 * vocabulary, its values confirm or contradict the header (or name an unlabelled column), and the
 * fields are then handed out best score first, each field to one column at most.
 */
import { HEADER_THRESHOLD, scoreHeader } from './header-match';
import { detectHeaderRow } from './header-row';
import { profileColumn, SAMPLE_SIZE, type ColumnProfile } from './sniff';
import { detectSystem } from './systems';
import { cellText } from './values';
import { fieldsOf, type CanonicalField, type Cell, type Currency, type ImportKind, type SheetLanguage } from './types';

/** How one column is mapped. */
export interface ColumnMapping {
  /** 0-based column index. */
  index: number;
  /** The header as written (trimmed). */
  header: string;
  /** The canonical field, or null when the column is not imported. */
  field: CanonicalField | null;
  /** 0..1: how sure the mapping is (header words and values together). */
  confidence: number;
  /** What decided: the header words, the values, both, or nothing. */
  evidence: 'header' | 'values' | 'header+values' | 'none';
  /** A currency named in the header ("Сумма, руб." -> RUB), used for amounts without one. */
  currency: Currency | null;
}

/** A sheet's mapping: where the header is and what each column means. */
export interface HeaderMapping {
  /** 0-based index of the header row in the sheet's rows (-1 when headers were given alone). */
  headerRow: number;
  columns: ColumnMapping[];
  /** Field -> column index, for the fields that were mapped. */
  fields: Partial<Record<CanonicalField, number>>;
  /** The headers' language, for defaults such as the phone country. */
  language: SheetLanguage;
}

export interface MapOptions {
  /** Fields the caller has fixed by hand: header index -> field (or null to skip the column). */
  overrides?: Readonly<Record<number, CanonicalField | null>>;
  /** What the rows become; it decides which fields a column may take (default: any but an invoice's). */
  kind?: ImportKind;
}

const fit = (share: number): number => (share >= 0.6 ? 0.1 * share : share < 0.2 ? -0.45 : -0.1);

/** Adjustment of a header score by what the column's values look like. */
function valueAdjustment(field: CanonicalField, p: ColumnProfile): number {
  if (p.samples < 1) return 0;
  const typed = Math.max(p.email, p.website, p.phone, p.date);
  switch (field) {
    case 'email':
      return fit(p.email);
    case 'website':
      return fit(p.website);
    case 'phone':
    case 'fax':
      return fit(p.phone);
    case 'mobile':
      return fit(p.phone) + (p.phone >= 0.6 ? 0.1 * (p.mobile - 0.5) : 0);
    case 'createdAt':
    case 'expectedCloseDate':
    case 'issuedOn':
    case 'dueOn':
    case 'paidOn':
      return fit(p.date);
    case 'eik':
      return fit(p.companyId);
    case 'vatNumber':
      return fit(Math.max(p.vat, p.companyId));
    case 'amount':
      return fit(p.money);
    case 'probability':
      return fit(Math.max(p.percent, p.money));
    case 'stage':
    case 'status': {
      // A team's own stage names are unknown words, asked about later: they confirm nothing but
      // contradict nothing either, unless the values are dates, numbers or long text.
      const known = field === 'stage' ? p.stage : p.status;
      if (known >= 0.6) return fit(known);
      return typed >= 0.8 || p.money >= 0.8 || p.longText >= 0.5 ? -0.45 : p.short >= 0.8 ? 0 : -0.1;
    }
    case 'postalCode':
      return fit(p.postalCode);
    case 'currency':
      return 0;
    case 'fullName':
      return typed >= 0.8 ? -0.45 : 0.1 * p.personName - 0.05 * p.companyName;
    case 'firstName':
    case 'lastName':
      return typed >= 0.8 ? -0.45 : 0.1 * (p.singleWord - p.personName);
    case 'company':
      return typed >= 0.8 ? -0.45 : 0.1 * p.companyName - 0.05 * p.personName;
    case 'title':
      return p.salutation >= 0.5 ? -0.5 : typed >= 0.8 ? -0.45 : 0;
    case 'invoiceNo':
      return p.sequential >= 0.8 ? -0.6 : 0.05;
    case 'externalId':
      // A record ID is unique on every row (a record exported twice aside); counting up 1, 2, 3
      // it is a row number (№, No).
      return p.sequential >= 0.8 ? -0.6 : p.samples * (1 - p.distinct) > Math.max(1, p.samples * 0.05) ? -0.5 : 0.05;
    default:
      return typed >= 0.8 ? -0.45 : 0;
  }
}

/** Fields a column's values name on their own, with a score below a clear header's. */
function valueOnlyCandidates(p: ColumnProfile): Array<[CanonicalField, number]> {
  if (p.samples < 2) return [];
  const out: Array<[CanonicalField, number]> = [];
  if (p.email >= 0.8) out.push(['email', 0.7]);
  if (p.website >= 0.8) out.push(['website', 0.7]);
  if (p.vat >= 0.8) out.push(['vatNumber', 0.68]);
  else if (p.companyId >= 0.8 && p.phone < 0.5) out.push(['eik', 0.68]);
  if (p.phone >= 0.8) out.push([p.mobile >= 0.8 ? 'mobile' : 'phone', 0.66]);
  if (p.currencyMoney >= 0.8) out.push(['amount', 0.64]);
  // A stage column repeats a handful of short values; unique or long text is something else.
  const vocabulary = p.short >= 0.8 && (p.samples < 10 || p.distinct <= 0.6);
  if (p.stage >= 0.8 && vocabulary) out.push(['stage', 0.62]);
  if (p.percent >= 0.8 && p.money < 0.5) out.push(['probability', 0.62]);
  if (p.companyName >= 0.8) out.push(['company', 0.62]);
  if (p.personName >= 0.8) out.push(['fullName', 0.61]);
  if (p.date >= 0.8) out.push(['createdAt', 0.61]);
  return out;
}

// Letters and words only Russian uses (Bulgarian has no ы, э, ё; Russian rarely writes ъ).
const RU_LETTERS = /[ыэё]/i;
const BG_LETTERS = /[ъ]/i;
const RU_WORDS = /\b(?:имя|инн|сумма|этап|примечание|заметки|организация|должность|город|страна|источник|ответственный|сделка)\b/iu;
const BG_WORDS = /(?:^|\s)(?:име|еик|булстат|ддс|град|бележки|длъжност|държава|източник|сума|етап|фирма|отговорник)(?:\s|$|\.)/iu;
const CYRILLIC = /[\u0400-\u04ff]/;

/**
 * The headers' language: Russian or Bulgarian by their letters and words, English without Cyrillic.
 * @example detectLanguage(['Имя', 'Должность']) // 'ru'
 */
export function detectLanguage(headers: readonly string[]): SheetLanguage {
  let ru = 0;
  let bg = 0;
  let cyr = 0;
  for (const h of headers) {
    if (!CYRILLIC.test(h)) continue;
    cyr++;
    if (RU_LETTERS.test(h)) ru += 2;
    if (BG_LETTERS.test(h)) bg += 2;
    if (RU_WORDS.test(h.toLowerCase())) ru++;
    if (BG_WORDS.test(h.toLowerCase())) bg++;
  }
  if (cyr === 0) return 'en';
  return ru > bg ? 'ru' : 'bg';
}

/**
 * Maps header cells to canonical fields, using the rows below (if given) as evidence.
 * @example
 * mapHeaders(['Фирма', 'Лице за контакт', 'Тел.'], [['Акме ООД', 'Иван Петров', '0888 123 456']])
 *   .columns.map((c) => c.field) // ['company', 'fullName', 'phone']
 */
export function mapHeaders(
  headerCells: readonly Cell[],
  dataRows: readonly (readonly Cell[])[] = [],
  options: MapOptions = {},
): HeaderMapping {
  const headers = headerCells.map((c) => cellText(c));
  const width = Math.max(headers.length, ...dataRows.slice(0, SAMPLE_SIZE).map((r) => r.length));
  const columns: ColumnMapping[] = [];
  const candidates: Array<{ col: number; field: CanonicalField; score: number; evidence: ColumnMapping['evidence'] }> = [];
  const sample = dataRows.slice(0, SAMPLE_SIZE * 4);
  // Without a kind, every field but an invoice's (the kind is decided from this mapping).
  const allowed = new Set(fieldsOf(options.kind ?? 'deals'));

  for (let col = 0; col < width; col++) {
    const header = headers[col] ?? '';
    const scores = header ? scoreHeader(header) : null;
    columns.push({ index: col, header, field: null, confidence: 0, evidence: 'none', currency: scores?.currency ?? null });
    if (options.overrides && col in options.overrides) continue;
    const profile = sample.length > 0 ? profileColumn(sample.map((r) => r[col])) : null;
    let bestHeader = 0;
    for (const [field, s] of scores?.fields ?? []) if (allowed.has(field)) bestHeader = Math.max(bestHeader, s);
    // A known concept we do not import ("Birthday", "Department") keeps its column out.
    if (scores && scores.ignored >= HEADER_THRESHOLD && scores.ignored > bestHeader) continue;
    const best = new Map<CanonicalField, { score: number; evidence: ColumnMapping['evidence'] }>();
    for (const [field, s] of scores?.fields ?? []) {
      if (!allowed.has(field)) continue;
      const adj = profile ? valueAdjustment(field, profile) : 0;
      best.set(field, { score: s + adj, evidence: adj > 0 ? 'header+values' : 'header' });
    }
    if (profile) {
      for (const [field, s] of valueOnlyCandidates(profile)) {
        if (!allowed.has(field)) continue;
        const prev = best.get(field);
        if (!prev || prev.score < s) best.set(field, { score: s, evidence: prev ? 'header+values' : 'values' });
      }
    }
    for (const [field, { score, evidence }] of best) {
      if (score >= HEADER_THRESHOLD) candidates.push({ col, field, score, evidence });
    }
  }

  const fields: Partial<Record<CanonicalField, number>> = {};
  const taken = new Set<number>();
  for (const [colText, field] of Object.entries(options.overrides ?? {})) {
    const col = Number(colText);
    const column = columns[col];
    if (!column) continue;
    taken.add(col);
    if (field && fields[field] === undefined) {
      fields[field] = col;
      Object.assign(column, { field, confidence: 1, evidence: 'header' });
    }
  }
  // Best score first; a tie goes to the column further left.
  candidates.sort((a, b) => b.score - a.score || a.col - b.col);
  const assign = (c: (typeof candidates)[number], field: CanonicalField) => {
    taken.add(c.col);
    fields[field] = c.col;
    const column = columns[c.col]!;
    column.field = field;
    column.confidence = Math.min(1, Math.round(c.score * 100) / 100);
    column.evidence = c.evidence;
  };
  for (const c of candidates) {
    if (taken.has(c.col) || fields[c.field] !== undefined) continue;
    // Of two phone columns named alike ("Phone 1", "Phone 2"), the first is the main number.
    if (c.field === 'phone') {
      const twin = candidates.find((o) => o.field === 'phone' && o.col < c.col && !taken.has(o.col) && c.score - o.score < 0.05);
      if (twin) {
        assign(twin, 'phone');
        continue;
      }
    }
    assign(c, c.field);
  }
  // A second phone column whose values are phone numbers is the next number: the mobile, when no
  // column says so.
  if (fields.mobile === undefined && allowed.has('mobile')) {
    const second = candidates.find((c) => c.field === 'phone' && c.evidence === 'header+values' && !taken.has(c.col));
    if (second) assign(second, 'mobile');
  }
  return { headerRow: -1, columns, fields, language: detectLanguage(headers) };
}

/**
 * Finds the header row of a sheet and maps its columns, using the rows below as evidence.
 * @example mapSheet([['Клиенти 2026'], [], ['Име', 'Телефон'], ['Иван', '0888 123 456']]).headerRow // 2
 */
export function mapSheet(rows: readonly (readonly Cell[])[], options: MapOptions = {}): HeaderMapping {
  const headerRow = detectHeaderRow(rows);
  const mapping = mapHeaders(rows[headerRow] ?? [], rows.slice(headerRow + 1), options);
  return { ...mapping, headerRow };
}

/**
 * The mapping as `{ header as written: field | null }`, skipping empty headers; a repeated header
 * keeps its first mapped column.
 * @example mappingRecord(mapHeaders(['Имейл', 'Рожден ден'])) // { 'Имейл': 'email', 'Рожден ден': null }
 */
export function mappingRecord(mapping: HeaderMapping): Record<string, CanonicalField | null> {
  const out: Record<string, CanonicalField | null> = {};
  for (const c of mapping.columns) {
    if (!c.header) continue;
    if (!(c.header in out) || out[c.header] === null) out[c.header] = c.field;
  }
  return out;
}

/** A header that is only "Name" or "Title": in a deals export, the deal's. */
const BARE_TITLE = /^(?:name|title|название|наименование|име|назва|заглавие)$/iu;

/** Headers that name the sheet's records as leads ("Название лида", "Lead Status", "Lead Owner"). */
const LEAD_ENTITY = /(?:^|[\s(])(?:lead|лид|лида|лийд|лийда|лід|ліда)(?:[\s)]|$)/iu;
const NOT_ENTITY = /source|источник|източник|джерело/iu;

/**
 * What a sheet most likely holds, with its mapping for that kind: an accounting sheet names an
 * invoice number and at least one invoice date in its headers; a deal's title with its stage,
 * amount, close date or outcome is deals (whoever the contact person is), and so is a stage
 * column without people, unless the headers call the records leads; anything else is leads.
 * @example mapSheetAuto([['Фактура №', 'Клиент', 'Сума', 'Падеж']]).kind // 'payments'
 * @example mapSheetAuto([['Deal - Title', 'Deal - Value', 'Deal - Stage', 'Person - Email']]).kind // 'deals'
 */
export function mapSheetAuto(rows: readonly (readonly Cell[])[]): { kind: ImportKind; mapping: HeaderMapping } {
  const invoices = mapSheet(rows, { kind: 'payments' });
  const named = (m: HeaderMapping, f: CanonicalField) => m.columns.some((c) => c.field === f && c.evidence !== 'values');
  if (named(invoices, 'invoiceNo') && (named(invoices, 'dueOn') || named(invoices, 'paidOn') || named(invoices, 'issuedOn')))
    return { kind: 'payments', mapping: invoices };
  let deals = mapSheet(rows, { kind: 'deals' });
  const has = (f: CanonicalField) => deals.fields[f] !== undefined;
  const dealFields = (['stage', 'amount', 'expectedCloseDate', 'probability', 'status'] as const).filter(has).length;
  const leadNamed = deals.columns.some((c) => LEAD_ENTITY.test(c.header) && !NOT_ENTITY.test(c.header));
  const personLike = has('fullName') || has('email');
  // A CRM's export with a stage (or outcome) and an amount is its deals export, whatever it calls
  // the deal's title ("Name" in amoCRM, "Title" in Pipedrive).
  const system = detectSystem(deals.columns.map((c) => c.header));
  const crmDeals = !!system && system !== '1c' && system !== 'google' && (has('stage') || has('status')) && has('amount');
  // A deal has a title with its stage, amount or outcome (every CRM's deals export names one); a
  // list of people with a stage but no title is a lead list, a pipeline without people is deals.
  const isDeals = !leadNamed && ((has('dealTitle') && dealFields >= 1) || (has('stage') && !personLike) || crmDeals);
  if (!isDeals) return { kind: 'leads', mapping: mapSheet(rows, { kind: 'leads' }) };
  const overrides: Record<number, CanonicalField> = {};
  // Its bare "Name" / "Title" column is then the deal's title, not a person's name or job.
  if (!has('dealTitle')) {
    const bare = deals.columns.find((c) => BARE_TITLE.test(c.header.trim()));
    if (bare) overrides[bare.index] = 'dealTitle';
  }
  // amoCRM calls a deal's stage its "Статус" / "Status": a status column of many values and no
  // stage column is the stage (an outcome column holds open, won and lost, four values at most).
  const status = deals.fields.status;
  if (status !== undefined && !has('stage')) {
    const values = new Set(rows.slice(deals.headerRow + 1, deals.headerRow + 1001).map((r) => cellText(r[status]).toLowerCase()));
    values.delete('');
    if (values.size > 4) overrides[status] = 'stage';
  }
  if (Object.keys(overrides).length) deals = { ...mapSheet(rows, { kind: 'deals', overrides }), headerRow: deals.headerRow };
  return { kind: 'deals', mapping: deals };
}

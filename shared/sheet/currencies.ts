/**
 * Currencies: every ISO 4217 code with its minor units, and how sheets write a currency: the code
 * ("GBP"), a symbol ("£", "₽", "zł", "лв."), a word ("руб.", "грн", "Lei") or a name ("Российский
 * рубль", "Pound Sterling"). A symbol several currencies share ("$", "£", "kr", "р.") is read with
 * the row's or the organisation's country when one is known.
 */
import { CURRENCY_NAMES } from './currency-names';
import { ISO_4217_CODES } from './iso-4217';
import { foldName } from './text';

export { ISO_4217_CODES, isCurrencyCode, minorDigits } from './iso-4217';

const CODES = new Set(ISO_4217_CODES);

/** The currency a country pays in, for the countries whose symbol is shared with others. */
const COUNTRY_CURRENCY: Record<string, string> = {
  US: 'USD',
  CA: 'CAD',
  AU: 'AUD',
  NZ: 'NZD',
  SG: 'SGD',
  HK: 'HKD',
  MX: 'MXN',
  AR: 'ARS',
  CL: 'CLP',
  CO: 'COP',
  TW: 'TWD',
  GB: 'GBP',
  IM: 'GBP',
  JE: 'GBP',
  GG: 'GBP',
  EG: 'EGP',
  GI: 'GIP',
  FK: 'FKP',
  SH: 'SHP',
  LB: 'LBP',
  SY: 'SYP',
  JP: 'JPY',
  CN: 'CNY',
  SE: 'SEK',
  NO: 'NOK',
  DK: 'DKK',
  IS: 'ISK',
  FO: 'DKK',
  GL: 'DKK',
  RU: 'RUB',
  BY: 'BYN',
  RO: 'RON',
  MD: 'MDL',
  BG: 'BGN',
  KZ: 'KZT',
  UA: 'UAH',
  PL: 'PLN',
  CH: 'CHF',
  LI: 'CHF',
  RS: 'RSD',
  MK: 'MKD',
  CZ: 'CZK',
  HU: 'HUF',
  TR: 'TRY',
  IN: 'INR',
  PK: 'PKR',
  LK: 'LKR',
  NP: 'NPR',
  ZA: 'ZAR',
};

/**
 * Symbols and words, lower case, with the currency each most often means; a symbol listed with
 * several currencies takes the one of the country when that country pays in one of them.
 */
const MARKS: ReadonlyArray<readonly [string, readonly string[]]> = [
  ['€', ['EUR']],
  ['eur', ['EUR']],
  ['euro', ['EUR']],
  ['euros', ['EUR']],
  ['евро', ['EUR']],
  ['євро', ['EUR']],
  ['evro', ['EUR']],
  ['us$', ['USD']],
  ['u.s.$', ['USD']],
  ['c$', ['CAD']],
  ['ca$', ['CAD']],
  ['can$', ['CAD']],
  ['a$', ['AUD']],
  ['au$', ['AUD']],
  ['nz$', ['NZD']],
  ['hk$', ['HKD']],
  ['s$', ['SGD']],
  ['r$', ['BRL']],
  ['mx$', ['MXN']],
  ['nt$', ['TWD']],
  ['$', ['USD', 'CAD', 'AUD', 'NZD', 'SGD', 'HKD', 'MXN', 'ARS', 'CLP', 'COP', 'TWD']],
  ['долл', ['USD']],
  ['долл.', ['USD']],
  ['дол', ['USD']],
  ['дол.', ['USD']],
  ['dollar', ['USD', 'CAD', 'AUD', 'NZD']],
  ['dollars', ['USD', 'CAD', 'AUD', 'NZD']],
  ['доллар', ['USD']],
  ['долларов', ['USD']],
  ['доллара', ['USD']],
  ['долар', ['USD']],
  ['долара', ['USD']],
  ['долари', ['USD']],
  ['доларів', ['USD']],
  ['щ.д.', ['USD']],
  ['£', ['GBP', 'EGP', 'GIP', 'FKP', 'SHP', 'LBP', 'SYP']],
  ['gb£', ['GBP']],
  ['stg', ['GBP']],
  ['pound', ['GBP']],
  ['pounds', ['GBP']],
  ['sterling', ['GBP']],
  ['фунт', ['GBP']],
  ['фунта', ['GBP']],
  ['фунтов', ['GBP']],
  ['фунти', ['GBP']],
  ['e£', ['EGP']],
  ['¥', ['JPY', 'CNY']],
  ['円', ['JPY']],
  ['yen', ['JPY']],
  ['йена', ['JPY']],
  ['иена', ['JPY']],
  ['иен', ['JPY']],
  ['元', ['CNY']],
  ['yuan', ['CNY']],
  ['rmb', ['CNY']],
  ['юань', ['CNY']],
  ['юаней', ['CNY']],
  ['₽', ['RUB']],
  ['руб', ['RUB', 'BYN']],
  ['руб.', ['RUB', 'BYN']],
  ['р.', ['RUB', 'BYN']],
  ['р', ['RUB', 'BYN']],
  ['рубль', ['RUB', 'BYN']],
  ['рубля', ['RUB', 'BYN']],
  ['рублей', ['RUB', 'BYN']],
  ['рубли', ['RUB', 'BYN']],
  ['рубла', ['RUB']],
  ['рубів', ['RUB']],
  ['rub', ['RUB']],
  ['rur', ['RUB']],
  ['rubles', ['RUB']],
  ['ruble', ['RUB']],
  ['roubles', ['RUB']],
  ['rouble', ['RUB']],
  ['руб.рф', ['RUB']],
  ['br', ['BYN']],
  ['бел. руб.', ['BYN']],
  ['бел.руб.', ['BYN']],
  ['бел руб', ['BYN']],
  ['₴', ['UAH']],
  ['грн', ['UAH']],
  ['грн.', ['UAH']],
  ['гривня', ['UAH']],
  ['гривні', ['UAH']],
  ['гривень', ['UAH']],
  ['гривна', ['UAH']],
  ['гривен', ['UAH']],
  ['гривны', ['UAH']],
  ['hrn', ['UAH']],
  ['hryvnia', ['UAH']],
  ['₸', ['KZT']],
  ['тг', ['KZT']],
  ['тг.', ['KZT']],
  ['тенге', ['KZT']],
  ['tenge', ['KZT']],
  ['zł', ['PLN']],
  ['zl', ['PLN']],
  ['zł.', ['PLN']],
  ['złotych', ['PLN']],
  ['zloty', ['PLN']],
  ['злотых', ['PLN']],
  ['злоти', ['PLN']],
  ['lei', ['RON', 'MDL']],
  ['leu', ['RON', 'MDL']],
  ['лей', ['RON', 'MDL']],
  ['леи', ['RON']],
  ['lej', ['RON']],
  ['лв', ['BGN']],
  ['лв.', ['BGN']],
  ['лева', ['BGN']],
  ['лев', ['BGN']],
  ['lv', ['BGN']],
  ['lv.', ['BGN']],
  ['leva', ['BGN']],
  ['lev', ['BGN']],
  ['kr', ['SEK', 'NOK', 'DKK', 'ISK']],
  ['kr.', ['DKK', 'SEK', 'NOK', 'ISK']],
  ['kč', ['CZK']],
  ['ft', ['HUF']],
  ['kn', ['HRK']],
  ['chf', ['CHF']],
  ['fr.', ['CHF']],
  ['sfr.', ['CHF']],
  ['франк', ['CHF']],
  ['франков', ['CHF']],
  ['франка', ['CHF']],
  ['₺', ['TRY']],
  ['tl', ['TRY']],
  ['₹', ['INR']],
  ['rs', ['INR', 'PKR', 'LKR', 'NPR']],
  ['rs.', ['INR', 'PKR', 'LKR', 'NPR']],
  ['₩', ['KRW']],
  ['₪', ['ILS']],
  ['₫', ['VND']],
  ['฿', ['THB']],
  ['₦', ['NGN']],
  ['₱', ['PHP']],
  ['₾', ['GEL']],
  ['֏', ['AMD']],
  ['₼', ['AZN']],
  ['сом', ['KGS']],
  ['сўм', ['UZS']],
  ['ден', ['MKD']],
  ['ден.', ['MKD']],
  ['дин', ['RSD']],
  ['дин.', ['RSD']],
  ['rm', ['MYR']],
  ['rp', ['IDR']],
];
const MARK_TABLE = new Map<string, readonly string[]>(MARKS);

/** Folded name -> code, built on first use (the Worker and the pane pay for it only when importing). */
let byName: Map<string, string> | null = null;
function names(): Map<string, string> {
  if (byName) return byName;
  byName = new Map();
  for (const [code, list] of Object.entries(CURRENCY_NAMES)) for (const n of list.split('|')) if (!byName.has(n)) byName.set(n, code);
  return byName;
}

/** The currency of a shared symbol for a country, or the symbol's usual one. */
function pick(codes: readonly string[], country: string | null | undefined): string {
  const local = country ? COUNTRY_CURRENCY[country] : undefined;
  return local && codes.includes(local) ? local : codes[0]!;
}

/**
 * The currency a whole cell names: an ISO code, a symbol, a word or a name in one of ten
 * languages; null when it names none. `country` (ISO 3166 alpha-2) settles a shared symbol.
 * @example currencyOf('Российский рубль') // 'RUB'
 * @example currencyOf('$', 'CA') // 'CAD'
 * @example currencyOf('Lei') // 'RON'
 */
export function currencyOf(value: unknown, country?: string | null): string | null {
  if (typeof value !== 'string') return null;
  const text = value.trim();
  if (!text) return null;
  const upper = text.toUpperCase();
  if (CODES.has(upper)) return upper;
  const lower = text.normalize('NFKC').toLowerCase().replace(/ё/g, 'е');
  const mark = MARK_TABLE.get(lower) ?? MARK_TABLE.get(lower.replace(/\s+/g, ''));
  if (mark) return pick(mark, country);
  const folded = foldName(text);
  if (!folded) return null;
  const named = names().get(folded);
  if (named) return named;
  // "BGN (лв.)", "EUR - Euro": a code at either end of a longer cell.
  const code = /^([A-Z]{3})\b|\b([A-Z]{3})$/.exec(upper);
  const edge = code ? (code[1] ?? code[2])! : null;
  if (edge && CODES.has(edge)) return edge;
  if (MARK_TABLE.has(folded)) return pick(MARK_TABLE.get(folded)!, country);
  // "Казахстанский тенге", "Pound Sterling": a longer name whose words name one currency.
  const codes = new Set<string>();
  for (const word of folded.split(' ')) {
    const m = MARK_TABLE.get(word);
    if (m) codes.add(pick(m, country));
  }
  return codes.size === 1 ? [...codes][0]! : null;
}

/** A currency marker found inside a money cell: which currency, and where it was written. */
export interface CurrencyMark {
  code: string;
  index: number;
  length: number;
}

const SYMBOLS = new Set([...'€$£¥₽₴₸₺₹₩₪₫฿₦₱₾֏₼円元']);
// The characters of the number itself: digits, spaces, decimal marks, grouping, sign, brackets.
const NUMBER_CHARS = new Set([..."0123456789 \u00a0\u202f\u2009.,'’()+-−/|\t"]);
const LETTER = /\p{L}/u;
const isLetter = (ch: string) =>
  (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch > '\u00bf' && !SYMBOLS.has(ch) && LETTER.test(ch));

/**
 * The first currency written in a money cell ("12 500,00 лв.", "€ 15 000", "USD 1,200",
 * "1 200 руб.", "US$ 100"), with its position so the number can be read without it. The cell is
 * walked once: a word with its dots ("лв.", "щ.д.") and a symbol glued to it ("US$"), or a lone
 * symbol that may touch the digits ("€15", "1200₽").
 * @example findCurrencyMark('12 500,00 лв.') // { code: 'BGN', index: 10, length: 3 }
 */
export function findCurrencyMark(text: string, country?: string | null, from = 0): CurrencyMark | null {
  const n = text.length;
  for (let i = from; i < n; i++) {
    const ch = text[i]!;
    if (NUMBER_CHARS.has(ch)) continue;
    let j = i + 1;
    if (isLetter(ch)) {
      while (j < n && (isLetter(text[j]!) || text[j] === '.')) j++;
      if (j < n && (text[j] === '$' || text[j] === '£' || text[j] === '¥')) j++;
    }
    const piece = text.slice(i, j);
    const lower = piece.toLowerCase();
    const mark = MARK_TABLE.get(lower) ?? (lower.endsWith('.') ? MARK_TABLE.get(lower.slice(0, -1)) : undefined);
    if (mark) return { code: pick(mark, country), index: i, length: piece.length };
    const upper = (lower.endsWith('.') ? piece.slice(0, -1) : piece).toUpperCase();
    if (upper.length === 3 && CODES.has(upper)) return { code: upper, index: i, length: piece.length };
    i = j - 1;
  }
  return null;
}

// The currency each country pays in today (Bulgaria in euro since 1 January 2026).
const EURO = 'AT BE BG CY DE EE ES FI FR GR HR IE IT LT LU LV MC ME MT NL PT SI SK SM VA XK AD';
const LOCAL_CURRENCY: Record<string, string> = {
  ...Object.fromEntries(EURO.split(' ').map((c) => [c, 'EUR'])),
  GB: 'GBP',
  US: 'USD',
  CA: 'CAD',
  AU: 'AUD',
  NZ: 'NZD',
  CH: 'CHF',
  LI: 'CHF',
  NO: 'NOK',
  SE: 'SEK',
  DK: 'DKK',
  IS: 'ISK',
  PL: 'PLN',
  CZ: 'CZK',
  HU: 'HUF',
  RO: 'RON',
  MD: 'MDL',
  RS: 'RSD',
  MK: 'MKD',
  AL: 'ALL',
  BA: 'BAM',
  TR: 'TRY',
  UA: 'UAH',
  BY: 'BYN',
  RU: 'RUB',
  KZ: 'KZT',
  KG: 'KGS',
  UZ: 'UZS',
  TJ: 'TJS',
  TM: 'TMT',
  AM: 'AMD',
  AZ: 'AZN',
  GE: 'GEL',
  IL: 'ILS',
  AE: 'AED',
  SA: 'SAR',
  QA: 'QAR',
  KW: 'KWD',
  BH: 'BHD',
  OM: 'OMR',
  JO: 'JOD',
  EG: 'EGP',
  ZA: 'ZAR',
  NG: 'NGN',
  KE: 'KES',
  IN: 'INR',
  PK: 'PKR',
  CN: 'CNY',
  HK: 'HKD',
  TW: 'TWD',
  JP: 'JPY',
  KR: 'KRW',
  SG: 'SGD',
  MY: 'MYR',
  TH: 'THB',
  VN: 'VND',
  ID: 'IDR',
  PH: 'PHP',
  BR: 'BRL',
  MX: 'MXN',
  AR: 'ARS',
  CL: 'CLP',
  CO: 'COP',
  PE: 'PEN',
};

/**
 * The currency a country pays in today, or null for a country not listed.
 * @example localCurrency('GB') // 'GBP'
 * @example localCurrency('BG') // 'EUR'
 */
export function localCurrency(country: string | null | undefined): string | null {
  return (country && LOCAL_CURRENCY[country]) || null;
}

/**
 * Cell value parsers: dates, money, probabilities, phones, e-mails, websites, EIK/INN and VAT
 * numbers, as people type them in Bulgarian, Russian and English sheets. Every parser answers
 * null for a value it cannot read; none of them throws. Patterns are compiled once.
 */
import { getCountryCallingCode, type CountryCode } from 'libphonenumber-js/max';
import { isValidEgn, isValidEik, normalizeDomain, normalizeEmail, normalizeEik, normalizeVat, toE164 } from '../identity';
import { currencyOf, findCurrencyMark, minorDigits } from './currencies';
import type { Cell, Money } from './types';

/** A cell as trimmed text ('' for empty); numbers without exponent or float noise. */
export function cellText(value: Cell): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value.trim();
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  return Number.isNaN(value.getTime()) ? '' : value.toISOString();
}

// ---------------------------------------------------------------- dates

/** Order of day and month in ambiguous slash dates ("03/04/2026"). */
export type DateOrder = 'DMY' | 'MDY';

const ISO_DATE = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:$|[T\s])/;
const YMD = /^(\d{4})[./](\d{1,2})[./](\d{1,2})\.?$/;
const NUMERIC_DATE = /^(\d{1,2})([./-])(\d{1,2})\2(\d{4}|\d{2})$/;
const COMPACT_DATE = /^(19|20)(\d{2})(\d{2})(\d{2})$/;
const NAMED_DMY = /^(\d{1,2})\.?\s+(\p{L}+)\.?,?\s+(\d{4})$/u;
const NAMED_MDY = /^(\p{L}+)\.?\s+(\d{1,2}),?\s+(\d{4})$/u;
// A trailing "г." / "год" / "года" (year), a weekday or a time of day are dropped.
const DATE_SUFFIX =
  /\s*(?:г\.?|год(?:а|ина)?\.?|y\.?)?(?:[\s,T]+\d{1,2}[:.]\d{2}(?:[:.]\d{2}(?:\.\d+)?)?\s*(?:z|[+-]\d{2}:?\d{2}|ч\.?|h|am|pm)?)?\s*$/iu;
const SERIAL_TEXT = /^\d{5}(?:\.\d+)?$/;

const MONTHS = new Map<string, number>();
[
  ['jan', 'ян', 'янв'],
  ['feb', 'фев'],
  ['mar', 'мар'],
  ['apr', 'апр'],
  ['may', 'май', 'мая', 'мае'],
  ['jun', 'юни', 'июн'],
  ['jul', 'юли', 'июл'],
  ['aug', 'авг'],
  ['sep', 'сеп', 'сен'],
  ['oct', 'окт'],
  ['nov', 'ное', 'ноя'],
  ['dec', 'дек'],
].forEach((prefixes, i) => prefixes.forEach((p) => MONTHS.set(p, i + 1)));

function monthOf(word: string): number | null {
  const w = word.toLowerCase();
  return MONTHS.get(w.slice(0, 3)) ?? MONTHS.get(w.slice(0, 4)) ?? MONTHS.get(w) ?? null;
}

const pad2 = (n: number): string => (n < 10 ? '0' : '') + n;

function isoDate(y: number, m: number, d: number): string | null {
  if (m < 1 || m > 12 || d < 1 || y < 1000 || y > 9999) return null;
  const days = new Date(Date.UTC(y, m, 0)).getUTCDate();
  if (d > days) return null;
  return `${y}-${pad2(m)}-${pad2(d)}`;
}

// Excel's day 0 is 1899-12-30 once its fictional 1900-02-29 (serial 60) is accounted for.
const EXCEL_EPOCH_MS = Date.UTC(1899, 11, 30);
const DAY_MS = 86_400_000;

/**
 * The ISO date of an Excel serial day number (the time of day is dropped).
 * @example excelSerialToIso(46093) // '2026-03-12'
 */
export function excelSerialToIso(serial: number): string | null {
  if (!Number.isFinite(serial) || serial < 1 || serial >= 2_958_466) return null;
  const d = new Date(EXCEL_EPOCH_MS + Math.floor(serial) * DAY_MS);
  return isoDate(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate());
}

const fullYear = (y: string): number => (y.length === 2 ? (Number(y) < 70 ? 2000 : 1900) + Number(y) : Number(y));

/**
 * Reads a date as an ISO date (YYYY-MM-DD): dd.MM.yyyy, d.M.yy, dd/MM/yyyy, ISO, "12.03.2026 г.",
 * "12 март 2026", "March 12, 2026", Excel serial numbers and Date objects. Slash dates are
 * day-first unless the order says otherwise or the numbers only fit month-first.
 * @example parseDate('12.03.2026 г.') // '2026-03-12'
 * @example parseDate(46093) // '2026-03-12'
 */
export function parseDate(value: Cell, order: DateOrder = 'DMY'): string | null {
  if (value === null || value === undefined || typeof value === 'boolean') return null;
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) return null;
    return isoDate(value.getUTCFullYear(), value.getUTCMonth() + 1, value.getUTCDate());
  }
  if (typeof value === 'number') return excelSerialToIso(value);
  const text = value.trim();
  if (!text) return null;
  let m = ISO_DATE.exec(text);
  if (m) return isoDate(Number(m[1]), Number(m[2]), Number(m[3]));
  const core = text.replace(DATE_SUFFIX, '');
  if ((m = NUMERIC_DATE.exec(core))) {
    let d = Number(m[1]);
    let mo = Number(m[3]);
    const slash = m[2] === '/';
    if (slash && ((order === 'MDY' && d <= 12) || mo > 12)) [d, mo] = [mo, d];
    return isoDate(fullYear(m[4]!), mo, d);
  }
  if ((m = YMD.exec(core))) return isoDate(Number(m[1]), Number(m[2]), Number(m[3]));
  if ((m = NAMED_DMY.exec(core))) {
    const mo = monthOf(m[2]!);
    return mo ? isoDate(Number(m[3]), mo, Number(m[1])) : null;
  }
  if ((m = NAMED_MDY.exec(core))) {
    const mo = monthOf(m[1]!);
    return mo ? isoDate(Number(m[3]), mo, Number(m[2])) : null;
  }
  if ((m = COMPACT_DATE.exec(core))) return isoDate(Number(m[1]! + m[2]!), Number(m[3]), Number(m[4]));
  if (SERIAL_TEXT.test(core)) {
    const serial = Number(core);
    // Five-digit serials cover 1927..2173: a text cell holding one came from a formula export.
    return excelSerialToIso(serial);
  }
  return null;
}

// ---------------------------------------------------------------- money

const GROUPING = /[\s\u00a0\u202f\u2009'’]/g;
const NUMBER_BODY = /^[+-]?(?:\d[\d.,]*)$/;
// "9 779,15 лв. / 5 000,00 €": one price in two currencies, as shown while a country changes over.
const DUAL = /\s*[/|]\s*/;

/**
 * The currency named in a value: a whole currency cell ("GBP", "Российский рубль", "Lei") or the
 * marker inside an amount ("12 500,00 лв."), or null. `country` settles shared symbols ("$").
 * @example parseCurrency('12 500,00 лв.') // 'BGN'
 * @example parseCurrency('Pound Sterling') // 'GBP'
 */
export function parseCurrency(value: Cell, country?: string | null): string | null {
  if (typeof value !== 'string') return null;
  return currencyOf(value, country) ?? findCurrencyMark(value, country)?.code ?? null;
}

/** Integer minor units of a finite number of major units, rounded half away from zero. */
function numberToMinor(v: number, digits: number): number | null {
  if (!Number.isFinite(v)) return null;
  // 15 significant digits is what a double holds exactly; reading them as text avoids 1.005*100 = 100.4999.
  const text = Math.abs(v).toPrecision(15);
  if (text.includes('e')) {
    const r = Math.round(v * 10 ** digits);
    return Number.isSafeInteger(r) ? r : null;
  }
  const [int, frac = ''] = text.split('.');
  return digitsToMinor(v < 0, int!, frac, digits);
}

function digitsToMinor(negative: boolean, int: string, frac: string, digits: number): number | null {
  let minor = Number(int || '0') * 10 ** digits + (digits ? Number((frac + '0000').slice(0, digits)) : 0);
  if ((frac[digits] ?? '0') >= '5') minor += 1;
  if (!Number.isSafeInteger(minor)) return null;
  return negative && minor !== 0 ? -minor : minor;
}

/** Options of parseMoney: the currency of amounts that name none, and the country for shared symbols. */
export interface MoneyOptions {
  country?: string | null;
}

/**
 * Reads money as integer minor units and an ISO 4217 currency: "12 500,00 лв.", "1,234.50",
 * "1.234,50 €", "₽ 3 000", "$1,200", "BGN 100", "4 250,50 EUR", "(100)" (negative). Both `,` and
 * `.` may be the decimal mark: with both, the last one is; alone, it is a decimal mark unless
 * exactly three digits follow it ("1,200" is twelve hundred). A number cell is read as major
 * units. Minor units follow the currency (two for most, none for the yen). A price given in two
 * currencies ("9 779,15 лв. / 5 000,00 €") is read in the default currency when it is one of them.
 * @example parseMoney('12 500,00 лв.') // { amountMinor: 1250000, currency: 'BGN' }
 * @example parseMoney('$1,200') // { amountMinor: 120000, currency: 'USD' }
 */
export function parseMoney(value: Cell, defaultCurrency: string | null = null, options: MoneyOptions = {}): Money | null {
  if (typeof value === 'number') {
    const minor = numberToMinor(value, minorDigits(defaultCurrency ?? ''));
    return minor === null ? null : { amountMinor: minor, currency: defaultCurrency };
  }
  if (typeof value !== 'string') return null;
  const text = value.trim();
  if (!text) return null;
  if (DUAL.test(text)) {
    const parts = text.split(DUAL).map((p) => readMoney(p, defaultCurrency, options.country));
    if (parts.length > 1 && parts.every((p) => p?.currency)) {
      return parts.find((p) => p!.currency === defaultCurrency) ?? parts[0]!;
    }
  }
  return readMoney(text, defaultCurrency, options.country);
}

function readMoney(value: string, defaultCurrency: string | null, country: string | null | undefined): Money | null {
  let text = value.trim();
  const mark = findCurrencyMark(text, country);
  const currency = mark?.code ?? defaultCurrency;
  if (mark) {
    // A second marker of the same currency ("USD 100 $") says nothing more; of another, the cell is not one amount.
    const again = findCurrencyMark(text, country, mark.index + mark.length);
    if (again && again.code !== mark.code) return null;
    text =
      text.slice(0, mark.index) +
      ' ' +
      (again
        ? text.slice(mark.index + mark.length, again.index) + ' ' + text.slice(again.index + again.length)
        : text.slice(mark.index + mark.length));
  }
  text = text.replace(GROUPING, '');
  let negative = false;
  if (text.startsWith('(') && text.endsWith(')')) {
    negative = true;
    text = text.slice(1, -1);
  }
  if (text.startsWith('-') || text.startsWith('−')) {
    negative = !negative;
    text = text.slice(1);
  } else if (text.startsWith('+')) text = text.slice(1);
  if (text.endsWith('-')) text = text.slice(0, -1); // "100,-" is a round sum in German-style notation
  if (!NUMBER_BODY.test(text)) return null;
  const lastDot = text.lastIndexOf('.');
  const lastComma = text.lastIndexOf(',');
  let int: string;
  let frac = '';
  if (lastDot >= 0 && lastComma >= 0) {
    const dec = Math.max(lastDot, lastComma);
    const other = dec === lastDot ? ',' : '.';
    if (text.indexOf(dec === lastDot ? '.' : ',') !== dec) return null; // two decimal marks
    int = text.slice(0, dec).split(other).join('');
    frac = text.slice(dec + 1);
  } else if (lastDot >= 0 || lastComma >= 0) {
    const mark = lastDot >= 0 ? '.' : ',';
    const parts = text.split(mark);
    const tail = parts[parts.length - 1]!;
    if (parts.length > 2 || (tail.length === 3 && parts[0] !== '0' && parts[0] !== '')) {
      // Grouping: every group after the first has three digits.
      if (parts.slice(1).some((p) => p.length !== 3)) return null;
      int = parts.join('');
    } else {
      int = parts[0]!;
      frac = tail;
    }
  } else int = text;
  if (!/^\d*$/.test(int) || !/^\d*$/.test(frac) || (int === '' && frac === '')) return null;
  const minor = digitsToMinor(negative, int, frac, minorDigits(currency ?? ''));
  return minor === null ? null : { amountMinor: minor, currency };
}

// ---------------------------------------------------------------- probability

const PERCENT = /^([+-]?\d+(?:[.,]\d+)?)\s*(%?)$/;

/**
 * Reads a probability as a whole percent 0..100: "40%", "40", "0.4", "0,4" and Excel percent
 * cells (0.4). A number up to 1 without a % sign is a fraction.
 * @example parseProbability('40%') // 40
 * @example parseProbability(0.4) // 40
 */
export function parseProbability(value: Cell): number | null {
  let n: number;
  let percentSign = false;
  if (typeof value === 'number') n = value;
  else if (typeof value === 'string') {
    const m = PERCENT.exec(value.trim());
    if (!m) return null;
    n = Number(m[1]!.replace(',', '.'));
    percentSign = m[2] === '%';
  } else return null;
  if (!Number.isFinite(n)) return null;
  const pct = !percentSign && n <= 1 ? n * 100 : n;
  const rounded = Math.round(pct);
  return rounded >= 0 && rounded <= 100 ? rounded : null;
}

// ---------------------------------------------------------------- phones

// "доб. 12", "вътр. 12", "ext. 12", "x12", "#12": an extension is kept apart from the number we key on.
const EXTENSION = /\s*(?:,\s*)?(?:доб|добав|вътр|вн|ext|extn|extension|x|#)\.?\s*(\d{1,6})\s*$/iu;
const PHONE_SPLIT = /\s*(?:[;,|]|:::|\s{3,}|\s(?:или|or|и)\s)\s*/iu;
const INTERNATIONAL = /^\s*(?:\+|00)/;
// "+44 (0)20 7946 0606": the trunk zero in brackets after the country code is not dialled.
const TRUNK_IN_BRACKETS = /^(\s*(?:\+|00)\s*\d{1,3})\s*\(0\)/;
const HAS_DIGIT = /\d/;

/** A phone number read from a cell: E.164 and the extension, if the cell gave one. */
export interface PhoneReading {
  e164: string;
  ext: string | null;
}

/**
 * Reads the first valid phone number in a cell as E.164, with its extension apart. A national
 * number is read for `country` (ISO 3166 alpha-2), then for each of `fallbacks`; eleven digits
 * without a "+" that start with a country code ("79168363318") are read as international.
 * @example readPhone('8 343 788 84 47 доб. 114', 'RU') // { e164: '+73437888447', ext: '114' }
 * @example readPhone('020 7946 0606', 'GB') // { e164: '+442079460606', ext: null }
 */
export function readPhone(value: Cell, country = 'BG', fallbacks: readonly string[] = []): PhoneReading | null {
  const text = typeof value === 'number' ? String(value) : typeof value === 'string' ? value : '';
  if (!HAS_DIGIT.test(text)) return null;
  const read = (raw: string): PhoneReading | null => {
    const ext = EXTENSION.exec(raw);
    let part = (ext ? raw.slice(0, ext.index) : raw).replace(TRUNK_IN_BRACKETS, '$1 ');
    if (!HAS_DIGIT.test(part)) return null;
    part = part.trim();
    let e164: string | null = null;
    if (INTERNATIONAL.test(part)) e164 = toE164(part, country as CountryCode);
    else {
      e164 = toE164(part, country as CountryCode);
      for (let k = 0; !e164 && k < fallbacks.length; k++) if (fallbacks[k] !== country) e164 = toE164(part, fallbacks[k] as CountryCode);
      // Digits that begin with a country code but lack the "+" (an export that dropped it).
      const digits = part.replace(/[\s().-]/g, '');
      if (!e164 && /^[1-9]\d{9,13}$/.test(digits)) {
        const intl = toE164('+' + digits, country as CountryCode);
        if (intl && [country, ...fallbacks].some((c) => intl.startsWith('+' + getCountryCallingCode(c as CountryCode)))) e164 = intl;
      }
    }
    return e164 ? { e164, ext: ext ? ext[1]! : null } : null;
  };
  for (const raw of text.split(PHONE_SPLIT)) {
    if (!raw) continue;
    // "02/987 65 43" writes the area code with a slash; "0888 1 / 0888 2" lists two numbers.
    const phone =
      read(raw) ??
      (raw.includes('/')
        ? (raw
            .split('/')
            .map(read)
            .find((p) => p !== null) ?? null)
        : null);
    if (phone) return phone;
  }
  return null;
}

/**
 * Normalises the first valid phone number in a cell to E.164. National numbers are read for the
 * default country, then (for Bulgaria and Russia) for the other one: a Bulgarian sheet may hold
 * "(495) 540-75-20".
 * @example parsePhone('0888 123 456') // '+359888123456'
 * @example parsePhone('8 (495) 540-75-20', 'RU') // '+74955407520'
 */
export function parsePhone(value: Cell, defaultCountry = 'BG'): string | null {
  const other = defaultCountry === 'BG' ? ['RU'] : defaultCountry === 'RU' ? ['BG'] : [];
  return readPhone(value, defaultCountry, other)?.e164 ?? null;
}

// ---------------------------------------------------------------- e-mail, website

const EMAIL_SPLIT = /\s*[;,]\s*|\s+/;

/**
 * The first valid e-mail address in a cell, normalised (lower case).
 * @example parseEmail('Ivan.Petrov@Acme.bg; office@acme.bg') // 'ivan.petrov@acme.bg'
 */
export function parseEmail(value: Cell): string | null {
  if (typeof value !== 'string') return null;
  const direct = normalizeEmail(value);
  if (direct) return direct;
  for (const part of value.split(EMAIL_SPLIT)) {
    const e = normalizeEmail(part);
    if (e) return e;
  }
  return null;
}

/**
 * A website as written, trimmed, when it names a host ("acme.bg", "https://www.acme.bg/x").
 * @example parseWebsite(' www.acme.bg ') // 'www.acme.bg'
 */
export function parseWebsite(value: Cell): string | null {
  if (typeof value !== 'string') return null;
  const text = value.trim();
  if (!text || text.includes('@') || /\s/.test(text)) return null;
  return normalizeDomain(text) ? text : null;
}

// ---------------------------------------------------------------- company identifiers

const weighted = (d: string, w: readonly number[]): number => w.reduce((s, x, i) => s + x * Number(d[i]), 0);

/**
 * True when a Russian INN (10 digits for organisations, 12 for persons) has valid check digits.
 * @example isValidInn('7707083893') // true
 */
export function isValidInn(inn: string): boolean {
  if (/^\d{10}$/.test(inn)) return (weighted(inn, [2, 4, 10, 3, 5, 9, 4, 6, 8]) % 11) % 10 === Number(inn[9]);
  if (/^\d{12}$/.test(inn)) {
    const n11 = (weighted(inn, [7, 2, 4, 10, 3, 5, 9, 4, 6, 8]) % 11) % 10;
    const n12 = (weighted(inn, [3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8]) % 11) % 10;
    return n11 === Number(inn[10]) && n12 === Number(inn[11]);
  }
  return false;
}

/**
 * True when a Ukrainian ЄДРПОУ (8 digits) has a valid check digit: weights 1..7 (7,1..6 for codes
 * between 30 and 60 million), mod 11; a 10 retries with each weight plus two.
 * @example isValidEdrpou('32855961') // true
 */
export function isValidEdrpou(code: string): boolean {
  if (!/^\d{8}$/.test(code)) return false;
  const n = Number(code);
  const base = n > 30_000_000 && n < 60_000_000 ? [7, 1, 2, 3, 4, 5, 6] : [1, 2, 3, 4, 5, 6, 7];
  let r = weighted(code, base) % 11;
  if (r === 10) {
    r =
      weighted(
        code,
        base.map((w) => w + 2),
      ) % 11;
    if (r === 10) r = 0;
  }
  return r === Number(code[7]);
}

const ID_JUNK = /[\s.-]/g;

/**
 * A company registry number: a Bulgarian EIK/BULSTAT (9 or 13 digits, "BG" prefix allowed), a
 * Bulgarian EGN (sole traders), a Russian INN or a Ukrainian ЄДРПОУ, check digits verified. A number cell that lost
 * its leading zero in Excel gets it back.
 * @example parseCompanyId('BG 831 642 181') // '831642181'
 * @example parseCompanyId('7707083893') // '7707083893'
 */
export function parseCompanyId(value: Cell): string | null {
  let text = typeof value === 'number' ? String(value) : typeof value === 'string' ? value : '';
  text = text.replace(/^\s*(?:BG|ЕИК|EIK|ИНН|INN|ЄДРПОУ|ЕДРПОУ|EDRPOU)[\s:№]*/i, '').replace(ID_JUNK, '');
  if (!/^\d+$/.test(text)) return null;
  if (typeof value === 'number' && (text.length === 8 || text.length === 12)) {
    const padded = text.padStart(text.length + 1, '0');
    if (isValidEik(padded)) return padded;
  }
  const eik = normalizeEik(text);
  if (eik) return eik;
  if (text.length === 10 && (isValidEgn(text) || isValidInn(text))) return text;
  if (text.length === 12 && isValidInn(text)) return text;
  if (text.length === 8 && isValidEdrpou(text)) return text;
  return null;
}

/**
 * A VAT number, upper case without spaces; a bare valid EIK gets Bulgaria's "BG"; a Swiss
 * "CHE-123.456.789 MWST" keeps its suffix.
 * @example parseVat('831642181') // 'BG831642181'
 */
export function parseVat(value: Cell): string | null {
  const text = typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : '';
  if (!text) return null;
  const digits = text.replace(ID_JUNK, '');
  if (/^\d{9}(\d{4})?$/.test(digits)) return isValidEik(digits) ? `BG${digits}` : null;
  const swiss = SWISS_UID.exec(text);
  if (swiss) {
    const uid = swiss[1]! + swiss[2]! + swiss[3]!;
    return isValidSwissUid(uid) ? `CHE${uid}${swiss[4] ? swiss[4].toUpperCase() : ''}` : null;
  }
  return normalizeVat(text);
}

// "CHE-123.456.789 MWST" (TVA, IVA in French and Italian): the Swiss business number with its VAT suffix.
const SWISS_UID = /^CHE[-\s]?(\d{3})[.\s]?(\d{3})[.\s]?(\d{3})(?:\s*(MWST|TVA|IVA))?$/i;

/** The Swiss UID's check digit: weights 5, 4, 3, 2, 7, 6, 5, 4, mod 11 (a 10 is never issued). */
function isValidSwissUid(uid: string): boolean {
  const r = 11 - (weighted(uid, [5, 4, 3, 2, 7, 6, 5, 4]) % 11);
  const check = r === 11 ? 0 : r;
  return check !== 10 && check === Number(uid[8]);
}

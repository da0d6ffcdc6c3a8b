/**
 * What a column's values look like: e-mails, phones (and how many are mobiles), dates, money,
 * percentages, EIKs, websites, stage and status words, postal codes, person and company names.
 * The header mapper uses the shares to confirm a header, break a tie or name an unlabelled column.
 */
import { phoneKind } from '../identity';
import type { Cell } from './types';
import { parseCompanyId, parseDate, parseMoney, parsePhone, parseProbability } from './values';
import { parseStage, parseStatus } from './stages';
import { systemDealStatus, systemLeadStatus, systemStage } from './systems';

export interface ColumnProfile {
  /** Non-empty values looked at. */
  samples: number;
  email: number;
  website: number;
  phone: number;
  /** Share of the phones that are mobile numbers. */
  mobile: number;
  date: number;
  /** Numbers or money text. */
  money: number;
  /** Money written with a currency ("1 200 лв."). */
  currencyMoney: number;
  percent: number;
  companyId: number;
  vat: number;
  stage: number;
  status: number;
  postalCode: number;
  /** Two to four capitalised words, no digits: "Иван Петров". */
  personName: number;
  /** One capitalised word: "Иван". */
  singleWord: number;
  /** A legal form or quotes: "Акме ООД", "ООО «Ромашка»". */
  companyName: number;
  /** Mr, Mrs, г-н, г-жа: a salutation column. */
  salutation: number;
  /** Free text longer than 40 characters. */
  longText: number;
  /** Distinct values among the non-empty ones: 1 when every value differs (an ID), low for a vocabulary. */
  distinct: number;
  /** Whole numbers counting up one by one from 1 (1, 2, 3...): a row number. */
  sequential: number;
  /** Short values (four words at most): what a stage or status column holds. */
  short: number;
}

const EMAIL = /^[^\s@<>]+@[^\s@<>]+\.[^\s@<>.]{2,}$/;
const URL = /^(?:https?:\/\/|www\.)\S+$|^[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}(?:\/\S*)?$/i;
const PHONE_SHAPE = /^[+(]?[\d][\d\s()./-]{5,}\d(?:\s*(?:доб|вътр|ext|x)\.?\s*\d+)?$/iu;
// Written like a phone, not like money: a "+", a leading zero, brackets, dashes between groups.
const PHONE_WRITING = /^\s*(?:\+|00[1-9]|0[1-9]|\()|\d[-.]\d{2,4}[-.]\d|\d\s\d{2}\s\d{2}$/;
// Zero-padded numbers ("0000004127") are document numbers, never a phone.
const ZERO_PADDED = /^000/;
// Postcodes: 4-6 digits (BG, RU, US ZIP...), ZIP+4, PL/PT with a dash, NL, UK and Canadian codes.
const POSTAL =
  /^(?:\d{3,6}|\d{5}-\d{4}|\d{2}-\d{3}|\d{4}-\d{3}|\d{3} \d{2}|\d{4} ?[A-Z]{2}|[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}|[A-Z]\d[A-Z] ?\d[A-Z]\d)$/i;
const PERSON = /^\p{Lu}[\p{Ll}'-]+(?:\s+\p{Lu}[\p{Ll}'.-]+){1,3}$/u;
const SINGLE = /^\p{Lu}[\p{Ll}'-]+$/u;
const LEGAL_FORM =
  /(?:^|[\s"„«“])(?:еоод|оод|ад|еад|ет|кд|сд|ооо|оао|зао|пао|ао|ип|ltd|llc|inc|gmbh|ag|plc|corp|eood|ood|ead)\.?(?:$|[\s"»”“])|[„«“"]/iu;
const SALUTATION = /^(?:mr|mrs|ms|miss|dr|prof|г-н|г-жа|г-ца|господин|госпожа)\.?$/iu;
const VAT = /^(?:BG|RU)\s?\d{9,13}$/i;
const PERCENT_TEXT = /%\s*$/;
const NON_DIGIT = /\D/;

/** How many non-empty values to look at per column. */
export const SAMPLE_SIZE = 50;

/**
 * Profiles up to SAMPLE_SIZE non-empty values of a column.
 * @example profileColumn(['ivan@acme.bg', 'maria@acme.bg']).email // 1
 */
export function profileColumn(values: readonly Cell[]): ColumnProfile {
  const p: ColumnProfile = {
    samples: 0,
    email: 0,
    website: 0,
    phone: 0,
    mobile: 0,
    date: 0,
    money: 0,
    currencyMoney: 0,
    percent: 0,
    companyId: 0,
    vat: 0,
    stage: 0,
    status: 0,
    postalCode: 0,
    personName: 0,
    singleWord: 0,
    companyName: 0,
    salutation: 0,
    longText: 0,
    distinct: 0,
    sequential: 0,
    short: 0,
  };
  let mobiles = 0;
  const seen = new Set<string>();
  let previous: number | null = null;
  let first: number | null = null;
  for (const value of values) {
    if (p.samples >= SAMPLE_SIZE) break;
    if (value === null || value === undefined || value === '') continue;
    p.samples++;
    const key = value instanceof Date ? String(value.getTime()) : String(value).trim().toLowerCase();
    seen.add(key);
    const whole = typeof value === 'number' ? value : /^\d{1,6}$/.test(String(value).trim()) ? Number(String(value).trim()) : NaN;
    if (first === null && Number.isInteger(whole)) first = whole;
    if (Number.isInteger(whole) && previous !== null && whole === previous + 1) p.sequential++;
    previous = Number.isInteger(whole) ? whole : null;
    if (value instanceof Date) {
      p.date++;
      continue;
    }
    if (typeof value === 'number') {
      p.money++;
      if (value >= 0 && value <= 1) p.percent++;
      if (Number.isInteger(value) && value >= 1000 && value <= 999999) p.postalCode++;
      if (parseCompanyId(value)) p.companyId++;
      continue;
    }
    if (typeof value !== 'string') continue;
    const text = value.trim();
    if (!text) continue;
    if (EMAIL.test(text)) {
      p.email++;
      continue;
    }
    if (URL.test(text)) {
      p.website++;
      continue;
    }
    // Digits alone ("20260312", "45000") are more often ids or amounts than dates.
    const isDate = NON_DIGIT.test(text) && parseDate(text) !== null;
    if (isDate) p.date++;
    let phoneLike = false;
    if (!isDate && PHONE_SHAPE.test(text) && !ZERO_PADDED.test(text)) {
      const e164 = parsePhone(text);
      // A number of another country (no country is known here) counts by how it is written.
      const digits = text.replace(/\D/g, '').length;
      if (e164 || (PHONE_WRITING.test(text) && digits >= 7 && digits <= 15)) {
        p.phone++;
        phoneLike = true;
        if (e164 && phoneKind(e164) === 'mobile') mobiles++;
      }
    }
    if (parseCompanyId(text)) p.companyId++;
    if (VAT.test(text)) p.vat++;
    if (POSTAL.test(text)) p.postalCode++;
    if (PERCENT_TEXT.test(text) && parseProbability(text) !== null) p.percent++;
    const money = phoneLike ? null : parseMoney(text);
    if (money) {
      p.money++;
      if (money.currency) p.currencyMoney++;
    }
    if (parseStage(text) || systemStage('any', text)) p.stage++;
    if (parseStatus(text) || systemLeadStatus('any', text) || systemDealStatus('any', text)) p.status++;
    if (SALUTATION.test(text)) p.salutation++;
    else if (PERSON.test(text) && !LEGAL_FORM.test(text)) p.personName++;
    else if (SINGLE.test(text)) p.singleWord++;
    if (LEGAL_FORM.test(text)) p.companyName++;
    if (text.length > 40) p.longText++;
    if (text.length <= 40 && text.split(/\s+/).length <= 4) p.short++;
  }
  const n = p.samples || 1;
  p.distinct = seen.size;
  // Counting from 0 or 1: a row number. Invoice numbers count up too, from wherever the books are.
  p.sequential = first !== null && first <= 1 && p.sequential > 0 ? p.sequential + 1 : 0;
  for (const key of Object.keys(p) as Array<keyof ColumnProfile>) {
    if (key !== 'samples' && key !== 'mobile') p[key] /= n;
  }
  p.mobile = p.phone > 0 ? mobiles / (p.phone * n) : 0;
  return p;
}

/**
 * Phone numbers in free text. Each digit span is read with the candidate countries in turn (the
 * sender's ccTLD, BG, RU, then NANP for generic domains); spans that are not one valid number go to
 * libphonenumber's matcher per country. The longest non-overlapping valid matches win, so a Russian
 * "8 912 345-67-89" is one RU number and not a Bulgarian "345-67-89" inside it.
 */
import { findPhoneNumbersInText, parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';
import type { PhoneField } from './types';

export interface PhoneMatch {
  e164: string;
  kind: 'mobile' | 'landline' | null;
  ext: string | null;
  raw: string;
  start: number;
  end: number;
  fax: boolean;
  /** a "тел./факс" or "tel/fax" label: the number is both a phone and a fax */
  alsoFax: boolean;
  /** the label before the number says mobile/phone/fax: a strong contact signal */
  labelled: boolean;
}

/** Country-code top-level domains we read as a numbering-plan hint. */
const TLD_COUNTRY: Record<string, CountryCode> = {
  bg: 'BG',
  ru: 'RU',
  kz: 'KZ',
  by: 'BY',
  ua: 'UA',
  uk: 'GB',
  de: 'DE',
  at: 'AT',
  ch: 'CH',
  fr: 'FR',
  it: 'IT',
  es: 'ES',
  nl: 'NL',
  be: 'BE',
  pl: 'PL',
  ro: 'RO',
  gr: 'GR',
  rs: 'RS',
  mk: 'MK',
  tr: 'TR',
  cz: 'CZ',
  sk: 'SK',
  hu: 'HU',
  se: 'SE',
  no: 'NO',
  dk: 'DK',
  fi: 'FI',
  ie: 'IE',
  pt: 'PT',
  us: 'US',
  ca: 'CA',
  au: 'AU',
  in: 'IN',
  cn: 'CN',
  jp: 'JP',
  il: 'IL',
  ae: 'AE',
};
// Generic TLDs say nothing about a country; NANP is the most common plan behind them (a number
// written "(713) 853-3848" is unambiguous), so it is tried after BG and RU.
const GENERIC = new Set(['com', 'net', 'org', 'edu', 'gov', 'biz', 'info', 'io', 'co']);

/** Candidate countries for a sender domain: the ccTLD's country first, then BG and RU. */
export function phoneCountries(domain: string | null | undefined): CountryCode[] {
  const out: CountryCode[] = [];
  const tld = domain ? domain.slice(domain.lastIndexOf('.') + 1).toLowerCase() : '';
  const hint = TLD_COUNTRY[tld];
  if (hint) out.push(hint);
  for (const c of ['BG', 'RU'] as const) if (!out.includes(c)) out.push(c);
  if (!hint || GENERIC.has(tld)) out.push('US');
  return out;
}

// An extension the library does not know ("вътр. 12", "вт. 12") or left behind.
const EXT_AFTER = /^[ \t,;]*(?:\(?\s*)(?:доб|вътр|вн|вт|ext|extn|ex|x|#)\.?\s*[:-]?\s*(\d{1,6})\)?/i;
const FAX_AFTER = /^[ \t]*\(?[ \t]*(?:fax|facsimile|telefax|факс)(?![\p{L}])/iu;
const PHONE_LABEL =
  /(?:^|[^\p{L}])(?:tel|phone|mob|mobile|cell|gsm|direct|office|тел|телефон|моб|мобилен|мобильный|сот|сотовый|раб|t|m|p|ph|o|w|d)\s*\.?\s*[:.]?\s*$/iu;
const ANY_LABEL =
  /(?:facsimile|fax|telefax|факс|tel|phone|mob|mobile|cell|gsm|тел|телефон|моб|мобилен|мобильный|сот)\b|\b[tfmp]\s*[:.]\s*$/iu;

// a digit (after an optional "+" or "("), then digits and separators, ending with a digit; bounded, no nesting
const CANDIDATE = /(?:\+|\()?\d[\d \t()./-]{4,22}\d/g;
const DATE_LIKE = /(?:^|\D)\d{1,2}[./]\d{1,2}[./](?:19|20)?\d{2}(?:\D|$)/;
const NANP_SHAPE = /\d{3}\)?[\s./-]{0,3}\d{3}[\s./-]{1,3}\d{4}/;
const LABELS =
  /(facsimile|fax|telefax|факс|tel|phone|mob|mobile|cell|gsm|тел|телефон|моб|мобилен|мобильный|сот|(?<![\p{L}])[tfmpф](?=\s*[.:]))/giu;

const ID_BEFORE =
  /(?:ИНН|КПП|ОГРН|ОГРНИП|ОКПО|ОКВЭД|БИК|ЕИК|БУЛСТАТ|UIC|EIK|VAT|ДДС|IBAN|BIC|р\/с|к\/с|company no\.?|reg(?:istration)?\.? no\.?)(?:\s*\/\s*\p{L}+)?\s*(?:№|No\.?|N)?\s*[:.№]?\s*(?:[\dA-Z]+\s*\/\s*)?$/iu;

/** "тел./факс:", "Tel/Fax", "phone & fax" right before the number. */
const PHONE_AND_FAX = /(?:тел|телефон|tel|phone|т)\.?\s*(?:\/|и|&|and)\s*(?:факс|fax|ф)\.?\s*[:.]?\s*$/iu;

function isFaxContext(before: string): boolean {
  // the text between the previous number (or line start) and this one
  const m = /([^\n]*)$/.exec(before);
  const seg = (m?.[1] ?? '').slice(-40);
  const labels = [...seg.matchAll(LABELS)];
  const last = labels[labels.length - 1]?.[1]?.toLowerCase();
  if (!last) return false;
  return last === 'fax' || last === 'facsimile' || last === 'telefax' || last === 'факс' || last === 'f' || last === 'ф';
}

/**
 * Finds phone numbers in text; fax numbers are flagged by their label ("Fax:", "Факс:", "F:").
 * @example findPhones('Тел.: 8 912 345-67-89, доб. 100', ['RU'])[0]?.e164 // '+79123456789'
 */
export function findPhones(text: string, countries: readonly CountryCode[] = ['BG', 'RU']): PhoneMatch[] {
  if (!/\d{2}/.test(text)) return [];
  type Cand = { start: number; end: number; e164: string; ext: string | null; type: () => string | undefined; rank: number };
  const cands: Cand[] = [];
  // Candidate spans first (digits with the usual separators), each parsed country by country until
  // one is valid: a few parses per number instead of a full-text scan per country.
  const nanp = NANP_SHAPE.test(text);
  const order = countries.filter((c, rank) => !(c === 'US' && rank > 1 && !nanp));
  // " / " between two numbers separates them ("052 600 318 / 0878 205 441"); same length, so offsets hold
  const spans = text.replace(/([ \t])\/(?=[ \t])/g, '$1;');
  for (const m of spans.matchAll(CANDIDATE)) {
    const span = m[0];
    const start = m.index;
    if (DATE_LIKE.test(span) || span.replace(/\D/g, '').length < 6) continue;
    let found = false;
    for (let rank = 0; rank < order.length && !found; rank++) {
      const p = parsePhoneNumberFromString(span, order[rank]!);
      if (p && p.isValid()) {
        cands.push({ start, end: start + span.length, e164: p.number, ext: p.ext ?? null, type: () => p.getType(), rank });
        found = true;
      }
    }
    if (found) continue;
    // two numbers in one span, or text around a number: the library's own matcher on this span only
    order.forEach((country, rank) => {
      for (const f of findPhoneNumbersInText(span, { defaultCountry: country })) {
        if (!f.number.isValid()) continue;
        cands.push({
          start: start + f.startsAt,
          end: start + f.endsAt,
          e164: f.number.number,
          ext: f.number.ext ?? null,
          type: () => f.number.getType(),
          rank,
        });
      }
    });
  }
  // longest first, then the earlier-ranked country
  cands.sort((a, b) => b.end - b.start - (a.end - a.start) || a.rank - b.rank || a.start - b.start);
  const chosen: Cand[] = [];
  for (const c of cands) {
    if (chosen.some((k) => c.start < k.end && k.start < c.end)) continue;
    // a bare national number starting inside a digit run is a fragment of something longer
    const prev = text[c.start - 1];
    if (prev !== undefined && /[\d+]/.test(prev)) continue;
    chosen.push(c);
  }
  chosen.sort((a, b) => a.start - b.start);
  const out: PhoneMatch[] = [];
  for (const c of chosen) {
    let end = c.end;
    let ext = c.ext;
    if (!ext) {
      const m = EXT_AFTER.exec(text.slice(end, end + 24));
      if (m) {
        ext = m[1]!;
        end += m[0].length;
      }
    }
    const before = text.slice(Math.max(0, c.start - 60), c.start);
    const beforeSeg = before.slice(before.lastIndexOf('\n') + 1);
    const rawText = text.slice(c.start, c.end);
    // a file name ("23052653.pdf") or an unformatted digit run without trunk prefix or label is not a phone
    if (/^\.[a-z]{2,4}\b/i.test(text.slice(c.end, c.end + 6))) continue;
    // a company identifier or an account number, not a phone ("КПП 027401001", "ИНН/КПП 5406912536/540601001")
    if (ID_BEFORE.test(beforeSeg)) continue;
    const labelled = ANY_LABEL.test(beforeSeg) || PHONE_LABEL.test(beforeSeg);
    if (/^[1-79]\d+$/.test(rawText) && !labelled) continue;
    const type = c.type();
    const kind =
      type === 'MOBILE'
        ? 'mobile'
        : type === 'FIXED_LINE' || type === 'FIXED_LINE_OR_MOBILE' || type === 'VOIP' || type === 'UAN'
          ? 'landline'
          : null;
    if (out.some((o) => o.e164 === c.e164 && o.ext === ext)) continue;
    out.push({
      e164: c.e164,
      kind,
      ext,
      raw: text.slice(c.start, end),
      start: c.start,
      end,
      fax: isFaxContext(beforeSeg) || FAX_AFTER.test(text.slice(end, end + 12)),
      alsoFax: PHONE_AND_FAX.test(beforeSeg),
      labelled,
    });
  }
  return out;
}

/** A match as a lead field. */
export function toPhoneField(m: PhoneMatch, confidence: number, source: PhoneField['source']): PhoneField {
  return { value: m.e164, kind: m.kind, ext: m.ext, raw: m.raw, confidence, source };
}

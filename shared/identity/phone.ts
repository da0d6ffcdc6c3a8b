import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';

/**
 * Normalises a phone number to E.164, reading national numbers as Bulgarian unless told
 * otherwise. Answers null when the number is not valid.
 * @example toE164('0888 123 456') // '+359888123456'
 */
export function toE164(value: string | null | undefined, defaultCountry: CountryCode = 'BG'): string | null {
  if (!value) return null;
  // A record's phone is read several times on its way in (import, identity keys, derived columns):
  // the parse (the costly part) is done once per number.
  // An international number reads the same whatever the default country.
  const key = value[0] === '+' ? value : `${defaultCountry}|${value}`;
  const hit = E164_CACHE.get(key);
  if (hit !== undefined) return hit;
  let text = value.trim();
  // "00359..." is an international prefix written out
  if (/^00[1-9]/.test(text)) text = '+' + text.slice(2);
  const out = bulgarianMobile(text, defaultCountry) ?? parseValid(text, defaultCountry);
  if (E164_CACHE.size >= E164_CACHE_LIMIT) E164_CACHE.clear();
  E164_CACHE.set(key, out);
  // The answer is itself valid E.164, and the next reader of this record will pass exactly that.
  if (out) E164_CACHE.set(out, out);
  return out;
}

function parseValid(text: string, defaultCountry: CountryCode): string | null {
  const parsed = parsePhoneNumberFromString(text, defaultCountry);
  return parsed && parsed.isValid() ? parsed.number : null;
}

/*
 * Every Bulgarian mobile number (087, 088, 089 and 098, then seven digits) is valid, and sheets
 * hold thousands of them: those are read without the full parse, which costs about ten
 * microseconds a number. Anything else takes the full parse.
 */
const BG_MOBILE = /^(\+359|0)(8[7-9]\d{7}|98\d{7})$/;
function bulgarianMobile(text: string, defaultCountry: CountryCode): string | null {
  const m = BG_MOBILE.exec(text.length > 10 ? text.replace(/[\s().-]/g, '') : text);
  if (!m || (m[1] === '0' && defaultCountry !== 'BG')) return null;
  return '+359' + m[2];
}

/** Bounded, so memory stays flat however many numbers pass. */
const E164_CACHE_LIMIT = 20_000;
const E164_CACHE = new Map<string, string | null>();

/** 'mobile', 'landline' or null, for an E.164 number. */
export function phoneKind(e164: string): 'mobile' | 'landline' | null {
  const parsed = parsePhoneNumberFromString(e164);
  if (!parsed) return null;
  const type = parsed.getType();
  if (type === 'MOBILE') return 'mobile';
  if (type === 'FIXED_LINE' || type === 'FIXED_LINE_OR_MOBILE' || type === 'VOIP' || type === 'UAN') return 'landline';
  return null;
}

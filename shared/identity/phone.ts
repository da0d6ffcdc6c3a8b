import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';

/**
 * Normalises a phone number to E.164, reading national numbers as Bulgarian unless told
 * otherwise. Answers null when the number is not valid.
 * @example toE164('0888 123 456') // '+359888123456'
 */
export function toE164(value: string | null | undefined, defaultCountry: CountryCode = 'BG'): string | null {
  if (!value) return null;
  let text = value.trim();
  // "00359..." is an international prefix written out
  if (/^00[1-9]/.test(text)) text = '+' + text.slice(2);
  const parsed = parsePhoneNumberFromString(text, defaultCountry);
  return parsed && parsed.isValid() ? parsed.number : null;
}

/** 'mobile', 'landline' or null, for an E.164 number. */
export function phoneKind(e164: string): 'mobile' | 'landline' | null {
  const parsed = parsePhoneNumberFromString(e164);
  if (!parsed) return null;
  const type = parsed.getType();
  if (type === 'MOBILE') return 'mobile';
  if (type === 'FIXED_LINE' || type === 'FIXED_LINE_OR_MOBILE' || type === 'VOIP' || type === 'UAN') return 'landline';
  return null;
}

/**
 * Company identifiers: the Bulgarian EIK/BULSTAT (9 or 13 digits, with check digits), the Russian
 * ИНН (10 or 12 digits, with check digits) and VAT numbers ("BG" + EIK or, for persons, + EGN).
 */

function weighted(digits: number[], weights: number[]): number {
  return weights.reduce((sum, w, i) => sum + w * digits[i]!, 0);
}

/** Check digit by the BULSTAT rule: weights 1..n, mod 11; a 10 retries with weights 3..n+2. */
function checkDigit(digits: number[], first: number[], second: number[]): number {
  let r = weighted(digits, first) % 11;
  if (r === 10) {
    r = weighted(digits, second) % 11;
    if (r === 10) r = 0;
  }
  return r;
}

/**
 * True when a 9- or 13-digit EIK has valid check digits.
 * @example isValidEik('831642181') // true
 */
export function isValidEik(eik: string): boolean {
  if (!/^(\d{9}|\d{13})$/.test(eik)) return false;
  const d = [...eik].map(Number);
  if (checkDigit(d.slice(0, 8), [1, 2, 3, 4, 5, 6, 7, 8], [3, 4, 5, 6, 7, 8, 9, 10]) !== d[8]) return false;
  if (eik.length === 9) return true;
  return checkDigit(d.slice(8, 12), [2, 7, 3, 5], [4, 9, 5, 7]) === d[12];
}

/** True when a 10-digit EGN (personal number) has a valid check digit. */
export function isValidEgn(egn: string): boolean {
  if (!/^\d{10}$/.test(egn)) return false;
  const d = [...egn].map(Number);
  const r = weighted(d, [2, 4, 8, 5, 10, 9, 7, 3, 6]) % 11;
  return (r === 10 ? 0 : r) === d[9];
}

/**
 * Normalises an EIK/BULSTAT: digits only, check digits verified; a "BG" VAT number gives its EIK.
 * @example normalizeEik('BG 831 642 181') // '831642181'
 */
export function normalizeEik(value: string | null | undefined): string | null {
  if (!value) return null;
  const digits = value.replace(/^\s*BG/i, '').replace(/[\s.-]/g, '');
  return isValidEik(digits) ? digits : null;
}

/**
 * True for a Russian ИНН with correct check digits: 10 digits for a company, 12 for a person or ИП.
 * @example isValidInn('7707083893') // true
 */
export function isValidInn(inn: string): boolean {
  const d = [...inn].map(Number);
  const check = (weights: number[]): number => (weights.reduce((s, w, i) => s + w * d[i]!, 0) % 11) % 10;
  if (/^\d{10}$/.test(inn)) return check([2, 4, 10, 3, 5, 9, 4, 6, 8]) === d[9];
  if (/^\d{12}$/.test(inn)) return check([7, 2, 4, 10, 3, 5, 9, 4, 6, 8]) === d[10] && check([3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8]) === d[11];
  return false;
}

/**
 * A company's registry identifier as the records keep it (the `eik` field): a valid Bulgarian
 * EIK/BULSTAT, or a valid Russian ИНН; digits only. Null for anything else.
 * @example normalizeCompanyId('ИНН 7707083893') // '7707083893'
 * @example normalizeCompanyId('BG 831 642 181') // '831642181'
 */
export function normalizeCompanyId(value: string | null | undefined): string | null {
  if (!value) return null;
  const eik = normalizeEik(value);
  if (eik) return eik;
  const digits = value.replace(/^\s*(?:ИНН|INN)\s*[:№]?\s*/iu, '').replace(/[\s.-]/g, '');
  return isValidInn(digits) ? digits : null;
}

/**
 * Normalises a VAT number: upper case, no spaces. Bulgarian numbers are check-digit verified;
 * other EU numbers are accepted by shape (two letters and 2-13 characters).
 * @example normalizeVat('bg 831642181') // 'BG831642181'
 */
export function normalizeVat(value: string | null | undefined): string | null {
  if (!value) return null;
  const v = value.toUpperCase().replace(/[\s.-]/g, '');
  if (v.startsWith('BG')) {
    const rest = v.slice(2);
    return isValidEik(rest) || isValidEgn(rest) ? v : null;
  }
  return /^(AT|BE|CY|CZ|DE|DK|EE|EL|ES|FI|FR|HR|HU|IE|IT|LT|LU|LV|MT|NL|PL|PT|RO|SE|SI|SK|XI|GB|CH|NO)[0-9A-Z]{2,13}$/.test(v) ? v : null;
}

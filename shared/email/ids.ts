/**
 * Company identifiers in mail text: the Bulgarian EIK/BULSTAT, the Russian ИНН (with its check
 * digits), BG, GB and other EU VAT numbers. КПП, ОГРН, ОГРНИП and UK company numbers are read only
 * to be left out: they are never the identifier.
 */
import { isValidEik, normalizeVat } from '../identity';

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
 * True for a UK VAT number whose check digits hold (the mod-97 and the newer 97-55 schemes).
 * @example isValidGbVat('GB286471917') // true
 */
export function isValidGbVat(vat: string): boolean {
  const m = /^GB(\d{9})(\d{3})?$/.exec(vat);
  if (!m) return /^GB(?:GD|HA)\d{3}$/.test(vat);
  const d = [...m[1]!].map(Number);
  const sum = [8, 7, 6, 5, 4, 3, 2].reduce((s, w, i) => s + w * d[i]!, 0);
  const check = d[7]! * 10 + d[8]!;
  return (sum + check) % 97 === 0 || (sum + check + 55) % 97 === 0;
}

const EIK_RE = /(?:ЕИК|EIK|БУЛСТАТ|BULSTAT|UIC|ЕИК\s*\/\s*БУЛСТАТ)\s*(?:№|No\.?|N)?\s*[:.]?\s*(?:BG\s?)?(\d{9}(?:\d{4})?)(?!\d)/iu;
// "ИНН 7707083893", "ИНН/КПП 5406912536/540601001": the first number is the ИНН
const INN_RE = /ИНН(?:\s*\/\s*КПП)?\s*(?:№|N)?\s*[:.]?\s*(\d{12}|\d{10})(?!\d)/u;
const VAT_LABEL =
  /(?:ИН\s+по\s+З?ДДС|ИН\s+ДДС|ИД\s+по\s+ДДС|ДДС\s*(?:№|No\.?|номер)?|ИДДС|VAT(?:\s*(?:Reg(?:istration)?\.?|No\.?|number|ID|Nr\.?)){0,3}|USt-?IdNr\.?|TVA|IVA|NIP)\s*[:.№]?\s*/giu;
const VAT_VALUE = /^(?:BG\s?\d{9,10}|GB\s?\d{3}\s?\d{4}\s?\d{2}(?:\s?\d{3})?|[A-Z]{2}\s?[0-9A-Z]{2}[\d ]{5,12}[0-9A-Z])/u;
const BARE_VAT = /\b(?:BG\s?\d{9,10}|GB\s?\d{3}\s?\d{4}\s?\d{2})\b/;

/**
 * The company identifier written in the text: a valid EIK/BULSTAT, else a valid ИНН; null when none.
 * @example findCompanyId('ИНН/КПП 5406912536/540601001\nОГРН 1155476031281') // '5406912536'
 */
export function findCompanyId(text: string): string | null {
  const eik = EIK_RE.exec(text);
  if (eik && isValidEik(eik[1]!)) return eik[1]!;
  const inn = INN_RE.exec(text);
  if (inn && isValidInn(inn[1]!)) return inn[1]!;
  return null;
}

/**
 * The VAT number written in the text, upper case without spaces; null when none (or its check fails).
 * @example findVat('VAT Reg. No. GB 286 4719 17.') // 'GB286471917'
 */
export function findVat(text: string): string | null {
  for (const m of text.matchAll(VAT_LABEL)) {
    const value = VAT_VALUE.exec(text.slice(m.index + m[0].length, m.index + m[0].length + 24))?.[0];
    const v = valid(value);
    if (v) return v;
  }
  return valid(BARE_VAT.exec(text)?.[0]);
}

function valid(raw: string | undefined): string | null {
  if (!raw) return null;
  const v = normalizeVat(raw.trim());
  if (!v) return null;
  if (v.startsWith('GB') && !isValidGbVat(v)) return null;
  return v;
}

/** A company identifier a form field holds ("ЕИК", "ИНН"), when its check digits hold. */
export function companyIdValue(value: string): string | null {
  const digits = value.replace(/^\s*BG\s*/i, '').replace(/[\s-]/g, '');
  if (/^\d{9}(?:\d{4})?$/.test(digits) && isValidEik(digits)) return digits;
  if (/^\d{10}(?:\d{2})?$/.test(digits) && isValidInn(digits)) return digits;
  return null;
}

// The company identifier is named for the country it comes from: a Bulgarian ЕИК, a Russian ИНН,
// a UK company number. Which country: the identifier itself when its check digits say so, else
// the sender's (mail domain, phone code, VAT prefix, the client's stored country), else the
// user's (the locale's region, or the UI language). A foreign identifier names its country.
import { isValidEik } from '../../shared/identity/eik';
import { isValidInn } from '../../shared/email/ids';
import type { I18n } from '../ui/i18n/core';

export type IdCountry = 'BG' | 'RU' | 'GB';
const KNOWN: readonly IdCountry[] = ['BG', 'RU', 'GB'];

const asCountry = (code: string | null | undefined): IdCountry | null => {
  const c = (code ?? '').toUpperCase();
  if (c === 'UK') return 'GB';
  return (KNOWN as readonly string[]).includes(c) ? (c as IdCountry) : null;
};

/** The country an identifier's digits belong to, when its check digits leave no doubt. */
export function countryOfIdentifier(value: string | null | undefined): IdCountry | null {
  const digits = (value ?? '').replace(/^\s*BG\s*/i, '').replace(/[\s-]/g, '');
  if (/^\d{9}(?:\d{4})?$/.test(digits) && isValidEik(digits)) return 'BG';
  if (/^\d{10}(?:\d{2})?$/.test(digits) && isValidInn(digits)) return 'RU';
  if (/^(?:\d{8}|(?:SC|NI|OC)\d{6})$/i.test(digits)) return 'GB';
  return null;
}

/** What the sender's records say: a stored country, the mail domain, a phone's code, a VAT prefix. */
export interface SenderHints {
  country?: string | null;
  email?: string | null;
  website?: string | null;
  phones?: Array<string | null | undefined>;
  vat?: string | null;
}

const TLD: Record<string, IdCountry> = { bg: 'BG', ru: 'RU', su: 'RU', 'xn--p1ai': 'RU', рф: 'RU', uk: 'GB' };

/**
 * The sender's country from what is known of them; null when nothing says.
 * @example countryOfSender({ email: 'o.semenov@vologda-ts.ru' }) // 'RU'
 */
export function countryOfSender(h: SenderHints): IdCountry | null {
  const stored = asCountry(h.country);
  if (stored) return stored;
  for (const address of [h.email, h.website]) {
    const host =
      (address ?? '')
        .toLowerCase()
        .replace(/^[a-z]+:\/\//, '')
        .split(/[/?#]/)[0]!
        .split('@')
        .pop() ?? '';
    const tld = host.split('.').filter(Boolean).pop();
    if (tld && TLD[tld]) return TLD[tld];
  }
  for (const phone of h.phones ?? []) {
    const p = (phone ?? '').replace(/[\s()-]/g, '');
    if (p.startsWith('+359')) return 'BG';
    if (p.startsWith('+44')) return 'GB';
    if (/^\+7[3489]/.test(p)) return 'RU';
  }
  const vat = asCountry((h.vat ?? '').trim().slice(0, 2));
  return vat === 'BG' || vat === 'GB' ? vat : null;
}

/** The user's country: the region of their locale ("en-GB"), else their UI language's. */
export function countryOfUser(locale: string, lang: string): IdCountry | null {
  const region = /^[a-z]{2,3}[-_]([a-z]{2})\b/i.exec(locale)?.[1];
  if (region) return asCountry(region);
  return lang === 'bg' ? 'BG' : lang === 'ru' ? 'RU' : null;
}

/**
 * Whose identifier a field holds: its value's country, else the sender's, else the user's.
 * @example identifierCountry('7707083893', {}, 'bg') // 'RU'
 */
export function identifierCountry(value: string | null | undefined, sender: SenderHints, user: IdCountry | null): IdCountry | null {
  return countryOfIdentifier(value) ?? countryOfSender(sender) ?? user;
}

/** The country's name in the user's language ("Русия" in Bulgarian). */
function countryName(locale: string, country: IdCountry): string {
  try {
    return new Intl.DisplayNames([locale], { type: 'region' }).of(country) ?? country;
  } catch {
    return country;
  }
}

/**
 * The field's label: ЕИК / ИНН / Company number in the user's language, with the country named when
 * it is not the user's own ("ИНН (Русия)" for a Bulgarian user); a neutral name when no country is known.
 */
export function identifierLabel(i18n: I18n, country: IdCountry | null, user: IdCountry | null): string {
  const label = i18n.t(country ? (`id.label.${country}` as const) : 'id.label.other');
  if (!country || country === user) return label;
  return i18n.t('id.foreign', { label, country: countryName(i18n.locale, country) });
}

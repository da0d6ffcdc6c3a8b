/** Mail providers whose domain says nothing about the sender's company. */
export const FREE_MAIL_DOMAINS: ReadonlySet<string> = new Set([
  'gmail.com',
  'googlemail.com',
  'yahoo.com',
  'yahoo.co.uk',
  'ymail.com',
  'hotmail.com',
  'outlook.com',
  'live.com',
  'msn.com',
  'icloud.com',
  'me.com',
  'mac.com',
  'aol.com',
  'proton.me',
  'protonmail.com',
  'gmx.com',
  'gmx.net',
  'gmx.de',
  'web.de',
  'zoho.com',
  'mail.com',
  'yandex.com',
  'abv.bg',
  'mail.bg',
  'dir.bg',
  'data.bg',
  'gbg.bg',
  'abv.com',
  'mail.ru',
  'inbox.ru',
  'list.ru',
  'bk.ru',
  'internet.ru',
  'yandex.ru',
  'ya.ru',
  'rambler.ru',
  'ukr.net',
  'i.ua',
  'tut.by',
  'seznam.cz',
  'wp.pl',
  'o2.pl',
  'interia.pl',
]);

/**
 * Normalises an address for matching: trimmed, lower-case, without a display name or angle
 * brackets. Answers null for something that is not an address.
 * @example normalizeEmail(' Ivan <IVAN@Acme.BG> ') // 'ivan@acme.bg'
 */
export function normalizeEmail(value: string | null | undefined): string | null {
  if (!value) return null;
  const inner = /<([^>]+)>/.exec(value)?.[1] ?? value;
  const email = inner
    .trim()
    .replace(/^mailto:/i, '')
    .toLowerCase();
  return /^[^\s@<>(),;:"]+@[^\s@<>(),;:"]+\.[a-z\p{L}]{2,}$/u.test(email) ? email : null;
}

/** The domain of an address, or null. */
export function emailDomain(email: string | null | undefined): string | null {
  const norm = normalizeEmail(email);
  return norm ? norm.slice(norm.lastIndexOf('@') + 1) : null;
}

/** True when the address belongs to a free mail provider (gmail.com, abv.bg, mail.ru, ...). */
export function isFreeMail(emailOrDomain: string | null | undefined): boolean {
  if (!emailOrDomain) return false;
  const domain = emailOrDomain.includes('@') ? emailDomain(emailOrDomain) : emailOrDomain.toLowerCase();
  return domain !== null && FREE_MAIL_DOMAINS.has(domain);
}

/**
 * A company's domain from a website or address: host only, without "www.".
 * @example normalizeDomain('https://www.Acme.bg/contacts') // 'acme.bg'
 */
export function normalizeDomain(value: string | null | undefined): string | null {
  if (!value) return null;
  let v = value.trim().toLowerCase();
  if (v.includes('@') && !v.includes('/')) v = v.slice(v.lastIndexOf('@') + 1);
  v = v
    .replace(/^[a-z]+:\/\//, '')
    .replace(/[/?#:].*$/, '')
    .replace(/^www\./, '')
    .replace(/\.$/, '');
  return /^[a-z0-9\p{L}-]+(\.[a-z0-9\p{L}-]+)+$/u.test(v) ? v : null;
}

// Translation and Intl formatting for the panes. The UI language follows Office's display
// language (bg-BG -> Bulgarian, ru-RU -> Russian, anything else -> English); numbers, dates and
// money use the full locale, so an English UI in de-DE still writes 1.234,50 €.
//
// This module holds no dictionary but English: index.ts gives every language at once (custom
// functions, tests), load.ts only the one a pane shows (Bulgarian and Russian are chunks).
import { isoWeekOf } from '../../../shared/report/period';
import type { ApiError, ProblemCode } from '../../api/problem';
import { en, type Message, type MessageKey, type Messages } from './en';
import { FIELD_MESSAGES, PROBLEM_MESSAGES, type Lang } from './problems';

export type { Lang, MessageKey, Messages };

/** The UI language for a BCP 47 tag; English when we do not speak it. */
export function resolveLanguage(tag: string | null | undefined): Lang {
  const primary = (tag ?? '').toLowerCase().split(/[-_]/)[0];
  return primary === 'bg' || primary === 'ru' ? primary : 'en';
}

/** A locale Intl accepts; Office may hand us "bg-bg" or an empty string. */
export function resolveLocale(tag: string | null | undefined, lang: Lang): string {
  try {
    const [canonical] = Intl.getCanonicalLocales(tag || []);
    if (canonical) return canonical;
  } catch {
    /* not a valid tag */
  }
  return { en: 'en-US', bg: 'bg-BG', ru: 'ru-RU' }[lang];
}

export type Params = Record<string, string | number>;

function interpolate(text: string, params: Params | undefined, numberFormat: Intl.NumberFormat): string {
  if (!params) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = params[name];
    if (value === undefined) return whole;
    return typeof value === 'number' ? numberFormat.format(value) : value;
  });
}

export interface I18n {
  lang: Lang;
  locale: string;
  t(key: MessageKey, params?: Params): string;
  /** True when `key` is a message key (for keys built from API values, like activity types). */
  has(key: string): key is MessageKey;
  /** The user-facing message for an API problem code. */
  problem(code: ProblemCode): string;
  /** The message for one field of a validation problem, or undefined when the field is fine. */
  fieldMessage(error: ApiError | null | undefined, path: string): string | undefined;
  formatNumber(value: number, options?: Intl.NumberFormatOptions): string;
  /** Money kept as an integer in minor units: 123456 BGN -> "1 234,56 лв." in bg-BG. */
  formatMoney(amountMinor: number, currency: string): string;
  formatDate(value: Date | string | number, options?: Intl.DateTimeFormatOptions): string;
  formatDateTime(value: Date | string | number): string;
  /** "3 days ago", "in 2 hours". */
  formatRelative(value: Date | string | number, now?: Date): string;
}

/** Digits after the decimal point for a currency (2 for BGN/EUR/USD/RUB, 0 for JPY). */
export function currencyDigits(currency: string): number {
  try {
    return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
  } catch {
    return 2;
  }
}

/** Minor units to an exact decimal string (no floating point): (-12345, 2) -> "-123.45". */
export function minorToDecimal(amountMinor: number, digits: number): string {
  const negative = amountMinor < 0;
  const text = String(Math.abs(Math.trunc(amountMinor))).padStart(digits + 1, '0');
  const whole = digits > 0 ? text.slice(0, -digits) : text;
  const fraction = digits > 0 ? `.${text.slice(-digits)}` : '';
  return `${negative ? '-' : ''}${whole}${fraction}`;
}

/** The I18n for `tag` with `dict`, the dictionary of its language (English for a key it lacks). */
export function createI18nWith(tag: string | null | undefined, dict: Messages): I18n {
  const lang = resolveLanguage(tag);
  const locale = resolveLocale(tag, lang);
  const plural = new Intl.PluralRules(lang);
  const numbers = new Intl.NumberFormat(locale);

  const pick = (message: Message, params?: Params): string => {
    if (typeof message === 'string') return message;
    const count = Number(params?.count ?? 0);
    const form = plural.select(count) as keyof typeof message;
    return message[form] ?? message.other;
  };

  const toDate = (value: Date | string | number) => (value instanceof Date ? value : new Date(value));

  return {
    lang,
    locale,
    t: (key, params) => {
      const message = dict[key] ?? en[key];
      return message === undefined ? key : interpolate(pick(message, params), params, numbers);
    },
    has: (key): key is MessageKey => Object.hasOwn(en, key),
    problem: (code) => PROBLEM_MESSAGES[lang][code] ?? PROBLEM_MESSAGES[lang].internal,
    fieldMessage(error, path) {
      const issue = error?.fieldErrors.find((e) => e.path === path);
      if (!issue) return undefined;
      return FIELD_MESSAGES[lang][issue.code] ?? (issue.message || FIELD_MESSAGES[lang].invalid_format);
    },
    formatNumber: (value, options) => new Intl.NumberFormat(locale, options).format(value),
    formatMoney(amountMinor, currency) {
      const digits = currencyDigits(currency);
      const decimal = minorToDecimal(amountMinor, digits);
      // Intl formats decimal strings exactly (ES2023 Intl.NumberFormat v3).
      return new Intl.NumberFormat(locale, { style: 'currency', currency }).format(decimal as unknown as number);
    },
    formatDate: (value, options) =>
      new Intl.DateTimeFormat(locale, options ?? { year: 'numeric', month: 'short', day: 'numeric' }).format(toDate(value)),
    formatDateTime: (value) => new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }).format(toDate(value)),
    formatRelative(value, now = new Date()) {
      const diffSeconds = (toDate(value).getTime() - now.getTime()) / 1000;
      const units: Array<[Intl.RelativeTimeFormatUnit, number]> = [
        ['year', 31_536_000],
        ['month', 2_592_000],
        ['week', 604_800],
        ['day', 86_400],
        ['hour', 3_600],
        ['minute', 60],
      ];
      const format = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' });
      for (const [unit, seconds] of units) {
        if (Math.abs(diffSeconds) >= seconds) return format.format(Math.round(diffSeconds / seconds), unit);
      }
      return format.format(0, 'minute');
    },
  };
}

/** ISO week of a date, e.g. "2026-W27" (weeks start on Monday; week 1 holds the first Thursday). */
export function isoWeek(date = new Date()): string {
  // The user's own calendar day, placed on the UTC calendar the reports use.
  return isoWeekOf(new Date(Date.UTC(date.getFullYear(), date.getMonth(), date.getDate())));
}

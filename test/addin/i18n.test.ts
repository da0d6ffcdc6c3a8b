// Every string in English, Bulgarian and Russian; Intl formatting in the user's locale.
import { describe, expect, it } from 'vitest';
import { PROBLEM_CODES } from '../../addin/api/problem';
import { ApiError } from '../../addin/api/problem';
import { themeFromBackground } from '../../addin/office/host-info';
import { createI18n, DICTIONARIES, isoWeek, LANGUAGES, minorToDecimal, resolveLanguage } from '../../addin/ui/i18n';
import { FIELD_MESSAGES, PROBLEM_MESSAGES } from '../../addin/ui/i18n/problems';

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
const texts = (message: unknown): string[] => (typeof message === 'string' ? [message] : Object.values(message as Record<string, string>));

describe('dictionaries', () => {
  const english = DICTIONARIES.en;

  it.each(LANGUAGES)('%s has every key, none empty, with the same placeholders as English', (lang) => {
    const dict = DICTIONARIES[lang];
    expect(Object.keys(dict).sort()).toEqual(Object.keys(english).sort());
    for (const [key, message] of Object.entries(dict)) {
      const reference = english[key as keyof typeof english];
      expect(typeof message, key).toBe(typeof reference);
      for (const text of texts(message)) {
        expect(text.trim(), key).not.toBe('');
        expect(placeholders(text), `${lang} ${key}`).toEqual(placeholders(texts(reference)[0]!));
      }
    }
  });

  it('has the plural forms each language needs', () => {
    for (const [key, message] of Object.entries(DICTIONARIES.ru)) {
      if (typeof message !== 'string') expect(Object.keys(message).sort(), key).toEqual(['few', 'many', 'one', 'other']);
    }
  });

  it('translates Bulgarian and Russian, rather than copying English', () => {
    const same = (lang: 'bg' | 'ru') =>
      Object.entries(DICTIONARIES[lang]).filter(
        ([key, m]) => JSON.stringify(m) === JSON.stringify(english[key as keyof typeof english]) && !/Leadpane|VIP/.test(JSON.stringify(m)),
      );
    expect(same('bg').map(([k]) => k)).toEqual([]);
    expect(same('ru').map(([k]) => k)).toEqual([]);
  });

  it.each(LANGUAGES)('%s tells the user what to do for every API problem code', (lang) => {
    expect(Object.keys(PROBLEM_MESSAGES[lang]).sort()).toEqual([...PROBLEM_CODES].sort());
    for (const text of Object.values(PROBLEM_MESSAGES[lang])) expect(text.length).toBeGreaterThan(20);
    expect(Object.keys(FIELD_MESSAGES[lang]).sort()).toEqual(Object.keys(FIELD_MESSAGES.en).sort());
  });
});

describe('language and locale', () => {
  it('follows Office’s display language and falls back to English', () => {
    expect(['bg-BG', 'ru-RU', 'ru', 'en-GB', 'de-DE', '', undefined].map(resolveLanguage)).toEqual([
      'bg',
      'ru',
      'ru',
      'en',
      'en',
      'en',
      'en',
    ]);
  });

  it('picks plural forms the Russian way', () => {
    const ru = createI18n('ru-RU');
    expect([1, 3, 5, 21].map((count) => ru.t('common.queued', { count }))).toEqual([
      '1 изменение ожидает отправки.',
      '3 изменения ожидают отправки.',
      '5 изменений ожидают отправки.',
      '21 изменение ожидает отправки.',
    ]);
  });

  it('formats money from minor units exactly, in the user’s locale', () => {
    const nbsp = (s: string) => s.replace(/[\u00a0\u202f]/g, ' ');
    expect(nbsp(createI18n('bg-BG').formatMoney(1_234_550, 'BGN'))).toBe('12 345,50 лв.');
    expect(nbsp(createI18n('en-US').formatMoney(1_234_550, 'EUR'))).toBe('€12,345.50');
    expect(nbsp(createI18n('ru-RU').formatMoney(-5, 'RUB'))).toBe('-0,05 ₽');
    // An English UI in Germany still writes German numbers.
    expect(nbsp(createI18n('de-DE').formatMoney(100, 'EUR'))).toBe('1,00 €');
    expect(minorToDecimal(900719925474099, 2)).toBe('9007199254740.99');
  });

  it('formats dates in the user’s locale', () => {
    const date = new Date(Date.UTC(2026, 6, 1, 12));
    expect(createI18n('bg-BG').formatDate(date, { timeZone: 'UTC', dateStyle: 'long' })).toBe('1 юли 2026 г.');
    expect(createI18n('ru-RU').formatDate(date, { timeZone: 'UTC', dateStyle: 'long' })).toBe('1 июля 2026 г.');
    expect(createI18n('en-US').formatRelative(new Date(Date.UTC(2026, 5, 28, 12)), date)).toBe('3 days ago');
  });

  it('gives per-field messages in the user’s language, and the server’s text for codes it does not know', () => {
    const error = new ApiError({
      code: 'validation_failed',
      status: 422,
      fieldErrors: [
        { path: 'email', code: 'invalid_email', message: 'Invalid email' },
        { path: 'eik', code: 'eik_checksum', message: 'EIK checksum does not match' },
      ],
    });
    const bg = createI18n('bg');
    expect(bg.fieldMessage(error, 'email')).toBe('Въведете имейл адрес, например name@example.com.');
    expect(bg.fieldMessage(error, 'eik')).toBe('EIK checksum does not match');
    expect(bg.fieldMessage(error, 'phone')).toBeUndefined();
  });

  it('knows ISO weeks across the new year', () => {
    expect(isoWeek(new Date(2026, 0, 1))).toBe('2026-W01');
    expect(isoWeek(new Date(2027, 0, 1))).toBe('2026-W53');
    expect(isoWeek(new Date(2026, 6, 1))).toBe('2026-W27');
  });
});

describe('theme', () => {
  it('reads light or dark from Office’s body background colour', () => {
    expect(themeFromBackground('#FFFFFF')).toBe('light');
    expect(themeFromBackground('#1f1f1f')).toBe('dark');
    expect(themeFromBackground('#6B6B6B')).toBe('dark');
    expect(themeFromBackground(undefined)).toBeNull();
  });
});

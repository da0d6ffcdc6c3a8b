// Translation and Intl formatting with every dictionary at hand (see core.ts): for the custom
// functions' script and the tests. The panes load only the language they show (load.ts).
import { bg } from './bg';
import { createI18nWith, resolveLanguage, type I18n, type Lang, type Messages } from './core';
import { en } from './en';
import { ru } from './ru';

export * from './core';
export const DICTIONARIES: Record<Lang, Messages> = { en, bg, ru };
export const LANGUAGES: readonly Lang[] = ['en', 'bg', 'ru'];

export function createI18n(tag: string | null | undefined): I18n {
  return createI18nWith(tag, DICTIONARIES[resolveLanguage(tag)]);
}

// The translations a pane shows: English is built in, Bulgarian and Russian are chunks of their
// own, loaded before the first render for the users who need them.
import { createI18nWith, resolveLanguage, type I18n, type Messages } from './core';
import { en } from './en';

async function dictionary(tag: string | null | undefined): Promise<Messages> {
  switch (resolveLanguage(tag)) {
    case 'bg':
      return (await import('./bg')).bg;
    case 'ru':
      return (await import('./ru')).ru;
    default:
      return en;
  }
}

/**
 * The I18n for a BCP 47 tag. Should its dictionary fail to load (offline, not cached), the pane
 * still starts, in English (English is the fallback of every missing message anyway).
 */
export async function loadI18n(tag: string | null | undefined): Promise<I18n> {
  return createI18nWith(tag, await dictionary(tag).catch(() => en));
}

/**
 * Pipeline stages by name in the report's language, for what people read (downloads, the report
 * sheet); the JSON keeps the stage keys, which programs read.
 */
import type { Stage } from '../schemas';
import type { Lang } from './definitions';

export const STAGE_NAMES: Record<Lang, Record<Stage, string>> = {
  en: { new: 'New', qualified: 'Qualified', proposal: 'Proposal', negotiation: 'Negotiation', won: 'Won', lost: 'Lost' },
  bg: { new: 'Нова', qualified: 'Квалифицирана', proposal: 'Оферта', negotiation: 'Преговори', won: 'Спечелена', lost: 'Загубена' },
  ru: {
    new: 'Новая',
    qualified: 'Квалифицирована',
    proposal: 'Предложение',
    negotiation: 'Переговоры',
    won: 'Выиграна',
    lost: 'Проиграна',
  },
};

/** Columns whose cells hold a stage key, by section. */
const STAGE_COLUMNS: Record<string, string[]> = {
  pipeline: ['stage'],
  movements: ['from', 'to'],
  wonLost: ['outcome'],
};

/**
 * A stage key's name in a language; anything else (a value that is not a stage) is left as it is.
 * @example stageName('negotiation', 'bg') // "Преговори"
 */
export function stageName<T>(value: T, lang: Lang): T | string {
  return typeof value === 'string' && value in STAGE_NAMES[lang] ? STAGE_NAMES[lang][value as Stage] : value;
}

/**
 * The report with stage keys in its sections' stage columns replaced by their names (a copy).
 * @example withStageNames(report, 'ru').sections.find((s) => s.key === 'pipeline')!.rows[0]![0] // "Предложение"
 */
export function withStageNames<R extends { sections: Array<{ key: string; columns: Array<{ key: string }>; rows: unknown[][] }> }>(
  report: R,
  lang: Lang,
): R {
  return {
    ...report,
    sections: report.sections.map((s) => {
      const cols = (STAGE_COLUMNS[s.key] ?? []).map((k) => s.columns.findIndex((c) => c.key === k)).filter((i) => i >= 0);
      if (!cols.length) return s;
      return { ...s, rows: s.rows.map((r) => r.map((v, i) => (cols.includes(i) ? stageName(v, lang) : v))) };
    }),
  };
}

/**
 * Pipeline stage and lead status words in Bulgarian, Russian and English, mapped to Leadpane's
 * keys. A value may carry numbering or a percent ("3. Оферта", "Proposal (50%)"); the phrase is
 * found inside it, the most decisive keys first (a "Closed Won" is won before it is closed).
 */
import { editDistance, foldWord } from './text';
import type { LeadStatus, StageKey } from './types';

const STAGE_WORDS: ReadonlyArray<readonly [StageKey, readonly string[]]> = [
  [
    'won',
    [
      'won',
      'closed won',
      'win',
      'won deal',
      'спечелена',
      'спечелен',
      'спечелено',
      'успешна',
      'успешно приключена',
      'сключена',
      'сключен договор',
      'платена',
      'выиграна',
      'выигран',
      'выиграно',
      'успешно реализовано',
      'закрыта успешно',
      'сделка заключена',
      'заключена',
      'оплачено',
      'успешно',
    ],
  ],
  [
    'lost',
    [
      'lost',
      'closed lost',
      'lose',
      'dead',
      'загубена',
      'загубен',
      'загубено',
      'неуспешна',
      'неуспешно',
      'отказ',
      'отказана',
      'провалена',
      'проиграна',
      'проигран',
      'проиграно',
      'закрыта неуспешно',
      'отказ клиента',
      'отменена',
    ],
  ],
  [
    'negotiation',
    [
      'negotiation',
      'negotiations',
      'negotiation review',
      'review',
      'contract',
      'contract sent',
      'преговори',
      'договаряне',
      'договор',
      'подписване',
      'переговоры',
      'согласование',
      'подписание',
      'договор отправлен',
    ],
  ],
  [
    'proposal',
    [
      'proposal',
      'offer',
      'quote',
      'quotation',
      'price quote',
      'proposal price quote',
      'value proposition',
      'оферта',
      'изпратена оферта',
      'офериране',
      'предложение',
      'коммерческое предложение',
      'кп',
      'кп отправлено',
    ],
  ],
  [
    'qualified',
    [
      'qualified',
      'qualification',
      'needs analysis',
      'discovery',
      'id decision makers',
      'perception analysis',
      'квалифицирана',
      'квалифициран',
      'квалификация',
      'анализ на нуждите',
      'квалифицирован',
      'квалифицирована',
      'выявление потребностей',
      'анализ потребностей',
    ],
  ],
  [
    'new',
    [
      'new',
      'prospecting',
      'prospect',
      'lead',
      'open',
      'initial contact',
      'нова',
      'нов',
      'ново',
      'първи контакт',
      'първоначален контакт',
      'новая',
      'новый',
      'новое',
      'первичный контакт',
      'первый контакт',
    ],
  ],
];

const STATUS_WORDS: ReadonlyArray<readonly [LeadStatus, readonly string[]]> = [
  [
    'disqualified',
    [
      'disqualified',
      'unqualified',
      'junk',
      'not interested',
      'дисквалифициран',
      'дисквалифицирана',
      'неквалифициран',
      'неквалифицирана',
      'не се интересува',
      'отказ',
      'отпаднал',
      'спам',
      'дисквалифицирован',
      'неквалифицирован',
      'некачественный',
      'нецелевой',
      'не интересно',
    ],
  ],
  [
    'converted',
    ['converted', 'конвертиран', 'конвертирана', 'преобразуван', 'превърнат в сделка', 'конвертирован', 'переведен в сделку', 'сделка'],
  ],
  ['qualified', ['qualified', 'квалифициран', 'квалифицирана', 'квалифицирован', 'квалифицирована']],
  [
    'working',
    [
      'working',
      'in progress',
      'contacted',
      'attempted to contact',
      'attempting contact',
      'in process',
      'в процес',
      'в работа',
      'работи се',
      'свързан',
      'осъществен контакт',
      'в работе',
      'обрабатывается',
      'в процессе',
      'связались',
      'контакт установлен',
    ],
  ],
  ['new', ['new', 'open', 'нов', 'нова', 'новый', 'новая', 'необработан', 'не обработен']],
];

interface Vocabulary<K> {
  exact: Map<string, K>;
  /** Phrases padded with spaces, searched inside a padded value, in priority order. */
  phrases: Array<readonly [string, K]>;
  /** Single words long enough for a one-letter typo. */
  fuzzy: Array<readonly [string, K]>;
  cache: Map<string, K | null>;
}

function compile<K>(table: ReadonlyArray<readonly [K, readonly string[]]>): Vocabulary<K> {
  const v: Vocabulary<K> = { exact: new Map(), phrases: [], fuzzy: [], cache: new Map() };
  for (const [key, words] of table) {
    for (const w of words) {
      const f = foldWord(w);
      if (!v.exact.has(f)) v.exact.set(f, key);
      v.phrases.push([` ${f} `, key]);
      if (!f.includes(' ') && f.length >= 5) v.fuzzy.push([f, key]);
    }
  }
  return v;
}

const STAGES = compile(STAGE_WORDS);
const STATUSES = compile(STATUS_WORDS);
const NUMBERING = /(?:^|\s)\d+(?:\s*%)?(?=\s|$)/g;

function lookup<K>(v: Vocabulary<K>, value: unknown): K | null {
  if (typeof value !== 'string') return null;
  const cached = v.cache.get(value);
  if (cached !== undefined) return cached;
  const folded = foldWord(value).replace(NUMBERING, ' ').replace(/\s+/g, ' ').trim();
  let found: K | null = folded ? (v.exact.get(folded) ?? null) : null;
  if (found === null && folded) {
    const padded = ` ${folded} `;
    for (const [phrase, key] of v.phrases) {
      if (padded.includes(phrase)) {
        found = key;
        break;
      }
    }
    if (found === null) {
      outer: for (const word of folded.split(' ')) {
        if (word.length < 5) continue;
        for (const [f, key] of v.fuzzy) {
          if (editDistance(word, f, 1) <= 1) {
            found = key;
            break outer;
          }
        }
      }
    }
  }
  if (v.cache.size > 5000) v.cache.clear();
  v.cache.set(value, found);
  return found;
}

/**
 * Maps a pipeline stage as written to a stage key, or null.
 * @example parseStage('Спечелена') // 'won'
 * @example parseStage('Proposal/Price Quote') // 'proposal'
 */
export function parseStage(value: unknown): StageKey | null {
  return lookup(STAGES, value);
}

/**
 * Maps a lead status as written to a status key, or null.
 * @example parseStatus('В работе') // 'working'
 */
export function parseStatus(value: unknown): LeadStatus | null {
  return lookup(STATUSES, value);
}

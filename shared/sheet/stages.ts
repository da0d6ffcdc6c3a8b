/**
 * Pipeline stage and lead status words in Bulgarian, Russian and English, mapped to Leadpane's
 * keys. A value may carry numbering or a percent ("3. Оферта", "Proposal (50%)"); the longest
 * known phrase inside it decides, the most decisive key on a tie. Written as general vocabulary
 * (Bulgarian, Russian, Ukrainian, English); the CRMs' own defaults are in systems.ts.
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
      'виграна',
      'виграно',
      'виграний',
      'успішно',
      'успішна',
      'оплачена',
      'сплачено',
      'paid',
      'signed',
      'contract signed',
      'договор подписан',
      'подписан договор',
      'подписан',
      'сделка успешна',
      'угода успішна',
      'счет оплачен',
      'счёт оплачен',
      'оплата получена',
      'оплата получена полностью',
      'payment received',
      'contract signed',
      'signed contract',
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
      'відмова',
      'відмовлено',
      'програна',
      'програно',
      'втрачена',
      'скасовано',
      'отменено',
      'rejected',
      'declined',
      'cancelled',
      'canceled',
      'не реализовано',
      'не реалізовано',
      'отказался',
      'отказались',
      'провал',
      'сделка провалена',
      'не актуально',
      'неактуально',
      'потерян',
      'потеряна',
      'no decision',
      'no deal',
      'disqualified',
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
      'переговори',
      'счет выставлен',
      'счёт выставлен',
      'выставлен счет',
      'выставлен счёт',
      'счет на оплату',
      'рахунок виставлено',
      'виставлено рахунок',
      'очікує оплату',
      'ожидает оплаты',
      'ожидание оплаты',
      'в ожидании оплаты',
      'чака плащане',
      'очаква плащане',
      'издадена фактура',
      'фактура издадена',
      'invoice sent',
      'invoiced',
      'awaiting payment',
      'decision making',
      'принимают решение',
      'приймають рішення',
      'согласование договора',
      'узгодження договору',
      'договір',
      'commit',
      'подписание договора',
      'согласование условий',
      'verbal commit',
      'verbal',
      'contracting',
      'legal review',
      'procurement',
      'закупочная процедура',
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
      'кп відправлено',
      'кп надіслано',
      'кп изпратено',
      'комерційна пропозиція',
      'пропозиція',
      'пропозицію надіслано',
      'предложение отправлено',
      'предложение изпратено',
      'оферта изпратена',
      'pilot',
      'pilot running',
      'trial',
      'free trial',
      'proof of concept',
      'poc',
      'пилот',
      'пілот',
      'пилотен проект',
      'тестовый период',
      'тестов период',
      'presentation',
      'презентация',
      'презентація',
      'отправлено кп',
      'отправлено коммерческое предложение',
      'коммерческое предложение отправлено',
      'расчет',
      'расчёт',
      'просчет',
      'просчёт',
      'смета',
      'proposal sent',
      'quote sent',
      'quoted',
      'estimate sent',
      'estimate',
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
      'консультация',
      'консультація',
      'консултация',
      'среща',
      'встреча',
      'зустріч',
      'meeting',
      'demo',
      'demo scheduled',
      'демо',
      'демонстрация',
      'демонстрація',
      'контакт установлен',
      'contact made',
      'needs defined',
      'потребности определены',
      'кваліфікація',
      'кваліфікований',
      'оценка на нуждите',
      'встреча назначена',
      'встреча проведена',
      'замер',
      'выезд на объект',
      'discovery call',
      'needs assessment',
      'evaluation',
      'оценка',
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
      'холодный контакт',
      'холодный звонок',
      'холодний контакт',
      'холодний дзвінок',
      'студен контакт',
      'cold',
      'cold call',
      'inquiry',
      'enquiry',
      'incoming',
      'inbound',
      'запитване',
      'запрос',
      'запит',
      'новий запит',
      'новый запрос',
      'нова заявка',
      'новая заявка',
      'заявка',
      'нове',
      'новий',
      'нова угода',
      'новая сделка',
      'первинний контакт',
      'lead in',
      'unsorted',
      'неразобранное',
      'нерозібране',
      'входящая заявка',
      'входящие',
      'новый лид',
      'first contact',
      'new lead',
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
      'not a fit',
      'no fit',
      'bad fit',
      'not qualified',
      'non qualified',
      'junk lead',
      'lost lead',
      'bad timing',
      'некачественный лид',
      'неякісний',
      'неякісний лід',
      'нецільовий',
      'no budget',
      'нет бюджета',
      'не подходит',
      'closed not converted',
      'lost',
    ],
  ],
  [
    'converted',
    [
      'converted',
      'конвертиран',
      'конвертирана',
      'преобразуван',
      'превърнат в сделка',
      'конвертирован',
      'переведен в сделку',
      'deal opened',
      'deal created',
      'opportunity created',
      'open deal',
      'converted to deal',
      'converted to opportunity',
      'сконвертирован',
      'сконвертований',
      'сделка создана',
      'угоду створено',
      'създадена сделка',
      'качественный лид',
      'якісний лід',
      'good lead',
      'сделка',
    ],
  ],
  [
    'qualified',
    [
      'qualified',
      'квалифициран',
      'квалифицирана',
      'квалифицирован',
      'квалифицирована',
      'кваліфікований',
      'pre qualified',
      'prequalified',
      'sales qualified',
      'marketing qualified',
      'meeting booked',
      'meeting scheduled',
      'meeting set',
      'meeting arranged',
      'quote requested',
      'requested a quote',
      'demo booked',
      'processed',
      'обработан',
      'оброблений',
      'среща насрочена',
      'встреча назначена',
      'зустріч призначено',
    ],
  ],
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
      'emailed',
      'email sent',
      'called',
      'no answer',
      'called no answer',
      'left voicemail',
      'voicemail',
      'left message',
      'follow up',
      'following up',
      'contact in future',
      'attempted',
      'in work',
      'connected',
      'в роботі',
      'в обработке',
      'звонили',
      'дозвонились',
      'не дозвонились',
      'обработва се',
      'изпратен имейл',
      'обадихме се',
    ],
  ],
  [
    'new',
    [
      'new',
      'open',
      'нов',
      'нова',
      'новый',
      'новая',
      'новий',
      'необработан',
      'не обработен',
      'не обработан',
      'не оброблений',
      'not contacted',
      'uncontacted',
      'to contact',
      'to call',
      'new lead',
      'нов лийд',
      'новый лид',
      'за контакт',
    ],
  ],
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
    // The longest phrase found in the value decides ("not contacted" over "contacted"); a tie
    // goes to the more decisive key (a "Closed Won" is won before it is closed).
    const padded = ` ${folded} `;
    let longest = 0;
    for (const [phrase, key] of v.phrases) {
      if (phrase.length > longest && padded.includes(phrase)) {
        found = key;
        longest = phrase.length;
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

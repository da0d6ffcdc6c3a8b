/**
 * The CRMs teams move from, and what their exports look like: the headers that give each one away
 * and the default pipeline stages and statuses each ships, in the languages it ships them in. A
 * record's ID from one system is unique only within that system, so an import keys records by
 * (organisation, source system, ID); the system is found from the headers, or chosen by the user.
 */
import { foldWord } from './text';
import type { DealStatus, LeadStatus, StageKey } from './types';

/** Source systems Leadpane knows; 'other' is any other sheet with a record ID column. */
export const SOURCE_SYSTEMS = [
  'amocrm',
  'bitrix24',
  'pipedrive',
  'hubspot',
  'salesforce',
  'zoho',
  'dynamics',
  '1c',
  'google',
  'other',
] as const;
export type SourceSystem = (typeof SOURCE_SYSTEMS)[number];

/** How a system's name is shown. */
export const SYSTEM_LABELS: Record<SourceSystem, string> = {
  amocrm: 'amoCRM',
  bitrix24: 'Bitrix24',
  pipedrive: 'Pipedrive',
  hubspot: 'HubSpot',
  salesforce: 'Salesforce',
  zoho: 'Zoho CRM',
  dynamics: 'Dynamics 365',
  '1c': '1C',
  google: 'Google Contacts',
  other: 'Other',
};

interface Signature {
  /** Headers (folded) that only this system writes: one is enough. */
  unique?: readonly string[];
  /** Header prefixes (lower case, as written) only this system writes. */
  prefixes?: readonly string[];
  /** Headers typical of the system: at least `min` of them together. */
  typical?: readonly string[];
  min?: number;
  /** A value pattern of its record IDs (the column mapped to externalId). */
  idPattern?: RegExp;
}

const SIGNATURES: Record<Exclude<SourceSystem, 'other'>, Signature> = {
  amocrm: {
    unique: ['основной контакт', 'кем создана', 'main contact', 'ответственный за сделку'],
    typical: [
      'бюджет',
      'воронка',
      'этап сделки',
      'теги',
      'дата закрытия',
      'причина отказа',
      'budget',
      'pipeline',
      'tags',
      'lead title',
      'responsible user',
      'название сделки',
      'дата следующей задачи',
    ],
    min: 3,
  },
  bitrix24: {
    unique: [
      'стадия сделки',
      'направление',
      'сделка закрыта',
      'дополнительно об источнике',
      'название лида',
      'стадія угоди',
      'назва угоди',
      'напрямок',
      'угода закрита',
      'deal stage id',
    ],
    typical: [
      'предполагаемая дата закрытия',
      'дата начала',
      'кем создана',
      'кем изменена',
      'utm source',
      'utm campaign',
      'отчество',
      'частный e mail',
      'рабочий e mail',
      'корпоративный сайт',
    ],
    min: 3,
  },
  pipedrive: {
    prefixes: [
      'deal - ',
      'person - ',
      'organization - ',
      'product - ',
      'сделка - ',
      'контакт - ',
      'организация - ',
      'угода - ',
      'особа - ',
    ],
    // Newer exports leave the "Deal - " prefix out: their time and value columns still give them away.
    typical: [
      'deal id',
      'deal title',
      'deal value',
      'deal stage',
      'deal status',
      'deal owner',
      'deal organization',
      'won time',
      'lost time',
      'deal created',
      'weighted value',
      'last stage change',
      'next activity date',
      'currency of value',
      'update time',
      'contact person',
    ],
    min: 3,
  },
  hubspot: {
    unique: [
      'associated company ids',
      'associated contact ids',
      'deal stage',
      'lifecycle stage',
      'hubspot owner',
      'marketing contact status',
      'amount in company currency',
      'original source',
    ],
    typical: [
      'record id',
      'deal name',
      'deal owner',
      'contact owner',
      'create date',
      'close date',
      'associated company',
      'lead status',
      'deal probability',
    ],
    min: 2,
  },
  salesforce: {
    unique: ['opportunity id', 'opportunity owner', 'fiscal period', 'expected revenue', 'lead id', 'account id', 'opportunity name'],
    typical: ['account name', 'stage', 'close date', 'created date', 'lead source', 'amount currency', 'next step', 'probability'],
    min: 3,
    idPattern: /^(?:006|00Q|001|003)[0-9A-Za-z]{12}(?:[0-9A-Za-z]{3})?$/,
  },
  zoho: {
    typical: [
      'record id',
      'lead owner',
      'deal owner',
      'designation',
      'created time',
      'modified time',
      'closing date',
      'email opt out',
      'no of employees',
      'deal name',
      'account name',
      'tag',
    ],
    min: 3,
    idPattern: /^zcrm_\d+$/,
  },
  dynamics: {
    prefixes: ['(do not modify) '],
    unique: [
      'pipeline phase',
      'potential customer',
      'est close date',
      'est revenue',
      'status reason',
      'actual close date',
      'actual revenue',
    ],
    typical: ['topic', 'owner', 'created on', 'rating', 'currency', 'probability'],
    min: 2,
  },
  '1c': {
    unique: ['полное наименование', 'юр физ лицо', 'основной договор', 'основной банковский счет', 'основной менеджер', 'основний договір'],
    typical: ['код', 'инн', 'кпп', 'наименование', 'страна регистрации', 'юридический адрес', 'фактический адрес'],
    min: 3,
  },
  google: {
    unique: [
      'phonetic first name',
      'file as',
      'e mail 1 value',
      'phone 1 value',
      'address 1 formatted',
      'given name',
      'family name',
      'website 1 value',
    ],
    typical: ['name prefix', 'name suffix', 'nickname', 'labels', 'organization name', 'organization title'],
    min: 3,
  },
};

/**
 * The source system a sheet was exported from, by its headers (and its ID values when given),
 * or null for a hand-kept sheet.
 * @example detectSystem(['Deal - ID', 'Deal - Title', 'Deal - Stage']) // 'pipedrive'
 * @example detectSystem(['ID', 'Название сделки', 'Бюджет', 'Воронка', 'Этап сделки']) // 'amocrm'
 */
export function detectSystem(headers: readonly string[], ids: readonly string[] = []): Exclude<SourceSystem, 'other'> | null {
  const written = headers.map((h) => h.trim().toLowerCase()).filter(Boolean);
  const folded = headers.map((h) => foldWord(h)).filter(Boolean);
  const set = new Set(folded);
  let best: Exclude<SourceSystem, 'other'> | null = null;
  let bestScore = 0;
  for (const [system, sig] of Object.entries(SIGNATURES) as [Exclude<SourceSystem, 'other'>, Signature][]) {
    let score = 0;
    const unique = (sig.unique ?? []).filter((u) => set.has(u)).length;
    if (unique) score += 2 + unique;
    const prefixed = written.filter((h) => (sig.prefixes ?? []).some((p) => h.startsWith(p))).length;
    // "Deal - Title", "(Do Not Modify) Opportunity": most of the headers carry the prefix.
    if (prefixed >= Math.max(2, folded.length * 0.3)) score += 3 + prefixed / folded.length;
    const typical = (sig.typical ?? []).filter((t) => set.has(t)).length;
    if (typical >= (sig.min ?? 2)) score += typical / 2;
    const sample = ids.filter(Boolean).slice(0, 20);
    if (sig.idPattern && sample.length && sample.filter((v) => sig.idPattern!.test(v)).length >= sample.length * 0.8) score += 3;
    if (score > bestScore) {
      best = system;
      bestScore = score;
    }
  }
  return bestScore >= 2 ? best : null;
}

type Vocab<K> = ReadonlyArray<readonly [K, readonly string[]]>;

interface SystemVocabulary {
  stages?: Vocab<StageKey>;
  leadStatuses?: Vocab<LeadStatus>;
  dealStatuses?: Vocab<DealStatus>;
}

/**
 * Each system's default pipeline stages and statuses as its exports write them, in the languages
 * the system ships (the stage a default maps to follows its place in that system's pipeline).
 */
const VOCABULARIES: Record<Exclude<SourceSystem, 'other'>, SystemVocabulary> = {
  amocrm: {
    stages: [
      [
        'new',
        [
          'Неразобранное',
          'Первичный контакт',
          'Incoming leads',
          'Unsorted',
          'Initial contact',
          'Вхідні заявки',
          'Первинний контакт',
          'Нерозібране',
        ],
      ],
      ['proposal', ['Переговоры', 'Negotiation', 'Переговори']],
      [
        'negotiation',
        [
          'Принимают решение',
          'Согласование договора',
          'Decision making',
          'Contract discussion',
          'Приймають рішення',
          'Узгодження договору',
        ],
      ],
      ['won', ['Успешно реализовано', 'Closed - won', 'Closed won', 'Успішно реалізовано']],
      ['lost', ['Закрыто и не реализовано', 'Closed - lost', 'Closed lost', 'Закрито і не реалізовано', 'Закрито та не реалізовано']],
    ],
  },
  bitrix24: {
    stages: [
      ['new', ['Новая', 'Новая сделка', 'New', 'New deal', 'Нова', 'Нова угода']],
      [
        'proposal',
        ['Подготовка документов', 'Preparing documents', 'Preparing documentation', 'Підготовка документів', 'Коммерческое предложение'],
      ],
      [
        'negotiation',
        [
          'Счёт на предоплату',
          'Счет на предоплату',
          'В работе',
          'Финальный счёт',
          'Финальный счет',
          'Prepayment invoice',
          'Invoice for prepayment',
          'In progress',
          'In work',
          'Final invoice',
          'Рахунок на передоплату',
          'В роботі',
          'Фінальний рахунок',
        ],
      ],
      ['won', ['Сделка успешна', 'Сделка заключена', 'Deal won', 'Deal successful', 'Successful', 'Угода успішна', 'Угода укладена']],
      [
        'lost',
        [
          'Сделка провалена',
          'Анализ причины провала',
          'Deal lost',
          'Deal failed',
          'Analyze failure',
          'Analyse failure',
          'Угода провалена',
          'Аналіз причини провалу',
        ],
      ],
    ],
    leadStatuses: [
      ['new', ['Не обработан', 'Неразобранный', 'Not processed', 'Unassigned', 'Не оброблений', 'Новый лид']],
      ['working', ['В работе', 'In progress', 'В роботі']],
      ['qualified', ['Обработан', 'Processed', 'Оброблений']],
      ['converted', ['Качественный лид', 'Сконвертирован', 'Good lead', 'Quality lead', 'Converted', 'Якісний лід', 'Сконвертований']],
      ['disqualified', ['Некачественный лид', 'Junk lead', 'Low quality lead', 'Bad lead', 'Неякісний лід']],
    ],
  },
  pipedrive: {
    stages: [
      ['new', ['Lead In', 'Входящий лид', 'Вхідний лід']],
      [
        'qualified',
        [
          'Qualified',
          'Contact Made',
          'Demo Scheduled',
          'Needs Defined',
          'Квалифицирован',
          'Контакт установлен',
          'Демо запланировано',
          'Потребности определены',
        ],
      ],
      ['proposal', ['Proposal Made', 'Предложение сделано', 'Предложение отправлено', 'Пропозицію зроблено']],
      ['negotiation', ['Negotiations Started', 'Переговоры начаты', 'Начаты переговоры', 'Переговори розпочато']],
    ],
    dealStatuses: [
      ['open', ['Open', 'Открыта', 'Открыто', 'Відкрита']],
      ['won', ['Won', 'Выиграна', 'Выиграно', 'Виграна']],
      ['lost', ['Lost', 'Проиграна', 'Проиграно', 'Програна']],
    ],
  },
  hubspot: {
    stages: [
      ['new', ['Appointment Scheduled', 'appointmentscheduled', 'Встреча назначена']],
      ['qualified', ['Qualified To Buy', 'qualifiedtobuy', 'Готов к покупке']],
      ['proposal', ['Presentation Scheduled', 'presentationscheduled', 'Презентация запланирована']],
      ['negotiation', ['Decision Maker Bought-In', 'decisionmakerboughtin', 'Contract Sent', 'contractsent', 'Договор отправлен']],
      ['won', ['Closed Won', 'closedwon', 'Закрыта успешно']],
      ['lost', ['Closed Lost', 'closedlost', 'Закрыта неуспешно']],
    ],
    leadStatuses: [
      ['new', ['New', 'Open', 'NEW', 'OPEN']],
      ['working', ['In Progress', 'Attempted to Contact', 'Connected', 'IN_PROGRESS', 'ATTEMPTED_TO_CONTACT', 'CONNECTED']],
      ['converted', ['Open Deal', 'OPEN_DEAL']],
      ['disqualified', ['Unqualified', 'Bad Timing', 'UNQUALIFIED', 'BAD_TIMING']],
    ],
  },
  salesforce: {
    stages: [
      ['new', ['Prospecting']],
      ['qualified', ['Qualification', 'Needs Analysis']],
      ['proposal', ['Value Proposition', 'Id. Decision Makers', 'Perception Analysis', 'Proposal/Price Quote']],
      ['negotiation', ['Negotiation/Review']],
      ['won', ['Closed Won']],
      ['lost', ['Closed Lost']],
    ],
    leadStatuses: [
      ['new', ['Open - Not Contacted']],
      ['working', ['Working - Contacted']],
      ['converted', ['Closed - Converted']],
      ['disqualified', ['Closed - Not Converted']],
    ],
  },
  zoho: {
    stages: [
      ['qualified', ['Qualification', 'Needs Analysis']],
      ['proposal', ['Value Proposition', 'Identify Decision Makers', 'Id. Decision Makers', 'Perception Analysis', 'Proposal/Price Quote']],
      ['negotiation', ['Negotiation/Review']],
      ['won', ['Closed Won']],
      ['lost', ['Closed Lost', 'Closed-Lost to Competition', 'Closed Lost to Competition']],
    ],
    leadStatuses: [
      ['new', ['Not Contacted']],
      ['working', ['Attempted to Contact', 'Contact in Future', 'Contacted']],
      ['qualified', ['Pre-Qualified', 'Pre Qualified']],
      ['disqualified', ['Junk Lead', 'Lost Lead', 'Not Qualified']],
    ],
  },
  dynamics: {
    stages: [
      ['qualified', ['1-Qualify', '2-Develop', 'Qualify', 'Develop', '1-Квалификация', '2-Разработка']],
      ['proposal', ['3-Propose', 'Propose', '3-Предложение']],
      ['negotiation', ['4-Close', 'Close', '4-Закрытие']],
    ],
    dealStatuses: [
      ['open', ['Open', 'In Progress', 'On Hold', 'Открыто', 'Выполняется', 'Приостановлено']],
      ['won', ['Won', 'Выиграно']],
      ['lost', ['Lost', 'Canceled', 'Cancelled', 'Out-Sold', 'Проиграно', 'Отменено']],
    ],
    leadStatuses: [
      ['new', ['New']],
      ['working', ['Contacted', 'Cannot Contact']],
      ['qualified', ['Qualified']],
      ['disqualified', ['Lost', 'No Longer Interested', 'Canceled', 'Cancelled']],
    ],
  },
  '1c': {},
  google: {},
};

type Table<K> = Map<string, K>;
const compiled = new Map<string, { stages: Table<StageKey>; leadStatuses: Table<LeadStatus>; dealStatuses: Table<DealStatus> }>();

function compile<K>(vocab: Vocab<K> | undefined, into: Table<K>): Table<K> {
  for (const [key, words] of vocab ?? []) for (const w of words) if (!into.has(foldWord(w))) into.set(foldWord(w), key);
  return into;
}

/** A system's vocabulary ('any': every system's defaults together, the first system winning a clash). */
function tables(system: Exclude<SourceSystem, 'other'> | 'any') {
  let t = compiled.get(system);
  if (t) return t;
  const list = system === 'any' ? Object.values(VOCABULARIES) : [VOCABULARIES[system]];
  t = { stages: new Map(), leadStatuses: new Map(), dealStatuses: new Map() };
  for (const v of list) {
    compile(v.stages, t.stages);
    compile(v.leadStatuses, t.leadStatuses);
    compile(v.dealStatuses, t.dealStatuses);
  }
  compiled.set(system, t);
  return t;
}

/**
 * A stage as a system's default pipeline names it, or null.
 * @example systemStage('amocrm', 'Принимают решение') // 'negotiation'
 */
export function systemStage(system: SourceSystem | 'any' | null, value: string): StageKey | null {
  if (!system || system === 'other') return null;
  return tables(system).stages.get(foldWord(value)) ?? null;
}

/**
 * A lead status as a system's defaults name it, or null.
 * @example systemLeadStatus('bitrix24', 'Качественный лид') // 'converted'
 */
export function systemLeadStatus(system: SourceSystem | 'any' | null, value: string): LeadStatus | null {
  if (!system || system === 'other') return null;
  return tables(system).leadStatuses.get(foldWord(value)) ?? null;
}

/**
 * A deal's outcome as a system's status column names it, or null.
 * @example systemDealStatus('pipedrive', 'Won') // 'won'
 */
export function systemDealStatus(system: SourceSystem | 'any' | null, value: string): DealStatus | null {
  if (!system || system === 'other') return null;
  return tables(system).dealStatuses.get(foldWord(value)) ?? null;
}

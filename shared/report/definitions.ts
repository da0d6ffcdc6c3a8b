/**
 * The weekly report's sections: one definition serves the JSON, CSV and XLSX outputs, the Excel
 * pane's sheet and `=LEADPANE.REPORT(...)`. Each section is a table: typed columns and rows.
 */
export type ColumnType = 'text' | 'int' | 'money' | 'percent' | 'date' | 'days';

export interface ColumnDef {
  key: string;
  type: ColumnType;
  label: { en: string; bg: string; ru: string };
  /** Whether the column gets a total row in spreadsheets. */
  total?: boolean;
}

export interface SectionDef {
  key: SectionKey;
  title: { en: string; bg: string; ru: string };
  columns: ColumnDef[];
}

export const SECTION_KEYS = [
  'newLeadsBySource',
  'newLeadsByManager',
  'conversion',
  'pipeline',
  'movements',
  'wonLost',
  'wonLostByWeek',
  'lostReasons',
  'competitors',
  'planVsActual',
  'forecast',
  'activities',
  'overdueFollowUps',
  'openCases',
  'vipNoContact',
  'creditWatch',
] as const;
export type SectionKey = (typeof SECTION_KEYS)[number];

const c = (key: string, type: ColumnType, en: string, bg: string, ru: string, total = false): ColumnDef => ({
  key,
  type,
  label: { en, bg, ru },
  total,
});

export const SECTIONS: Record<SectionKey, SectionDef> = {
  newLeadsBySource: {
    key: 'newLeadsBySource',
    title: { en: 'New leads by source', bg: 'Нови запитвания по източник', ru: 'Новые лиды по источникам' },
    columns: [c('source', 'text', 'Source', 'Източник', 'Источник'), c('count', 'int', 'Leads', 'Запитвания', 'Лиды', true)],
  },
  newLeadsByManager: {
    key: 'newLeadsByManager',
    title: { en: 'New leads by manager', bg: 'Нови запитвания по търговец', ru: 'Новые лиды по менеджерам' },
    columns: [
      c('manager', 'text', 'Manager', 'Търговец', 'Менеджер'),
      c('count', 'int', 'Leads', 'Запитвания', 'Лиды', true),
      c('converted', 'int', 'Converted', 'Превърнати', 'Конвертировано', true),
    ],
  },
  conversion: {
    key: 'conversion',
    title: { en: 'Lead to deal conversion', bg: 'Превръщане на запитвания в сделки', ru: 'Конверсия лидов в сделки' },
    columns: [
      c('leads', 'int', 'New leads', 'Нови запитвания', 'Новые лиды'),
      c('converted', 'int', 'Converted', 'Превърнати', 'Конвертировано'),
      c('rate', 'percent', 'Rate', 'Дял', 'Доля'),
      c('convertedInPeriod', 'int', 'Converted this period (any age)', 'Превърнати в периода', 'Конвертировано за период'),
    ],
  },
  pipeline: {
    key: 'pipeline',
    title: {
      en: 'Pipeline at the start and end of the period',
      bg: 'Фуния в началото и края на периода',
      ru: 'Воронка на начало и конец периода',
    },
    columns: [
      c('stage', 'text', 'Stage', 'Етап', 'Этап'),
      c('currency', 'text', 'Currency', 'Валута', 'Валюта'),
      c('countStart', 'int', 'Deals at start', 'Сделки в началото', 'Сделок на начало', true),
      c('valueStart', 'money', 'Value at start', 'Стойност в началото', 'Сумма на начало', true),
      c('countEnd', 'int', 'Deals at end', 'Сделки в края', 'Сделок на конец', true),
      c('valueEnd', 'money', 'Value at end', 'Стойност в края', 'Сумма на конец', true),
    ],
  },
  movements: {
    key: 'movements',
    title: { en: 'Deals moved between stages', bg: 'Движение между етапите', ru: 'Переходы между этапами' },
    columns: [
      c('from', 'text', 'From', 'От', 'Из'),
      c('to', 'text', 'To', 'Към', 'В'),
      c('count', 'int', 'Deals', 'Сделки', 'Сделок', true),
    ],
  },
  wonLost: {
    key: 'wonLost',
    title: { en: 'Won and lost', bg: 'Спечелени и загубени', ru: 'Выигранные и проигранные' },
    columns: [
      c('outcome', 'text', 'Outcome', 'Резултат', 'Итог'),
      c('currency', 'text', 'Currency', 'Валута', 'Валюта'),
      c('count', 'int', 'Deals', 'Сделки', 'Сделок', true),
      c('value', 'money', 'Value', 'Стойност', 'Сумма', true),
      c('avgCycleDays', 'days', 'Average cycle (days)', 'Среден цикъл (дни)', 'Средний цикл (дни)'),
    ],
  },
  wonLostByWeek: {
    key: 'wonLostByWeek',
    title: {
      en: 'Won and lost by week, per currency',
      bg: 'Спечелени и загубени по седмици, по валута',
      ru: 'Выигранные и проигранные по неделям, по валютам',
    },
    columns: [
      c('week', 'text', 'Week', 'Седмица', 'Неделя'),
      c('outcome', 'text', 'Outcome', 'Резултат', 'Итог'),
      c('currency', 'text', 'Currency', 'Валута', 'Валюта'),
      c('count', 'int', 'Deals', 'Сделки', 'Сделок', true),
      c('value', 'money', 'Value', 'Стойност', 'Сумма', true),
    ],
  },
  lostReasons: {
    key: 'lostReasons',
    title: { en: 'Reasons for lost deals', bg: 'Причини за загубени сделки', ru: 'Причины проигрыша' },
    columns: [c('reason', 'text', 'Reason', 'Причина', 'Причина'), c('count', 'int', 'Deals', 'Сделки', 'Сделок', true)],
  },
  competitors: {
    key: 'competitors',
    title: { en: 'Win/loss by competitor', bg: 'Спечелени/загубени по конкурент', ru: 'Итоги по конкурентам' },
    columns: [
      c('competitor', 'text', 'Competitor', 'Конкурент', 'Конкурент'),
      c('won', 'int', 'Won against', 'Спечелени', 'Выиграно', true),
      c('lost', 'int', 'Lost to', 'Загубени', 'Проиграно', true),
    ],
  },
  planVsActual: {
    key: 'planVsActual',
    title: { en: 'Plan vs actual', bg: 'План и изпълнение', ru: 'План и факт' },
    columns: [
      c('manager', 'text', 'Manager', 'Търговец', 'Менеджер'),
      c('period', 'text', 'Plan period', 'Период', 'Период'),
      c('currency', 'text', 'Currency', 'Валута', 'Валюта'),
      c('quota', 'money', 'Quota', 'План', 'План', true),
      c('actual', 'money', 'Won to date', 'Спечелено', 'Выиграно', true),
      c('attainment', 'percent', 'Attainment', 'Изпълнение', 'Выполнение'),
    ],
  },
  forecast: {
    key: 'forecast',
    title: { en: 'Weighted forecast', bg: 'Претеглена прогноза', ru: 'Взвешенный прогноз' },
    columns: [
      c('horizon', 'text', 'Horizon', 'Хоризонт', 'Горизонт'),
      c('currency', 'text', 'Currency', 'Валута', 'Валюта'),
      c('deals', 'int', 'Open deals', 'Отворени сделки', 'Открытых сделок', true),
      c('value', 'money', 'Value', 'Стойност', 'Сумма', true),
      c('weighted', 'money', 'Weighted', 'Претеглена', 'Взвешенная', true),
    ],
  },
  activities: {
    key: 'activities',
    title: { en: 'Activities by manager', bg: 'Активности по търговец', ru: 'Активности по менеджерам' },
    columns: [
      c('manager', 'text', 'Manager', 'Търговец', 'Менеджер'),
      c('email', 'int', 'Emails', 'Имейли', 'Письма', true),
      c('call', 'int', 'Calls', 'Обаждания', 'Звонки', true),
      c('meeting', 'int', 'Meetings', 'Срещи', 'Встречи', true),
      c('note', 'int', 'Notes', 'Бележки', 'Заметки', true),
      c('total', 'int', 'Total', 'Общо', 'Всего', true),
    ],
  },
  overdueFollowUps: {
    key: 'overdueFollowUps',
    title: { en: 'Overdue follow-ups', bg: 'Просрочени задачи', ru: 'Просроченные задачи' },
    columns: [
      c('task', 'text', 'Task', 'Задача', 'Задача'),
      c('manager', 'text', 'Manager', 'Търговец', 'Менеджер'),
      c('due', 'date', 'Due', 'Срок', 'Срок'),
      c('daysOverdue', 'days', 'Days overdue', 'Дни просрочие', 'Дней просрочки'),
    ],
  },
  openCases: {
    key: 'openCases',
    title: { en: 'Open complaints and proposals', bg: 'Отворени оплаквания и предложения', ru: 'Открытые жалобы и предложения' },
    columns: [
      c('kind', 'text', 'Kind', 'Вид', 'Тип'),
      c('subject', 'text', 'Subject', 'Тема', 'Тема'),
      c('company', 'text', 'Company', 'Фирма', 'Компания'),
      c('priority', 'text', 'Priority', 'Приоритет', 'Приоритет'),
      c('ageDays', 'days', 'Age (days)', 'Възраст (дни)', 'Возраст (дни)'),
    ],
  },
  vipNoContact: {
    key: 'vipNoContact',
    title: {
      en: 'VIP clients with no contact in 30 days',
      bg: 'VIP клиенти без контакт от 30 дни',
      ru: 'VIP-клиенты без контакта 30 дней',
    },
    columns: [
      c('company', 'text', 'Company', 'Фирма', 'Компания'),
      c('vipTier', 'int', 'VIP tier', 'VIP ниво', 'VIP уровень'),
      c('lastContact', 'date', 'Last contact', 'Последен контакт', 'Последний контакт'),
      c('daysSince', 'days', 'Days since', 'Дни оттогава', 'Дней с тех пор'),
    ],
  },
  creditWatch: {
    key: 'creditWatch',
    title: {
      en: 'Clients whose credit score worsened',
      bg: 'Клиенти с влошена платежоспособност',
      ru: 'Клиенты с ухудшившейся платёжеспособностью',
    },
    columns: [
      c('company', 'text', 'Company', 'Фирма', 'Компания'),
      c('scoreStart', 'int', 'Score at start', 'Оценка в началото', 'Оценка на начало'),
      c('scoreEnd', 'int', 'Score at end', 'Оценка в края', 'Оценка на конец'),
      c('grade', 'text', 'Grade', 'Клас', 'Класс'),
      c('overdue', 'money', 'Overdue at end', 'Просрочено в края', 'Просрочено на конец'),
      c('currency', 'text', 'Currency', 'Валута', 'Валюта'),
      c('reason', 'text', 'Main reason', 'Основна причина', 'Основная причина'),
    ],
  },
};

export type Cell = string | number | null;

export interface ReportSection {
  key: SectionKey;
  title: string;
  columns: { key: string; type: ColumnType; label: string; total: boolean }[];
  rows: Cell[][];
}

export interface WeeklyReport {
  kind: 'weekly';
  period: { label: string; from: string; to: string };
  scope: { kind: 'org' | 'manager'; id: string | null; name: string };
  generatedAt: string;
  sections: ReportSection[];
  /** How much the database read to compute it (D1's rows_read summed over the queries). */
  stats?: { rowsRead: number };
}

export type Lang = 'en' | 'bg' | 'ru';

/** Builds a section of the report from its definition and rows, labelled in one language. */
export function section(key: SectionKey, rows: Cell[][], lang: Lang = 'en'): ReportSection {
  const def = SECTIONS[key];
  return {
    key,
    title: def.title[lang],
    columns: def.columns.map((col) => ({ key: col.key, type: col.type, label: col.label[lang], total: col.total ?? false })),
    rows,
  };
}

import { sheetNames, writeXlsx, type XlsxCell, type XlsxSheet } from '../xlsx';
import { SECTIONS, type Lang, type WeeklyReport } from './definitions';

const DAY = 86_400_000;

const TEXT: Record<
  Lang,
  Record<
    'summary' | 'title' | 'period' | 'from' | 'to' | 'scope' | 'org' | 'manager' | 'generated' | 'section' | 'sheet' | 'rows' | 'total',
    string
  >
> = {
  en: {
    summary: 'Summary',
    title: 'Leadpane weekly report',
    period: 'Period',
    from: 'From',
    to: 'To (inclusive)',
    scope: 'Scope',
    org: 'Organisation',
    manager: 'Manager',
    generated: 'Generated at',
    section: 'Section',
    sheet: 'Sheet',
    rows: 'Rows',
    total: 'Total',
  },
  bg: {
    summary: 'Обобщение',
    title: 'Leadpane седмичен отчет',
    period: 'Период',
    from: 'От',
    to: 'До (включително)',
    scope: 'Обхват',
    org: 'Организация',
    manager: 'Търговец',
    generated: 'Създаден',
    section: 'Раздел',
    sheet: 'Лист',
    rows: 'Редове',
    total: 'Общо',
  },
  ru: {
    summary: 'Сводка',
    title: 'Leadpane еженедельный отчёт',
    period: 'Период',
    from: 'С',
    to: 'По (включительно)',
    scope: 'Охват',
    org: 'Организация',
    manager: 'Менеджер',
    generated: 'Сформирован',
    section: 'Раздел',
    sheet: 'Лист',
    rows: 'Строк',
    total: 'Итого',
  },
};

/** The language a report was labelled in, read back from its section titles. */
function langOf(report: WeeklyReport): Lang | null {
  for (const lang of ['en', 'bg', 'ru'] as const) if (report.sections.some((s) => SECTIONS[s.key]?.title[lang] === s.title)) return lang;
  return null;
}

/**
 * The weekly report as an XLSX workbook: a "Summary" sheet (period, scope, when it was made and
 * one line per section with its row count), then one sheet per section holding an Excel table
 * whose totals row sums, with formulas, the columns the definition marks `total`. Money is shown
 * in major units (the JSON's minor units divided by 100), rates as percentages, dates as dates.
 * Labels follow the report's language (or `opts.lang`).
 *
 * @example
 * const report = await weeklyReport(db, orgId, weekPeriod('2026-W47')!, scope, 'bg');
 * const bytes = await reportToXlsx(report); // sheets: "Обобщение", "Нови запитвания по източник", ...
 */
export async function reportToXlsx(report: WeeklyReport, opts: { lang?: Lang } = {}): Promise<Uint8Array<ArrayBuffer>> {
  const lang = opts.lang ?? langOf(report) ?? 'en';
  const t = TEXT[lang];
  const names = sheetNames([t.summary, ...report.sections.map((s) => s.title)]);
  const generated = new Date(report.generatedAt);
  const intro: XlsxCell[][] = [
    [t.title],
    [t.period, report.period.label],
    [t.from, new Date(report.period.from)],
    [t.to, new Date(Date.parse(report.period.to) - DAY)],
    [t.scope, `${report.scope.kind === 'org' ? t.org : t.manager}: ${report.scope.name}`],
    [t.generated, Number.isNaN(generated.getTime()) ? report.generatedAt : `${generated.toISOString().slice(0, 16).replace('T', ' ')} UTC`],
    [],
  ];
  const summary: XlsxSheet = {
    name: names[0]!,
    intro,
    columns: [
      { header: t.section, type: 'text' },
      { header: t.sheet, type: 'text' },
      { header: t.rows, type: 'int' },
    ],
    rows: report.sections.map((s, i) => [s.title, names[i + 1]!, s.rows.length]),
    table: { name: 'Summary' },
  };
  const sheets: XlsxSheet[] = report.sections.map((s, i) => ({
    name: names[i + 1]!,
    columns: s.columns.map((c) => ({ header: c.label, type: c.type })),
    rows: s.rows,
    table: { name: s.key, totals: s.columns.map((c) => c.total), totalsLabel: t.total },
  }));
  return writeXlsx({
    sheets: [summary, ...sheets],
    title: `${t.title} ${report.period.label}`,
    created: Number.isNaN(generated.getTime()) ? undefined : generated,
  });
}

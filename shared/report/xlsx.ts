import { minorDigits } from '../sheet/iso-4217';
import { sheetNames, writeXlsx, type XlsxCell, type XlsxSheet } from '../xlsx';
import { SECTIONS, type Cell, type Lang, type ReportSection, type WeeklyReport } from './definitions';

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
 * A section cut by currency: one part per currency its rows hold (a section without a currency
 * column, or with one currency, is one part). A totals row then never adds one currency to another.
 */
export function byCurrency(s: ReportSection): Array<{ currency: string | null; rows: Cell[][] }> {
  const at = s.columns.findIndex((c) => c.key === 'currency');
  if (at < 0) return [{ currency: null, rows: s.rows }];
  const parts = new Map<string, Cell[][]>();
  for (const r of s.rows) {
    const cur = String(r[at] ?? '');
    parts.set(cur, [...(parts.get(cur) ?? []), r]);
  }
  if (parts.size === 0) return [{ currency: null, rows: [] }];
  return [...parts].map(([currency, rows]) => ({ currency: currency || null, rows }));
}

/**
 * Money cells in hundredths of a major unit, as the workbook writer shows them: the JSON's minor
 * units follow the currency (none for the yen, three for the Kuwaiti dinar).
 */
function inHundredths(s: ReportSection, rows: Cell[][], currency: string | null): Cell[][] {
  const digits = currency ? minorDigits(currency) : 2;
  if (digits === 2) return rows;
  return rows.map((r) => r.map((v, i) => (s.columns[i]?.type === 'money' && typeof v === 'number' ? (v * 100) / 10 ** digits : v)));
}

/**
 * The weekly report as an XLSX workbook: a "Summary" sheet (period, scope, when it was made and
 * one line per sheet with its row count), then one sheet per section, or per section and
 * currency when a section holds several, each an Excel table whose totals row sums, with
 * formulas, the columns the definition marks `total`: no total adds amounts in different
 * currencies. Money is shown in major units, rates as percentages, dates as dates. Labels follow
 * the report's language (or `opts.lang`).
 *
 * @example
 * const report = await weeklyReport(db, orgId, weekPeriod('2026-W47')!, scope, 'bg');
 * const bytes = await reportToXlsx(report); // sheets: "Обобщение", "Нови запитвания по източник", ...
 */
export async function reportToXlsx(report: WeeklyReport, opts: { lang?: Lang } = {}): Promise<Uint8Array<ArrayBuffer>> {
  const lang = opts.lang ?? langOf(report) ?? 'en';
  const t = TEXT[lang];
  const parts = report.sections.flatMap((s) => {
    const cut = byCurrency(s);
    return cut.map((p) => ({ section: s, title: cut.length > 1 ? `${s.title} (${p.currency})` : s.title, ...p }));
  });
  const names = sheetNames([t.summary, ...parts.map((p) => p.title)]);
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
    rows: parts.map((p, i) => [p.title, names[i + 1]!, p.rows.length]),
    table: { name: 'Summary' },
  };
  const sheets: XlsxSheet[] = parts.map((p, i) => ({
    name: names[i + 1]!,
    columns: p.section.columns.map((c) => ({ header: c.label, type: c.type })),
    rows: inHundredths(p.section, p.rows, p.currency),
    table: {
      name: p.currency && parts.filter((o) => o.section === p.section).length > 1 ? `${p.section.key}_${p.currency}` : p.section.key,
      totals: p.section.columns.map((c) => c.total),
      totalsLabel: t.total,
    },
  }));
  return writeXlsx({
    sheets: [summary, ...sheets],
    title: `${t.title} ${report.period.label}`,
    created: Number.isNaN(generated.getTime()) ? undefined : generated,
  });
}

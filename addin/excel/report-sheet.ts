// The weekly report as a sheet: each section a title, an Excel table and, for three sections, a
// native chart. At most three syncs per section: one write (table cells and the chart's helper
// cells together), one table, one chart. Refreshing replaces the sheet in place.
import { isoWeekOf, weekPeriod } from '../../shared/report/period';
import { minorDigits } from '../../shared/sheet/iso-4217';
import type { WeeklyReport } from '../api/contract';

/** What a sheet is written from: the report's period and sections. */
type WeeklyReportBody = Pick<WeeklyReport, 'period' | 'sections'>;
import { columnLetters } from '../office/a1';
import type { CellValue, ChartKind, ExcelHost, Matrix } from '../office/types';
import { sheetName } from './tabs/sheet-names';

type Section = WeeklyReportBody['sections'][number];

export interface ChartPlan {
  kind: ChartKind;
  /** Helper cells [label, value] the chart draws, or null to chart the table's first columns. */
  helper: ((s: Section) => Matrix) | null;
  /** Without helper: how many table columns (from the left) the chart takes. */
  columns?: number;
}

const moneyColumn = (s: Section, key: string) => s.columns.findIndex((c) => c.key === key);

/** Which sections get a chart, and of what kind. */
export const CHARTS: Record<string, ChartPlan> = {
  // Pipeline by stage at the period's end: a bar per stage (Excel's funnel is not in the API set),
  // one series per currency: amounts in different currencies are never added.
  pipeline: {
    kind: 'bar',
    helper: (s) => {
      const value = s.columns.length - 1;
      const cur = s.columns.findIndex((c) => c.key === 'currency');
      const currencies = [...new Set(s.rows.map((r) => String(r[cur] ?? '')))];
      const byStage = new Map<string, number[]>();
      for (const r of s.rows) {
        const row = byStage.get(String(r[0])) ?? currencies.map(() => 0);
        const c = String(r[cur] ?? '');
        row[currencies.indexOf(c)]! += Number(r[value] ?? 0) / 10 ** minorDigits(c);
        byStage.set(String(r[0]), row);
      }
      const head = currencies.length === 1 ? `${s.columns[value]!.label} (${currencies[0]})` : null;
      return [[s.columns[0]!.label, ...(head ? [head] : currencies)], ...[...byStage].map(([k, v]) => [k, ...v])];
    },
  },
  // Activities per manager, one column per activity type.
  activities: { kind: 'column', helper: null, columns: 5 },
};

export interface TrendPoint {
  week: string;
  value: number;
}

/** Cells of a section: money in major units of the row's currency for reading (the API keeps minor units). */
function bodyRows(s: Section): Matrix {
  const cur = s.columns.findIndex((c) => c.key === 'currency');
  return s.rows.map((r) => {
    const scale = 10 ** minorDigits(cur >= 0 ? String(r[cur] ?? '') : '');
    return r.map((v, i) => (s.columns[i]?.type === 'money' && typeof v === 'number' ? v / scale : (v as CellValue)));
  });
}

export interface WriteReportOptions {
  excel: ExcelHost;
  report: WeeklyReportBody;
  week: string;
  /** Won value per week, oldest first, for the trend line. */
  trend: TrendPoint[];
  labels: { noRows: string; trendTitle: string; week: string; won: string };
  onSection?: (done: number, total: number) => void;
}

export async function writeReportSheet(o: WriteReportOptions): Promise<{ sheet: string; sections: number }> {
  const sheet = sheetName('Weekly', o.week);
  await o.excel.addWorksheet(sheet, { replace: true, activate: true });
  let row = 1;
  let n = 0;
  for (const s of o.report.sections) {
    const width = Math.max(1, s.columns.length);
    const body = bodyRows(s);
    const chart = CHARTS[s.key];
    let helper: Matrix | null = chart?.helper ? chart.helper(s) : null;
    if (s.key === 'wonLost' && o.trend.length) helper = [[o.labels.week, o.labels.won], ...o.trend.map((p) => [p.week, p.value])];
    const helperCol = width + 1;
    const total = helper ? helperCol + Math.max(2, helper[0]?.length ?? 2) : width;
    const height = Math.max(2 + Math.max(body.length, 1), helper ? helper.length + 1 : 0);
    const block: Matrix = Array.from({ length: height }, () => Array<CellValue>(total).fill(null));
    block[0]![0] = s.title;
    s.columns.forEach((c, i) => (block[1]![i] = c.label));
    if (body.length === 0) block[2]![0] = o.labels.noRows;
    body.forEach((r, i) => r.forEach((v, j) => (block[2 + i]![j] = v)));
    helper?.forEach((r, i) => r.forEach((v, j) => (block[1 + i]![helperCol + j] = v)));
    await o.excel.writeValues(sheet, `A${row}`, block);
    if (body.length > 0) {
      await o.excel.createTable(sheet, `A${row + 1}:${columnLetters(width - 1)}${row + 1 + body.length}`, {
        name: `LP_${o.week.replace('-', '_')}_${s.key}`,
        style: 'TableStyleMedium2',
      });
    }
    if (helper && helper.length > 1) {
      const kind: ChartKind = s.key === 'wonLost' ? 'line' : chart!.kind;
      const title = s.key === 'wonLost' ? o.labels.trendTitle : s.title;
      const series = Math.max(1, (helper[0]?.length ?? 2) - 1);
      await o.excel.addChart(sheet, `${columnLetters(helperCol)}${row + 1}:${columnLetters(helperCol + series)}${row + helper.length}`, {
        kind,
        title,
        name: `LP_chart_${s.key}`,
      });
    } else if (chart && !chart.helper && body.length > 0) {
      await o.excel.addChart(sheet, `A${row + 1}:${columnLetters(Math.min(width, chart.columns ?? width) - 1)}${row + 1 + body.length}`, {
        kind: chart.kind,
        title: s.title,
        name: `LP_chart_${s.key}`,
      });
    }
    row += height + 2;
    n++;
    o.onSection?.(n, o.report.sections.length);
  }
  return { sheet, sections: n };
}

/** The ISO weeks before `week`, oldest first: ("2026-W02", 3) -> 2025-W51, 2025-W52, 2026-W01. */
export function weeksBefore(week: string, count: number): string[] {
  const period = weekPeriod(week);
  if (!period) return [];
  const monday = Date.parse(period.from);
  const out: string[] = [];
  for (let i = count; i >= 1; i--) out.push(isoWeekOf(new Date(monday - i * 7 * 86_400_000)));
  return out;
}

/** Won value (major units) of a report's wonLost section in one currency. */
export function wonValue(report: WeeklyReportBody, currency: string): number {
  const s = report.sections.find((x) => x.key === 'wonLost');
  if (!s) return 0;
  const outcome = s.columns.findIndex((c) => c.key === 'outcome');
  const cur = s.columns.findIndex((c) => c.key === 'currency');
  const value = moneyColumn(s, 'value') >= 0 ? moneyColumn(s, 'value') : s.columns.findIndex((c) => c.type === 'money');
  return s.rows
    .filter((r) => r[outcome >= 0 ? outcome : 0] === 'won' && (cur < 0 || r[cur] === currency))
    .reduce((sum, r) => sum + Number(r[value] ?? 0) / 100, 0);
}

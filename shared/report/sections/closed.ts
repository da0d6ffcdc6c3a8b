import { isoWeekOf } from '../period';
import { section, type Cell, type Lang, type ReportSection } from '../definitions';
import { byText } from './order';

/**
 * The period's won and lost deals summed in one read, told apart by `k`:
 * - 'o': outcome `a` in currency `b`, `n` deals worth `v`, `cycle` their days from creation summed;
 * - 'r': lost reason `a`, `n` deals lost for it;
 * - 'c': competitor `a`, `n` deals won against it and `v` lost to it.
 */
export interface ClosedRow {
  k: 'o' | 'r' | 'c';
  a: string;
  b: string | null;
  n: number;
  v: number | null;
  cycle: number | null;
}

/** Won and lost deals of one day, outcome and currency. */
export interface ClosedDayRow {
  day: string;
  outcome: string;
  currency: string;
  n: number;
  v: number;
}

const kind = (rows: ClosedRow[], k: ClosedRow['k']) => rows.filter((r) => r.k === k);

/**
 * Won and lost by currency, with the average days from a deal's creation to its close.
 *
 * @example wonLostSection([{ k: 'o', a: 'won', b: 'BGN', n: 2, v: 9000, cycle: 15 }]).rows // [['won', 'BGN', 2, 9000, 7.5]]
 */
export function wonLostSection(rows: ClosedRow[], lang: Lang = 'en'): ReportSection {
  return section(
    'wonLost',
    kind(rows, 'o')
      .map((r) => [r.a, r.b, r.n, r.v, Math.round((r.cycle! / r.n) * 10) / 10] as Cell[])
      .sort(byText),
    lang,
  );
}

/**
 * Won and lost by ISO week, outcome and currency, the weeks made from the days (no currency is
 * added to another).
 *
 * @example wonLostByWeekSection([{ day: '2026-11-17', outcome: 'won', currency: 'EUR', n: 1, v: 500 }]).rows // [['2026-W47', 'won', 'EUR', 1, 500]]
 */
export function wonLostByWeekSection(rows: ClosedDayRow[], lang: Lang = 'en'): ReportSection {
  const byWeek = new Map<string, Cell[]>();
  for (const r of rows) {
    const week = isoWeekOf(new Date(`${r.day}T12:00:00.000Z`));
    const k = `${week}|${r.outcome}|${r.currency}`;
    const row = byWeek.get(k) ?? [week, r.outcome, r.currency, 0, 0];
    row[3] = Number(row[3]) + r.n;
    row[4] = Number(row[4]) + r.v;
    byWeek.set(k, row);
  }
  return section(
    'wonLostByWeek',
    [...byWeek.values()].sort((a, b) => String(a[0]).localeCompare(String(b[0])) || byText(a.slice(1), b.slice(1))),
    lang,
  );
}

/**
 * Lost reasons, most frequent first.
 *
 * @example lostReasonsSection([{ k: 'r', a: 'Price', b: null, n: 2, v: null, cycle: null }]).rows // [['Price', 2]]
 */
export function lostReasonsSection(rows: ClosedRow[], lang: Lang = 'en'): ReportSection {
  return section(
    'lostReasons',
    kind(rows, 'r')
      .map((r) => [r.a, r.n] as Cell[])
      .sort((a, b) => Number(b[1]) - Number(a[1]) || String(a[0]).localeCompare(String(b[0]))),
    lang,
  );
}

/**
 * Competitors with the deals won against them and lost to them.
 *
 * @example competitorsSection([{ k: 'c', a: 'Pipedrive', b: null, n: 1, v: 2, cycle: null }]).rows // [['Pipedrive', 1, 2]]
 */
export function competitorsSection(rows: ClosedRow[], lang: Lang = 'en'): ReportSection {
  return section(
    'competitors',
    kind(rows, 'c')
      .map((r) => [r.a, r.n, r.v] as Cell[])
      .sort(byText),
    lang,
  );
}

import { section, type Cell, type Lang, type ReportSection } from '../definitions';
import { byText, round4 } from './order';

/** A manager's quota for a month or quarter. */
export interface QuotaRow {
  user_id: string;
  name: string;
  period: string;
  currency: string;
  amount_minor: number;
}

/** Amounts won since the quarter's (or month's) start by owner and currency, flagged when won in the month. */
export interface WonRow {
  owner_id: string | null;
  currency: string;
  v: number;
  in_month: number;
}

/** Open deals by stage and currency with their weighted value, flagged by when they are expected to close. */
export interface ForecastRow {
  stage: string;
  currency: string;
  n: number;
  v: number;
  w: number;
  in4w: number;
  inQuarter: number;
}

/**
 * Each quota of the month and quarter containing the period's end against the amount won in it,
 * in the quota's currency.
 *
 * @example
 * planVsActualSection(
 *   [{ user_id: 'U1', name: 'Ана', period: '2026-Q4', currency: 'BGN', amount_minor: 1000 }],
 *   [{ owner_id: 'U1', currency: 'BGN', v: 250, in_month: 1 }],
 *   { month: '2026-11', quarter: '2026-Q4' },
 * ).rows // [['Ана', '2026-Q4', 'BGN', 1000, 250, 0.25]]
 */
export function planVsActualSection(
  quotas: QuotaRow[],
  won: WonRow[],
  plan: { month: string; quarter: string },
  lang: Lang = 'en',
): ReportSection {
  const sums = new Map<string, number>();
  for (const r of won) {
    const qk = `${r.owner_id}|${plan.quarter}|${r.currency}`;
    sums.set(qk, (sums.get(qk) ?? 0) + r.v);
    if (r.in_month)
      sums.set(`${r.owner_id}|${plan.month}|${r.currency}`, (sums.get(`${r.owner_id}|${plan.month}|${r.currency}`) ?? 0) + r.v);
  }
  return section(
    'planVsActual',
    quotas
      .map((r) => {
        const actual = sums.get(`${r.user_id}|${r.period}|${r.currency}`) ?? 0;
        return [r.name, r.period, r.currency, r.amount_minor, actual, r.amount_minor ? round4(actual / r.amount_minor) : 0] as Cell[];
      })
      .sort(byText),
    lang,
  );
}

/**
 * The weighted forecast by horizon (the next four weeks, the quarter) and currency; a deal
 * closing within both counts in both.
 *
 * @example
 * forecastSection([{ stage: 'proposal', currency: 'EUR', n: 1, v: 1000, w: 500, in4w: 1, inQuarter: 1 }], '2026-Q4').rows
 * // [['2026-Q4', 'EUR', 1, 1000, 500], ['next4Weeks', 'EUR', 1, 1000, 500]]
 */
export function forecastSection(rows: ForecastRow[], quarter: string, lang: Lang = 'en'): ReportSection {
  const fc = new Map<string, [number, number, number]>();
  for (const r of rows) {
    const horizons: string[] = [];
    if (r.in4w) horizons.push('next4Weeks');
    if (r.inQuarter) horizons.push(quarter);
    for (const h of horizons) {
      const k = `${h}|${r.currency}`;
      const cur = fc.get(k) ?? [0, 0, 0];
      fc.set(k, [cur[0] + r.n, cur[1] + r.v, cur[2] + r.w]);
    }
  }
  return section('forecast', [...fc].map(([k, v]) => [...k.split('|'), ...v] as Cell[]).sort(byText), lang);
}

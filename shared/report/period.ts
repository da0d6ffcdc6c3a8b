/**
 * Report periods. Weeks are ISO weeks (Monday to Monday) in UTC, so a week's report is the same
 * whoever asks and whenever.
 */
export interface Period {
  /** e.g. "2026-W48", or "2026-11-01..2026-11-15" for a custom range */
  label: string;
  /** inclusive ISO timestamp */
  from: string;
  /** exclusive ISO timestamp */
  to: string;
}

const DAY = 86_400_000;

/**
 * The ISO week containing a date.
 * @example isoWeekOf(new Date('2026-11-27T10:00:00Z')) // '2026-W48'
 */
export function isoWeekOf(date: Date): string {
  const d = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()));
  const dow = d.getUTCDay() || 7;
  d.setUTCDate(d.getUTCDate() + 4 - dow); // Thursday decides the year
  const yearStart = Date.UTC(d.getUTCFullYear(), 0, 1);
  const week = Math.ceil(((d.getTime() - yearStart) / DAY + 1) / 7);
  return `${d.getUTCFullYear()}-W${String(week).padStart(2, '0')}`;
}

/**
 * The period of an ISO week label; null when the label is not a week that exists.
 * @example weekPeriod('2026-W48') // { label: '2026-W48', from: '2026-11-23T00:00:00.000Z', to: '2026-11-30T00:00:00.000Z' }
 */
export function weekPeriod(label: string): Period | null {
  const m = /^(\d{4})-W(\d{2})$/.exec(label);
  if (!m) return null;
  const year = Number(m[1]);
  const week = Number(m[2]);
  const jan4 = new Date(Date.UTC(year, 0, 4));
  const monday1 = jan4.getTime() - ((jan4.getUTCDay() || 7) - 1) * DAY;
  const from = monday1 + (week - 1) * 7 * DAY;
  if (week < 1 || isoWeekOf(new Date(from)) !== label) return null;
  return { label, from: new Date(from).toISOString(), to: new Date(from + 7 * DAY).toISOString() };
}

/** The week before the one containing `now`: what a head of sales opens on Monday. */
export function lastWeek(now = new Date()): Period {
  return weekPeriod(isoWeekOf(new Date(now.getTime() - 7 * DAY)))!;
}

/** A custom range of whole days, from inclusive to inclusive. */
export function rangePeriod(fromDate: string, toDate: string): Period | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(fromDate) || !/^\d{4}-\d{2}-\d{2}$/.test(toDate)) return null;
  const from = Date.parse(fromDate + 'T00:00:00Z');
  const to = Date.parse(toDate + 'T00:00:00Z') + DAY;
  if (Number.isNaN(from) || Number.isNaN(to) || to <= from) return null;
  return { label: `${fromDate}..${toDate}`, from: new Date(from).toISOString(), to: new Date(to).toISOString() };
}

/** Month ("2026-11") and quarter ("2026-Q4") containing an instant, with their start. */
export function planPeriods(at: string): { month: string; monthStart: string; quarter: string; quarterStart: string; quarterEnd: string } {
  const d = new Date(at);
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth();
  const q = Math.floor(m / 3);
  return {
    month: `${y}-${String(m + 1).padStart(2, '0')}`,
    monthStart: new Date(Date.UTC(y, m, 1)).toISOString(),
    quarter: `${y}-Q${q + 1}`,
    quarterStart: new Date(Date.UTC(y, q * 3, 1)).toISOString(),
    quarterEnd: new Date(Date.UTC(y, q * 3 + 3, 1)).toISOString(),
  };
}

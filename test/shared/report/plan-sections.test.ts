import { describe, expect, it } from 'vitest';
import { forecastSection, planVsActualSection, type QuotaRow } from '../../../shared/report/sections/plan';

const quota = (o: Partial<QuotaRow> = {}): QuotaRow => ({
  user_id: 'U1',
  name: 'Ana',
  period: '2026-Q4',
  currency: 'BGN',
  amount_minor: 100_000,
  ...o,
});

describe('plan and forecast sections', () => {
  it("sets each quota against the amounts won in its period and currency, the month's wins counting for the quarter too", () => {
    const s = planVsActualSection(
      [
        quota({ period: '2026-Q4', amount_minor: 100_000 }),
        quota({ period: '2026-11', amount_minor: 40_000 }),
        quota({ user_id: 'U2', name: 'Boris', period: '2026-Q4', currency: 'EUR', amount_minor: 0 }),
        quota({ user_id: 'U2', name: 'Boris', period: '2026-11', currency: 'BGN', amount_minor: 10_000 }),
      ],
      [
        { owner_id: 'U1', currency: 'BGN', v: 30_000, in_month: 0 },
        { owner_id: 'U1', currency: 'BGN', v: 10_000, in_month: 1 },
        { owner_id: 'U2', currency: 'EUR', v: 500, in_month: 1 },
      ],
      { month: '2026-11', quarter: '2026-Q4' },
    );
    expect(s.key).toBe('planVsActual');
    expect(s.rows).toEqual([
      ['Ana', '2026-11', 'BGN', 40_000, 10_000, 0.25],
      ['Ana', '2026-Q4', 'BGN', 100_000, 40_000, 0.4],
      // Won in euros: nothing of it counts against a quota in leva; a zero quota has a zero rate.
      ['Boris', '2026-11', 'BGN', 10_000, 0, 0],
      ['Boris', '2026-Q4', 'EUR', 0, 500, 0],
    ]);
  });

  it('sums the weighted forecast by horizon and currency, a deal closing within both counting in both', () => {
    const s = forecastSection(
      [
        { stage: 'proposal', currency: 'EUR', n: 1, v: 1000, w: 500, in4w: 1, inQuarter: 1 },
        { stage: 'new', currency: 'EUR', n: 2, v: 2000, w: 200, in4w: 0, inQuarter: 1 },
        { stage: 'negotiation', currency: 'BGN', n: 1, v: 300, w: 240, in4w: 1, inQuarter: 0 },
        { stage: 'qualified', currency: 'BGN', n: 4, v: 900, w: 90, in4w: 0, inQuarter: 0 },
      ],
      '2026-Q4',
    );
    expect(s.key).toBe('forecast');
    expect(s.rows).toEqual([
      ['2026-Q4', 'EUR', 3, 3000, 700],
      ['next4Weeks', 'BGN', 1, 300, 240],
      ['next4Weeks', 'EUR', 1, 1000, 500],
    ]);
  });
});

import { describe, expect, it } from 'vitest';
import { addDays, convertMinor, daysBetween, scoreCredit, type CreditInvoice } from '../../shared/credit/score';

const inv = (o: Partial<CreditInvoice> & Pick<CreditInvoice, 'issuedOn' | 'dueOn'>): CreditInvoice => ({
  amountMinor: 100_00,
  currency: 'BGN',
  paidOn: null,
  ...o,
});

describe('scoreCredit', () => {
  it('a client who always pays on time scores 100 (A) with no reasons', () => {
    const invoices = [1, 2, 3, 4].map((m) => inv({ issuedOn: `2026-0${m}-01`, dueOn: `2026-0${m}-15`, paidOn: `2026-0${m}-14` }));
    const s = scoreCredit({ asOf: '2026-06-30', creditLimitMinor: 1_000_00, currency: 'BGN', invoices });
    expect(s).toMatchObject({
      score: 100,
      grade: 'A',
      invoices12m: 4,
      paidLate30d: 0,
      avgDaysLate: 0,
      openAmountMinor: 0,
      overdueAmountMinor: 0,
      maxDaysOverdue: 0,
      reasons: [],
    });
  });

  it('counts invoices paid more than 30 days late and says so', () => {
    const invoices = [
      inv({ issuedOn: '2026-01-01', dueOn: '2026-01-31', paidOn: '2026-03-15' }), // 43 days late
      inv({ issuedOn: '2026-02-01', dueOn: '2026-02-28', paidOn: '2026-04-10' }), // 41
      inv({ issuedOn: '2026-03-01', dueOn: '2026-03-31', paidOn: '2026-05-20' }), // 50
      inv({ issuedOn: '2026-04-01', dueOn: '2026-04-30', paidOn: '2026-05-05' }), // 5
    ];
    const s = scoreCredit({ asOf: '2026-06-30', creditLimitMinor: null, currency: 'BGN', invoices });
    expect(s.paidLate30d).toBe(3);
    expect(s.avgDaysLate).toBe(34.8);
    expect(s.reasons).toContain('3 invoices paid more than 30 days late in 12 months');
    // 100 - 3*10 (late) - floor(34.8/3)=11 (average)
    expect(s.score).toBe(59);
    expect(s.grade).toBe('C');
  });

  it('an open overdue amount above the credit limit costs 25 points and a reason', () => {
    const invoices = [
      inv({ amountMinor: 800_00, issuedOn: '2026-03-01', dueOn: '2026-03-31' }),
      inv({ amountMinor: 500_00, issuedOn: '2026-04-01', dueOn: '2026-04-30' }),
    ];
    const s = scoreCredit({ asOf: '2026-06-30', creditLimitMinor: 1_000_00, currency: 'BGN', invoices });
    expect(s).toMatchObject({ openAmountMinor: 1_300_00, overdueAmountMinor: 1_300_00, maxDaysOverdue: 91 });
    expect(s.reasons).toContain('open overdue amount exceeds the credit limit');
    expect(s.score).toBe(100 - 30 - 25);
    expect(s.grade).toBe('C');
  });

  it('is computed as of a date: later payments and invoices do not change a past answer', () => {
    const invoices = [
      inv({ issuedOn: '2026-01-01', dueOn: '2026-01-31', paidOn: '2026-05-01' }),
      inv({ issuedOn: '2026-07-01', dueOn: '2026-07-31' }),
    ];
    const past = scoreCredit({ asOf: '2026-03-01', creditLimitMinor: 50_00, currency: 'BGN', invoices });
    const again = scoreCredit({ asOf: '2026-03-01', creditLimitMinor: 50_00, currency: 'BGN', invoices: invoices.slice(0, 1) });
    expect(past).toEqual(again);
    expect(past).toMatchObject({ openAmountMinor: 100_00, overdueAmountMinor: 100_00, maxDaysOverdue: 29, invoices12m: 1 });
  });

  it('is deterministic: the same input gives the same answer, whatever the order of invoices', () => {
    const invoices = Array.from({ length: 30 }, (_, i) =>
      inv({
        amountMinor: 1000 + i * 37,
        issuedOn: addDays('2025-09-01', i * 9),
        dueOn: addDays('2025-09-01', i * 9 + 30),
        paidOn: i % 4 ? addDays('2025-09-01', i * 9 + 30 + i * 2) : null,
      }),
    );
    const a = scoreCredit({ asOf: '2026-06-30', creditLimitMinor: 2_000_00, currency: 'BGN', invoices });
    const b = scoreCredit({ asOf: '2026-06-30', creditLimitMinor: 2_000_00, currency: 'BGN', invoices: [...invoices].reverse() });
    expect(b).toEqual(a);
    expect(a.score).toBeGreaterThanOrEqual(0);
    expect(a.score).toBeLessThanOrEqual(100);
  });

  it('a client without invoices in 12 months is unknown, not bad: 50 (C)', () => {
    const s = scoreCredit({ asOf: '2026-06-30', creditLimitMinor: null, currency: null, invoices: [] });
    expect(s).toMatchObject({ score: 50, grade: 'C', currency: 'BGN', reasonCodes: ['no_history'] });
  });

  it('sums euro invoices into a lev limit at the fixed rate and leaves other currencies out with a reason', () => {
    const invoices = [
      inv({ amountMinor: 100_00, currency: 'EUR', issuedOn: '2026-06-01', dueOn: '2026-07-01' }),
      inv({ amountMinor: 100_00, currency: 'USD', issuedOn: '2026-06-01', dueOn: '2026-07-01' }),
    ];
    const s = scoreCredit({ asOf: '2026-06-30', creditLimitMinor: null, currency: 'BGN', invoices });
    expect(s.openAmountMinor).toBe(195_58);
    expect(s.reasonCodes).toContain('other_currency');
  });

  it('date helpers count whole calendar days', () => {
    expect(daysBetween('2026-03-28', '2026-03-30')).toBe(2); // across the EU DST change
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(convertMinor(195_583, 'BGN', 'EUR')).toBe(100_000);
  });
});

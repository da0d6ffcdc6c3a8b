import { describe, expect, it } from 'vitest';
import { creditWatchSection, type PaymentRow } from '../../../shared/report/sections/credit-watch';

const invoice = (o: Partial<PaymentRow> & Pick<PaymentRow, 'company_id' | 'name'>): PaymentRow => ({
  credit_limit_minor: null,
  credit_currency: 'BGN',
  amount_minor: 100_000,
  currency: 'BGN',
  issued_on: '2026-10-01',
  due_on: '2026-11-18',
  paid_on: null,
  ...o,
});

// 2026-W47: the score on Sunday 2026-11-15 against the score on Sunday 2026-11-22.
const FROM = '2026-11-16T00:00:00.000Z';
const TO = '2026-11-23T00:00:00.000Z';

describe('credit watch section', () => {
  it('lists the clients whose score fell during the period, the biggest drop first', () => {
    const s = creditWatchSection(
      [
        // Falls due during the week and stays unpaid: 100 before, 4 days overdue at the end.
        invoice({ company_id: 'A', name: 'Alpha' }),
        // Overdue since before the week and over its limit all along: no change, not listed.
        invoice({ company_id: 'B', name: 'Beta', credit_limit_minor: 50_000, due_on: '2026-10-01' }),
        // A little overdue before; at the end a second invoice is overdue too and both exceed the limit.
        invoice({ company_id: 'C', name: 'Gamma', credit_limit_minor: 150_000, due_on: '2026-11-10' }),
        invoice({ company_id: 'C', name: 'Gamma', credit_limit_minor: 150_000, issued_on: '2026-11-01', due_on: '2026-11-20' }),
        // Paid on time: nothing to watch.
        invoice({ company_id: 'D', name: 'Delta', due_on: '2026-11-17', paid_on: '2026-11-17' }),
      ],
      FROM,
      TO,
    );
    expect(s.key).toBe('creditWatch');
    expect(s.rows.map((r) => r.slice(0, 6))).toEqual([
      ['Gamma', 85, 70, 'B', 200_000, 'BGN'],
      ['Alpha', 100, 95, 'A', 100_000, 'BGN'],
    ]);
    expect(s.rows.map((r) => r[6])).toEqual([expect.stringContaining('overdue'), expect.stringContaining('overdue, the oldest by 4 days')]);
  });

  it('leaves out invoices issued after the period', () => {
    const s = creditWatchSection([invoice({ company_id: 'A', name: 'Alpha', issued_on: '2026-11-23', due_on: '2026-11-20' })], FROM, TO);
    expect(s.rows).toEqual([]);
  });
});

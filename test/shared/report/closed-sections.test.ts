import { describe, expect, it } from 'vitest';
import {
  competitorsSection,
  lostReasonsSection,
  wonLostByWeekSection,
  wonLostSection,
  type ClosedRow,
} from '../../../shared/report/sections/closed';

const closed = (o: Partial<ClosedRow> & Pick<ClosedRow, 'k' | 'a'>): ClosedRow => ({ b: null, n: 1, v: null, cycle: null, ...o });

// One read of the period's closed deals: outcomes ('o'), lost reasons ('r') and competitors ('c') together.
const rows = [
  closed({ k: 'o', a: 'won', b: 'BGN', n: 2, v: 9000, cycle: 15 }),
  closed({ k: 'o', a: 'lost', b: 'EUR', n: 3, v: 300, cycle: 10 }),
  closed({ k: 'r', a: 'Timing', n: 2 }),
  closed({ k: 'r', a: 'Budget', n: 3 }),
  closed({ k: 'r', a: 'Price', n: 2 }),
  closed({ k: 'c', a: 'Pipedrive', n: 1, v: 2 }),
  closed({ k: 'c', a: 'Bitrix24', n: 0, v: 1 }),
];

describe('won and lost sections', () => {
  it('gives won and lost by currency with the average days to close to one decimal', () => {
    expect(wonLostSection(rows).rows).toEqual([
      ['lost', 'EUR', 3, 300, 3.3],
      ['won', 'BGN', 2, 9000, 7.5],
    ]);
  });

  it('gives lost reasons most frequent first, by name on a tie', () => {
    expect(lostReasonsSection(rows).rows).toEqual([
      ['Budget', 3],
      ['Price', 2],
      ['Timing', 2],
    ]);
  });

  it('gives each competitor the deals won against it and lost to it', () => {
    expect(competitorsSection(rows).rows).toEqual([
      ['Bitrix24', 0, 1],
      ['Pipedrive', 1, 2],
    ]);
  });

  it('sums the days into ISO weeks by outcome and currency, never adding one currency to another', () => {
    const s = wonLostByWeekSection([
      { day: '2026-11-16', outcome: 'won', currency: 'EUR', n: 1, v: 500 },
      { day: '2026-11-22', outcome: 'won', currency: 'EUR', n: 2, v: 700 },
      { day: '2026-11-10', outcome: 'lost', currency: 'BGN', n: 1, v: 100 },
      { day: '2026-11-17', outcome: 'won', currency: 'BGN', n: 1, v: 50 },
    ]);
    expect(s.key).toBe('wonLostByWeek');
    // 2026-11-16 is the Monday and 2026-11-22 the Sunday of 2026-W47.
    expect(s.rows).toEqual([
      ['2026-W46', 'lost', 'BGN', 1, 100],
      ['2026-W47', 'won', 'BGN', 1, 50],
      ['2026-W47', 'won', 'EUR', 3, 1200],
    ]);
  });
});

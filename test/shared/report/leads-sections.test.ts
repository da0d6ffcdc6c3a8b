import { describe, expect, it } from 'vitest';
import {
  conversionSection,
  newLeadsByManagerSection,
  newLeadsBySourceSection,
  type LeadCountRow,
} from '../../../shared/report/sections/leads';

const leadCount = (o: Partial<LeadCountRow> = {}): LeadCountRow => ({ source: 'email', owner_id: 'U1', n: 1, converted: 0, ...o });
const names = new Map([
  ['U1', 'Ana'],
  ['U2', 'Boris'],
]);

describe('new leads sections', () => {
  const rows = [
    leadCount({ source: 'email', owner_id: 'U1', n: 2, converted: 1 }),
    leadCount({ source: 'call', owner_id: 'U2', n: 3 }),
    leadCount({ source: 'email', owner_id: 'U2', n: 1, converted: 1 }),
    leadCount({ source: 'webform', owner_id: 'U1', n: 4 }),
  ];

  it('counts new leads by source, most first and by name on a tie', () => {
    const s = newLeadsBySourceSection(rows);
    expect(s.key).toBe('newLeadsBySource');
    expect(s.rows).toEqual([
      ['webform', 4],
      ['call', 3],
      ['email', 3],
    ]);
  });

  it('titles a section in the language asked for', () => {
    expect(newLeadsBySourceSection(rows, 'bg').title).toBe('Нови запитвания по източник');
    expect(newLeadsBySourceSection(rows, 'bg').columns.map((c) => c.key)).toEqual(['source', 'count']);
  });

  it('counts new and converted leads by manager name', () => {
    expect(newLeadsByManagerSection(rows, names).rows).toEqual([
      ['Ana', 6, 1],
      ['Boris', 4, 1],
    ]);
  });

  it('shows a user the organisation no longer lists by id and a lead without owner as a dash', () => {
    expect(newLeadsByManagerSection([leadCount({ owner_id: 'U9', n: 2 })], names).rows).toEqual([['U9', 2, 0]]);
    expect(newLeadsByManagerSection([leadCount({ owner_id: null, n: 3, converted: 2 })], names).rows).toEqual([['—', 3, 2]]);
  });

  it('gives the conversion rate to four places and the conversions of the period whatever the lead’s age', () => {
    expect(conversionSection(rows, 5).rows).toEqual([[10, 2, 0.2, 5]]);
    expect(conversionSection([leadCount({ n: 3, converted: 1 })], 0).rows).toEqual([[3, 1, 0.3333, 0]]);
  });

  it('gives a zero rate, not a division by zero, when there were no new leads', () => {
    expect(conversionSection([], 2).rows).toEqual([[0, 0, 0, 2]]);
  });
});

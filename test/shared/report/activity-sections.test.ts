import { describe, expect, it } from 'vitest';
import {
  activitiesSection,
  openCasesSection,
  overdueFollowUpsSection,
  vipNoContactSection,
} from '../../../shared/report/sections/activity';

const names = new Map([
  ['U1', 'Ana'],
  ['U2', 'Boris'],
]);
// Monday 00:00 after 2026-W47: the end of that week.
const AS_OF = '2026-11-23T00:00:00.000Z';

describe('activity sections', () => {
  it('counts emails, calls, meetings and notes by manager with their total', () => {
    const s = activitiesSection(
      [
        { owner_id: 'U1', type: 'call', n: 3 },
        { owner_id: 'U1', type: 'email', n: 2 },
        { owner_id: 'U2', type: 'meeting', n: 1 },
        { owner_id: 'U1', type: 'note', n: 1 },
      ],
      names,
    );
    expect(s.key).toBe('activities');
    expect(s.rows).toEqual([
      ['Ana', 2, 3, 0, 1, 6],
      ['Boris', 0, 0, 1, 0, 1],
    ]);
  });

  it('gives overdue tasks in the order read with whole days overdue at the instant asked', () => {
    const s = overdueFollowUpsSection(
      [
        { title: 'Send the offer', assignee_id: null, due_at: '2026-10-24T00:00:00.000Z' },
        // 2 days and 15 hours before AS_OF: 2 whole days.
        { title: 'Call back', assignee_id: 'U1', due_at: '2026-11-20T09:00:00.000Z' },
      ],
      names,
      AS_OF,
    );
    expect(s.key).toBe('overdueFollowUps');
    expect(s.rows).toEqual([
      ['Send the offer', '—', '2026-10-24', 30],
      ['Call back', 'Ana', '2026-11-20', 2],
    ]);
  });

  it('gives open cases in the order read with their age in whole days', () => {
    const s = openCasesSection(
      [
        { kind: 'complaint', subject: 'Late delivery', company: 'Acme', priority: 'high', created_at: '2026-11-20T00:00:00.000Z' },
        { kind: 'question', subject: 'Invoice copy', company: null, priority: 'normal', created_at: '2026-11-22T23:00:00.000Z' },
      ],
      AS_OF,
    );
    expect(s.rows).toEqual([
      ['complaint', 'Late delivery', 'Acme', 'high', 3],
      ['question', 'Invoice copy', null, 'normal', 0],
    ]);
  });

  it('lists VIP clients with no contact in the 30 days before the instant, never-contacted ones without a date', () => {
    const s = vipNoContactSection(
      [
        { name: 'Gamma', vip_tier: 1, last: '2026-11-01T00:00:00.000Z' },
        { name: 'Beta', vip_tier: 1, last: '2026-10-23T10:00:00.000Z' },
        { name: 'Acme', vip_tier: 2, last: null },
        // Exactly 30 days before: still within the month.
        { name: 'Delta', vip_tier: 3, last: '2026-10-24T00:00:00.000Z' },
      ],
      AS_OF,
    );
    expect(s.key).toBe('vipNoContact');
    expect(s.rows).toEqual([
      ['Acme', 2, null, null],
      ['Beta', 1, '2026-10-23', 30],
    ]);
  });
});

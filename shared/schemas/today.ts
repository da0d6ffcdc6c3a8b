import { z } from 'zod';
import { Id, IsoDate } from './common';

// Today: a manager's tasks, stale deals and open cases for one day.

export const TodayQuery = z.object({
  owner: z.union([Id, z.literal('me')]).default('me'),
  staleDays: z.coerce.number().int().min(1).max(365).default(14),
  /** The day to show (YYYY-MM-DD) in the time zone `tz` (IANA, default UTC). */
  date: IsoDate.optional(),
  tz: z.string().max(64).optional(),
});

import { z } from 'zod';
import { Currency, IsoDate } from './common';

// The credit card of a client: its payment record summed up as of a date.

export const CreditQuery = z.strictObject({ asOf: IsoDate.optional() });
export const CreditSummary = z.object({
  asOf: IsoDate,
  creditLimitMinor: z.number().int().nullable(),
  currency: Currency,
  openAmountMinor: z.number().int(),
  overdueAmountMinor: z.number().int(),
  invoices12m: z.number().int(),
  paidLate30d: z.number().int(),
  avgDaysLate: z.number(),
  maxDaysOverdue: z.number().int(),
  score: z.number().int().min(0).max(100),
  grade: z.enum(['A', 'B', 'C', 'D', 'E']),
  reasons: z.array(z.string()),
  reasonCodes: z.array(z.string()),
});

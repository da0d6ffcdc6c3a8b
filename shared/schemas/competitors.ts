import { z } from 'zod';
import { Currency, Id, IsoDateTime, ListQuery, OptionalText, RecordMeta, Text } from './common';

// Competitors, their links to deals, and a deal lost to one of them.

const competitorFields = {
  name: Text(200).min(1),
  website: OptionalText(300),
  notes: OptionalText(5000),
};
export const CompetitorCreate = z.strictObject(competitorFields);
export const CompetitorPatch = z.strictObject({ ...competitorFields, name: Text(200).min(1).optional() });
export const Competitor = z.object({ ...RecordMeta, ...competitorFields, domain: z.string().nullable().optional() });
export const CompetitorListQuery = ListQuery;
export const DealCompetitorLink = z.strictObject({
  competitorId: Id,
  priceMinor: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).nullable().optional(),
  currency: Currency.nullable().optional(),
  /** The deal was lost to this competitor (at most one per deal). */
  lostTo: z.boolean().optional(),
  notes: OptionalText(2000),
});
export const DealCompetitor = z.object({
  id: Id,
  dealId: Id,
  competitorId: Id,
  competitorName: z.string(),
  priceMinor: z.number().int().nullable(),
  currency: Currency.nullable(),
  lostTo: z.boolean(),
  notes: z.string().nullable(),
  version: z.number().int(),
  createdAt: IsoDateTime,
  updatedAt: IsoDateTime,
});

/**
 * `POST /deals/:id/lose`: the deal is lost, with its reason, and (when one won it) to which
 * competitor at what price; one change, so the win/loss report never sees half of it.
 */
export const DealLose = z.strictObject({
  lostReason: Text(500).min(1),
  competitorId: Id.nullable().optional(),
  priceMinor: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).nullable().optional(),
  currency: Currency.nullable().optional(),
  notes: OptionalText(2000),
});

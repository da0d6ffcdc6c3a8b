import { z } from 'zod';
import { Id } from './common';
import { Stage } from './crm';

/** Most deals `GET /deals/standing` answers for at once: one page of the Pipeline table. */
export const MAX_STANDING_IDS = 200;
/** `GET /deals/standing?ids=a,b`: deal ids, comma-separated or the key repeated. */
export const DealStandingQuery = z.strictObject({
  ids: z
    .union([z.string(), z.array(z.string())])
    .transform((v) => [
      ...new Set(
        (Array.isArray(v) ? v : [v])
          .flatMap((s) => s.split(','))
          .map((s) => s.trim())
          .filter(Boolean),
      ),
    ])
    .pipe(z.array(Id).min(1).max(MAX_STANDING_IDS)),
});
/** Where a deal stands beyond its own fields: its document package and the competitors in it. */
export const DealStanding = z.object({
  dealId: Id,
  stage: Stage,
  documents: z.object({
    /** Slots the deal's stage requires by now. */
    required: z.number().int(),
    /** Of those, received or approved. */
    ready: z.number().int(),
    /** Required slots still missing or only requested, with their labels. */
    missing: z.array(z.object({ slot: z.string(), label: z.string() })),
    /** Slots that must be received before the deal can be marked won. */
    blockingWon: z.array(z.string()),
  }),
  /** The one the deal was lost to first, then by name. */
  competitors: z.array(z.object({ competitorId: Id, name: z.string(), lostTo: z.boolean() })),
});
export const DealStandingList = z.object({ items: z.array(DealStanding) });

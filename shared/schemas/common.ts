import { z } from 'zod';
import { ISO_4217_CODES } from '../sheet/iso-4217';

/** ULIDs: 26 Crockford base-32 characters, time-sortable, random. */
export const Id = z.string().regex(/^[0-9A-HJKMNP-TV-Z]{26}$/, 'must be a Leadpane id');
export const IsoDateTime = z.iso.datetime({ offset: true });
export const IsoDate = z.iso.date();
/** An ISO 4217 code: every current one and the withdrawn ones old sheets still carry (BGN, HRK...). */
export const Currency = z.enum(ISO_4217_CODES as [string, ...string[]]);
export const Text = (max = 500) => z.string().trim().max(max);
export const OptionalText = (max = 500) => Text(max).nullable().optional();

export const Role = z.enum(['manager', 'head', 'admin']);
export type Role = z.infer<typeof Role>;

/** Fields every stored record answers with. */
export const RecordMeta = {
  id: Id,
  version: z.number().int().positive(),
  createdAt: IsoDateTime,
  updatedAt: IsoDateTime,
};

/** Query of every list route: cursor pagination, owner, updated-since and text search. */
export const ListQuery = z.strictObject({
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  owner: z.union([Id, z.literal('me')]).optional(),
  updatedSince: IsoDateTime.optional(),
  q: z.string().trim().min(1).max(100).optional(),
});

export const Page = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item), nextCursor: z.string().nullable() });

/** RFC 9457 problem details, the one error shape of the API. */
export const Problem = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  detail: z.string(),
  code: z.string(),
  requestId: z.string(),
  errors: z.array(z.object({ path: z.string(), code: z.string(), message: z.string() })).optional(),
  current: z.unknown().optional(),
});
export type Problem = z.infer<typeof Problem>;

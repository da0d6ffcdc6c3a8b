import { z } from 'zod';

const many = z.union([z.string().max(320), z.array(z.string().max(320)).max(40)]).optional();
/** `GET /api/v1/match?email=&phone=&eik=&name=`: each may repeat. */
export const MatchQuery = z.strictObject({
  email: many,
  phone: many,
  eik: many,
  vat: many,
  name: many,
  company: many,
});
export const MatchKind = z.enum(['email', 'phone', 'eik', 'vat', 'domain', 'name']);
export type MatchKind = z.infer<typeof MatchKind>;
/** How much one matched key says about identity (an address is near-certain, a name is a hint). */
export const MATCH_WEIGHT: Record<MatchKind, number> = {
  email: 1,
  eik: 1,
  vat: 1,
  phone: 0.9,
  domain: 0.6,
  name: 0.5,
};

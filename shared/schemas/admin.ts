import { z } from 'zod';
import { Id, IsoDateTime, Role } from './common';

export const User = z.object({
  id: Id,
  email: z.string(),
  name: z.string(),
  role: Role,
  locale: z.string().nullable(),
  active: z.boolean(),
  version: z.number().int(),
  createdAt: IsoDateTime,
  updatedAt: IsoDateTime,
});
export const UserCreate = z.strictObject({
  email: z.string().trim().email().max(254),
  name: z.string().trim().min(1).max(200),
  role: Role.default('manager'),
  locale: z.enum(['en', 'bg', 'ru']).nullable().optional(),
});
export const UserPatch = z.strictObject({
  name: z.string().trim().min(1).max(200).optional(),
  role: Role.optional(),
  locale: z.enum(['en', 'bg', 'ru']).nullable().optional(),
  active: z.boolean().optional(),
});
export const Me = z.object({
  user: z.object({ id: Id, email: z.string(), name: z.string(), role: Role, locale: z.string().nullable() }),
  org: z.object({ id: Id, name: z.string() }),
});
export const TokenCreate = z.strictObject({
  name: z.string().trim().min(1).max(100),
  userId: Id.optional(),
});
export const ApiToken = z.object({
  id: Id,
  userId: Id,
  name: z.string(),
  prefix: z.string(),
  createdAt: IsoDateTime,
  lastUsedAt: IsoDateTime.nullable(),
  revokedAt: IsoDateTime.nullable(),
});
export const NewApiToken = ApiToken.extend({ token: z.string() });

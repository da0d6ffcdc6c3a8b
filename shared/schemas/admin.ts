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
/** An invitation: the address and the role; the name defaults to the address's local part. */
export const UserCreate = z.strictObject({
  email: z.string().trim().email().max(254),
  name: z.string().trim().min(1).max(200).optional(),
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
  /** When the token stops working (in the future); null or absent: until revoked. */
  expiresAt: IsoDateTime.nullable().optional(),
});
export const ApiToken = z.object({
  id: Id,
  userId: Id,
  name: z.string(),
  prefix: z.string(),
  createdAt: IsoDateTime,
  lastUsedAt: IsoDateTime.nullable(),
  revokedAt: IsoDateTime.nullable(),
  expiresAt: IsoDateTime.nullable(),
});
export const NewApiToken = ApiToken.extend({ token: z.string() });

/** `POST /setup`: the deployment's first organisation and its admin (once, with the setup token). */
export const SetupRequest = z.strictObject({
  org: z.string().trim().min(1).max(200),
  email: z.string().trim().email().max(254),
  name: z.string().trim().min(1).max(200).optional(),
});
export const SetupAnswer = z.object({
  org: z.object({ id: Id, name: z.string() }),
  user: z.object({ id: Id, email: z.string(), name: z.string(), role: Role }),
  token: z.string(),
});

/** A Microsoft 365 (Entra ID) tenant id: a GUID. */
export const TenantId = z
  .string()
  .trim()
  .regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, 'a tenant id like 72f988bf-86f1-41af-91ab-2d7cd011db47')
  .transform((s) => s.toLowerCase());
/** `PUT /settings/microsoft`: link the organisation to its tenant (null unlinks). */
export const TenantLinkPut = z.strictObject({ tenantId: TenantId.nullable() });
export const TenantLink = z.object({
  tenantId: z.string().nullable(),
  /** Microsoft 365 sign-in is on for this deployment (ENTRA_AUDIENCE is set). */
  signInEnabled: z.boolean(),
  version: z.number().int(),
});

/** One recent post of a web form: the lead it made. */
export const FormSubmission = z.object({
  leadId: Id,
  fullName: z.string().nullable(),
  email: z.string().nullable(),
  phone: z.string().nullable(),
  companyName: z.string().nullable(),
  status: z.string(),
  ownerId: z.string().nullable(),
  createdAt: IsoDateTime,
});

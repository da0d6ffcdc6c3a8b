import { z } from 'zod';
import { Currency, Id, IsoDate, IsoDateTime, ListQuery, OptionalText, RecordMeta, Text } from './common';

export const STAGES = ['new', 'qualified', 'proposal', 'negotiation', 'won', 'lost'] as const;
export const Stage = z.enum(STAGES);
export type Stage = z.infer<typeof Stage>;
/** Default win probability of each stage (percent), used when a deal does not set its own. */
export const STAGE_PROBABILITY: Record<Stage, number> = {
  new: 10,
  qualified: 25,
  proposal: 50,
  negotiation: 75,
  won: 100,
  lost: 0,
};
export const OPEN_STAGES: readonly Stage[] = ['new', 'qualified', 'proposal', 'negotiation'];

export const LeadSource = z.enum(['email', 'excel', 'webform', 'manual', 'call']);
export const LeadStatus = z.enum(['new', 'working', 'qualified', 'disqualified', 'converted']);
export const ActivityType = z.enum(['email', 'call', 'meeting', 'note']);

const Email = z.string().trim().max(254).email();
const Phone = z.string().trim().min(3).max(40);

// ---- companies ----
const companyFields = {
  name: Text(200).min(1),
  legalForm: OptionalText(40),
  eik: OptionalText(20),
  vat: OptionalText(20),
  domain: OptionalText(200),
  vipTier: z.number().int().min(0).max(3).optional(),
  ownerId: Id.nullable().optional(),
  phone: Phone.nullable().optional(),
  email: Email.nullable().optional(),
  website: OptionalText(300),
  address: OptionalText(300),
  city: OptionalText(100),
  country: OptionalText(2),
  notes: OptionalText(5000),
  creditLimitMinor: z.number().int().min(0).nullable().optional(),
  creditCurrency: Currency.nullable().optional(),
};
export const CompanyCreate = z.strictObject(companyFields);
export const CompanyPatch = z.strictObject({ ...companyFields, name: Text(200).min(1).optional() });
export const Company = z.object({
  ...RecordMeta,
  ...companyFields,
  vipTier: z.number().int(),
});
export const CompanyListQuery = ListQuery.extend({ vip: z.enum(['true', 'false']).optional() });

// ---- contacts ----
const contactFields = {
  companyId: Id.nullable().optional(),
  firstName: OptionalText(100),
  middleName: OptionalText(100),
  lastName: OptionalText(100),
  fullName: Text(200).min(1).optional(),
  title: OptionalText(200),
  emails: z.array(Email).max(10).optional(),
  phones: z.array(Phone).max(10).optional(),
  ownerId: Id.nullable().optional(),
  notes: OptionalText(5000),
};
export const ContactCreate = z
  .strictObject(contactFields)
  .refine((c) => c.fullName || c.firstName || c.lastName, { message: 'a name is required', path: ['fullName'] });
export const ContactPatch = z.strictObject(contactFields);
export const Contact = z.object({ ...RecordMeta, ...contactFields, fullName: z.string() });
export const ContactListQuery = ListQuery.extend({ companyId: Id.optional() });

// ---- leads ----
const leadFields = {
  source: LeadSource,
  status: LeadStatus.optional(),
  fullName: OptionalText(200),
  firstName: OptionalText(100),
  lastName: OptionalText(100),
  email: Email.nullable().optional(),
  phone: Phone.nullable().optional(),
  companyName: OptionalText(200),
  title: OptionalText(200),
  website: OptionalText(300),
  eik: OptionalText(20),
  vat: OptionalText(20),
  address: OptionalText(300),
  city: OptionalText(100),
  needs: OptionalText(5000),
  interest: OptionalText(500),
  notes: OptionalText(5000),
  ownerId: Id.nullable().optional(),
  externalRef: OptionalText(500),
};
export const LeadCreate = z
  .strictObject(leadFields)
  .refine((l) => l.fullName || l.firstName || l.lastName || l.email || l.phone || l.companyName, {
    message: 'a lead needs a name, an email, a phone or a company',
    path: ['fullName'],
  });
export const LeadPatch = z.strictObject({ ...leadFields, source: LeadSource.optional() });
export const Lead = z.object({
  ...RecordMeta,
  ...leadFields,
  convertedCompanyId: Id.nullable().optional(),
  convertedContactId: Id.nullable().optional(),
  convertedDealId: Id.nullable().optional(),
  convertedAt: IsoDateTime.nullable().optional(),
});
export const LeadListQuery = ListQuery.extend({ status: LeadStatus.optional(), source: LeadSource.optional() });
export const LeadConvert = z.strictObject({
  companyId: Id.optional(),
  contactId: Id.optional(),
  createDeal: z.boolean().default(true),
  dealTitle: Text(200).min(1).optional(),
  amountMinor: z.number().int().min(0).optional(),
  currency: Currency.optional(),
  stage: Stage.optional(),
  expectedClose: IsoDate.optional(),
  /** Why a stage rule is overridden (converting straight to won with documents missing); audited. */
  overrideReason: Text(500).min(1).optional(),
});

// ---- deals ----
const dealFields = {
  companyId: Id.nullable().optional(),
  contactId: Id.nullable().optional(),
  leadId: Id.nullable().optional(),
  title: Text(200).min(1),
  amountMinor: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional(),
  currency: Currency.optional(),
  stage: Stage.optional(),
  probability: z.number().int().min(0).max(100).optional(),
  expectedClose: IsoDate.nullable().optional(),
  ownerId: Id.nullable().optional(),
  nextStep: OptionalText(500),
  lostReason: OptionalText(500),
  competitor: OptionalText(200),
};
/** Why a business rule is overridden (e.g. won with documents missing); audited, not stored on the deal. */
const overrideReason = Text(500).min(1).optional();
export const DealCreate = z.strictObject({ ...dealFields, overrideReason });
export const DealPatch = z.strictObject({
  ...dealFields,
  title: Text(200).min(1).optional(),
  overrideReason,
});
export const Deal = z.object({
  ...RecordMeta,
  ...dealFields,
  amountMinor: z.number().int(),
  currency: Currency,
  stage: Stage,
  probability: z.number().int(),
  closedAt: IsoDateTime.nullable().optional(),
});
export const DealListQuery = ListQuery.extend({ stage: Stage.optional(), companyId: Id.optional() });

// ---- activities ----
const activityFields = {
  type: ActivityType,
  subject: Text(300).min(1),
  excerpt: OptionalText(10000),
  occurredAt: IsoDateTime.optional(),
  direction: z.enum(['in', 'out']).nullable().optional(),
  companyId: Id.nullable().optional(),
  contactId: Id.nullable().optional(),
  dealId: Id.nullable().optional(),
  leadId: Id.nullable().optional(),
  ownerId: Id.nullable().optional(),
  externalId: OptionalText(500),
};
export const ActivityCreate = z.strictObject(activityFields);
export const ActivityPatch = z.strictObject({ ...activityFields, type: ActivityType.optional(), subject: Text(300).min(1).optional() });
export const Activity = z.object({ ...RecordMeta, ...activityFields, occurredAt: IsoDateTime });
export const ActivityListQuery = ListQuery.extend({
  companyId: Id.optional(),
  contactId: Id.optional(),
  dealId: Id.optional(),
  type: ActivityType.optional(),
});

// ---- tasks ----
const taskFields = {
  title: Text(300).min(1),
  notes: OptionalText(5000),
  dueAt: IsoDateTime.nullable().optional(),
  done: z.boolean().optional(),
  assigneeId: Id.nullable().optional(),
  companyId: Id.nullable().optional(),
  contactId: Id.nullable().optional(),
  dealId: Id.nullable().optional(),
  leadId: Id.nullable().optional(),
};
export const TaskCreate = z.strictObject(taskFields);
export const TaskPatch = z.strictObject({ ...taskFields, title: Text(300).min(1).optional() });
export const Task = z.object({ ...RecordMeta, ...taskFields, done: z.boolean(), doneAt: IsoDateTime.nullable().optional() });
export const TaskListQuery = ListQuery.extend({ done: z.enum(['true', 'false']).optional(), dealId: Id.optional() });

export type CompanyT = z.infer<typeof Company>;
export type ContactT = z.infer<typeof Contact>;
export type LeadT = z.infer<typeof Lead>;
export type DealT = z.infer<typeof Deal>;
export type ActivityT = z.infer<typeof Activity>;
export type TaskT = z.infer<typeof Task>;

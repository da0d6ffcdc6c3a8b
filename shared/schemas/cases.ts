import { z } from 'zod';
import { Id, IsoDateTime, ListQuery, OptionalText, RecordMeta, Text } from './common';
import { ActivityType } from './crm';

// Cases: complaints and proposals of a client, by hand or from an email.

export const CaseKind = z.enum(['complaint', 'proposal']);
export const CaseStatus = z.enum(['open', 'in_progress', 'resolved', 'rejected']);
export const CasePriority = z.enum(['low', 'normal', 'high']);
export type CasePriority = z.infer<typeof CasePriority>;
/** Stored beside priority so that lists sort "priority desc, id desc" from an index. */
export const PRIORITY_RANK: Record<CasePriority, number> = { low: 1, normal: 2, high: 3 };
/** A case is open until resolved or rejected. */
export const OPEN_CASE_STATUSES = ['open', 'in_progress'] as const;

const caseFields = {
  kind: CaseKind,
  subject: Text(300).min(1),
  description: OptionalText(10000),
  status: CaseStatus.optional(),
  priority: CasePriority.optional(),
  companyId: Id.nullable().optional(),
  contactId: Id.nullable().optional(),
  dealId: Id.nullable().optional(),
  ownerId: Id.nullable().optional(),
  /** The email the case was opened from (its Message-ID): one case of each kind per message. */
  sourceMessageId: OptionalText(500),
};
export const CaseCreate = z.strictObject(caseFields);
export const CasePatch = z.strictObject({ ...caseFields, kind: CaseKind.optional(), subject: Text(300).min(1).optional() });
export const Case = z.object({
  ...RecordMeta,
  ...caseFields,
  status: CaseStatus,
  priority: CasePriority,
  firstResponseAt: IsoDateTime.nullable(),
  resolvedAt: IsoDateTime.nullable(),
  /** Minutes from creation to the first response / to resolution (null until then). */
  responseMinutes: z.number().int().nullable(),
  resolutionMinutes: z.number().int().nullable(),
});
export const CaseListQuery = ListQuery.extend({
  status: CaseStatus.optional(),
  kind: CaseKind.optional(),
  companyId: Id.optional(),
  dealId: Id.optional(),
  sourceMessageId: z.string().trim().min(1).max(500).optional(),
});
/** `POST /cases/:id/respond`: records the first response; a note also logs an activity. */
export const CaseRespond = z.strictObject({
  note: OptionalText(10000),
  via: ActivityType.optional(),
});
export type CaseT = z.infer<typeof Case>;

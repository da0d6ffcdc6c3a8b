import { z } from 'zod';
import { Id, IsoDateTime, OptionalText, Text } from './common';
import { Stage } from './crm';

// The document package of a deal: the slots an organisation asks for, and each deal's checklist.

export const DocumentSlotKey = z.string().regex(/^[a-z][a-z0-9_]{0,39}$/, 'lower-case letters, digits and _');
export const DocumentStatus = z.enum(['missing', 'requested', 'received', 'approved']);
export type DocumentStatus = z.infer<typeof DocumentStatus>;
export const DocumentSlotSetting = z.strictObject({
  slot: DocumentSlotKey,
  label: Text(100).min(1),
  /** The stage in which the document is produced; it must be there before the deal moves past it. */
  stage: Stage.exclude(['lost']),
});
export const DocumentSettings = z.strictObject({
  slots: z
    .array(DocumentSlotSetting)
    .max(30)
    .refine((s) => new Set(s.map((x) => x.slot)).size === s.length, { message: 'each slot appears once' }),
});
export const DocumentSettingsAnswer = DocumentSettings.extend({ version: z.number().int(), isDefault: z.boolean() });
export type DocumentSlotSettingT = z.infer<typeof DocumentSlotSetting>;
/** The package an organisation gets until its head of sales changes it. */
export const DEFAULT_DOCUMENT_SLOTS: DocumentSlotSettingT[] = [
  { slot: 'offer', label: 'Offer', stage: 'proposal' },
  { slot: 'contract', label: 'Contract', stage: 'negotiation' },
  { slot: 'company_extract', label: 'Company registry extract', stage: 'negotiation' },
  { slot: 'power_of_attorney', label: 'Power of attorney', stage: 'negotiation' },
  { slot: 'specification', label: 'Specification', stage: 'negotiation' },
  { slot: 'invoice', label: 'Invoice', stage: 'won' },
];
/** `PUT /deals/:id/documents/:slot`: an Outlook attachment fills a slot with its filename and ids. */
export const DealDocumentPut = z.strictObject({
  status: DocumentStatus.optional(),
  filename: OptionalText(255),
  url: z.string().trim().url().max(2000).nullable().optional(),
  attachmentId: OptionalText(500),
  messageId: OptionalText(500),
  notes: OptionalText(2000),
});
export const DealDocument = z.object({
  slot: z.string(),
  label: z.string(),
  stage: Stage,
  /** The deal has reached the slot's stage. */
  required: z.boolean(),
  status: DocumentStatus,
  filename: z.string().nullable(),
  url: z.string().nullable(),
  attachmentId: z.string().nullable(),
  messageId: z.string().nullable(),
  notes: z.string().nullable(),
  version: z.number().int(),
  updatedAt: IsoDateTime.nullable(),
});
export const DealDocuments = z.object({
  dealId: Id,
  stage: Stage,
  documents: z.array(DealDocument),
  /** Required slots still missing or only requested. */
  missing: z.array(z.string()),
  /** Slots that must be received before the deal can be marked won. */
  blockingWon: z.array(z.string()),
});

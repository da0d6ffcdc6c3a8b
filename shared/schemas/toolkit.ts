import { z } from 'zod';
import { Currency, Id, IsoDate, IsoDateTime, ListQuery, OptionalText, RecordMeta, Text } from './common';
import { ActivityType, Stage } from './crm';

// ---- cases: complaints and proposals ----
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

// ---- competitors ----
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

// ---- the document package ----
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

// ---- payments and the credit card ----
export const PaymentRow = z.strictObject({
  invoiceNo: Text(64).min(1),
  amountMinor: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
  currency: Currency,
  issuedOn: IsoDate,
  dueOn: IsoDate,
  paidOn: IsoDate.nullable().optional(),
  notes: OptionalText(1000),
});
/** Most rows one request may carry: one JSON chunk per 250, all saved in one batch. */
export const MAX_PAYMENT_ROWS = 1000;
export const PaymentsUpload = z.union([
  PaymentRow,
  z.array(z.unknown()).max(MAX_PAYMENT_ROWS),
  z.object({ rows: z.array(z.unknown()).max(MAX_PAYMENT_ROWS) }),
]);
export const RowError = z.object({ row: z.number().int(), field: z.string(), reason: z.string() });
export const PaymentsResult = z.object({
  received: z.number().int(),
  saved: z.number().int(),
  created: z.number().int(),
  updated: z.number().int(),
  errors: z.array(RowError),
});
export const Payment = z.object({
  ...RecordMeta,
  companyId: Id,
  invoiceNo: z.string(),
  amountMinor: z.number().int(),
  currency: Currency,
  issuedOn: IsoDate,
  dueOn: IsoDate,
  paidOn: IsoDate.nullable(),
  notes: z.string().nullable(),
});
export const PaymentListQuery = z.strictObject({
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
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

// ---- web-to-lead forms ----
/** An allowed origin: scheme, host and optional port, nothing else. */
export const Origin = z
  .string()
  .trim()
  .max(200)
  .regex(/^https?:\/\/[a-z0-9.-]+(:\d{1,5})?$/i, 'an origin like https://www.example.bg')
  .transform((s) => s.toLowerCase());
const formFields = {
  name: Text(200).min(1),
  ownerId: Id.nullable().optional(),
  allowedOrigins: z.array(Origin).max(20).optional(),
  active: z.boolean().optional(),
};
export const WebFormCreate = z.strictObject(formFields);
export const WebFormPatch = z.strictObject({ ...formFields, name: Text(200).min(1).optional() });
export const WebForm = z.object({
  ...RecordMeta,
  ...formFields,
  formKey: z.string(),
  allowedOrigins: z.array(z.string()),
  active: z.boolean(),
});
export const WebFormListQuery = ListQuery;
export const FormLang = z.enum(['bg', 'ru', 'en']);
export type FormLang = z.infer<typeof FormLang>;
/** What a website posts (JSON or urlencoded); everything arrives as text. */
export const WebFormSubmission = z.object({
  name: z.string().optional(),
  phone: z.string().optional(),
  email: z.string().optional(),
  company: z.string().optional(),
  message: z.string().optional(),
  lang: z.string().optional(),
  clientToken: z.string().optional(),
  website_url: z.string().optional(),
});
export const WebFormAnswer = z.object({ ok: z.literal(true), message: z.string() });

// ---- today ----
export const TodayQuery = z.object({
  owner: z.union([Id, z.literal('me')]).default('me'),
  staleDays: z.coerce.number().int().min(1).max(365).default(14),
  /** The day to show (YYYY-MM-DD) in the time zone `tz` (IANA, default UTC). */
  date: IsoDate.optional(),
  tz: z.string().max(64).optional(),
});

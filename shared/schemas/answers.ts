// Answers of routes whose records are described elsewhere but whose envelope had no schema: what
// the Worker answers today, so that the panes type what they read from the contract.
import { z } from 'zod';
import type { CreditReasonCode } from '../credit/score';
import { Currency, Id, IsoDate, IsoDateTime, Page, Problem } from './common';
import { Activity, Company, Contact, Deal, Lead } from './crm';
import { MatchKind } from './match';
import { Case } from './cases';
import { CreditSummary } from './credit';

const matchInfo = { matched: z.array(MatchKind), score: z.number() };

/** `GET /match`: the best companies, contacts and leads for the keys asked, best first. */
export const MatchAnswer = z.object({
  contacts: z.array(z.object({ contact: Contact, company: Company.nullable(), ...matchInfo })),
  companies: z.array(z.object({ company: Company, ...matchInfo })),
  leads: z.array(z.object({ lead: Lead, ...matchInfo })),
});

/** Why a client's credit score is what it is: each code has its sentence in the panes. */
const CREDIT_REASON_CODES = [
  'no_history',
  'paid_late',
  'avg_days_late',
  'overdue',
  'overdue_over_limit',
  'open_over_limit',
  'other_currency',
] as const satisfies readonly CreditReasonCode[];
/** The credit summary with its reason codes named. */
export const CreditStanding = CreditSummary.extend({ reasonCodes: z.array(z.enum(CREDIT_REASON_CODES)) });

/** `GET /companies/:id/card`: the client card. */
export const CompanyCard = z.object({
  company: Company,
  contacts: z.array(Contact),
  openDeals: z.array(Deal),
  lastActivity: Activity.nullable(),
  /** Whole days since the last activity; null without one. */
  lastContactDays: z.number().int().nullable(),
  openCases: z.array(Case),
  credit: CreditStanding,
});

/** `POST /leads/:id/convert`: what the conversion made or reused. */
export const LeadConversion = z.object({
  lead: Lead,
  company: Company.nullable(),
  contact: Contact.nullable(),
  deal: Deal.nullable(),
  activity: Activity,
  /** Ids of an existing company and contact the lead was linked to instead of new ones. */
  reused: z.object({ company: Id.nullable(), contact: Id.nullable() }),
});

/** `GET /auth/config` (public): Microsoft 365 sign-in, or null when the deployment has none. */
export const SignInConfigAnswer = z.object({
  microsoft: z.object({ clientId: z.string(), scopes: z.array(z.string()) }).nullable(),
});

/** `GET /quotas`, `PUT /quotas`: a manager's quota of one period. */
export const Quota = z.object({
  id: Id,
  userId: Id,
  period: z.string(),
  amountMinor: z.number().int(),
  currency: Currency,
  version: z.number().int(),
  updatedAt: IsoDateTime,
});

/** `GET /today`: the user's day. */
export const TodayAnswer = z.object({
  owner: z.string(),
  date: IsoDate,
  tz: z.string(),
  dueToday: z.array(z.looseObject({ id: Id, version: z.number().int(), title: z.string(), dueAt: IsoDateTime.nullable().optional() })),
  overdue: z.array(z.looseObject({ id: Id, version: z.number().int(), title: z.string(), dueAt: IsoDateTime.nullable().optional() })),
  staleDeals: z.array(Deal.extend({ lastActivityAt: IsoDateTime.nullable(), daysSinceActivity: z.number().int() })),
  openCases: z.array(Case),
});

/** One import: `POST /imports`, `GET /imports/:id`, `POST /imports/:id/finish`. */
export const ImportAnswer = z.object({
  id: Id,
  kind: z.enum(['leads', 'deals', 'payments']),
  mode: z.enum(['create', 'update', 'skip']),
  system: z.string(),
  fileName: z.string().nullable(),
  status: z.string(),
  rowsExpected: z.number().int().nullable(),
  counts: z.object({ created: z.number().int(), updated: z.number().int(), skipped: z.number().int(), error: z.number().int() }),
  rowsDone: z.number().int(),
  chunks: z.number().int(),
  createdAt: IsoDateTime,
  updatedAt: IsoDateTime,
});

/** One row's outcome of an import chunk. */
export const ImportRowAnswer = z.object({
  row: z.number().int(),
  status: z.enum(['created', 'updated', 'skipped', 'error']),
  id: Id.nullable(),
  errors: z.array(
    z.object({ row: z.number().int(), column: z.string(), field: z.string(), reason: z.string(), value: z.string().optional() }),
  ),
  /** How the row found the record it updates or skips. */
  match: z.enum(['id', 'externalId', 'name', 'email', 'phone']).optional(),
});
export const ImportRowsPage = Page(ImportRowAnswer);

/** `POST /imports/:id/chunks`: one chunk's counts and rows (a repeat answers the first, applied: false). */
export const ImportChunkAnswer = z.object({
  chunk: z.number().int(),
  applied: z.boolean(),
  dryRun: z.boolean(),
  counts: z.object({ created: z.number().int(), updated: z.number().int(), skipped: z.number().int(), error: z.number().int() }),
  rows: z.array(ImportRowAnswer),
});

/** `POST /imports/values`: what each stage, status, currency and owner value means (null: the user says). */
export const ImportValuesAnswer = z.object({
  system: z.string(),
  items: z.array(
    z.object({
      field: z.enum(['stage', 'status', 'currency', 'owner']),
      raw: z.string(),
      value: z.string().nullable(),
      from: z.string().nullable(),
    }),
  ),
  users: z.array(z.object({ id: Id, name: z.string(), email: z.string() })),
});

/** `GET /imports/defaults`: the organisation's country and currency for imports. */
export const ImportDefaultsAnswer = z.object({
  country: z.string().nullable(),
  currency: z.string().nullable(),
  version: z.number().int(),
});

/** A custom function's table: `GET /reports/fn/*` and each result of the batch. */
export const FunctionTable = z.object({ columns: z.array(z.string()), rows: z.array(z.array(z.unknown())), title: z.string().optional() });
/** `POST /reports/fn/batch`: one table or problem per call, in order. */
export const FunctionBatchAnswer = z.object({ results: z.array(z.union([FunctionTable, z.object({ error: Problem })])) });

/** `GET /reports/weekly?format=json`: the weekly report. */
export const WeeklyReportAnswer = z.object({
  kind: z.literal('weekly'),
  period: z.object({ label: z.string(), from: IsoDate, to: IsoDate }),
  scope: z.object({ kind: z.enum(['org', 'manager']), id: Id.nullable(), name: z.string() }),
  generatedAt: IsoDateTime,
  sections: z.array(
    z.object({
      key: z.string(),
      title: z.string(),
      columns: z.array(z.object({ key: z.string(), type: z.string(), label: z.string(), total: z.boolean() })),
      rows: z.array(z.array(z.union([z.string(), z.number(), z.null()]))),
    }),
  ),
  stats: z.object({ rowsRead: z.number() }).optional(),
});

/** A record of a list read with `updatedSince` (a sync): a deleted one comes back once, with deletedAt. */
const deleted = { deletedAt: IsoDateTime.optional() };
export const DealListItem = Deal.extend(deleted);
export const CompanyListItem = Company.extend(deleted);

/**
 * Types shared by the sheet pipeline: a cell as Excel, exceljs or a CSV parser hands it over, the
 * fixed set of canonical import fields, and the value vocabularies (stages, lead statuses,
 * currencies).
 */

import { ISO_4217_CODES } from './iso-4217';

/** One cell: CSV gives strings, Office.js strings/numbers/booleans, exceljs also Dates. */
export type Cell = string | number | boolean | Date | null | undefined;

/** The canonical import fields (a fixed contract with the import API and the add-in). */
export const CANONICAL_FIELDS = [
  'fullName',
  'firstName',
  'lastName',
  'email',
  'phone',
  'mobile',
  'fax',
  'company',
  'title',
  'website',
  'address',
  'city',
  'postalCode',
  'country',
  'eik',
  'vatNumber',
  'source',
  'status',
  'stage',
  'amount',
  'currency',
  'probability',
  'expectedCloseDate',
  'owner',
  'notes',
  'createdAt',
  'dealTitle',
  'externalId',
  'invoiceNo',
  'issuedOn',
  'dueOn',
  'paidOn',
] as const;

export type CanonicalField = (typeof CANONICAL_FIELDS)[number];

/** What a sheet's rows become: leads, deals, or a client's invoices and payments (accounting sheet). */
export const IMPORT_KINDS = ['leads', 'deals', 'payments'] as const;
export type ImportKind = (typeof IMPORT_KINDS)[number];

/** The fields of an accounting sheet: invoices matched to clients by EIK, VAT number or name. */
export const PAYMENT_FIELDS = [
  'invoiceNo',
  'city',
  'issuedOn',
  'dueOn',
  'paidOn',
  'amount',
  'currency',
  'company',
  'eik',
  'vatNumber',
  'notes',
] as const satisfies readonly CanonicalField[];

const INVOICE_ONLY = new Set<CanonicalField>(['invoiceNo', 'issuedOn', 'dueOn', 'paidOn']);
const DEAL_FIELDS = CANONICAL_FIELDS.filter((f) => !INVOICE_ONLY.has(f));
// A lead has a status, not a pipeline stage: a contact list's "Lifecycle Stage" is not imported.
const LEAD_FIELDS = DEAL_FIELDS.filter((f) => f !== 'stage');

/**
 * The fields a column may be mapped to when importing `kind`: an accounting sheet has no
 * contacts, a contact sheet's "Due date" is a deal's close date, not an invoice's, and leads have
 * no pipeline stage.
 */
export function fieldsOf(kind: ImportKind): readonly CanonicalField[] {
  return kind === 'payments' ? PAYMENT_FIELDS : kind === 'deals' ? DEAL_FIELDS : LEAD_FIELDS;
}

/** Pipeline stage keys, in pipeline order. */
export const STAGE_KEYS = ['new', 'qualified', 'proposal', 'negotiation', 'won', 'lost'] as const;
export type StageKey = (typeof STAGE_KEYS)[number];

/** Lead statuses. */
export const LEAD_STATUSES = ['new', 'working', 'qualified', 'disqualified', 'converted'] as const;
export type LeadStatus = (typeof LEAD_STATUSES)[number];

/** A deal's outcome as a deals sheet's status column gives it (Pipedrive, Dynamics: Open / Won / Lost). */
export const DEAL_STATUSES = ['open', 'won', 'lost'] as const;
export type DealStatus = (typeof DEAL_STATUSES)[number];

/** Every ISO 4217 code the product stores (the lev and other withdrawn codes of old sheets included). */
export const CURRENCIES = ISO_4217_CODES;
/** An ISO 4217 code, upper case. */
export type Currency = string;

/** Money in integer minor units of its currency (stotinki, cents, kopecks; yen have none); never a float. */
export interface Money {
  amountMinor: number;
  currency: Currency | null;
}

/** The language a sheet's headers are written in, as far as the headers tell. */
export type SheetLanguage = 'bg' | 'ru' | 'en';

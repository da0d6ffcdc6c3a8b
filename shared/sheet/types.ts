/**
 * Types shared by the sheet pipeline: a cell as Excel, exceljs or a CSV parser hands it over, the
 * fixed set of canonical import fields, and the value vocabularies (stages, lead statuses,
 * currencies).
 */

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

/**
 * The fields a column may be mapped to when importing `kind`: an accounting sheet has no
 * contacts, and a contact sheet's "Due date" is a deal's close date, not an invoice's.
 */
export function fieldsOf(kind: ImportKind): readonly CanonicalField[] {
  return kind === 'payments' ? PAYMENT_FIELDS : CANONICAL_FIELDS.filter((f) => !INVOICE_ONLY.has(f));
}

/** Pipeline stage keys, in pipeline order. */
export const STAGE_KEYS = ['new', 'qualified', 'proposal', 'negotiation', 'won', 'lost'] as const;
export type StageKey = (typeof STAGE_KEYS)[number];

/** Lead statuses. */
export const LEAD_STATUSES = ['new', 'working', 'qualified', 'disqualified', 'converted'] as const;
export type LeadStatus = (typeof LEAD_STATUSES)[number];

/** The currencies the product stores; every one has two minor digits. */
export const CURRENCIES = ['BGN', 'EUR', 'RUB', 'USD'] as const;
export type Currency = (typeof CURRENCIES)[number];

/** Money in integer minor units (stotinki, cents, kopecks); never a float. */
export interface Money {
  amountMinor: number;
  currency: Currency | null;
}

/** The language a sheet's headers are written in, as far as the headers tell. */
export type SheetLanguage = 'bg' | 'ru' | 'en';

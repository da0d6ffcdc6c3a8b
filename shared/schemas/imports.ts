import { z } from 'zod';
import { SOURCE_SYSTEMS } from '../sheet/systems';
import { CANONICAL_FIELDS, IMPORT_KINDS } from '../sheet/types';
import { Currency, Id } from './common';

/** An ISO 3166 alpha-2 country code: national phone numbers are read for it. */
export const CountryCode = z.string().regex(/^[A-Z]{2}$/, 'must be an ISO 3166 country code such as GB');

const MAX_VALUE_CHOICES = 1000;
const Choices = z
  .record(z.string().trim().min(1).max(200), z.string().trim().min(1).max(200))
  .refine((m) => Object.keys(m).length <= MAX_VALUE_CHOICES, `at most ${MAX_VALUE_CHOICES} values a field`);

/**
 * What the user said an export's values mean, per field: a value as written -> a stage key, a
 * status (a lead's, or a deal's open / won / lost), an ISO 4217 code, or a user (id or e-mail).
 */
export const ImportValueMaps = z.strictObject({
  stage: Choices.optional(),
  status: Choices.optional(),
  currency: Choices.optional(),
  owner: Choices.optional(),
});

/** The source system an export came from (its record IDs are keyed with it). */
export const SourceSystemName = z.enum(SOURCE_SYSTEMS);

/** Rows a chunk may carry: 1,000 rows x 12 columns stay well under the chunk body limit. */
export const MAX_CHUNK_ROWS = 1000;

export const ImportMapping = z.object({
  headerRow: z.number().int().min(-1),
  language: z.enum(['bg', 'ru', 'en']).default('en'),
  columns: z
    .array(
      z.object({
        index: z.number().int().min(0).max(16383),
        header: z.string().max(500),
        field: z.enum(CANONICAL_FIELDS).nullable(),
        confidence: z.number().min(0).max(1).default(1),
        evidence: z.enum(['header', 'values', 'header+values', 'none']).default('header'),
        currency: Currency.nullable().default(null),
      }),
    )
    .max(16384),
});

export const ImportCreate = z.strictObject({
  kind: z.enum(IMPORT_KINDS),
  /** create: always create; update: update matches, create the rest; skip: leave matches alone. */
  mode: z.enum(['create', 'update', 'skip']).default('skip'),
  fileName: z.string().max(300).optional(),
  mapping: ImportMapping,
  options: z
    .strictObject({
      /** The organisation's country, for national phone numbers of rows whose country cell names none. */
      defaultCountry: CountryCode.optional(),
      defaultCurrency: Currency.optional(),
      dateOrder: z.enum(['DMY', 'MDY']).optional(),
      source: z.enum(['email', 'excel', 'webform', 'manual', 'call']).optional(),
      /** The system the sheet was exported from; 'other' for a sheet kept by hand or an unknown CRM. */
      system: SourceSystemName.optional(),
      /** The country the sheet's numbers written with a country code show, and the others it shows. */
      sheetCountry: CountryCode.nullable().optional(),
      sheetCountries: z.array(CountryCode).max(30).optional(),
      /** The user's value choices; kept for the organisation and system, so the next export asks nothing. */
      values: ImportValueMaps.optional(),
    })
    .default({}),
  rowsExpected: z.number().int().min(0).optional(),
});

const CellValue = z.union([z.string().max(10_000), z.number(), z.boolean(), z.null()]);

export const ImportChunk = z.strictObject({
  chunk: z.number().int().min(0),
  /** Sheet row index (0-based) of rows[0], so every error names the sheet's own row. */
  firstRow: z.number().int().min(0),
  rows: z.array(z.array(CellValue).max(16384)).min(1).max(MAX_CHUNK_ROWS),
  /** Leadpane ids from the sheet's hidden id column, row by row (null for new rows). */
  ids: z.array(Id.nullable()).max(MAX_CHUNK_ROWS).optional(),
  dryRun: z.boolean().default(false),
});

export const ImportRowsQuery = z.strictObject({
  status: z.enum(['created', 'updated', 'skipped', 'error']).optional(),
  cursor: z.coerce.number().int().min(-1).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(200),
});

/** How a row found the record it updates or skips. */
export type ImportMatch = 'id' | 'externalId' | 'name' | 'email' | 'phone';

export interface ImportRowResult {
  row: number;
  status: 'created' | 'updated' | 'skipped' | 'error';
  id: string | null;
  errors: { row: number; column: string; field: string; reason: string; value?: string }[];
  /** Set when the row matched an existing record (or an earlier row of the same import). */
  match?: ImportMatch;
}

/** The value-mapping step: which of a sheet's distinct values are known, and what they mean. */
export const ImportValuesQuery = z.strictObject({
  kind: z.enum(IMPORT_KINDS),
  system: SourceSystemName.optional(),
  /** The organisation's or the sheet's country: settles shared currency symbols ("$"). */
  country: CountryCode.optional(),
  values: z.strictObject({
    stage: z.array(z.string().max(200)).max(500).optional(),
    status: z.array(z.string().max(200)).max(500).optional(),
    currency: z.array(z.string().max(200)).max(500).optional(),
    owner: z.array(z.string().max(200)).max(500).optional(),
  }),
});

/** What an organisation sets once for its imports: its country (national phone numbers) and currency (amounts that name none). */
export const ImportDefaults = z.strictObject({
  country: CountryCode.nullable().default(null),
  currency: Currency.nullable().default(null),
});

import { z } from 'zod';
import { CANONICAL_FIELDS, IMPORT_KINDS } from '../sheet/types';
import { Currency, Id } from './common';

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
      defaultCountry: z.enum(['BG', 'RU']).optional(),
      defaultCurrency: Currency.optional(),
      dateOrder: z.enum(['DMY', 'MDY']).optional(),
      source: z.enum(['email', 'excel', 'webform', 'manual', 'call']).optional(),
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

export interface ImportRowResult {
  row: number;
  status: 'created' | 'updated' | 'skipped' | 'error';
  id: string | null;
  errors: { row: number; column: string; field: string; reason: string; value?: string }[];
}

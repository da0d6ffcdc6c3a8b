// Imports a sheet's rows the way the Excel pane and the CLI do: analysed in shared code (kind,
// mapping, source system, country and date order), its values asked about, then sent in chunks.
import { expect } from 'vitest';
import { analyseSheet, distinctValues, type Cell, type ImportKind, type ValueMaps } from '../../shared/sheet';
import { call, type Member } from './harness';

export interface SheetImport {
  id: string;
  kind: ImportKind;
  system: string | null;
  counts: { created: number; updated: number; skipped: number; error: number };
  rows: Array<{
    row: number;
    status: string;
    id: string | null;
    match?: string;
    errors: Array<{ column: string; field: string; reason: string; value?: string }>;
  }>;
}

export interface ImportOptions {
  mode?: 'skip' | 'update' | 'create';
  kind?: ImportKind;
  values?: ValueMaps;
  /** The organisation's country and currency. */
  country?: string;
  currency?: string;
  dryRun?: boolean;
  chunkRows?: number;
}

/** Analyses, starts and sends a sheet; answers the counts and every row's result. */
export async function importSheet(who: Member, rows: Cell[][], o: ImportOptions = {}): Promise<SheetImport> {
  const a = analyseSheet(rows, o.kind ? { kind: o.kind } : {});
  const start = await call(who, 'POST', '/api/v1/imports', {
    body: {
      kind: a.kind,
      mode: o.mode ?? 'update',
      mapping: a.mapping,
      fileName: 'sheet.csv',
      options: {
        ...(a.system ? { system: a.system } : {}),
        sheetCountry: a.context.country,
        sheetCountries: a.context.countries,
        dateOrder: a.context.dateOrder,
        ...(o.country ? { defaultCountry: o.country } : {}),
        ...((o.currency ?? a.context.currency) ? { defaultCurrency: o.currency ?? a.context.currency } : {}),
        ...(o.values ? { values: o.values } : {}),
      },
    },
  });
  expect(start.status, start.text).toBe(201);
  const first = a.mapping.headerRow + 1;
  const data = rows.slice(first);
  const size = o.chunkRows ?? 1000;
  const out: SheetImport = {
    id: start.json.id,
    kind: a.kind,
    system: a.system,
    counts: { created: 0, updated: 0, skipped: 0, error: 0 },
    rows: [],
  };
  for (let n = 0; n * size < data.length; n++) {
    const res = await call(who, 'POST', `/api/v1/imports/${out.id}/chunks`, {
      body: { chunk: n, firstRow: first + n * size, rows: data.slice(n * size, (n + 1) * size), dryRun: o.dryRun ?? false },
    });
    expect(res.status, res.text).toBe(200);
    for (const k of Object.keys(out.counts) as (keyof SheetImport['counts'])[]) out.counts[k] += res.json.counts[k];
    out.rows.push(...res.json.rows);
  }
  return out;
}

/** The value-mapping step for a sheet: its stage, status, currency and owner values and what the API says they mean. */
export async function valueStep(who: Member, rows: Cell[][]) {
  const a = analyseSheet(rows);
  const values: Record<string, string[]> = {};
  for (const q of distinctValues(rows, a.mapping, { kind: a.kind, system: a.system })) (values[q.field] ??= []).push(q.raw);
  const res = await call(who, 'POST', '/api/v1/imports/values', {
    body: { kind: a.kind, ...(a.system ? { system: a.system } : {}), values },
  });
  expect(res.status, res.text).toBe(200);
  return res.json as {
    system: string;
    items: Array<{ field: string; raw: string; value: string | null; from: string | null }>;
    users: unknown[];
  };
}

/** Rows as a CSV export gives them: a header, then records (every cell text). */
export const sheetOf = (header: string[], records: Array<Record<string, string>>): Cell[][] => [
  header,
  ...records.map((r) => header.map((h) => r[h] ?? '')),
];

import { assertAccess } from '../rules/access';
import { Hono } from 'hono';
import { isSupportedCountry, type CountryCode } from 'libphonenumber-js/max';
import { ImportChunk, ImportCreate, ImportDefaults, ImportRowsQuery, ImportValuesQuery, type ImportRowResult } from '../../shared/schemas';
import type { HeaderMapping } from '../../shared/sheet';
import { auditStatement } from '../lib/audit';
import { isAssertFailure } from '../lib/batch-assert';
import { commit } from '../http/commit';
import type { AppEnv } from '../http/env';
import { AppError, notFound } from '../http/errors';
import { newId, nowIso } from '../lib/ids';
import { writeSettingStatement } from '../lib/org-settings';
import { doc } from '../http/openapi';
import { jsonBody, query } from '../http/validate';
import { isExternalIdConflict } from './external-ids';
import { planChunk, type ImportRow } from './import-chunk';
import {
  addCountsStatement,
  chunkHeads,
  chunkResults,
  finishImport,
  insertChunkStatement,
  insertImportStatement,
  recentImports,
  rowsFreeStatement,
  selectChunk,
  selectImport,
  type ImportDbRow,
} from './imports.repo';
import { isValueOf, type ValueMaps } from '../../shared/sheet';
import { readJson } from '../cases/read-json';
import { requireRole } from '../auth/auth';
import { etag, requireIfMatch } from '../http/versioning';
import {
  answerValues,
  IMPORT_DEFAULTS_KEY,
  importDefaults,
  loadValueMaps,
  mergeValueMaps,
  orgUsers,
  rememberValueMaps,
} from './value-maps';

doc(
  { method: 'get', path: '/api/v1/imports', summary: 'Recent imports with their progress, newest first', tag: 'Imports' },
  {
    method: 'post',
    path: '/api/v1/imports',
    summary: "Start an import of sheet rows as leads, deals or a client's invoices and payments (mapping and options)",
    tag: 'Imports',
    body: ImportCreate,
    status: 201,
  },
  { method: 'get', path: '/api/v1/imports/:id', summary: 'Progress and counts of an import', tag: 'Imports' },
  {
    method: 'post',
    path: '/api/v1/imports/:id/chunks',
    summary: 'Apply up to 1,000 rows; a chunk number applies once, however often it is sent',
    tag: 'Imports',
    body: ImportChunk,
    example: { chunk: 0, firstRow: 1, rows: [['x']] },
  },
  {
    method: 'get',
    path: '/api/v1/imports/:id/rows',
    summary: 'Per-row results: row, status, id, and for errors the column and reason',
    tag: 'Imports',
    query: ImportRowsQuery,
  },
  { method: 'post', path: '/api/v1/imports/:id/finish', summary: 'Mark an import finished', tag: 'Imports' },
  {
    method: 'get',
    path: '/api/v1/imports/defaults',
    summary: "The organisation's country (for national phone numbers) and currency (for amounts that name none) on imports",
    tag: 'Imports',
  },
  {
    method: 'put',
    path: '/api/v1/imports/defaults',
    summary: "Set the organisation's country and currency for imports (an import may still name its own)",
    tag: 'Imports',
    roles: ['head', 'admin'],
    body: ImportDefaults,
    ifMatch: true,
  },
  {
    method: 'post',
    path: '/api/v1/imports/values',
    summary:
      "The value-mapping step: what each of a sheet's stage, status, currency and owner values means (the organisation's kept choice for the source system, the system's defaults, the vocabulary, a user's name), null where the user has to say",
    tag: 'Imports',
    body: ImportValuesQuery,
    example: { kind: 'deals', system: 'pipedrive', values: { stage: ['Pilot Running'], status: ['Won'], currency: ['GBP'] } },
  },
);

const toImport = (r: ImportDbRow) => ({
  id: r.id,
  kind: r.kind,
  mode: r.mode,
  system: r.system,
  fileName: r.file_name,
  status: r.status,
  rowsExpected: r.rows_expected,
  counts: { created: r.created_count, updated: r.updated_count, skipped: r.skipped_count, error: r.error_count },
  rowsDone: r.created_count + r.updated_count + r.skipped_count + r.error_count,
  chunks: r.chunk_count,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

interface ChunkDbRow {
  created_count: number;
  updated_count: number;
  skipped_count: number;
  error_count: number;
  /** JSON array of StoredResult, one a non-empty row. */
  results: string;
}

async function load(db: D1Database, orgId: string, id: string): Promise<ImportDbRow> {
  const row = await selectImport(db, orgId, id).first<ImportDbRow>();
  if (!row) throw notFound('Import');
  return row;
}

/** A row's result as kept in its chunk's `results` array: [row, status, id, errors or null, how it matched]. */
type StoredResult = [
  row: number,
  status: ImportRowResult['status'],
  id: string | null,
  errors: ImportRowResult['errors'] | null,
  match?: ImportRowResult['match'],
];

const toStored = (r: ImportRowResult): StoredResult =>
  r.match
    ? [r.row, r.status, r.id, r.errors.length ? r.errors : null, r.match]
    : [r.row, r.status, r.id, r.errors.length ? r.errors : null];
const fromStored = ([row, status, id, errors, match]: StoredResult): ImportRowResult => ({
  row,
  status,
  id,
  errors: errors ?? [],
  ...(match ? { match } : {}),
});

/** Every value choice must mean something: a stage, a status of the import's kind, an ISO code, a user of the organisation. */
async function checkChoices(db: D1Database, orgId: string, kind: 'leads' | 'deals', values: ValueMaps | undefined): Promise<void> {
  if (!values) return;
  const errors: { path: string; code: string; message: string }[] = [];
  for (const field of ['stage', 'status', 'currency'] as const)
    for (const [raw, v] of Object.entries(values[field] ?? {}))
      if (!isValueOf(field, kind, field === 'currency' ? v.toUpperCase() : v))
        errors.push({ path: `/options/values/${field}/${raw}`, code: 'unknown_value', message: `${v} is not a ${field} of ${kind}.` });
  const owners = Object.entries(values.owner ?? {});
  if (owners.length) {
    const users = await orgUsers(db, orgId);
    const known = new Set([...users.map((u) => u.id), ...users.map((u) => u.email.toLowerCase())]);
    for (const [raw, v] of owners)
      if (!known.has(v) && !known.has(v.toLowerCase()))
        errors.push({ path: `/options/values/owner/${raw}`, code: 'unknown_user', message: `${v} is not a user of your organisation.` });
  }
  if (errors.length) throw new AppError('validation_failed', 'Some value choices do not name a value Leadpane knows.', { errors });
}

/** Countries national numbers are read for must be ones the phone rules know. */
function checkCountries(
  options: { defaultCountry?: string; sheetCountry?: string | null; sheetCountries?: string[] },
  countryPath = '/options/defaultCountry',
): void {
  const given: [string, string][] = [
    ...(options.defaultCountry ? [[countryPath, options.defaultCountry] as [string, string]] : []),
    ...(options.sheetCountry ? [['/options/sheetCountry', options.sheetCountry] as [string, string]] : []),
    ...(options.sheetCountries ?? []).map((c, i) => [`/options/sheetCountries/${i}`, c] as [string, string]),
  ];
  const errors = given
    .filter(([, c]) => !isSupportedCountry(c as CountryCode))
    .map(([path, c]) => ({ path, code: 'unknown_country', message: `${c} is not a country phone numbers can be read for.` }));
  if (errors.length) throw new AppError('validation_failed', 'A country code is not known.', { errors });
}
const storedResults = (json: string) => (JSON.parse(json) as StoredResult[]).map(fromStored);

export const importRoutes = new Hono<AppEnv>()
  .get('/defaults', async (c) => {
    const d = await importDefaults(c.env.DB, c.get('principal').orgId);
    c.header('etag', etag(d.version));
    return c.json(d);
  })
  .put('/defaults', requireRole('head', 'admin'), async (c) => {
    const p = c.get('principal');
    const db = c.env.DB;
    const expected = requireIfMatch(c);
    const input = await readJson(c, ImportDefaults);
    checkCountries({ defaultCountry: input.country ?? undefined }, '/country');
    const now = nowIso();
    const value = JSON.stringify(input);
    const write = writeSettingStatement(db, p.orgId, p.userId, IMPORT_DEFAULTS_KEY, value, expected, now);
    const [res] = await db.batch([
      write,
      auditStatement(db, p, 'update', 'settings', IMPORT_DEFAULTS_KEY, input, { sql: 'changes() = 1', params: [] }),
    ]);
    if (!res!.meta.changes) {
      const current = await importDefaults(db, p.orgId);
      throw new AppError('precondition_failed', `The import defaults changed since you read them (now version ${current.version}).`, {
        current,
        headers: { etag: etag(current.version) },
      });
    }
    const out = { ...input, version: expected + 1 };
    c.header('etag', etag(out.version));
    return c.json(out);
  })
  .post('/values', jsonBody(ImportValuesQuery), async (c) => {
    const q = c.req.valid('json');
    if (q.country) checkCountries({ defaultCountry: q.country }, '/country');
    return c.json(await answerValues(c.env.DB, c.get('principal'), q));
  })
  .get('/', async (c) => {
    const p = c.get('principal');
    const imports = await recentImports(c.env.DB, p.orgId);
    return c.json({ items: imports.map(toImport), nextCursor: null });
  })
  .post('/', jsonBody(ImportCreate), async (c) => {
    const p = c.get('principal');
    const body = c.req.valid('json');
    if (!body.mapping.columns.some((col) => col.field))
      throw new AppError('validation_failed', 'Map at least one column to a field.', {
        errors: [{ path: '/mapping/columns', code: 'nothing_mapped', message: 'No column is mapped.' }],
      });
    checkCountries(body.options);
    if (body.kind !== 'payments') await checkChoices(c.env.DB, p.orgId, body.kind, body.options.values);
    const system = body.options.system ?? 'other';
    // The import reads its rows with what the organisation has set and said so far (its country
    // and currency, its value choices for this system), fixed now: no chunk reads them again.
    const [org, kept] = await Promise.all([
      importDefaults(c.env.DB, p.orgId),
      body.kind === 'payments' ? Promise.resolve({}) : loadValueMaps(c.env.DB, p.orgId, system, body.kind),
    ]);
    const options = {
      ...body.options,
      ...(body.options.defaultCountry || !org.country ? {} : { defaultCountry: org.country }),
      ...(body.options.defaultCurrency || !org.currency ? {} : { defaultCurrency: org.currency }),
      ...(body.kind === 'payments' ? {} : { values: mergeValueMaps(kept, body.options.values) }),
    };
    const now = nowIso();
    const row: ImportDbRow = {
      id: newId(),
      user_id: p.userId,
      kind: body.kind,
      mode: body.mode,
      file_name: body.fileName ?? null,
      mapping: JSON.stringify(body.mapping),
      options: JSON.stringify(options),
      system,
      status: 'open',
      rows_expected: body.rowsExpected ?? null,
      created_count: 0,
      updated_count: 0,
      skipped_count: 0,
      error_count: 0,
      chunk_count: 0,
      created_at: now,
      updated_at: now,
    };
    const out = toImport(row);
    await commit(
      c,
      [
        insertImportStatement(c.env.DB, p.orgId, row),
        // The user's value choices are kept for the organisation and system: the next export asks nothing.
        ...(body.kind === 'payments' ? [] : rememberValueMaps(c.env.DB, p, system, body.kind, body.options.values, now)),
        auditStatement(c.env.DB, p, 'import', 'import', row.id, {
          kind: row.kind,
          mode: row.mode,
          system,
          fileName: row.file_name,
          rowsExpected: row.rows_expected,
        }),
      ],
      201,
      out,
      { location: `/api/v1/imports/${row.id}` },
    );
    return c.json(out, 201);
  })
  .get('/:id', async (c) => c.json(toImport(await load(c.env.DB, c.get('principal').orgId, c.req.param('id')))))
  .post('/:id/chunks', jsonBody(ImportChunk), async (c) => {
    const p = c.get('principal');
    const db = c.env.DB;
    const body = c.req.valid('json');
    // The import and this chunk's earlier answer, if any, in one round trip.
    const chunkDone = selectChunk(db, p.orgId, c.req.param('id'), body.chunk);
    const [impRes, doneRes] = await db.batch<Record<string, unknown>>([selectImport(db, p.orgId, c.req.param('id')), chunkDone]);
    const imp = impRes!.results[0] as ImportDbRow | undefined;
    if (!imp) throw notFound('Import');
    // Rows go into an import by the user who started it, whose rights the rows are checked with.
    assertAccess(p, 'import', { ownerId: imp.user_id }, null);
    if (body.ids && body.ids.length !== body.rows.length)
      throw new AppError('validation_failed', 'ids must have one entry per row.', {
        errors: [{ path: '/ids', code: 'length_mismatch', message: `ids has ${body.ids.length} entries for ${body.rows.length} rows.` }],
      });
    const range = [body.firstRow, body.firstRow + body.rows.length] as const;
    const replay = (done: ChunkDbRow | null | undefined) =>
      done &&
      c.json({
        chunk: body.chunk,
        applied: false,
        dryRun: false,
        counts: { created: done.created_count, updated: done.updated_count, skipped: done.skipped_count, error: done.error_count },
        rows: storedResults(done.results),
      });
    if (!body.dryRun) {
      const earlier = replay(doneRes!.results[0] as ChunkDbRow | undefined);
      if (earlier) return earlier;
    }
    const options = JSON.parse(imp.options) as ImportRow['options'];
    const def: ImportRow = {
      id: imp.id,
      kind: imp.kind,
      mode: imp.mode,
      mapping: JSON.parse(imp.mapping) as HeaderMapping,
      options: { ...options, system: (imp.system ?? options.system ?? 'other') as ImportRow['options']['system'] },
    };
    let now = nowIso();
    let plan = await planChunk(db, p, def, body, now);
    if (body.dryRun) return c.json({ chunk: body.chunk, applied: false, dryRun: true, counts: plan.counts, rows: plan.results });
    const statementsOf = (plan: Awaited<ReturnType<typeof planChunk>>) => {
      const { counts } = plan;
      return [
        // Rows are sent once: a chunk that overlaps another chunk's rows is refused whole.
        rowsFreeStatement(db, p.orgId, imp.id, range[0], range[1]),
        // Then the chunk, so a concurrent copy of it fails here and rolls back whole.
        insertChunkStatement(
          db,
          p.orgId,
          imp.id,
          {
            no: body.chunk,
            firstRow: range[0],
            rowCount: body.rows.length,
            counts,
            results: JSON.stringify(plan.results.map(toStored)),
          },
          now,
        ),
        ...plan.statements,
        addCountsStatement(db, p.orgId, imp.id, counts, now),
      ];
    };
    try {
      try {
        await db.batch(statementsOf(plan));
      } catch (err) {
        // Another import linked one of these source IDs a moment ago: planned again, the rows
        // find that record instead of making a second one.
        if (!isExternalIdConflict(err)) throw err;
        now = nowIso();
        plan = await planChunk(db, p, def, body, now);
        await db.batch(statementsOf(plan));
      }
    } catch (err) {
      const overlaps = isAssertFailure(err);
      if (overlaps || (err instanceof Error && /UNIQUE constraint failed: import_chunks|PRIMARY KEY/.test(err.message))) {
        // The same chunk applied meanwhile (sent twice at once) answers as a replay.
        const earlier = replay(await chunkDone.first<ChunkDbRow>());
        if (earlier) return earlier;
      }
      if (overlaps)
        throw new AppError('conflict', `Rows ${range[0]}-${range[1] - 1} overlap rows already sent in another chunk of this import.`, {
          errors: [{ path: '/firstRow', code: 'rows_overlap', message: 'Each row is sent in one chunk only.' }],
        });
      throw err;
    }
    return c.json({ chunk: body.chunk, applied: true, dryRun: false, counts: plan.counts, rows: plan.results });
  })
  .get('/:id/rows', query(ImportRowsQuery), async (c) => {
    const p = c.get('principal');
    const db = c.env.DB;
    const imp = await load(db, p.orgId, c.req.param('id'));
    const q = c.req.valid('query');
    const after = q.cursor ?? -1;
    // The chunks past the cursor that hold rows of the status asked for, in row order, each with
    // how many; their results are read for just enough chunks to fill the page and one row more.
    const heads = await chunkHeads(db, p.orgId, imp.id, after, q.status);
    const take: number[] = [];
    // The first chunk may hold rows before the cursor: it counts for nothing.
    for (let i = 0, n = 0; i < heads.length && n <= q.limit; i++) {
      take.push(heads[i]!.chunk_no);
      if (i > 0) n += heads[i]!.n;
    }
    const chunks = take.length ? await chunkResults(db, p.orgId, imp.id, take) : [];
    const rows = chunks
      .flatMap((ch) => storedResults(ch.results))
      .filter((r) => r.row > after && (!q.status || r.status === q.status))
      .sort((a, b) => a.row - b.row);
    const items = rows.slice(0, q.limit);
    return c.json({ items, nextCursor: rows.length > q.limit ? String(items[items.length - 1]!.row) : null });
  })
  .post('/:id/finish', async (c) => {
    const p = c.get('principal');
    const imp = await load(c.env.DB, p.orgId, c.req.param('id'));
    assertAccess(p, 'import', { ownerId: imp.user_id }, null);
    await finishImport(c.env.DB, p.orgId, imp.id, nowIso());
    return c.json(toImport({ ...imp, status: 'done' }));
  });

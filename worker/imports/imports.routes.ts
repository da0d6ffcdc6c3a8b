import { Hono } from 'hono';
import { ImportChunk, ImportCreate, ImportRowsQuery, type ImportRowResult } from '../../shared/schemas';
import type { HeaderMapping, ImportKind } from '../../shared/sheet';
import { auditStatement } from '../lib/audit';
import { commit } from '../lib/crud';
import type { AppEnv } from '../lib/env';
import { AppError, notFound } from '../lib/errors';
import { newId, nowIso } from '../lib/ids';
import { doc } from '../lib/openapi';
import { jsonBody, query } from '../lib/validate';
import { planChunk, type ImportRow } from './import-chunk';

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
);

interface ImportDbRow {
  id: string;
  user_id: string;
  kind: ImportKind;
  mode: 'create' | 'update' | 'skip';
  file_name: string | null;
  mapping: string;
  options: string;
  status: 'open' | 'done';
  rows_expected: number | null;
  created_count: number;
  updated_count: number;
  skipped_count: number;
  error_count: number;
  chunk_count: number;
  created_at: string;
  updated_at: string;
}

const toImport = (r: ImportDbRow) => ({
  id: r.id,
  kind: r.kind,
  mode: r.mode,
  fileName: r.file_name,
  status: r.status,
  rowsExpected: r.rows_expected,
  counts: { created: r.created_count, updated: r.updated_count, skipped: r.skipped_count, error: r.error_count },
  rowsDone: r.created_count + r.updated_count + r.skipped_count + r.error_count,
  chunks: r.chunk_count,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

const selectImport = (db: D1Database, orgId: string, id: string) =>
  db.prepare('SELECT * FROM imports WHERE org_id = ?1 AND id = ?2').bind(orgId, id);

async function load(db: D1Database, orgId: string, id: string): Promise<ImportDbRow> {
  const row = await selectImport(db, orgId, id).first<ImportDbRow>();
  if (!row) throw notFound('Import');
  return row;
}

async function chunkRows(db: D1Database, orgId: string, importId: string, from: number, to: number): Promise<ImportRowResult[]> {
  const { results } = await db
    .prepare(
      'SELECT row_no, status, entity_id, errors FROM import_rows WHERE org_id = ?1 AND import_id = ?2 AND row_no >= ?3 AND row_no < ?4 ORDER BY row_no',
    )
    .bind(orgId, importId, from, to)
    .all<{ row_no: number; status: ImportRowResult['status']; entity_id: string | null; errors: string | null }>();
  return results.map((r) => ({ row: r.row_no, status: r.status, id: r.entity_id, errors: r.errors ? JSON.parse(r.errors) : [] }));
}

export const importRoutes = new Hono<AppEnv>()
  .get('/', async (c) => {
    const p = c.get('principal');
    const { results } = await c.env.DB.prepare('SELECT * FROM imports WHERE org_id = ?1 ORDER BY id DESC LIMIT 50')
      .bind(p.orgId)
      .all<ImportDbRow>();
    return c.json({ items: results.map(toImport), nextCursor: null });
  })
  .post('/', jsonBody(ImportCreate), async (c) => {
    const p = c.get('principal');
    const body = c.req.valid('json');
    if (!body.mapping.columns.some((col) => col.field))
      throw new AppError('validation_failed', 'Map at least one column to a field.', {
        errors: [{ path: '/mapping/columns', code: 'nothing_mapped', message: 'No column is mapped.' }],
      });
    const now = nowIso();
    const row: ImportDbRow = {
      id: newId(),
      user_id: p.userId,
      kind: body.kind,
      mode: body.mode,
      file_name: body.fileName ?? null,
      mapping: JSON.stringify(body.mapping),
      options: JSON.stringify(body.options),
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
        c.env.DB.prepare(
          'INSERT INTO imports (id, org_id, user_id, kind, mode, file_name, mapping, options, rows_expected, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?10)',
        ).bind(row.id, p.orgId, p.userId, row.kind, row.mode, row.file_name, row.mapping, row.options, row.rows_expected, now),
        auditStatement(c.env.DB, p, 'import', 'import', row.id, {
          kind: row.kind,
          mode: row.mode,
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
    const chunkDone = db
      .prepare('SELECT * FROM import_chunks WHERE org_id = ?1 AND import_id = ?2 AND chunk_no = ?3')
      .bind(p.orgId, c.req.param('id'), body.chunk);
    const [impRes, doneRes] = await db.batch<Record<string, unknown>>([selectImport(db, p.orgId, c.req.param('id')), chunkDone]);
    const imp = impRes!.results[0] as ImportDbRow | undefined;
    if (!imp) throw notFound('Import');
    if (body.ids && body.ids.length !== body.rows.length)
      throw new AppError('validation_failed', 'ids must have one entry per row.', {
        errors: [{ path: '/ids', code: 'length_mismatch', message: `ids has ${body.ids.length} entries for ${body.rows.length} rows.` }],
      });
    const range = [body.firstRow, body.firstRow + body.rows.length] as const;
    const replay = async (done: Record<string, number> | null) => {
      if (!done) return null;
      return c.json({
        chunk: body.chunk,
        applied: false,
        dryRun: false,
        counts: { created: done.created_count, updated: done.updated_count, skipped: done.skipped_count, error: done.error_count },
        rows: await chunkRows(db, p.orgId, imp.id, done.first_row!, done.first_row! + done.row_count!),
      });
    };
    if (!body.dryRun) {
      const earlier = await replay((doneRes!.results[0] as Record<string, number> | undefined) ?? null);
      if (earlier) return earlier;
    }
    const def: ImportRow = {
      id: imp.id,
      kind: imp.kind,
      mode: imp.mode,
      mapping: JSON.parse(imp.mapping) as HeaderMapping,
      options: JSON.parse(imp.options),
    };
    const now = nowIso();
    const plan = await planChunk(db, p, def, body, now);
    if (body.dryRun) return c.json({ chunk: body.chunk, applied: false, dryRun: true, counts: plan.counts, rows: plan.results });
    const { counts } = plan;
    const statements = [
      // First, so a concurrent copy of this chunk fails on the primary key and rolls back whole.
      db
        .prepare(
          `INSERT INTO import_chunks (org_id, import_id, chunk_no, first_row, row_count, created_count, updated_count, skipped_count, error_count, applied_at)
           VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)`,
        )
        .bind(p.orgId, imp.id, body.chunk, range[0], body.rows.length, counts.created, counts.updated, counts.skipped, counts.error, now),
      ...plan.statements,
      db
        .prepare(
          `INSERT INTO import_rows (org_id, import_id, row_no, status, entity_id, errors)
           SELECT ?1, ?2, value ->> 0, value ->> 1, value ->> 2, value ->> 3 FROM json_each(?3)`,
        )
        .bind(
          p.orgId,
          imp.id,
          JSON.stringify(plan.results.map((r) => [r.row, r.status, r.id, r.errors.length ? JSON.stringify(r.errors) : null])),
        ),
      db
        .prepare(
          `UPDATE imports SET created_count = created_count + ?3, updated_count = updated_count + ?4, skipped_count = skipped_count + ?5,
                  error_count = error_count + ?6, chunk_count = chunk_count + 1, updated_at = ?7, version = version + 1 WHERE org_id = ?1 AND id = ?2`,
        )
        .bind(p.orgId, imp.id, counts.created, counts.updated, counts.skipped, counts.error, now),
    ];
    try {
      await db.batch(statements);
    } catch (err) {
      if (err instanceof Error && /UNIQUE constraint failed: import_chunks|PRIMARY KEY/.test(err.message)) {
        const earlier = await replay(await chunkDone.first<Record<string, number>>());
        if (earlier) return earlier;
      }
      throw err;
    }
    return c.json({ chunk: body.chunk, applied: true, dryRun: false, counts, rows: plan.results });
  })
  .get('/:id/rows', query(ImportRowsQuery), async (c) => {
    const p = c.get('principal');
    const imp = await load(c.env.DB, p.orgId, c.req.param('id'));
    const q = c.req.valid('query');
    const params: unknown[] = [p.orgId, imp.id, q.cursor ?? -1];
    const status = q.status ? ` AND status = ?${params.push(q.status)}` : '';
    const { results } = await c.env.DB.prepare(
      `SELECT row_no, status, entity_id, errors FROM import_rows WHERE org_id = ?1 AND import_id = ?2 AND row_no > ?3${status} ORDER BY row_no LIMIT ${q.limit + 1}`,
    )
      .bind(...params)
      .all<{ row_no: number; status: ImportRowResult['status']; entity_id: string | null; errors: string | null }>();
    const items = results
      .slice(0, q.limit)
      .map((r) => ({ row: r.row_no, status: r.status, id: r.entity_id, errors: r.errors ? JSON.parse(r.errors) : [] }));
    return c.json({ items, nextCursor: results.length > q.limit ? String(items[items.length - 1]!.row) : null });
  })
  .post('/:id/finish', async (c) => {
    const p = c.get('principal');
    const imp = await load(c.env.DB, p.orgId, c.req.param('id'));
    await c.env.DB.prepare(`UPDATE imports SET status = 'done', updated_at = ?3, version = version + 1 WHERE org_id = ?1 AND id = ?2`)
      .bind(p.orgId, imp.id, nowIso())
      .run();
    return c.json(toImport({ ...imp, status: 'done' }));
  });

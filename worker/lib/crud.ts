import { Hono, type Context } from 'hono';
import type { z } from 'zod';
import { nameKey } from '../../shared/identity';
import type { Role } from '../../shared/schemas';
import { auditStatement } from './audit';
import { decodeCursor, encodeCursor } from './cursor';
import type { AppEnv, Principal } from './env';
import { AppError, notFound, type FieldError } from './errors';
import { atomicIdempotent, idempotencyStatements, isKeyConflict, KeyTaken } from './idempotency';
import { newId, nowIso } from './ids';
import { doc } from './openapi';
import { jsonBody, query } from './validate';
import { assertAccess } from '../rules/access';
import { etag, requireIfMatch } from './versioning';

export type ColType = 'text' | 'int' | 'bool' | 'json';
export type Rec = Record<string, unknown> & { id: string; version: number };
export type EntityName = 'company' | 'contact' | 'lead' | 'deal' | 'activity' | 'task' | 'case' | 'competitor' | 'form';
export interface IdentityKey {
  kind: 'email' | 'phone' | 'eik' | 'vat' | 'domain' | 'name';
  value: string;
}

/** Which table a reference field points to; references must belong to the caller's organisation. */
const REFERENCES: Record<string, string> = {
  companyId: 'companies',
  contactId: 'contacts',
  dealId: 'deals',
  leadId: 'leads',
  ownerId: 'users',
  assigneeId: 'users',
};

export interface EntitySpec {
  table: string;
  entity: EntityName;
  label: string;
  /** Writable API fields and how they are stored (column = snake_case of the field). */
  fields: Record<string, ColType>;
  /** Columns the API reads but clients never write. */
  readOnly?: Record<string, ColType>;
  /** Column that says whose record this is: managers change only their own when restrictToOwner. */
  ownerField?: 'ownerId' | 'assigneeId';
  restrictToOwner?: boolean;
  deleteRoles?: Role[];
  /** List filters: query key -> column, or a condition builder; each is served by an index. */
  filters: Record<string, string | ((v: string) => string)>;
  /** Fills defaults and derived API fields (e.g. probability from stage) before a write. */
  normalize?(rec: Record<string, unknown>, before: Rec | null, p: Principal): void;
  /** Extra stored columns computed from the record (snake_case), e.g. email_norm. name_key is required. */
  derive(rec: Record<string, unknown>): Record<string, unknown> & { name_key: string };
  /** Identity keys that /match looks up; `derived` is derive(rec), so nothing is normalised twice. */
  keys?(rec: Record<string, unknown>, derived: Record<string, unknown>): IdentityKey[];
  /** Statements to run with a change (e.g. stage history), guarded by the caller. */
  onWrite?(db: D1Database, before: Rec | null, after: Rec, p: Principal, guard: Guard): D1PreparedStatement[];
  /** Extra search column besides name_key (e.g. email_norm). */
  searchColumns?: string[];
  /** A unique external id column: a create that repeats it answers the existing record (200). */
  externalField?: string;
  /** Fields unique together with the external id (a lead's source: one email may be a lead of each source). */
  externalScope?: string[];
  /** An integer column lists sort by (descending) before id, e.g. a priority rank; indexes end in (column, id). */
  listOrder?: string;
  /**
   * Async business rules run before a create (before = null) or an update is written: may adjust
   * `after`, throw an AppError (e.g. business_rule) or answer statements for the change's batch,
   * guarded like onWrite. `overrideReason` is the user's reason to override a rule (the
   * `X-Override-Reason` header or the body's `overrideReason`); it is never stored on the record.
   */
  beforeWrite?(db: D1Database, before: Rec | null, after: Rec, p: Principal, ctx: WriteContext): Promise<D1PreparedStatement[] | void>;
}

export interface WriteContext {
  overrideReason: string | null;
  guard: Guard;
}

/** The override reason of a request: `X-Override-Reason` (may be percent-encoded) or a body field. */
export function overrideReasonOf(c: Context, body?: Record<string, unknown>): string | null {
  const fromBody = typeof body?.overrideReason === 'string' ? body.overrideReason.trim() : '';
  if (fromBody) return fromBody.slice(0, 500);
  const header = c.req.header('x-override-reason')?.trim();
  if (!header) return null;
  try {
    return decodeURIComponent(header).slice(0, 500) || null;
  } catch {
    return header.slice(0, 500);
  }
}

/** A SQL condition that holds only when this request's versioned write took effect. */
export interface Guard {
  sql: string;
  params: unknown[];
}

const snake = (s: string) => s.replace(/[A-Z]/g, (m) => '_' + m.toLowerCase());

function toDb(type: ColType, v: unknown): unknown {
  if (v === undefined || v === null) return null;
  if (type === 'json') return JSON.stringify(v);
  if (type === 'bool') return v ? 1 : 0;
  return v;
}

function fromDb(type: ColType, v: unknown): unknown {
  if (v === null || v === undefined) return null;
  if (type === 'json') return JSON.parse(v as string);
  if (type === 'bool') return v === 1;
  return v;
}

export class Repo {
  readonly columns: [string, string, ColType][];
  constructor(readonly spec: EntitySpec) {
    this.columns = Object.entries({ ...spec.fields, ...spec.readOnly }).map(([f, t]) => [f, snake(f), t]);
  }

  toRecord(row: Record<string, unknown>): Rec {
    const rec: Record<string, unknown> = { id: row.id, version: row.version, createdAt: row.created_at, updatedAt: row.updated_at };
    for (const [f, col, t] of this.columns) rec[f] = fromDb(t, row[col]);
    if (row.deleted_at) rec.deletedAt = row.deleted_at;
    return rec as Rec;
  }

  async get(db: D1Database, orgId: string, id: string): Promise<Rec | null> {
    const row = await db
      .prepare(`SELECT * FROM ${this.spec.table} WHERE org_id = ?1 AND id = ?2 AND deleted_at IS NULL`)
      .bind(orgId, id)
      .first<Record<string, unknown>>();
    return row ? this.toRecord(row) : null;
  }

  /** Builds the INSERT and its companions for a new record; the caller batches them. */
  insertStatements(db: D1Database, p: Principal, rec: Rec, now: string): D1PreparedStatement[] {
    const derived = this.spec.derive(rec);
    const cols = ['id', 'org_id', 'version', 'created_at', 'updated_at'];
    const vals: unknown[] = [rec.id, p.orgId, 1, now, now];
    for (const [f, col, t] of this.columns) {
      cols.push(col);
      vals.push(toDb(t, rec[f]));
    }
    for (const [col, v] of Object.entries(derived)) {
      cols.push(col);
      vals.push(v ?? null);
    }
    const sql = `INSERT INTO ${this.spec.table} (${cols.join(', ')}) VALUES (${cols.map((_, i) => `?${i + 1}`).join(', ')})`;
    return [db.prepare(sql).bind(...vals), ...this.keyStatements(db, p.orgId, rec, null)];
  }

  /**
   * Many new records in two statements: the rows as one JSON parameter read by json_each (within
   * D1's 100-parameter limit and far faster than one INSERT per row), and their identity keys.
   */
  bulkInsertStatements(db: D1Database, p: Principal, recs: Rec[], now: string): D1PreparedStatement[] {
    if (!recs.length) return [];
    const first = this.spec.derive(recs[0]!);
    const derivedCols = Object.keys(first);
    const cols = ['id', 'org_id', 'version', 'created_at', 'updated_at', ...this.columns.map((c) => c[1]), ...derivedCols];
    const keys: [string, string, string][] = [];
    const data = recs.map((rec) => {
      const derived = this.spec.derive(rec);
      if (this.spec.keys) for (const k of dedupeKeys(this.spec.keys(rec, derived))) keys.push([k.kind, k.value, rec.id]);
      return [
        rec.id,
        p.orgId,
        1,
        (rec.createdAt as string) ?? now,
        now,
        ...this.columns.map(([f, , t]) => toDb(t, rec[f])),
        ...derivedCols.map((c) => derived[c] ?? null),
      ];
    });
    // A column with one value in every row (the org, the version, often the times, the empty
    // fields) is bound once: less JSON to send to D1 and to read back, row by row.
    const constants: unknown[] = [];
    const varying: number[] = [];
    const select = cols.map((_, i) => {
      const v = data[0]![i];
      if (data.every((row) => row[i] === v)) return `?${constants.push(v) + 1}`;
      return `v ->> ${varying.push(i) - 1}`;
    });
    const stmts = [
      db
        .prepare(`${EACH_ROW_ONCE} INSERT INTO ${this.spec.table} (${cols.join(', ')}) SELECT ${select.join(', ')} FROM r`)
        .bind(JSON.stringify(data.map((row) => varying.map((i) => row[i]))), ...constants),
    ];
    if (keys.length)
      stmts.push(
        db
          .prepare(
            `INSERT OR IGNORE INTO identity_keys (org_id, kind, value, entity, entity_id) SELECT ?1, value ->> 0, value ->> 1, ?2, value ->> 2 FROM json_each(?3)`,
          )
          .bind(p.orgId, this.spec.entity, JSON.stringify(keys)),
      );
    return stmts;
  }

  /**
   * Versioned updates of many records in one statement: an upsert of the full rows read by
   * json_each (the planner walks the JSON and looks each id up, where UPDATE ... FROM would scan
   * the table). A row whose version moved since it was read is left alone, never overwritten.
   */
  bulkUpdateStatements(db: D1Database, p: Principal, recs: Rec[], now: string): D1PreparedStatement[] {
    if (!recs.length) return [];
    const derivedCols = Object.keys(this.spec.derive(recs[0]!));
    const dataCols = [...this.columns.map((c) => c[1]), ...derivedCols];
    const cols = ['id', 'org_id', 'version', 'created_at', 'updated_at', ...dataCols];
    const keys: [string, string, string][] = [];
    const data = recs.map((rec) => {
      const derived = this.spec.derive(rec);
      if (this.spec.keys) for (const k of dedupeKeys(this.spec.keys(rec, derived))) keys.push([k.kind, k.value, rec.id]);
      return [
        rec.id,
        p.orgId,
        rec.version,
        rec.createdAt,
        now,
        ...this.columns.map(([f, , t]) => toDb(t, rec[f])),
        ...derivedCols.map((c) => derived[c] ?? null),
      ];
    });
    const t = this.spec.table;
    return [
      db
        .prepare(
          `${EACH_ROW_ONCE} INSERT INTO ${t} (${cols.join(', ')}) SELECT ${cols.map((_, i) => `v ->> ${i}`).join(', ')} FROM r WHERE true
           ON CONFLICT (id) DO UPDATE SET ${dataCols.map((c) => `${c} = excluded.${c}`).join(', ')}, version = excluded.version, updated_at = excluded.updated_at
           WHERE ${t}.org_id = excluded.org_id AND ${t}.version = excluded.version - 1 AND ${t}.deleted_at IS NULL`,
        )
        .bind(JSON.stringify(data)),
      db
        .prepare(`DELETE FROM identity_keys WHERE org_id = ?1 AND entity = ?2 AND entity_id IN (SELECT value FROM json_each(?3))`)
        .bind(p.orgId, this.spec.entity, JSON.stringify(recs.map((r) => r.id))),
      ...(keys.length
        ? [
            db
              .prepare(
                `INSERT OR IGNORE INTO identity_keys (org_id, kind, value, entity, entity_id) SELECT ?1, value ->> 0, value ->> 1, ?2, value ->> 2 FROM json_each(?3)`,
              )
              .bind(p.orgId, this.spec.entity, JSON.stringify(keys)),
          ]
        : []),
    ];
  }

  keyStatements(db: D1Database, orgId: string, rec: Rec, guard: Guard | null): D1PreparedStatement[] {
    if (!this.spec.keys) return [];
    const keys = dedupeKeys(this.spec.keys(rec, this.spec.derive(rec)));
    const g = guard ? ` AND ${guard.sql.replace(/\?(\d+)/g, (_, n: string) => `?${Number(n) + 3}`)}` : '';
    const gp = guard?.params ?? [];
    const stmts = [
      db
        .prepare(`DELETE FROM identity_keys WHERE org_id = ?1 AND entity = ?2 AND entity_id = ?3${g}`)
        .bind(orgId, this.spec.entity, rec.id, ...gp),
    ];
    if (keys.length)
      stmts.push(
        db
          .prepare(
            `INSERT OR IGNORE INTO identity_keys (org_id, kind, value, entity, entity_id)
             SELECT ?1, j.value ->> 0, j.value ->> 1, ?2, ?3 FROM json_each(?4) j WHERE 1${guard ? ` AND ${guard.sql.replace(/\?(\d+)/g, (_, n: string) => `?${Number(n) + 4}`)}` : ''}`,
          )
          .bind(orgId, this.spec.entity, rec.id, JSON.stringify(keys.map((k) => [k.kind, k.value])), ...gp),
      );
    return stmts;
  }
}

/*
 * The rows of the JSON array bound to ?1 as `r(v)`, each parsed once. `value ->> i` straight on
 * json_each renders the row as text and parses it again for every column; for the wide rows of
 * a bulk insert that was half the statement's time (measured in workerd: 1,000 rows x 16 columns
 * 18-22 ms -> 14.6 ms a batch). Narrow rows (3-4 columns) gain nothing and keep json_each.
 */
const EACH_ROW_ONCE = 'WITH r AS MATERIALIZED (SELECT jsonb(value) AS v FROM json_each(?1))';

/** A record has a handful of keys: comparing them pairwise beats building a set per record. */
function dedupeKeys(keys: IdentityKey[]): IdentityKey[] {
  const out: IdentityKey[] = [];
  for (const k of keys) if (k.value && !out.some((o) => o.kind === k.kind && o.value === k.value)) out.push(k);
  return out;
}

/** Checks that every id the record points to exists in the caller's organisation. */
export async function checkReferences(
  db: D1Database,
  orgId: string,
  rec: Record<string, unknown>,
  fields: string[],
  self?: string,
): Promise<void> {
  // The caller's own user id needs no lookup: authentication just found that user active.
  const refs = fields.filter((f) => REFERENCES[f] && typeof rec[f] === 'string' && !(REFERENCES[f] === 'users' && rec[f] === self));
  if (!refs.length) return;
  const sql = refs
    .map(
      (f, i) =>
        `SELECT ${i} AS i, EXISTS(SELECT 1 FROM ${REFERENCES[f]} WHERE org_id = ?1 AND id = ?${i + 2}${REFERENCES[f] === 'users' ? '' : ' AND deleted_at IS NULL'}) AS ok`,
    )
    .join(' UNION ALL ');
  const { results } = await db
    .prepare(sql)
    .bind(orgId, ...refs.map((f) => rec[f]))
    .all<{ i: number; ok: number }>();
  const errors: FieldError[] = results
    .filter((r) => !r.ok)
    .map((r) => ({
      path: '/' + refs[r.i]!,
      code: 'unknown_reference',
      message: `No such ${REFERENCES[refs[r.i]!]!.replace(/s$/, '').replace(/ie$/, 'y')} in your organisation.`,
    }));
  if (errors.length) throw new AppError('validation_failed', 'The record points to something that does not exist.', { errors });
}

/** Runs statements as one transaction and answers JSON, storing the answer under the request's Idempotency-Key in the same batch. */
export async function commit(
  c: Context<AppEnv>,
  stmts: D1PreparedStatement[],
  status: 200 | 201,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<D1Result[]> {
  const idem = idempotencyStatements(c, status, body, headers);
  try {
    return await c.env.DB.batch([...stmts, ...idem]);
  } catch (err) {
    // Another request with this key got there first: nothing was written; it replays their answer.
    if (idem.length && isKeyConflict(err)) throw new KeyTaken();
    throw err;
  }
}

export interface CrudSchemas<C extends z.ZodType, P extends z.ZodType, L extends z.ZodType> {
  create: C;
  patch: P;
  list: L;
  item: z.ZodType;
}

/**
 * The six verbs every shared record has: list, create, read, update (If-Match), delete (soft,
 * If-Match) and restore. Each feature supplies its EntitySpec and schemas.
 */
export function crudRoutes<C extends z.ZodType, P extends z.ZodType, L extends z.ZodType>(
  base: string,
  spec: EntitySpec,
  schemas: CrudSchemas<C, P, L>,
) {
  const repo = new Repo(spec);
  const tag = spec.label;
  const full = `/api/v1${base}`;
  doc(
    { method: 'get', path: full, summary: `List ${spec.table}`, tag, query: schemas.list },
    { method: 'post', path: full, summary: `Create a ${spec.entity}`, tag, body: schemas.create, response: schemas.item, status: 201 },
    { method: 'get', path: `${full}/:id`, summary: `Read a ${spec.entity}`, tag, response: schemas.item },
    {
      method: 'patch',
      path: `${full}/:id`,
      summary: `Update a ${spec.entity}`,
      tag,
      body: schemas.patch,
      response: schemas.item,
      ifMatch: true,
    },
    {
      method: 'delete',
      path: `${full}/:id`,
      summary: `Delete a ${spec.entity} (undo with restore)`,
      tag,
      ifMatch: true,
      status: 204,
      ...(spec.deleteRoles ? { roles: spec.deleteRoles } : {}),
    },
    {
      method: 'post',
      path: `${full}/:id/restore`,
      summary: `Restore a deleted ${spec.entity}`,
      tag,
      response: schemas.item,
      ifMatch: true,
    },
  );
  const refFields = Object.keys(spec.fields).filter((f) => REFERENCES[f]);
  // A create writes in one commit() batch, so its Idempotency-Key needs no separate claim.
  atomicIdempotent(full);

  return new Hono<AppEnv>()
    .get('/', query(schemas.list), async (c) => {
      const q = c.req.valid('query') as Record<string, unknown> & {
        limit: number;
        cursor?: string;
        updatedSince?: string;
        owner?: string;
        q?: string;
      };
      return c.json(await listRecords(c.env.DB, repo, c.get('principal'), q));
    })
    .post('/', jsonBody(schemas.create), async (c) => {
      const p = c.get('principal');
      const { overrideReason: givenReason, ...input } = c.req.valid('json') as Record<string, unknown>;
      const db = c.env.DB;
      const findExisting = externalLookup(spec, input);
      const answerExisting = async () => {
        const existing = findExisting && (await findExisting(db, p.orgId));
        if (!existing) return null;
        const rec = repo.toRecord(existing);
        c.header('etag', etag(rec.version));
        return c.json(rec, 200);
      };
      const found = await answerExisting();
      if (found) return found;
      const now = nowIso();
      const rec: Rec = { id: newId(), version: 1, createdAt: now, updatedAt: now };
      for (const f of Object.keys(spec.fields)) rec[f] = input[f] ?? null;
      if (spec.ownerField && !input[spec.ownerField]) rec[spec.ownerField] = p.userId;
      spec.normalize?.(rec, null, p);
      assertAccess(p, spec.entity, null, rec);
      await checkReferences(db, p.orgId, rec, refFields, p.userId);
      const guard: Guard = { sql: '1', params: [] };
      const overrideReason = overrideReasonOf(c, { overrideReason: givenReason });
      const ruled = (await spec.beforeWrite?.(db, null, rec, p, { overrideReason, guard })) ?? [];
      const stmts = [
        ...repo.insertStatements(db, p, rec, now),
        ...(spec.onWrite?.(db, null, rec, p, guard) ?? []),
        ...ruled,
        auditStatement(db, p, 'create', spec.entity, rec.id),
      ];
      const location = `${full}/${rec.id}`;
      try {
        await commit(c, stmts, 201, rec, { etag: etag(1), location });
      } catch (err) {
        // A concurrent create with the same external id got there first: answer theirs.
        const theirs = isExternalConflict(spec, err) ? await answerExisting() : null;
        if (theirs) return theirs;
        throw err;
      }
      c.header('etag', etag(1));
      c.header('location', location);
      return c.json(rec, 201);
    })
    .get('/:id', async (c) => {
      const rec = await repo.get(c.env.DB, c.get('principal').orgId, c.req.param('id'));
      if (!rec) throw notFound(spec.label);
      c.header('etag', etag(rec.version));
      return c.json(rec);
    })
    .patch('/:id', jsonBody(schemas.patch), async (c) => {
      const p = c.get('principal');
      const expected = requireIfMatch(c);
      const { overrideReason: _reason, ...patch } = c.req.valid('json') as Record<string, unknown>;
      const overrideReason = overrideReasonOf(c, { overrideReason: _reason });
      const rec = await updateRecord(
        c.env.DB,
        repo,
        p,
        c.req.param('id'),
        expected,
        (before) => {
          const next: Record<string, unknown> = { ...before };
          for (const [k, v] of Object.entries(patch)) if (v !== undefined) next[k] = v;
          return next;
        },
        undefined,
        { overrideReason },
      ).catch((err: unknown) => {
        if (!isExternalConflict(spec, err)) throw err;
        const field = spec.externalField!;
        throw new AppError('conflict', `Another ${spec.entity} already has this ${field}; nothing was changed.`, {
          errors: [{ path: `/${field}`, code: 'duplicate', message: `already used by another ${spec.entity}` }],
        });
      });
      c.header('etag', etag(rec.version));
      return c.json(rec);
    })
    .delete('/:id', async (c) => {
      const p = c.get('principal');
      if (spec.deleteRoles && !spec.deleteRoles.includes(p.role))
        throw new AppError('forbidden', `Deleting a ${spec.entity} needs the ${spec.deleteRoles.join(' or ')} role.`);
      const expected = requireIfMatch(c);
      await setDeleted(c.env.DB, repo, p, c.req.param('id'), expected, true);
      return c.body(null, 204);
    })
    .post('/:id/restore', async (c) => {
      const p = c.get('principal');
      const expected = requireIfMatch(c);
      const rec = await setDeleted(c.env.DB, repo, p, c.req.param('id'), expected, false);
      c.header('etag', etag(rec.version));
      return c.json(rec);
    });
}

/** A versioned update: the change applies only if nobody changed the row since `expected`. */
export async function updateRecord(
  db: D1Database,
  repo: Repo,
  p: Principal,
  id: string,
  expected: number,
  apply: (before: Rec) => Record<string, unknown>,
  extra: (guard: Guard, after: Rec) => D1PreparedStatement[] = () => [],
  ctx: { overrideReason?: string | null } = {},
): Promise<Rec> {
  const spec = repo.spec;
  const before = await repo.get(db, p.orgId, id);
  if (!before) throw notFound(spec.label);
  // Whether the user may change it at all comes before whether their copy is current.
  assertAccess(p, spec.entity, before, null);
  if (before.version !== expected)
    throw new AppError(
      'precondition_failed',
      `Someone changed this ${spec.entity} since you read it (you have version ${expected}, it is now ${before.version}). Review their change and try again.`,
      {
        current: before,
        headers: { etag: etag(before.version) },
      },
    );
  const next = apply(before) as Rec;
  spec.normalize?.(next, before, p);
  assertAccess(p, spec.entity, before, next);
  const changedRefs = Object.keys(spec.fields).filter((f) => REFERENCES[f] && next[f] !== before[f]);
  await checkReferences(db, p.orgId, next, changedRefs, p.userId);
  const now = nowIso();
  const after: Rec = { ...next, id, version: expected + 1, updatedAt: now, createdAt: before.createdAt };
  const guard: Guard = {
    sql: `EXISTS (SELECT 1 FROM ${spec.table} WHERE id = ?1 AND version = ?2 AND updated_at = ?3)`,
    params: [id, expected + 1, now],
  };
  const ruled = (await spec.beforeWrite?.(db, before, after, p, { overrideReason: ctx.overrideReason ?? null, guard })) ?? [];
  // Only the columns that change are set: SQLite rewrites every index that names a column in the
  // SET list, changed or not, and D1 counts each of those index writes as a row written. The
  // version in the WHERE clause guarantees the other columns still hold what `before` read.
  const derived = spec.derive(after);
  const derivedBefore = spec.derive(before);
  const sets: string[] = [];
  const vals: unknown[] = [];
  for (const [f, col, t] of repo.columns) {
    const v = toDb(t, after[f]);
    if (v === toDb(t, before[f])) continue;
    sets.push(`${col} = ?${vals.length + 5}`);
    vals.push(v);
  }
  for (const [col, v] of Object.entries(derived)) {
    if ((v ?? null) === (derivedBefore[col] ?? null)) continue;
    sets.push(`${col} = ?${vals.length + 5}`);
    vals.push(v ?? null);
  }
  const update = db
    .prepare(
      `UPDATE ${spec.table} SET ${[...sets, 'version = version + 1', 'updated_at = ?4'].join(', ')} WHERE org_id = ?1 AND id = ?2 AND version = ?3 AND deleted_at IS NULL`,
    )
    .bind(p.orgId, id, expected, now, ...vals);
  const g9 = { sql: guard.sql.replace(/\?(\d)/g, (_, n: string) => `?${Number(n) + 8}`), params: guard.params };
  const changes = Object.fromEntries(
    Object.keys(spec.fields)
      .filter((f) => JSON.stringify(after[f]) !== JSON.stringify(before[f]))
      .map((f) => [f, after[f]]),
  );
  const results = await db.batch([
    update,
    ...repo.keyStatements(db, p.orgId, after, guard),
    ...(spec.onWrite?.(db, before, after, p, guard) ?? []),
    ...extra(guard, after),
    ...ruled,
    auditStatement(db, p, 'update', spec.entity, id, { changes }, g9),
  ]);
  // D1 counts rows changed by triggers too, so "nothing changed" is the only failure.
  if (results[0]!.meta.changes === 0) {
    const current = await repo.get(db, p.orgId, id);
    if (!current) throw notFound(spec.label);
    throw new AppError(
      'precondition_failed',
      `Someone changed this ${spec.entity} while you were saving. Review their change and try again.`,
      {
        current,
        headers: { etag: etag(current.version) },
      },
    );
  }
  return after;
}

async function setDeleted(db: D1Database, repo: Repo, p: Principal, id: string, expected: number, deleted: boolean): Promise<Rec> {
  const spec = repo.spec;
  const row = await db
    .prepare(`SELECT * FROM ${spec.table} WHERE org_id = ?1 AND id = ?2`)
    .bind(p.orgId, id)
    .first<Record<string, unknown>>();
  if (!row || (deleted && row.deleted_at)) throw notFound(spec.label);
  const before = repo.toRecord(row);
  assertAccess(p, spec.entity, before, null);
  if (!deleted && !row.deleted_at) return before;
  if (before.version !== expected)
    throw new AppError('precondition_failed', `This ${spec.entity} changed since you read it.`, {
      current: before,
      headers: { etag: etag(before.version) },
    });
  const now = nowIso();
  const guard: Guard = {
    sql: `EXISTS (SELECT 1 FROM ${spec.table} WHERE id = ?1 AND version = ?2 AND updated_at = ?3)`,
    params: [id, expected + 1, now],
  };
  const results = await db.batch([
    db
      .prepare(
        `UPDATE ${spec.table} SET deleted_at = ?4, version = version + 1, updated_at = ?5 WHERE org_id = ?1 AND id = ?2 AND version = ?3`,
      )
      .bind(p.orgId, id, expected, deleted ? now : null, now),
    ...(deleted
      ? [db.prepare(`DELETE FROM identity_keys WHERE org_id = ?1 AND entity = ?2 AND entity_id = ?3`).bind(p.orgId, spec.entity, id)]
      : repo.keyStatements(db, p.orgId, before, guard)),
    auditStatement(db, p, deleted ? 'delete' : 'update', spec.entity, id, deleted ? undefined : { restored: true }, {
      sql: guard.sql.replace(/\?(\d)/g, (_, n: string) => `?${Number(n) + 8}`),
      params: guard.params,
    }),
  ]);
  // D1 counts rows changed by triggers too, so "nothing changed" is the only failure.
  if (results[0]!.meta.changes === 0) throw new AppError('precondition_failed', `This ${spec.entity} changed while you were saving.`);
  return { ...before, version: expected + 1, updatedAt: now, deletedAt: deleted ? now : undefined } as Rec;
}

/**
 * How to find the record holding the input's external id (with the fields it is unique with),
 * when the input carries them all.
 */
function externalLookup(spec: EntitySpec, input: Record<string, unknown>) {
  if (!spec.externalField) return null;
  const fields = [...(spec.externalScope ?? []), spec.externalField];
  const values = fields.map((f) => input[f]);
  if (!values.every((v) => typeof v === 'string')) return null;
  const where = fields.map((f, i) => `${snake(f)} = ?${i + 2}`).join(' AND ');
  return (db: D1Database, orgId: string) =>
    db
      .prepare(`SELECT * FROM ${spec.table} WHERE org_id = ?1 AND ${where}`)
      .bind(orgId, ...values)
      .first<Record<string, unknown>>();
}

/** Whether a failed write collided with another record's external id (its unique index). */
function isExternalConflict(spec: EntitySpec, err: unknown): boolean {
  return (
    !!spec.externalField &&
    err instanceof Error &&
    /UNIQUE constraint failed/.test(err.message) &&
    err.message.includes(`${spec.table}.${snake(spec.externalField)}`)
  );
}

/** Lists with cursor pagination. Newest first by id; with updatedSince, oldest change first (for sync, tombstones included). */
export async function listRecords(
  db: D1Database,
  repo: Repo,
  p: Principal,
  q: Record<string, unknown> & { limit: number; cursor?: string; updatedSince?: string; owner?: string; q?: string },
): Promise<{ items: Rec[]; nextCursor: string | null }> {
  const spec = repo.spec;
  const where = ['org_id = ?1'];
  const params: unknown[] = [p.orgId];
  const add = (sql: string, v: unknown) => {
    params.push(v);
    where.push(sql.replace('?', `?${params.length}`));
  };
  const sync = q.updatedSince !== undefined;
  if (!sync) where.push('deleted_at IS NULL');
  for (const [key, col] of Object.entries(spec.filters)) {
    const v = q[key];
    if (v === undefined) continue;
    if (typeof col === 'function') where.push(col(String(v)));
    else if (key === 'owner') add(`${col} = ?`, v === 'me' ? p.userId : v);
    else if (v === 'true' || v === 'false') add(`${col} = ?`, v === 'true' ? 1 : 0);
    else add(`${col} = ?`, v);
  }
  if (q.q) {
    params.push(`%${nameKey(q.q).replace(/[%_]/g, '')}%`);
    const keyParam = params.length;
    const extra = spec.searchColumns ?? [];
    if (extra.length) params.push(`%${q.q.toLowerCase().replace(/[%_]/g, '')}%`);
    const rawParam = params.length;
    where.push(`(name_key LIKE ?${keyParam}${extra.map((col) => ` OR ${col} LIKE ?${rawParam}`).join('')})`);
  }
  if (sync) add('updated_at > ?', q.updatedSince);
  const by = spec.listOrder;
  if (q.cursor) {
    if (sync) {
      const [u, id] = decodeCursor(q.cursor, 2);
      params.push(u, id);
      where.push(`(updated_at > ?${params.length - 1} OR (updated_at = ?${params.length - 1} AND id > ?${params.length}))`);
    } else if (by) {
      const [v, id] = decodeCursor(q.cursor, 2);
      params.push(v, id);
      where.push(`(${by}, id) < (?${params.length - 1}, ?${params.length})`);
    } else {
      const [id] = decodeCursor(q.cursor, 1);
      add('id < ?', id);
    }
  }
  const order = sync ? 'updated_at ASC, id ASC' : by ? `${by} DESC, id DESC` : 'id DESC';
  const sql = `SELECT * FROM ${spec.table} WHERE ${where.join(' AND ')} ORDER BY ${order} LIMIT ${q.limit + 1}`;
  const { results } = await db
    .prepare(sql)
    .bind(...params)
    .all<Record<string, unknown>>();
  const items = results.slice(0, q.limit).map((r) => repo.toRecord(r));
  const last = items[items.length - 1];
  const lastRow = results[q.limit - 1];
  const nextCursor =
    results.length > q.limit && last
      ? encodeCursor(sync ? [last.updatedAt as string, last.id] : by ? [lastRow![by] as number, last.id] : [last.id])
      : null;
  return { items, nextCursor };
}

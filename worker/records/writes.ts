import { auditStatement } from '../lib/audit';
import type { Principal } from '../http/env';
import { AppError, notFound, type FieldError } from '../http/errors';
import { newId, nowIso } from '../lib/ids';
import { etag } from '../http/versioning';
import { assertAccess } from '../rules/access';
import { shiftGuard, versionGuard, type Guard } from './guard';
import { deleteKeysStatement } from './identity-keys';
import type { Repo } from './repository';
import { REFERENCES, snake, toDb, type EntitySpec, type Rec } from './spec';

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

/** The reference fields a client writes on this entity. */
export const referenceFields = (spec: EntitySpec) => Object.keys(spec.fields).filter((f) => REFERENCES[f]);

/**
 * A new record from a create's input, checked (access, references, business rules), and the
 * statements that write it; the caller commits them.
 */
export async function createStatements(
  db: D1Database,
  repo: Repo,
  p: Principal,
  input: Record<string, unknown>,
  overrideReason: string | null,
): Promise<{ rec: Rec; stmts: D1PreparedStatement[] }> {
  const spec = repo.spec;
  const now = nowIso();
  const rec: Rec = { id: newId(), version: 1, createdAt: now, updatedAt: now };
  for (const f of Object.keys(spec.fields)) rec[f] = input[f] ?? null;
  if (spec.ownerField && !input[spec.ownerField]) rec[spec.ownerField] = p.userId;
  spec.normalize?.(rec, null, p);
  assertAccess(p, spec.entity, null, rec);
  await checkReferences(db, p.orgId, rec, referenceFields(spec), p.userId);
  const guard: Guard = { sql: '1', params: [] };
  const ruled = (await spec.beforeWrite?.(db, null, rec, p, { overrideReason, guard })) ?? [];
  const stmts = [
    ...repo.insertStatements(db, p, rec, now),
    ...(spec.onWrite?.(db, null, rec, p, guard) ?? []),
    ...ruled,
    auditStatement(db, p, 'create', spec.entity, rec.id),
  ];
  return { rec, stmts };
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
  const changedRefs = referenceFields(spec).filter((f) => next[f] !== before[f]);
  await checkReferences(db, p.orgId, next, changedRefs, p.userId);
  const now = nowIso();
  const after: Rec = { ...next, id, version: expected + 1, updatedAt: now, createdAt: before.createdAt };
  const guard = versionGuard(spec.table, id, expected + 1, now);
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
    // auditStatement binds 8 parameters of its own.
    auditStatement(db, p, 'update', spec.entity, id, { changes }, shiftGuard(guard, 8)),
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

/** A versioned soft delete (`deleted`) or restore; a restore of a live record answers it as is. */
export async function setDeleted(db: D1Database, repo: Repo, p: Principal, id: string, expected: number, deleted: boolean): Promise<Rec> {
  const spec = repo.spec;
  const row = await repo.getRow(db, p.orgId, id);
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
  const guard = versionGuard(spec.table, id, expected + 1, now);
  const results = await db.batch([
    db
      .prepare(
        `UPDATE ${spec.table} SET deleted_at = ?4, version = version + 1, updated_at = ?5 WHERE org_id = ?1 AND id = ?2 AND version = ?3`,
      )
      .bind(p.orgId, id, expected, deleted ? now : null, now),
    ...(deleted ? [deleteKeysStatement(db, p.orgId, spec.entity, id)] : repo.keyStatements(db, p.orgId, before, guard)),
    auditStatement(db, p, deleted ? 'delete' : 'update', spec.entity, id, deleted ? undefined : { restored: true }, shiftGuard(guard, 8)),
  ]);
  // D1 counts rows changed by triggers too, so "nothing changed" is the only failure.
  if (results[0]!.meta.changes === 0) throw new AppError('precondition_failed', `This ${spec.entity} changed while you were saving.`);
  return { ...before, version: expected + 1, updatedAt: now, deletedAt: deleted ? now : undefined } as Rec;
}

/**
 * How to find the record holding the input's external id (with the fields it is unique with),
 * when the input carries them all.
 */
export function externalLookup(repo: Repo, input: Record<string, unknown>) {
  const spec = repo.spec;
  if (!spec.externalField) return null;
  const fields = [...(spec.externalScope ?? []), spec.externalField];
  const values = fields.map((f) => input[f]);
  if (!values.every((v) => typeof v === 'string')) return null;
  return (db: D1Database, orgId: string) => repo.findBy(db, orgId, fields.map(snake), values);
}

/** Whether a failed write collided with another record's external id (its unique index). */
export function isExternalConflict(spec: EntitySpec, err: unknown): boolean {
  return (
    !!spec.externalField &&
    err instanceof Error &&
    /UNIQUE constraint failed/.test(err.message) &&
    err.message.includes(`${spec.table}.${snake(spec.externalField)}`)
  );
}

import type { Principal } from '../http/env';
import type { Guard } from './guard';
import { dedupeKeys, deleteKeysStatement, deleteManyKeysStatement, insertKeysStatement, type KeyRow } from './identity-keys';
import { fromDb, snake, toDb, type ColType, type EntitySpec, type Rec } from './spec';

/*
 * The rows of the JSON array bound to ?1 as `r(v)`, each parsed once. `value ->> i` straight on
 * json_each renders the row as text and parses it again for every column; for the wide rows of
 * a bulk insert that was half the statement's time (measured in workerd: 1,000 rows x 16 columns
 * 18-22 ms -> 14.6 ms a batch). Narrow rows (3-4 columns) gain nothing and keep json_each.
 */
const EACH_ROW_ONCE = 'WITH r AS MATERIALIZED (SELECT jsonb(value) AS v FROM json_each(?1))';

/** One entity's table: its rows read as records, and the statements that write them (the caller batches). */
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

  /** The row as stored, deleted or not. */
  getRow(db: D1Database, orgId: string, id: string): Promise<Record<string, unknown> | null> {
    return db.prepare(`SELECT * FROM ${this.spec.table} WHERE org_id = ?1 AND id = ?2`).bind(orgId, id).first<Record<string, unknown>>();
  }

  /** The record holding these values in these columns (an external id and its scope), deleted or not. */
  findBy(db: D1Database, orgId: string, columns: string[], values: unknown[]): Promise<Record<string, unknown> | null> {
    const where = columns.map((col, i) => `${col} = ?${i + 2}`).join(' AND ');
    return db
      .prepare(`SELECT * FROM ${this.spec.table} WHERE org_id = ?1 AND ${where}`)
      .bind(orgId, ...values)
      .first<Record<string, unknown>>();
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

  /** The stored row of each record (API fields, then derived columns) and their identity keys. */
  private rowsOf(p: Principal, recs: Rec[], now: string, version: (r: Rec) => unknown, createdAt: (r: Rec) => unknown) {
    const derivedCols = Object.keys(this.spec.derive(recs[0]!));
    const cols = ['id', 'org_id', 'version', 'created_at', 'updated_at', ...this.columns.map((c) => c[1]), ...derivedCols];
    const keys: KeyRow[] = [];
    const data = recs.map((rec) => {
      const derived = this.spec.derive(rec);
      keys.push(...this.keysOf(rec, derived));
      return [
        rec.id,
        p.orgId,
        version(rec),
        createdAt(rec),
        now,
        ...this.columns.map(([f, , t]) => toDb(t, rec[f])),
        ...derivedCols.map((c) => derived[c] ?? null),
      ];
    });
    return { cols, derivedCols, data, keys };
  }

  /**
   * Many new records in two statements: the rows as one JSON parameter read by json_each (within
   * D1's 100-parameter limit and far faster than one INSERT per row), and their identity keys.
   */
  bulkInsertStatements(db: D1Database, p: Principal, recs: Rec[], now: string): D1PreparedStatement[] {
    if (!recs.length) return [];
    const { cols, data, keys } = this.rowsOf(
      p,
      recs,
      now,
      () => 1,
      (rec) => (rec.createdAt as string) ?? now,
    );
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
    if (keys.length) stmts.push(insertKeysStatement(db, p.orgId, this.spec.entity, keys));
    return stmts;
  }

  /**
   * Versioned updates of many records in one statement: an upsert of the full rows read by
   * json_each (the planner walks the JSON and looks each id up, where UPDATE ... FROM would scan
   * the table). A row whose version moved since it was read is left alone, never overwritten.
   */
  bulkUpdateStatements(db: D1Database, p: Principal, recs: Rec[], now: string): D1PreparedStatement[] {
    if (!recs.length) return [];
    const { cols, data, keys } = this.rowsOf(
      p,
      recs,
      now,
      (rec) => rec.version,
      (rec) => rec.createdAt,
    );
    const dataCols = cols.slice(5);
    const t = this.spec.table;
    return [
      db
        .prepare(
          `${EACH_ROW_ONCE} INSERT INTO ${t} (${cols.join(', ')}) SELECT ${cols.map((_, i) => `v ->> ${i}`).join(', ')} FROM r WHERE true
           ON CONFLICT (id) DO UPDATE SET ${dataCols.map((c) => `${c} = excluded.${c}`).join(', ')}, version = excluded.version, updated_at = excluded.updated_at
           WHERE ${t}.org_id = excluded.org_id AND ${t}.version = excluded.version - 1 AND ${t}.deleted_at IS NULL`,
        )
        .bind(JSON.stringify(data)),
      deleteManyKeysStatement(
        db,
        p.orgId,
        this.spec.entity,
        recs.map((r) => r.id),
      ),
      ...(keys.length ? [insertKeysStatement(db, p.orgId, this.spec.entity, keys)] : []),
    ];
  }

  /** Replaces the record's identity keys; with a guard, only if the guard holds. */
  keyStatements(db: D1Database, orgId: string, rec: Rec, guard: Guard | null): D1PreparedStatement[] {
    if (!this.spec.keys) return [];
    const keys = this.keysOf(rec, this.spec.derive(rec));
    const stmts = [deleteKeysStatement(db, orgId, this.spec.entity, rec.id, guard)];
    if (keys.length) stmts.push(insertKeysStatement(db, orgId, this.spec.entity, keys, guard));
    return stmts;
  }

  private keysOf(rec: Rec, derived: Record<string, unknown>): KeyRow[] {
    if (!this.spec.keys) return [];
    return dedupeKeys(this.spec.keys(rec, derived)).map((k) => [k.kind, k.value, rec.id]);
  }
}

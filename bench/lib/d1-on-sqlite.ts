/**
 * A D1Database over better-sqlite3, so the benchmark can run the Worker's own report code on the
 * same data in-process: the baseline the Worker's figure is divided by.
 */
import Database from 'better-sqlite3';

type Row = Record<string, unknown>;

class Stmt {
  private params: Record<string, unknown> = {};
  private sql: string;
  constructor(
    private db: Database.Database,
    sql: string,
  ) {
    // better-sqlite3 cannot bind numbered parameters with gaps (?1 and ?3 without ?2): name them.
    this.sql = sql.replace(/\?(\d+)/g, '@p$1');
  }
  bind(...values: unknown[]) {
    const s = new Stmt(this.db, this.sql);
    const used = new Set([...this.sql.matchAll(/@p(\d+)/g)].map((m) => Number(m[1])));
    values.forEach((v, i) => {
      if (used.has(i + 1)) s.params[`p${i + 1}`] = v;
    });
    return s;
  }
  async all<T = Row>() {
    const st = this.db.prepare(this.sql);
    const results = st.reader ? (st.all(this.params) as T[]) : (st.run(this.params), [] as T[]);
    return { results, success: true, meta: { rows_read: 0 } };
  }
  async first<T = Row>() {
    return ((await this.all<T>()).results[0] ?? null) as T | null;
  }
  async run() {
    const info = this.db.prepare(this.sql).run(this.params);
    return { results: [], success: true, meta: { changes: info.changes } };
  }
  /** Runs inside a batch's transaction. */
  exec() {
    let st: Database.Statement;
    try {
      st = this.db.prepare(this.sql);
    } catch (err) {
      throw new Error(`${(err as Error).message} in: ${this.sql.slice(0, 120)}`);
    }
    return st.reader
      ? { results: st.all(this.params), success: true, meta: {} }
      : (st.run(this.params), { results: [], success: true, meta: {} });
  }
}

/** `db` is typed `never` here: the Node projects do not load the Workers types; it is a D1Database. */
export function d1OnSqlite(file: string): { db: never; close(): void } {
  const sqlite = new Database(file, { readonly: false });
  const db = {
    prepare: (sql: string) => new Stmt(sqlite, sql),
    batch: async (stmts: Stmt[]) => sqlite.transaction(() => stmts.map((s) => s.exec()))(),
  } as never;
  return { db, close: () => sqlite.close() };
}

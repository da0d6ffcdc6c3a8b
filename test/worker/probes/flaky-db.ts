/**
 * A D1 handle that fails like D1 does on a bad day: the first `failures` executions (statement
 * first/all/run/raw and batch) throw `message`, after `after` successful ones; then it behaves.
 * Failing at execution, not at prepare(), is what D1 does: statements are prepared locally.
 */
export interface FlakyOptions {
  failures: number;
  message?: string;
  /** Executions to let through before failing. */
  after?: number;
  /** Only fail batches and run() (writes), letting reads through. */
  writesOnly?: boolean;
}

export function flakyDb<T extends object>(db: T, opts: FlakyOptions): { db: T; injected: () => number; executions: () => number } {
  let injected = 0;
  let executions = 0;
  const message = opts.message ?? 'D1_ERROR: Network connection lost.';
  const gate = (write: boolean) => {
    executions++;
    if (opts.writesOnly && !write) return;
    if (executions > (opts.after ?? 0) && injected < opts.failures) {
      injected++;
      throw new Error(message);
    }
  };
  const wrapStmt = (stmt: any): any =>
    new Proxy(stmt, {
      get(target, prop) {
        if (prop === '__raw') return target;
        if (prop === 'bind') return (...a: unknown[]) => wrapStmt(target.bind(...a));
        if (prop === 'first' || prop === 'all' || prop === 'raw' || prop === 'run')
          return async (...a: unknown[]) => {
            gate(prop === 'run');
            return target[prop](...a);
          };
        const v = Reflect.get(target, prop, target);
        return typeof v === 'function' ? v.bind(target) : v;
      },
    });
  const proxy = new Proxy(db as any, {
    get(target, prop) {
      if (prop === 'prepare') return (sql: string) => wrapStmt(target.prepare(sql));
      if (prop === 'batch')
        return async (stmts: any[]) => {
          gate(true);
          return target.batch(stmts.map((s) => s.__raw ?? s));
        };
      const v = Reflect.get(target, prop, target);
      return typeof v === 'function' ? v.bind(target) : v;
    },
  });
  return { db: proxy as T, injected: () => injected, executions: () => executions };
}

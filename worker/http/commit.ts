import type { Context } from 'hono';
import type { AppEnv } from './env';
import { idempotencyStatements, isKeyConflict, KeyTaken } from './idempotency';

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

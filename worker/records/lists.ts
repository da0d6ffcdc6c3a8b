import { nameKey } from '../../shared/identity';
import { decodeCursor, encodeCursor } from '../http/cursor';
import type { Principal } from '../http/env';
import type { Repo } from './repository';
import type { Rec } from './spec';

export type ListQuery = Record<string, unknown> & { limit: number; cursor?: string; updatedSince?: string; owner?: string; q?: string };

/** Lists with cursor pagination. Newest first by id; with updatedSince, oldest change first (for sync, tombstones included). */
export async function listRecords(
  db: D1Database,
  repo: Repo,
  p: Principal,
  q: ListQuery,
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

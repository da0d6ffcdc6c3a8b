import type { EntityName, IdentityKey } from './spec';
import { shiftGuard, type Guard } from './guard';

/** One identity key of one record: kind, value, the record's id. */
export type KeyRow = [kind: IdentityKey['kind'], value: string, entityId: string];

/** A record has a handful of keys: comparing them pairwise beats building a set per record. */
export function dedupeKeys(keys: IdentityKey[]): IdentityKey[] {
  const out: IdentityKey[] = [];
  for (const k of keys) if (k.value && !out.some((o) => o.kind === k.kind && o.value === k.value)) out.push(k);
  return out;
}

/**
 * Adds the keys of one or many records of `entity` in one statement (the rows as one JSON
 * parameter); a key a record already has is kept. With a guard, only if the guard holds.
 */
export function insertKeysStatement(
  db: D1Database,
  orgId: string,
  entity: EntityName,
  keys: KeyRow[],
  guard: Guard | null = null,
): D1PreparedStatement {
  const g = guard ? ` WHERE ${shiftGuard(guard, 3).sql}` : '';
  return db
    .prepare(
      `INSERT OR IGNORE INTO identity_keys (org_id, kind, value, entity, entity_id) SELECT ?1, value ->> 0, value ->> 1, ?2, value ->> 2 FROM json_each(?3)${g}`,
    )
    .bind(orgId, entity, JSON.stringify(keys), ...(guard?.params ?? []));
}

/** Drops every key of one record; with a guard, only if the guard holds. */
export function deleteKeysStatement(
  db: D1Database,
  orgId: string,
  entity: EntityName,
  entityId: string,
  guard: Guard | null = null,
): D1PreparedStatement {
  const g = guard ? ` AND ${shiftGuard(guard, 3).sql}` : '';
  return db
    .prepare(`DELETE FROM identity_keys WHERE org_id = ?1 AND entity = ?2 AND entity_id = ?3${g}`)
    .bind(orgId, entity, entityId, ...(guard?.params ?? []));
}

/** Drops every key of many records of `entity` (their ids as one JSON parameter). */
export function deleteManyKeysStatement(db: D1Database, orgId: string, entity: EntityName, ids: string[]): D1PreparedStatement {
  return db
    .prepare(`DELETE FROM identity_keys WHERE org_id = ?1 AND entity = ?2 AND entity_id IN (SELECT value FROM json_each(?3))`)
    .bind(orgId, entity, JSON.stringify(ids));
}

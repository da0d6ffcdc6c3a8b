// Records of an organisation by identity key (email, phone, EIK, VAT, name key), many keys in one query.

export type Key = [kind: string, value: string];

/** `kind:value` -> the first entity id with that key, for the keys that exist. */
export async function lookupKeys(db: D1Database, orgId: string, entity: string, keys: Key[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  if (!keys.length) return out;
  const { results } = await db
    .prepare(
      `SELECT ik.kind, ik.value, ik.entity_id FROM json_each(?3) j
         CROSS JOIN identity_keys ik ON ik.org_id = ?1 AND ik.entity = ?2 AND ik.kind = j.value ->> 0 AND ik.value = j.value ->> 1`,
    )
    .bind(orgId, entity, JSON.stringify(keys))
    .all<{ kind: string; value: string; entity_id: string }>();
  for (const r of results) if (!out.has(`${r.kind}:${r.value}`)) out.set(`${r.kind}:${r.value}`, r.entity_id);
  return out;
}

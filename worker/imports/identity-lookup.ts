// Records of an organisation by identity key (email, phone, EIK, VAT, name key), many keys in one query.

export type Key = [kind: string, value: string];

/** `kind:value` -> the first entity id with that key, for the keys that exist. */
export async function lookupKeys(db: D1Database, orgId: string, entity: string, keys: Key[]): Promise<Map<string, string>> {
  if (!keys.length) return new Map();
  if (entity === 'lead') return firstByKey(await leadHits(db, orgId, keys));
  const { results } = await db
    .prepare(
      `SELECT ik.kind, ik.value, ik.entity_id FROM json_each(?3) j
         CROSS JOIN identity_keys ik ON ik.org_id = ?1 AND ik.entity = ?2 AND ik.kind = j.value ->> 0 AND ik.value = j.value ->> 1`,
    )
    .bind(orgId, entity, JSON.stringify(keys))
    .all<Hit>();
  return firstByKey(results);
}

interface Hit {
  kind: string;
  value: string;
  entity_id: string;
}

function firstByKey(hits: Hit[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const r of hits) if (!out.has(`${r.kind}:${r.value}`)) out.set(`${r.kind}:${r.value}`, r.entity_id);
  return out;
}

/** A lead's keys live in its own columns, each under a partial index of the live leads. */
export const LEAD_KEY_COLUMNS = { email: 'email_norm', phone: 'phone_e164', name: 'person_key' } as const;
type LeadKeyKind = keyof typeof LEAD_KEY_COLUMNS;

/**
 * SQL for the leads holding any of the keys, as rows (kind, value, entity_id) in id order: for each
 * kind, the values bound as a JSON array to ?2, ?3, ?4 (email, phone, name) and one probe of its
 * index a value. Left to itself the planner walks the organisation's leads instead.
 */
export const LEAD_KEY_HITS = (Object.entries(LEAD_KEY_COLUMNS) as [LeadKeyKind, string][])
  .map(
    ([kind, col], i) =>
      `SELECT '${kind}' AS kind, l.${col} AS value, l.id AS entity_id FROM json_each(?${i + 2}) j
         CROSS JOIN leads l ON l.org_id = ?1 AND l.${col} = j.value AND l.deleted_at IS NULL`,
  )
  .join(' UNION ALL ');

/** The JSON arrays LEAD_KEY_HITS takes as ?2, ?3 and ?4, from keys of any kind (others ignored). */
export function leadKeyParams(keys: Key[]): [string, string, string] {
  const of = (kind: LeadKeyKind) => JSON.stringify(keys.filter((k) => k[0] === kind).map((k) => k[1]));
  return [of('email'), of('phone'), of('name')];
}

async function leadHits(db: D1Database, orgId: string, keys: Key[]): Promise<Hit[]> {
  const { results } = await db
    .prepare(`${LEAD_KEY_HITS} ORDER BY entity_id`)
    .bind(orgId, ...leadKeyParams(keys))
    .all<Hit>();
  return results;
}

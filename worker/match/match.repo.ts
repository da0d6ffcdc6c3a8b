import type { MatchKind } from '../../shared/schemas';
import { LEAD_KEY_HITS, leadKeyParams } from '../imports/identity-lookup';

export interface Hit {
  entity: 'company' | 'contact' | 'lead';
  entity_id: string;
  kind: MatchKind;
}

/** The identity keys (?2, a JSON array of [kind, value]) of organisation ?1 that hold one of the query's keys. */
const KEYED = `json_each(?2) j CROSS JOIN identity_keys ik ON ik.org_id = ?1 AND ik.kind = j.value ->> 0 AND ik.value = j.value ->> 1`;

/**
 * The match's reads. Companies and contacts are found through identity_keys, leads through their
 * own indexed email, phone and name columns (?2-?4, see LEAD_KEY_HITS). Every record is fetched
 * by its id: a company is wanted for its own keys or for a matched contact's, and an OR of the
 * two made SQLite walk all of the organisation's companies and contacts instead.
 */
export const MATCH_SQL = {
  hits: `SELECT ik.entity, ik.entity_id, ik.kind FROM ${KEYED} LIMIT 500`,
  contacts: `SELECT * FROM contacts WHERE org_id = ?1 AND deleted_at IS NULL
               AND id IN (SELECT ik.entity_id FROM ${KEYED} AND ik.entity = 'contact' LIMIT 500)`,
  leads: `SELECT * FROM leads WHERE org_id = ?1 AND deleted_at IS NULL AND id IN (SELECT entity_id FROM (${LEAD_KEY_HITS})) LIMIT 500`,
  companies: `SELECT * FROM companies WHERE org_id = ?1 AND deleted_at IS NULL AND id IN (
                SELECT * FROM (SELECT ik.entity_id FROM ${KEYED} AND ik.entity = 'company' LIMIT 500)
                UNION ALL
                SELECT * FROM (SELECT c.company_id FROM ${KEYED} AND ik.entity = 'contact'
                                 CROSS JOIN contacts c ON c.id = ik.entity_id AND c.org_id = ?1 LIMIT 500))`,
};

/**
 * One round trip: the hits, and every record they point at (a local D1 call costs more than the
 * few extra rows).
 */
export async function matchReads(db: D1Database, orgId: string, keys: [MatchKind, string][]) {
  const k = JSON.stringify(keys);
  const [hitRows, cRows, lRows, coRows] = await db.batch<Record<string, unknown>>([
    db.prepare(MATCH_SQL.hits).bind(orgId, k),
    db.prepare(MATCH_SQL.contacts).bind(orgId, k),
    db.prepare(MATCH_SQL.leads).bind(orgId, ...leadKeyParams(keys)),
    db.prepare(MATCH_SQL.companies).bind(orgId, k),
  ]);
  return {
    hitRows: hitRows!.results as unknown as Hit[],
    cRows: cRows!.results,
    lRows: lRows!.results,
    coRows: coRows!.results,
  };
}

// Records by their ID in the system a sheet came from (external_ids, migration 0015): one indexed
// probe per ID, and the statement that links the records an import creates to their IDs.
import type { SourceSystem } from '../../shared/sheet';

export type ExternalEntity = 'lead' | 'deal';

/** ID as written -> the Leadpane record it was imported as, for the IDs already known. */
export async function lookupExternalIds(
  db: D1Database,
  orgId: string,
  system: SourceSystem,
  entity: ExternalEntity,
  ids: string[],
): Promise<Map<string, string>> {
  const unique = [...new Set(ids.filter(Boolean))];
  if (!unique.length) return new Map();
  const { results } = await db
    .prepare(
      `SELECT x.external_id, x.entity_id FROM json_each(?4) j
         CROSS JOIN external_ids x ON x.org_id = ?1 AND x.system = ?2 AND x.entity = ?3 AND x.external_id = j.value`,
    )
    .bind(orgId, system, entity, JSON.stringify(unique))
    .all<{ external_id: string; entity_id: string }>();
  return new Map(results.map((r) => [r.external_id, r.entity_id]));
}

/**
 * Links new records to their IDs. A plain insert: if a concurrent import linked the same ID a moment
 * earlier, the chunk's batch fails whole and is planned again, finding that record instead of
 * making a second one.
 */
export function linkExternalIds(
  db: D1Database,
  orgId: string,
  system: SourceSystem,
  entity: ExternalEntity,
  links: Array<[externalId: string, entityId: string]>,
  importId: string,
  now: string,
): D1PreparedStatement[] {
  if (!links.length) return [];
  return [
    db
      .prepare(
        `INSERT INTO external_ids (org_id, system, entity, external_id, entity_id, import_id, created_at)
         SELECT ?1, ?2, ?3, value ->> 0, value ->> 1, ?4, ?5 FROM json_each(?6)`,
      )
      .bind(orgId, system, entity, importId, now, JSON.stringify(links)),
  ];
}

/** Whether a batch failed on an ID another import linked meanwhile. */
export function isExternalIdConflict(err: unknown): boolean {
  return err instanceof Error && /UNIQUE constraint failed: external_ids/.test(err.message);
}

/**
 * Deals by company and title, for a sheet without IDs: `${companyId}|${nameKey(title)}` -> the
 * oldest live deal with that title at that company.
 */
export async function dealsByCompanyTitle(
  db: D1Database,
  orgId: string,
  pairs: Array<[companyId: string, titleKey: string]>,
): Promise<Map<string, string>> {
  const unique = [...new Map(pairs.filter(([c, t]) => c && t).map((p) => [p.join('|'), p])).values()];
  if (!unique.length) return new Map();
  const { results } = await db
    .prepare(
      `SELECT d.company_id, d.name_key, min(d.id) AS id FROM json_each(?2) j
         CROSS JOIN deals d INDEXED BY deals_company_title
           ON d.org_id = ?1 AND d.company_id = j.value ->> 0 AND d.name_key = j.value ->> 1 AND d.deleted_at IS NULL
        GROUP BY d.company_id, d.name_key`,
    )
    .bind(orgId, JSON.stringify(unique))
    .all<{ company_id: string; name_key: string; id: string }>();
  return new Map(results.map((r) => [`${r.company_id}|${r.name_key}`, r.id]));
}

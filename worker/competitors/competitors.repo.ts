import { nameKey, normalizeDomain } from '../../shared/identity';
import type { EntitySpec } from '../records/spec';
import { Repo } from '../records/repository';
import { shiftGuard, type Guard } from '../records/guard';
import type { Principal } from '../http/env';
import { newId } from '../lib/ids';

export const competitorSpec: EntitySpec = {
  table: 'competitors',
  entity: 'competitor',
  label: 'Competitor',
  fields: { name: 'text', website: 'text', notes: 'text' },
  readOnly: { domain: 'text' },
  deleteRoles: ['head', 'admin'],
  filters: {},
  normalize(rec) {
    rec.domain = typeof rec.website === 'string' ? normalizeDomain(rec.website) : null;
  },
  derive: (r) => ({ name_key: nameKey(r.name as string) }),
};

export const competitors = new Repo(competitorSpec);

export interface DealCompetitorRow {
  id: string;
  deal_id: string;
  competitor_id: string;
  competitor_name: string;
  price_minor: number | null;
  currency: string | null;
  lost_to: number;
  notes: string | null;
  version: number;
  created_at: string;
  updated_at: string;
}

export const toDealCompetitor = (r: DealCompetitorRow) => ({
  id: r.id,
  dealId: r.deal_id,
  competitorId: r.competitor_id,
  competitorName: r.competitor_name,
  priceMinor: r.price_minor,
  currency: r.currency,
  lostTo: r.lost_to === 1,
  notes: r.notes,
  version: r.version,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

/** The competitors linked to a deal (deal_competitors_link index), with their names. */
export async function competitorsOfDeal(db: D1Database, orgId: string, dealId: string) {
  const { results } = await db
    .prepare(
      `SELECT dc.*, c.name AS competitor_name FROM deal_competitors dc
         JOIN competitors c ON c.org_id = dc.org_id AND c.id = dc.competitor_id
        WHERE dc.org_id = ?1 AND dc.deal_id = ?2 AND dc.deleted_at IS NULL
        ORDER BY dc.lost_to DESC, dc.id`,
    )
    .bind(orgId, dealId)
    .all<DealCompetitorRow>();
  return results.map(toDealCompetitor);
}

/** The live competitors of many deals (ids as a JSON array) with their names, the winner first, for a batch. */
export const dealsCompetitorsStatement = (db: D1Database, orgId: string, idsJson: string) =>
  db
    .prepare(
      `SELECT dc.deal_id, dc.competitor_id, c.name, dc.lost_to FROM deal_competitors dc
           JOIN competitors c ON c.org_id = dc.org_id AND c.id = dc.competitor_id
          WHERE dc.org_id = ?1 AND dc.deal_id IN (SELECT value FROM json_each(?2)) AND dc.deleted_at IS NULL
          ORDER BY dc.lost_to DESC, c.name`,
    )
    .bind(orgId, idsJson);

/**
 * The statements that make `competitorId` the one the deal was lost to, run only if the deal's
 * versioned update took effect (`guard`).
 */
export function lostToStatements(
  db: D1Database,
  p: Principal,
  dealId: string,
  link: { competitorId: string; priceMinor: number | null; currency: string | null; notes: string | null },
  guard: Guard,
  now: string,
): D1PreparedStatement[] {
  return [
    db
      .prepare(
        `UPDATE deal_competitors SET lost_to = 0, version = version + 1, updated_at = ?3
          WHERE org_id = ?1 AND deal_id = ?2 AND lost_to = 1 AND competitor_id != ?4 AND ${shiftGuard(guard, 4).sql}`,
      )
      .bind(p.orgId, dealId, now, link.competitorId, ...guard.params),
    db
      .prepare(
        `INSERT INTO deal_competitors (id, org_id, deal_id, competitor_id, price_minor, currency, lost_to, notes, created_at, updated_at, version)
         SELECT ?1, ?2, ?3, ?4, ?5, ?6, 1, ?7, ?8, ?8, 1 WHERE ${shiftGuard(guard, 8).sql}
         ON CONFLICT (org_id, deal_id, competitor_id) DO UPDATE SET price_minor = coalesce(excluded.price_minor, price_minor),
           currency = coalesce(excluded.currency, currency), lost_to = 1, notes = coalesce(excluded.notes, notes),
           updated_at = excluded.updated_at, version = version + 1, deleted_at = NULL`,
      )
      .bind(newId(), p.orgId, dealId, link.competitorId, link.priceMinor, link.currency, link.notes, now, ...guard.params),
  ];
}

/** The deal's link to a competitor, deleted or not. */
export function dealCompetitorLink(db: D1Database, orgId: string, dealId: string, competitorId: string) {
  return db
    .prepare('SELECT id, version, created_at, deleted_at FROM deal_competitors WHERE org_id = ?1 AND deal_id = ?2 AND competitor_id = ?3')
    .bind(orgId, dealId, competitorId)
    .first<{ id: string; version: number; created_at: string; deleted_at: string | null }>();
}

/** No competitor of the deal is the one it was lost to any more. */
export function clearLostToStatement(db: D1Database, orgId: string, dealId: string, now: string): D1PreparedStatement {
  return db
    .prepare(
      'UPDATE deal_competitors SET lost_to = 0, version = version + 1, updated_at = ?3 WHERE org_id = ?1 AND deal_id = ?2 AND lost_to = 1',
    )
    .bind(orgId, dealId, now);
}

/** Makes or replaces (and brings back) the deal's link to a competitor. */
export function putLinkStatement(
  db: D1Database,
  orgId: string,
  link: {
    id: string;
    dealId: string;
    competitorId: string;
    priceMinor: number | null;
    currency: string | null;
    lostTo: boolean;
    notes: string | null;
  },
  now: string,
): D1PreparedStatement {
  return db
    .prepare(
      `INSERT INTO deal_competitors (id, org_id, deal_id, competitor_id, price_minor, currency, lost_to, notes, created_at, updated_at, version)
           VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9, 1)
           ON CONFLICT (org_id, deal_id, competitor_id) DO UPDATE SET price_minor = excluded.price_minor, currency = excluded.currency,
             lost_to = excluded.lost_to, notes = excluded.notes, updated_at = excluded.updated_at, version = version + 1, deleted_at = NULL`,
    )
    .bind(link.id, orgId, link.dealId, link.competitorId, link.priceMinor, link.currency, link.lostTo ? 1 : 0, link.notes, now);
}

/** Deletes the deal's live link to a competitor (changes nothing when there is none). */
export function unlinkStatement(db: D1Database, orgId: string, dealId: string, competitorId: string, now: string): D1PreparedStatement {
  return db
    .prepare(
      'UPDATE deal_competitors SET deleted_at = ?4, updated_at = ?4, version = version + 1 WHERE org_id = ?1 AND deal_id = ?2 AND competitor_id = ?3 AND deleted_at IS NULL',
    )
    .bind(orgId, dealId, competitorId, now);
}

import { nameKey, normalizeDomain } from '../../shared/identity';
import type { EntitySpec } from '../records/spec';
import { Repo } from '../records/repository';

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

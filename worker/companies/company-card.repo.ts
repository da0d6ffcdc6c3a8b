import { activities } from '../activities/activities.repo';
import { contacts } from '../contacts/contacts.repo';
import { deals } from '../deals/deals.repo';

/** The client card's records in one batch: the latest 20 contacts and open deals, and the last activity. */
export async function cardRecords(db: D1Database, orgId: string, companyId: string) {
  const [people, open, last] = await db.batch<Record<string, unknown>>([
    db
      .prepare(`SELECT * FROM contacts WHERE org_id = ?1 AND company_id = ?2 AND deleted_at IS NULL ORDER BY id DESC LIMIT 20`)
      .bind(orgId, companyId),
    db
      .prepare(
        `SELECT * FROM deals WHERE org_id = ?1 AND company_id = ?2 AND deleted_at IS NULL AND stage NOT IN ('won', 'lost') ORDER BY id DESC LIMIT 20`,
      )
      .bind(orgId, companyId),
    db
      .prepare(`SELECT * FROM activities WHERE org_id = ?1 AND company_id = ?2 AND deleted_at IS NULL ORDER BY occurred_at DESC LIMIT 1`)
      .bind(orgId, companyId),
  ]);
  return {
    contacts: people!.results.map((r) => contacts.toRecord(r)),
    openDeals: open!.results.map((r) => deals.toRecord(r)),
    lastActivity: last!.results[0] ? activities.toRecord(last!.results[0]) : null,
  };
}

import { nameKey } from '../../shared/identity';
import { PRIORITY_RANK, type CasePriority } from '../../shared/schemas';
import type { EntitySpec } from '../records/spec';
import { Repo } from '../records/repository';

const minutesBetween = (from: unknown, to: unknown) =>
  typeof from === 'string' && typeof to === 'string' ? Math.max(0, Math.round((Date.parse(to) - Date.parse(from)) / 60_000)) : null;

/** The lowest VIP tier whose complaints escalate to high priority by themselves. */
export const VIP_ESCALATION_TIER = 1;

export const caseSpec: EntitySpec = {
  table: 'cases',
  entity: 'case',
  label: 'Case',
  fields: {
    kind: 'text',
    subject: 'text',
    description: 'text',
    status: 'text',
    priority: 'text',
    companyId: 'text',
    contactId: 'text',
    dealId: 'text',
    ownerId: 'text',
    sourceMessageId: 'text',
  },
  readOnly: { firstResponseAt: 'text', resolvedAt: 'text', responseMinutes: 'int', resolutionMinutes: 'int' },
  ownerField: 'ownerId',
  filters: {
    owner: 'owner_id',
    status: 'status',
    kind: 'kind',
    companyId: 'company_id',
    dealId: 'deal_id',
    sourceMessageId: 'source_message_id',
  },
  listOrder: 'priority_rank',
  // An email's Message-ID: a second complaint (or proposal) from the same email answers the first.
  externalField: 'sourceMessageId',
  externalScope: ['kind'],
  normalize(rec) {
    rec.status ??= 'open';
    rec.priority ??= 'normal';
    const now = new Date().toISOString();
    // Any handling beyond "open" counts as the first response; closing stamps the resolution.
    if (rec.status !== 'open' && !rec.firstResponseAt) rec.firstResponseAt = now;
    rec.firstResponseAt ??= null;
    const closed = rec.status === 'resolved' || rec.status === 'rejected';
    if (!closed) rec.resolvedAt = null;
    else if (!rec.resolvedAt) rec.resolvedAt = now;
    rec.responseMinutes = minutesBetween(rec.createdAt, rec.firstResponseAt);
    rec.resolutionMinutes = minutesBetween(rec.createdAt, rec.resolvedAt);
  },
  /** A complaint of a VIP client is high priority, whatever the form said. */
  async beforeWrite(db, _before, after, p) {
    if (after.kind !== 'complaint' || typeof after.companyId !== 'string' || after.priority === 'high') return;
    const row = await db
      .prepare('SELECT vip_tier FROM companies WHERE org_id = ?1 AND id = ?2 AND deleted_at IS NULL')
      .bind(p.orgId, after.companyId)
      .first<{ vip_tier: number }>();
    if (row && row.vip_tier >= VIP_ESCALATION_TIER) after.priority = 'high';
  },
  derive: (r) => ({ name_key: nameKey(r.subject as string), priority_rank: PRIORITY_RANK[(r.priority as CasePriority) ?? 'normal'] ?? 2 }),
};

export const cases = new Repo(caseSpec);

/** Open cases of a company, VIP/high priority first (cases_company index), as API records. */
export async function openCasesOfCompany(db: D1Database, orgId: string, companyId: string, limit = 20) {
  const { results } = await db
    .prepare(
      `SELECT * FROM cases WHERE org_id = ?1 AND company_id = ?2 AND deleted_at IS NULL AND status IN ('open', 'in_progress')
        ORDER BY priority_rank DESC, id DESC LIMIT ?3`,
    )
    .bind(orgId, companyId, limit)
    .all<Record<string, unknown>>();
  return results.map((r) => cases.toRecord(r));
}

import { nameKey } from '../../shared/identity';
import { STAGE_PROBABILITY, type Stage } from '../../shared/schemas';
import { requireDocumentsToWin } from '../rules/won-needs-documents';
import type { EntitySpec } from '../records/spec';
import { shiftGuard } from '../records/guard';
import { Repo } from '../records/repository';
import { newId } from '../lib/ids';

export const dealSpec: EntitySpec = {
  table: 'deals',
  entity: 'deal',
  label: 'Deal',
  fields: {
    companyId: 'text',
    contactId: 'text',
    leadId: 'text',
    title: 'text',
    amountMinor: 'int',
    currency: 'text',
    stage: 'text',
    probability: 'int',
    expectedClose: 'text',
    ownerId: 'text',
    nextStep: 'text',
    lostReason: 'text',
    competitor: 'text',
  },
  readOnly: { closedAt: 'text' },
  ownerField: 'ownerId',
  restrictToOwner: true,
  filters: { owner: 'owner_id', stage: 'stage', companyId: 'company_id' },
  normalize(rec, before) {
    rec.stage ??= 'new';
    rec.currency ??= 'BGN';
    rec.amountMinor ??= 0;
    const stage = rec.stage as Stage;
    const stageChanged = !before || before.stage !== stage;
    // A stage move resets the probability to the stage's default unless the same change sets one.
    if (rec.probability === null || rec.probability === undefined || (stageChanged && before && rec.probability === before.probability))
      rec.probability = STAGE_PROBABILITY[stage];
    const closed = stage === 'won' || stage === 'lost';
    if (!closed) rec.closedAt = null;
    else if (stageChanged || !rec.closedAt) rec.closedAt = new Date().toISOString();
  },
  derive: (r) => ({ name_key: nameKey(r.title as string) }),
  /** Won needs the document package, or a reason that is audited as an override. */
  beforeWrite: requireDocumentsToWin,
  onWrite(db, before, after, p, guard) {
    if (before && before.stage === after.stage && before.amountMinor === after.amountMinor) return [];
    // The INSERT binds 9 parameters of its own.
    const g = shiftGuard(guard, 9).sql;
    return [
      db
        .prepare(
          `INSERT INTO deal_stage_history (id, org_id, deal_id, from_stage, to_stage, amount_minor, currency, changed_by, changed_at)
           SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9 WHERE ${g}`,
        )
        .bind(
          newId(),
          p.orgId,
          after.id,
          before ? before.stage : null,
          after.stage,
          after.amountMinor,
          after.currency,
          p.userId,
          after.updatedAt,
          ...guard.params,
        ),
    ];
  },
};

export const deals = new Repo(dealSpec);

/** The stage of each live deal among ids (a JSON array), for a batch. */
export const dealStagesStatement = (db: D1Database, orgId: string, idsJson: string) =>
  db
    .prepare('SELECT id, stage FROM deals WHERE org_id = ?1 AND id IN (SELECT value FROM json_each(?2)) AND deleted_at IS NULL')
    .bind(orgId, idsJson);

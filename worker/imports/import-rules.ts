import type { ImportRowResult } from '../../shared/schemas';
import type { HeaderMapping } from '../../shared/sheet';
import type { Rec } from '../records/spec';
import type { Principal } from '../http/env';
import { accessViolations } from '../rules/access';
import { becomesWon, documentsBlockingWon } from '../rules/won-needs-documents';

/** One record a chunk would write: `before` is null for a new one. */
export interface PlannedWrite {
  before: Rec | null;
  after: Rec;
}

type Counts = { created: number; updated: number; skipped: number; error: number };

/**
 * The write rules that hold on every path (worker/rules), applied to a chunk's planned writes: a
 * write the user may not make is left out, and every row that asked for it becomes an error row
 * that names the column and the rule, while the other rows go ahead.
 *
 * - ownership by role and head-only fields, as on the record's own routes;
 * - a deal already in Leadpane becomes won only with its document package. A deal the sheet
 *   brings in as won is history from the team's earlier system, not a win made here, and so is
 *   the win of a deal the sheet matches by its ID in that system (a later export of it): both are
 *   accepted and their ids are answered as `historyWon`, for one audited override per chunk.
 */
export async function enforceWriteRules(
  db: D1Database,
  p: Principal,
  entity: 'lead' | 'deal',
  writes: PlannedWrite[],
  rowsOf: (recordId: string) => ImportRowResult[],
  mapping: HeaderMapping,
  counts: Counts,
): Promise<{ allowed: PlannedWrite[]; historyWon: string[] }> {
  const header = (field: string) => mapping.columns.find((c) => c.field === field)?.header ?? '';
  const refuse = (w: PlannedWrite, column: string, field: string, reason: string, value?: string) => {
    for (const r of rowsOf(w.after.id)) {
      if (r.status !== 'error') {
        counts[r.status]--;
        counts.error++;
      }
      r.status = 'error';
      r.id = w.before?.id ?? null;
      r.errors.push({ row: r.row, column, field, reason, ...(value ? { value } : {}) });
    }
  };
  const refused = new Set<PlannedWrite>();
  for (const w of writes) {
    const v = accessViolations(p, entity, w.before, w.after)[0];
    if (!v) continue;
    refused.add(w);
    // A colleague's record is refused whatever the columns; an owner the manager may not give names its column.
    refuse(w, v.code === 'owner_not_allowed' ? header('owner') : '', v.path.slice(1), v.code);
  }
  const historyWon: string[] = [];
  if (entity === 'deal') {
    // A deal matched by its ID in the source system is kept there: its win in a later export is that system's history too.
    const keptAtSource = (w: PlannedWrite) => rowsOf(w.after.id).some((r) => r.match === 'externalId');
    const moving = writes.filter((w) => !refused.has(w) && w.before && becomesWon(w.before, w.after) && !keptAtSource(w));
    const blocking = await documentsBlockingWon(
      db,
      p.orgId,
      moving.map((w) => w.after.id),
    );
    for (const w of moving) {
      const missing = blocking.get(w.after.id) ?? [];
      if (!missing.length) continue;
      refused.add(w);
      refuse(w, header('stage') || header('status'), 'stage', 'documents_missing', missing.map((d) => d.label).join(', '));
    }
    for (const w of writes)
      if (!refused.has(w) && becomesWon(w.before, w.after) && (!w.before || keptAtSource(w))) historyWon.push(w.after.id);
  }
  return { allowed: writes.filter((w) => !refused.has(w)), historyWon };
}

import type { Stage } from '../../shared/schemas';
import { checklist, dealDocumentsStatement, documentSettings, type DocumentRow } from '../documents/documents.repo';
import { auditStatement } from '../lib/audit';
import { shiftGuard } from '../records/guard';
import type { Rec, WriteContext } from '../records/spec';
import type { Principal } from '../http/env';
import { AppError, type FieldError } from '../http/errors';

/**
 * The stage rule, in one place: a deal becomes won only with its document package (the slots of
 * the stages before "won"), or with a head of sales' reason to override that the audit log keeps.
 * It holds for a deal created as won as much as for one moved there, on every path that writes deals.
 */
export const WON_RULE = 'documents_required_to_win';

type Record_ = Record<string, unknown>;

/** Whether this write makes the deal won now (a new deal created as won included). */
export const becomesWon = (before: Record_ | null, after: Record_ | null): boolean =>
  !!after && after.stage === 'won' && before?.stage !== 'won';

export interface MissingDocument {
  slot: string;
  label: string;
  status: string;
}

/**
 * For each deal id, the documents that still block winning it (none: it may be won). Two reads
 * whatever the number of deals: the organisation's package and the deals' documents.
 */
export async function documentsBlockingWon(db: D1Database, orgId: string, dealIds: string[]): Promise<Map<string, MissingDocument[]>> {
  const out = new Map<string, MissingDocument[]>();
  if (!dealIds.length) return out;
  const [{ slots }, { results }] = await Promise.all([
    documentSettings(db, orgId),
    dealDocumentsStatement(db, orgId, JSON.stringify([...new Set(dealIds)])).all<DocumentRow & { deal_id: string }>(),
  ]);
  for (const id of dealIds) {
    const list = checklist(
      { id, stage: 'won' as Stage },
      slots,
      results.filter((r) => r.deal_id === id),
    );
    out.set(
      id,
      list.documents.filter((d) => list.blockingWon.includes(d.slot)).map((d) => ({ slot: d.slot, label: d.label, status: d.status })),
    );
  }
  return out;
}

/** Why a deal may not be won yet, one error per missing document. */
export function missingDocumentErrors(missing: MissingDocument[]): FieldError[] {
  return missing.map((d) => ({
    path: `/documents/${d.slot}`,
    code: 'document_missing',
    message: `${d.label} is ${d.status === 'requested' ? 'requested but not received' : 'missing'}.`,
  }));
}

export const wonRefusal = (missing: MissingDocument[]): string =>
  `The deal cannot be marked won while required documents are missing: ${missing.map((d) => d.label).join(', ')}. Add them to the deal, or give a reason to override (X-Override-Reason header or overrideReason).`;

/**
 * The rule for one deal (EntitySpec.beforeWrite of deals): refuses with the missing documents, or
 * answers the audit entry of the user's override, guarded like the change itself.
 */
export async function requireDocumentsToWin(
  db: D1Database,
  before: Rec | null,
  after: Rec,
  p: Principal,
  ctx: WriteContext,
): Promise<D1PreparedStatement[]> {
  if (!becomesWon(before, after)) return [];
  const missing = (await documentsBlockingWon(db, p.orgId, [after.id])).get(after.id) ?? [];
  if (!missing.length) return [];
  if (!ctx.overrideReason) throw new AppError('business_rule', wonRefusal(missing), { errors: missingDocumentErrors(missing) });
  // The package is the manager's to complete; leaving it incomplete is a head of sales' call.
  if (p.role === 'manager')
    throw new AppError(
      'forbidden',
      `Only a head of sales marks a deal won without its documents (missing: ${missing.map((d) => d.label).join(', ')}). Add them, or ask a head of sales.`,
      {
        errors: [
          ...missingDocumentErrors(missing),
          { path: '/overrideReason', code: 'head_only_override', message: 'Only a head of sales overrides the document package.' },
        ],
      },
    );
  // auditStatement binds 8 parameters, so the guard's ?n become ?(n+8).
  const guard = shiftGuard(ctx.guard, 8);
  return [
    auditStatement(
      db,
      p,
      'override',
      'deal',
      after.id,
      { rule: WON_RULE, missing: missing.map((d) => d.slot), reason: ctx.overrideReason },
      guard,
    ),
  ];
}

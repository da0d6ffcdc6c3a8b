import { DEFAULT_DOCUMENT_SLOTS, STAGES, type DocumentSlotSettingT, type DocumentStatus, type Stage } from '../../shared/schemas';
import { auditStatement } from '../lib/audit';
import type { Rec, WriteContext } from '../lib/crud';
import type { Principal } from '../lib/env';
import { AppError } from '../lib/errors';

export const DOCUMENT_SETTINGS_KEY = 'documents';

export interface DocumentSettingsValue {
  slots: DocumentSlotSettingT[];
  version: number;
  isDefault: boolean;
}

/** The organisation's document package; the defaults (version 0) until a head of sales saves one. */
export async function documentSettings(db: D1Database, orgId: string): Promise<DocumentSettingsValue> {
  const row = await db
    .prepare('SELECT value, version FROM org_settings WHERE org_id = ?1 AND key = ?2')
    .bind(orgId, DOCUMENT_SETTINGS_KEY)
    .first<{ value: string; version: number }>();
  if (!row) return { slots: DEFAULT_DOCUMENT_SLOTS, version: 0, isDefault: true };
  return { slots: (JSON.parse(row.value) as { slots: DocumentSlotSettingT[] }).slots, version: row.version, isDefault: false };
}

const order = (s: Stage) => STAGES.indexOf(s);
const MISSING: DocumentStatus[] = ['missing', 'requested'];

export interface DocumentRow {
  slot: string;
  status: DocumentStatus;
  filename: string | null;
  url: string | null;
  attachment_id: string | null;
  message_id: string | null;
  notes: string | null;
  version: number;
  updated_at: string;
}

export async function documentRows(db: D1Database, orgId: string, dealId: string): Promise<DocumentRow[]> {
  const { results } = await db
    .prepare(
      'SELECT slot, status, filename, url, attachment_id, message_id, notes, version, updated_at FROM deal_documents WHERE org_id = ?1 AND deal_id = ?2 AND deleted_at IS NULL',
    )
    .bind(orgId, dealId)
    .all<DocumentRow>();
  return results;
}

/**
 * The checklist of a deal: every configured slot, whether the deal's stage requires it yet, and
 * its status. A document of stage S is required once the deal is in S or later (a lost deal
 * requires nothing); the ones of stages before "won" must be there before the deal is won.
 */
export function checklist(deal: { id: string; stage: Stage }, slots: DocumentSlotSettingT[], rows: DocumentRow[]) {
  const byslot = new Map(rows.map((r) => [r.slot, r]));
  const documents = slots.map((s) => {
    const r = byslot.get(s.slot);
    return {
      slot: s.slot,
      label: s.label,
      stage: s.stage,
      required: deal.stage !== 'lost' && order(deal.stage) >= order(s.stage),
      status: r?.status ?? ('missing' as DocumentStatus),
      filename: r?.filename ?? null,
      url: r?.url ?? null,
      attachmentId: r?.attachment_id ?? null,
      messageId: r?.message_id ?? null,
      notes: r?.notes ?? null,
      version: r?.version ?? 0,
      updatedAt: r?.updated_at ?? null,
    };
  });
  return {
    dealId: deal.id,
    stage: deal.stage,
    documents,
    missing: documents.filter((d) => d.required && MISSING.includes(d.status)).map((d) => d.slot),
    blockingWon: documents.filter((d) => order(d.stage) < order('won') && MISSING.includes(d.status)).map((d) => d.slot),
  };
}

/**
 * The deals' business rule (EntitySpec.beforeWrite): a deal moves to "won" only with its document
 * package, unless the user gives a reason, which the audit log keeps as an 'override'.
 */
export async function requireDocumentsToWin(
  db: D1Database,
  before: Rec | null,
  after: Rec,
  p: Principal,
  ctx: WriteContext,
): Promise<D1PreparedStatement[]> {
  if (!before || after.stage !== 'won' || before.stage === 'won') return [];
  const [{ slots }, rows] = await Promise.all([documentSettings(db, p.orgId), documentRows(db, p.orgId, after.id)]);
  const list = checklist({ id: after.id, stage: 'won' }, slots, rows);
  if (!list.blockingWon.length) return [];
  const missing = list.documents.filter((d) => list.blockingWon.includes(d.slot));
  if (!ctx.overrideReason)
    throw new AppError(
      'business_rule',
      `The deal cannot be marked won while required documents are missing: ${missing.map((d) => d.label).join(', ')}. Add them to the deal, or give a reason to override (X-Override-Reason header or overrideReason).`,
      {
        errors: missing.map((d) => ({
          path: `/documents/${d.slot}`,
          code: 'document_missing',
          message: `${d.label} is ${d.status === 'requested' ? 'requested but not received' : 'missing'}.`,
        })),
      },
    );
  // auditStatement binds 8 parameters, so the guard's ?n become ?(n+8).
  const guard = { sql: ctx.guard.sql.replace(/\?(\d+)/g, (_, n: string) => `?${Number(n) + 8}`), params: ctx.guard.params };
  return [
    auditStatement(
      db,
      p,
      'override',
      'deal',
      after.id,
      { rule: 'documents_required_to_win', missing: list.blockingWon, reason: ctx.overrideReason },
      guard,
    ),
  ];
}

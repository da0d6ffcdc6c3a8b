import type { Principal } from '../http/env';
import { newId } from '../lib/ids';
import { settingStatement } from '../lib/org-settings';
import { DEFAULT_DOCUMENT_SLOTS, STAGES, type DocumentSlotSettingT, type DocumentStatus, type Stage } from '../../shared/schemas';

export const DOCUMENT_SETTINGS_KEY = 'documents';

export interface DocumentSettingsValue {
  slots: DocumentSlotSettingT[];
  version: number;
  isDefault: boolean;
}

/** The read of the organisation's document package, for a batch; `documentSettingsOf` reads its answer. */
export const documentSettingsStatement = (db: D1Database, orgId: string) => settingStatement(db, orgId, DOCUMENT_SETTINGS_KEY);

/** The package from its row; the defaults (version 0) until a head of sales saves one. */
export function documentSettingsOf(row: { value: string; version: number } | null | undefined): DocumentSettingsValue {
  if (!row) return { slots: DEFAULT_DOCUMENT_SLOTS, version: 0, isDefault: true };
  return { slots: (JSON.parse(row.value) as { slots: DocumentSlotSettingT[] }).slots, version: row.version, isDefault: false };
}

/** The organisation's document package; the defaults (version 0) until a head of sales saves one. */
export async function documentSettings(db: D1Database, orgId: string): Promise<DocumentSettingsValue> {
  return documentSettingsOf(await documentSettingsStatement(db, orgId).first<{ value: string; version: number }>());
}

/** The documents of many deals (ids as a JSON array), each row with its deal_id. */
export const dealDocumentsStatement = (db: D1Database, orgId: string, idsJson: string) =>
  db
    .prepare(
      `SELECT deal_id, slot, status, filename, url, attachment_id, message_id, notes, version, updated_at FROM deal_documents
        WHERE org_id = ?1 AND deal_id IN (SELECT value FROM json_each(?2)) AND deleted_at IS NULL`,
    )
    .bind(orgId, idsJson);

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
 * Writes the deal's document in a slot: made at version 1, or changed only while still at
 * `expected` (a stale write changes nothing). A deleted one comes back.
 */
export function putDocumentStatement(
  db: D1Database,
  p: Principal,
  dealId: string,
  slot: string,
  doc: {
    status: DocumentStatus;
    filename: string | null;
    url: string | null;
    attachmentId: string | null;
    messageId: string | null;
    notes: string | null;
  },
  expected: number,
  now: string,
): D1PreparedStatement {
  return db
    .prepare(
      `INSERT INTO deal_documents (id, org_id, deal_id, slot, status, filename, url, attachment_id, message_id, notes, updated_by, created_at, updated_at, version)
           VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?12, 1)
           ON CONFLICT (org_id, deal_id, slot) DO UPDATE SET status = excluded.status, filename = excluded.filename, url = excluded.url,
             attachment_id = excluded.attachment_id, message_id = excluded.message_id, notes = excluded.notes, updated_by = excluded.updated_by,
             updated_at = excluded.updated_at, version = version + 1, deleted_at = NULL
           WHERE deal_documents.version = ?13`,
    )
    .bind(
      newId(),
      p.orgId,
      dealId,
      slot,
      doc.status,
      doc.filename,
      doc.url,
      doc.attachmentId,
      doc.messageId,
      doc.notes,
      p.userId,
      now,
      expected,
    );
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

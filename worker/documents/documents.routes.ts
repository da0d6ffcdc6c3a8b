import { Hono } from 'hono';
import { DealDocument, DealDocumentPut, DealDocuments, DocumentSettings, DocumentSettingsAnswer, type Stage } from '../../shared/schemas';
import { readJson } from '../cases/read-json';
import { deals } from '../deals/deals.repo';
import { assertAccess } from '../rules/access';
import { auditStatement } from '../lib/audit';
import { requireRole } from '../auth/auth';
import { commit } from '../http/commit';
import type { AppEnv } from '../http/env';
import { AppError, notFound } from '../http/errors';
import { nowIso } from '../lib/ids';
import { writeSettingStatement } from '../lib/org-settings';
import { doc } from '../http/openapi';
import { etag, requireIfMatch } from '../http/versioning';
import { checklist, DOCUMENT_SETTINGS_KEY, documentRows, documentSettings, putDocumentStatement } from './documents.repo';

doc(
  {
    method: 'get',
    path: '/api/v1/settings/documents',
    summary: 'The documents each deal stage requires (defaults until changed)',
    tag: 'Documents',
    response: DocumentSettingsAnswer,
  },
  {
    method: 'put',
    path: '/api/v1/settings/documents',
    summary: 'Change the documents each deal stage requires',
    tag: 'Documents',
    roles: ['head', 'admin'],
    body: DocumentSettings,
    response: DocumentSettingsAnswer,
    ifMatch: true,
  },
  {
    method: 'get',
    path: '/api/v1/deals/:id/documents',
    summary: "The deal's document checklist",
    tag: 'Documents',
    response: DealDocuments,
  },
  {
    method: 'put',
    path: '/api/v1/deals/:id/documents/:slot',
    summary: 'Fill a document slot (a file link or an Outlook attachment) or change its status',
    tag: 'Documents',
    body: DealDocumentPut,
    response: DealDocument,
  },
);

/** Routes under /settings. */
export const documentSettingsRoutes = new Hono<AppEnv>()
  .get('/documents', async (c) => {
    const s = await documentSettings(c.env.DB, c.get('principal').orgId);
    c.header('etag', etag(s.version));
    return c.json(s);
  })
  .put('/documents', requireRole('head', 'admin'), async (c) => {
    const p = c.get('principal');
    const db = c.env.DB;
    const expected = requireIfMatch(c);
    const input = await readJson(c, DocumentSettings);
    const now = nowIso();
    const value = JSON.stringify({ slots: input.slots });
    const write = writeSettingStatement(db, p.orgId, p.userId, DOCUMENT_SETTINGS_KEY, value, expected, now);
    const [res] = await db.batch([
      write,
      auditStatement(db, p, 'update', 'settings', DOCUMENT_SETTINGS_KEY, { slots: input.slots }, { sql: 'changes() = 1', params: [] }),
    ]);
    if (res!.meta.changes !== 1) {
      const current = await documentSettings(db, p.orgId);
      throw new AppError(
        'precondition_failed',
        `Someone changed the document settings since you read them (you have version ${expected}, they are at ${current.version}).`,
        {
          current,
          headers: { etag: etag(current.version) },
        },
      );
    }
    c.header('etag', etag(expected + 1));
    return c.json({ slots: input.slots, version: expected + 1, isDefault: false });
  });

/** Routes under /deals/:id/documents. */
export const dealDocumentRoutes = new Hono<AppEnv>()
  .get('/:id/documents', async (c) => {
    const p = c.get('principal');
    const deal = await deals.get(c.env.DB, p.orgId, c.req.param('id'));
    if (!deal) throw notFound('Deal');
    const [s, rows] = await Promise.all([documentSettings(c.env.DB, p.orgId), documentRows(c.env.DB, p.orgId, deal.id)]);
    return c.json(checklist({ id: deal.id, stage: deal.stage as Stage }, s.slots, rows));
  })
  .put('/:id/documents/:slot', async (c) => {
    const p = c.get('principal');
    const db = c.env.DB;
    const deal = await deals.get(db, p.orgId, c.req.param('id'));
    if (!deal) throw notFound('Deal');
    assertAccess(p, 'deal', deal, deal);
    const slotKey = c.req.param('slot');
    const settings = await documentSettings(db, p.orgId);
    const slot = settings.slots.find((s) => s.slot === slotKey);
    if (!slot) throw new AppError('not_found', `There is no document slot "${slotKey.slice(0, 40)}"; see GET /api/v1/settings/documents.`);
    const input = await readJson(c, DealDocumentPut);
    const existing = (await documentRows(db, p.orgId, deal.id)).find((r) => r.slot === slotKey);
    const ifMatch = c.req.header('if-match');
    const expected = ifMatch ? requireIfMatch(c) : (existing?.version ?? 0);
    if (expected !== (existing?.version ?? 0))
      throw new AppError('precondition_failed', 'Someone changed this document since you read it.', {
        headers: { etag: etag(existing?.version ?? 0) },
      });
    // Absent fields keep their value; null clears one. A file without a status is "received".
    const pick = <K extends 'filename' | 'url' | 'attachmentId' | 'messageId' | 'notes'>(k: K, col: string) =>
      input[k] !== undefined ? (input[k] ?? null) : ((existing as unknown as Record<string, string | null> | undefined)?.[col] ?? null);
    const filename = pick('filename', 'filename');
    const url = pick('url', 'url');
    const attachmentId = pick('attachmentId', 'attachment_id');
    const messageId = pick('messageId', 'message_id');
    const notes = pick('notes', 'notes');
    const hasFile = Boolean(filename || url || attachmentId);
    const status =
      input.status ??
      (hasFile && (!existing || existing.status === 'missing' || existing.status === 'requested')
        ? 'received'
        : (existing?.status ?? 'missing'));
    if ((status === 'received' || status === 'approved') && !hasFile)
      throw new AppError('validation_failed', 'A received document needs a filename, a link or an attachment.', {
        errors: [{ path: '/filename', code: 'required', message: 'Give the filename, url or attachmentId of the document.' }],
      });
    const now = nowIso();
    const stmts = [
      putDocumentStatement(db, p, deal.id, slotKey, { status, filename, url, attachmentId, messageId, notes }, expected, now),
      auditStatement(
        db,
        p,
        'update',
        'deal',
        deal.id,
        { document: slotKey, status, filename, attachmentId },
        { sql: 'changes() = 1', params: [] },
      ),
    ];
    const item = {
      slot: slot.slot,
      label: slot.label,
      stage: slot.stage,
      required: checklist({ id: deal.id, stage: deal.stage as Stage }, [slot], []).documents[0]!.required,
      status,
      filename,
      url,
      attachmentId,
      messageId,
      notes,
      version: expected + 1,
      updatedAt: now,
    };
    const [res] = await commit(c, stmts, 200, item, { etag: etag(expected + 1) });
    if (res!.meta.changes !== 1) throw new AppError('precondition_failed', 'Someone changed this document while you were saving it.');
    c.header('etag', etag(expected + 1));
    return c.json(item);
  });

import type { Principal } from '../http/env';
import { newId, nowIso } from './ids';

export type AuditAction = 'create' | 'update' | 'delete' | 'convert' | 'import' | 'export' | 'erase' | 'revoke' | 'sign-in' | 'override';

/** An audit row: who changed, imported or exported what, and when. Runs in the change's batch. */
export function auditStatement(
  db: D1Database,
  p: Principal,
  action: AuditAction,
  entity: string,
  entityId: string | null,
  details?: Record<string, unknown>,
  /** SQL guard: the row is written only when this holds (e.g. the versioned update took effect). */
  guard?: { sql: string; params: unknown[] },
): D1PreparedStatement {
  const params = [newId(), p.orgId, p.userId, action, entity, entityId, details ? JSON.stringify(details) : null, nowIso()];
  if (!guard)
    return db
      .prepare(
        'INSERT INTO audit_log (id, org_id, user_id, action, entity, entity_id, details, at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)',
      )
      .bind(...params);
  return db
    .prepare(
      `INSERT INTO audit_log (id, org_id, user_id, action, entity, entity_id, details, at) SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8 WHERE ${guard.sql}`,
    )
    .bind(...params, ...guard.params);
}

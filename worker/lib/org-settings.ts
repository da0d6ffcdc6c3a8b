/** The read of one of the organisation's settings (a JSON value and its version), for a batch or alone. */
export const settingStatement = (db: D1Database, orgId: string, key: string): D1PreparedStatement =>
  db.prepare('SELECT value, version FROM org_settings WHERE org_id = ?1 AND key = ?2').bind(orgId, key);

/**
 * The versioned write of a setting: version 0 (never saved) inserts it, a later one updates it
 * only if it is still at `expected`. Changes nothing when someone saved first.
 */
export function writeSettingStatement(
  db: D1Database,
  orgId: string,
  userId: string,
  key: string,
  value: string,
  expected: number,
  now: string,
): D1PreparedStatement {
  if (expected === 0)
    return db
      .prepare(
        `INSERT INTO org_settings (org_id, key, value, version, updated_at, updated_by) VALUES (?1, ?2, ?3, 1, ?4, ?5) ON CONFLICT (org_id, key) DO NOTHING`,
      )
      .bind(orgId, key, value, now, userId);
  return db
    .prepare(
      `UPDATE org_settings SET value = ?3, version = version + 1, updated_at = ?4, updated_by = ?5 WHERE org_id = ?1 AND key = ?2 AND version = ?6`,
    )
    .bind(orgId, key, value, now, userId, expected);
}

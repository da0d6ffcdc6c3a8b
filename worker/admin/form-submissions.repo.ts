/** Posts of the organisation's web forms looked at for a form's recent submissions. */
export const RECENT_WEBFORM_LEADS = 500;
const SHOWN = 20;

export interface SubmissionRow {
  id: string;
  full_name: string | null;
  email: string | null;
  phone: string | null;
  company_name: string | null;
  status: string;
  owner_id: string | null;
  created_at: string;
}

/**
 * The form's leads among the organisation's latest web-form leads (leads_source, newest first by
 * id): a post with a client token names the form in its external reference
 * (`webform:<form id>:<token>`), a post without one in its notes.
 */
export const SUBMISSIONS_SQL = `SELECT id, full_name, email, phone, company_name, status, owner_id, created_at FROM (
    SELECT * FROM leads WHERE org_id = ?1 AND source = 'webform' AND deleted_at IS NULL ORDER BY id DESC LIMIT ${RECENT_WEBFORM_LEADS}
  ) WHERE external_ref LIKE ?2 OR (external_ref IS NULL AND notes = ?3)
  ORDER BY id DESC LIMIT ${SHOWN}`;

/** A live web form's id and name. */
export function formName(db: D1Database, orgId: string, id: string) {
  return db
    .prepare('SELECT id, name FROM web_forms WHERE org_id = ?1 AND id = ?2 AND deleted_at IS NULL')
    .bind(orgId, id)
    .first<{ id: string; name: string }>();
}

/** The form's recent submissions, newest first. */
export async function submissionsOf(db: D1Database, orgId: string, form: { id: string; name: string }): Promise<SubmissionRow[]> {
  const { results } = await db.prepare(SUBMISSIONS_SQL).bind(orgId, `webform:${form.id}:%`, `Web form: ${form.name}`).all<SubmissionRow>();
  return results;
}

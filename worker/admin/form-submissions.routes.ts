import { Hono } from 'hono';
import { FormSubmission, Page } from '../../shared/schemas';
import { requireRole } from '../auth/auth';
import type { AppEnv } from '../http/env';
import { notFound } from '../http/errors';
import { doc } from '../http/openapi';

doc({
  method: 'get',
  path: '/api/v1/forms/:id/submissions',
  summary: "A form's recent submissions: the leads its last posts made, newest first",
  tag: 'Forms',
  roles: ['head', 'admin'],
  response: Page(FormSubmission),
});

/** Posts of the organisation's web forms looked at for a form's recent submissions. */
export const RECENT_WEBFORM_LEADS = 500;
const SHOWN = 20;

interface Row {
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

/** Routes under /forms (authenticated): what a form has brought in, for Settings. */
export const formSubmissionRoutes = new Hono<AppEnv>().get('/:id/submissions', requireRole('head', 'admin'), async (c) => {
  const p = c.get('principal');
  const db = c.env.DB;
  const form = await db
    .prepare('SELECT id, name FROM web_forms WHERE org_id = ?1 AND id = ?2 AND deleted_at IS NULL')
    .bind(p.orgId, c.req.param('id'))
    .first<{ id: string; name: string }>();
  if (!form) throw notFound('Form');
  const { results } = await db.prepare(SUBMISSIONS_SQL).bind(p.orgId, `webform:${form.id}:%`, `Web form: ${form.name}`).all<Row>();
  return c.json({
    items: results.map((r) => ({
      leadId: r.id,
      fullName: r.full_name,
      email: r.email,
      phone: r.phone,
      companyName: r.company_name,
      status: r.status,
      ownerId: r.owner_id,
      createdAt: r.created_at,
    })),
    nextCursor: null,
  });
});

import { Hono } from 'hono';
import { FormSubmission, Page } from '../../shared/schemas';
import { requireRole } from '../auth/auth';
import type { AppEnv } from '../http/env';
import { notFound } from '../http/errors';
import { doc } from '../http/openapi';
import { formName, submissionsOf } from './form-submissions.repo';

doc({
  method: 'get',
  path: '/api/v1/forms/:id/submissions',
  summary: "A form's recent submissions: the leads its last posts made, newest first",
  tag: 'Forms',
  roles: ['head', 'admin'],
  response: Page(FormSubmission),
});

/** Routes under /forms (authenticated): what a form has brought in, for Settings. */
export const formSubmissionRoutes = new Hono<AppEnv>().get('/:id/submissions', requireRole('head', 'admin'), async (c) => {
  const p = c.get('principal');
  const db = c.env.DB;
  const form = await formName(db, p.orgId, c.req.param('id'));
  if (!form) throw notFound('Form');
  const submissions = await submissionsOf(db, p.orgId, form);
  return c.json({
    items: submissions.map((r) => ({
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

import { Lead, LeadConvert, LeadCreate, LeadListQuery, LeadPatch } from '../../shared/schemas';
import { isAssertFailure } from '../lib/batch-assert';
import { commit } from '../http/commit';
import { crudRoutes } from '../records/routes';
import { AppError, notFound } from '../http/errors';
import { doc } from '../http/openapi';
import { jsonBody } from '../http/validate';
import { etag } from '../http/versioning';
import { convertLead } from './lead-conversion';
import { leads, leadSpec } from './leads.repo';
import { assertAccess } from '../rules/access';

doc({
  method: 'post',
  path: '/api/v1/leads/:id/convert',
  summary: 'Convert a lead into company + contact + deal + activity, reusing matching records',
  tag: 'Lead',
  body: LeadConvert,
  status: 201,
});

export const leadRoutes = crudRoutes('/leads', leadSpec, { create: LeadCreate, patch: LeadPatch, list: LeadListQuery, item: Lead }).post(
  '/:id/convert',
  jsonBody(LeadConvert),
  async (c) => {
    const p = c.get('principal');
    const db = c.env.DB;
    const lead = await leads.get(db, p.orgId, c.req.param('id'));
    if (!lead) throw notFound('Lead');
    const ifMatch = c.req.header('if-match');
    if (ifMatch && ifMatch.replace(/^W\//, '').replace(/"/g, '') !== String(lead.version))
      throw new AppError('precondition_failed', 'The lead changed since you read it.', {
        current: lead,
        headers: { etag: etag(lead.version) },
      });
    if (lead.status === 'converted') throw new AppError('conflict', 'This lead is already converted.', { current: lead });
    assertAccess(p, 'lead', lead, { ...lead, status: 'converted' });
    const { statements, result } = await convertLead(db, p, lead, c.req.valid('json'));
    try {
      await commit(c, statements, 201, result);
    } catch (err) {
      if (isAssertFailure(err)) {
        const current = await leads.get(db, p.orgId, lead.id);
        throw new AppError('precondition_failed', 'Someone changed or converted this lead while you were converting it.', { current });
      }
      throw err;
    }
    return c.json(result, 201);
  },
);

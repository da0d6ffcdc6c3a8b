import { Company, CompanyCreate, CompanyListQuery, CompanyPatch } from '../../shared/schemas';
import { contacts } from '../contacts/contacts.repo';
import { deals } from '../deals/deals.repo';
import { activities } from '../activities/activities.repo';
import { openCasesOfCompany } from '../cases/cases.repo';
import { creditOf } from '../solvency/solvency.repo';
import { crudRoutes } from '../records/routes';
import { notFound } from '../http/errors';
import { doc } from '../http/openapi';
import { companies, companySpec } from './companies.repo';

doc({
  method: 'get',
  path: '/api/v1/companies/:id/card',
  summary: 'The client card: company, contacts, open deals, last activity, open cases (VIP/high first) and the credit summary',
  tag: 'Company',
});

export const companyRoutes = crudRoutes('/companies', companySpec, {
  create: CompanyCreate,
  patch: CompanyPatch,
  list: CompanyListQuery,
  item: Company,
}).get('/:id/card', async (c) => {
  const { orgId } = c.get('principal');
  const db = c.env.DB;
  const id = c.req.param('id');
  const company = await companies.get(db, orgId, id);
  if (!company) throw notFound('Company');
  const [people, open, last] = await db.batch<Record<string, unknown>>([
    db
      .prepare(`SELECT * FROM contacts WHERE org_id = ?1 AND company_id = ?2 AND deleted_at IS NULL ORDER BY id DESC LIMIT 20`)
      .bind(orgId, id),
    db
      .prepare(
        `SELECT * FROM deals WHERE org_id = ?1 AND company_id = ?2 AND deleted_at IS NULL AND stage NOT IN ('won', 'lost') ORDER BY id DESC LIMIT 20`,
      )
      .bind(orgId, id),
    db
      .prepare(`SELECT * FROM activities WHERE org_id = ?1 AND company_id = ?2 AND deleted_at IS NULL ORDER BY occurred_at DESC LIMIT 1`)
      .bind(orgId, id),
  ]);
  const lastActivity = last!.results[0] ? activities.toRecord(last!.results[0]) : null;
  const [openCases, credit] = await Promise.all([openCasesOfCompany(db, orgId, id), creditOf(db, orgId, company)]);
  return c.json({
    company,
    contacts: people!.results.map((r) => contacts.toRecord(r)),
    openDeals: open!.results.map((r) => deals.toRecord(r)),
    lastActivity,
    lastContactDays: lastActivity ? Math.floor((Date.now() - Date.parse(lastActivity.occurredAt as string)) / 86_400_000) : null,
    openCases,
    credit,
  });
});

import { Company, CompanyCreate, CompanyListQuery, CompanyPatch } from '../../shared/schemas';
import { openCasesOfCompany } from '../cases/cases.repo';
import { creditOf } from '../solvency/solvency.repo';
import { crudRoutes } from '../records/routes';
import { notFound } from '../http/errors';
import { doc } from '../http/openapi';
import { companies, companySpec } from './companies.repo';
import { cardRecords } from './company-card.repo';

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
  const { contacts, openDeals, lastActivity } = await cardRecords(db, orgId, id);
  const [openCases, credit] = await Promise.all([openCasesOfCompany(db, orgId, id), creditOf(db, orgId, company)]);
  return c.json({
    company,
    contacts,
    openDeals,
    lastActivity,
    lastContactDays: lastActivity ? Math.floor((Date.now() - Date.parse(lastActivity.occurredAt as string)) / 86_400_000) : null,
    openCases,
    credit,
  });
});

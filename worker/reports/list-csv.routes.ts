// `format=csv` on the lists Power Query reads (deals, leads, activities, tasks): the whole list
// that the same filters select, as one flat table (shared/report/csv.ts): one header row, typed
// columns, ISO dates, amounts with their currency, companies and people by name. Mounted before
// each list's own routes; any other request passes on to them untouched.
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { csvTable, type CsvColumn } from '../../shared/report/csv';
import { stageName } from '../../shared/report/stage-names';
import type { Lang } from '../../shared/report/definitions';
import { ActivityListQuery, DealListQuery, LeadListQuery, TaskListQuery } from '../../shared/schemas';
import { activitySpec } from '../activities/activities.repo';
import { companyNamesStatement } from '../companies/companies.repo';
import { dealSpec } from '../deals/deals.repo';
import { userNamesStatement } from '../admin/admin.repo';
import { listRecords } from '../records/lists';
import { Repo } from '../records/repository';
import type { EntitySpec, Rec } from '../records/spec';
import type { AppEnv } from '../http/env';
import { AppError } from '../http/errors';
import { fieldErrors } from '../http/validate';
import { leadSpec } from '../leads/leads.repo';
import { taskSpec } from '../tasks/tasks.repo';

/** Rows one CSV may hold; a larger list is narrowed with the list's own filters. */
export const MAX_CSV_ROWS = 20_000;
/** Rows read per query: 20,000 rows in ten reads. */
const PAGE = 2_000;

interface Names {
  company(id: unknown): string | null;
  user(id: unknown): string | null;
  lang: Lang;
}

interface CsvList {
  spec: EntitySpec;
  query: z.ZodObject;
  columns: Array<CsvColumn & { value: (r: Rec, n: Names) => string | number | boolean | null | undefined }>;
  /** Reference fields shown by name. */
  companies?: string;
  users: string;
}

const text = (k: string) => (r: Rec) => (r[k] as string | null | undefined) ?? null;

const LISTS: Record<'deals' | 'leads' | 'activities' | 'tasks', CsvList> = {
  deals: {
    spec: dealSpec,
    query: DealListQuery,
    companies: 'companyId',
    users: 'ownerId',
    columns: [
      { header: 'Id', type: 'text', value: (r) => r.id },
      { header: 'Title', type: 'text', value: text('title') },
      { header: 'Company', type: 'text', value: (r, n) => n.company(r.companyId) },
      { header: 'Stage', type: 'text', value: (r, n) => stageName(r.stage as string, n.lang) },
      { header: 'Amount', type: 'money', value: (r) => r.amountMinor as number },
      { header: 'Currency', type: 'text', value: text('currency') },
      { header: 'Probability', type: 'int', value: (r) => r.probability as number },
      { header: 'Expected close', type: 'date', value: text('expectedClose') },
      { header: 'Owner', type: 'text', value: (r, n) => n.user(r.ownerId) },
      { header: 'Next step', type: 'text', value: text('nextStep') },
      { header: 'Lost reason', type: 'text', value: text('lostReason') },
      { header: 'Competitor', type: 'text', value: text('competitor') },
      { header: 'Closed at', type: 'datetime', value: text('closedAt') },
      { header: 'Created at', type: 'datetime', value: text('createdAt') },
      { header: 'Updated at', type: 'datetime', value: text('updatedAt') },
    ],
  },
  leads: {
    spec: leadSpec,
    query: LeadListQuery,
    users: 'ownerId',
    columns: [
      { header: 'Id', type: 'text', value: (r) => r.id },
      { header: 'Name', type: 'text', value: text('fullName') },
      { header: 'Email', type: 'text', value: text('email') },
      { header: 'Phone', type: 'text', value: text('phone') },
      { header: 'Company', type: 'text', value: text('companyName') },
      { header: 'Job title', type: 'text', value: text('title') },
      { header: 'Source', type: 'text', value: text('source') },
      { header: 'Status', type: 'text', value: text('status') },
      { header: 'Interest', type: 'text', value: text('interest') },
      { header: 'City', type: 'text', value: text('city') },
      { header: 'Owner', type: 'text', value: (r, n) => n.user(r.ownerId) },
      { header: 'Converted at', type: 'datetime', value: text('convertedAt') },
      { header: 'Created at', type: 'datetime', value: text('createdAt') },
      { header: 'Updated at', type: 'datetime', value: text('updatedAt') },
    ],
  },
  activities: {
    spec: activitySpec,
    query: ActivityListQuery,
    companies: 'companyId',
    users: 'ownerId',
    columns: [
      { header: 'Id', type: 'text', value: (r) => r.id },
      { header: 'Type', type: 'text', value: text('type') },
      { header: 'Subject', type: 'text', value: text('subject') },
      { header: 'Occurred at', type: 'datetime', value: text('occurredAt') },
      { header: 'Direction', type: 'text', value: text('direction') },
      { header: 'Company', type: 'text', value: (r, n) => n.company(r.companyId) },
      { header: 'Deal id', type: 'text', value: text('dealId') },
      { header: 'Owner', type: 'text', value: (r, n) => n.user(r.ownerId) },
      { header: 'Created at', type: 'datetime', value: text('createdAt') },
    ],
  },
  tasks: {
    spec: taskSpec,
    query: TaskListQuery,
    companies: 'companyId',
    users: 'assigneeId',
    columns: [
      { header: 'Id', type: 'text', value: (r) => r.id },
      { header: 'Title', type: 'text', value: text('title') },
      { header: 'Due at', type: 'datetime', value: text('dueAt') },
      { header: 'Done', type: 'bool', value: (r) => r.done as boolean },
      { header: 'Done at', type: 'datetime', value: text('doneAt') },
      { header: 'Assignee', type: 'text', value: (r, n) => n.user(r.assigneeId) },
      { header: 'Company', type: 'text', value: (r, n) => n.company(r.companyId) },
      { header: 'Deal id', type: 'text', value: text('dealId') },
      { header: 'Created at', type: 'datetime', value: text('createdAt') },
    ],
  },
};

async function answer(c: Context<AppEnv>, list: CsvList, name: string): Promise<Response> {
  const raw = Object.fromEntries(Object.entries(c.req.queries()).map(([k, v]) => [k, v.length === 1 ? v[0] : v]));
  const parsed = list.query.extend({ format: z.literal('csv'), lang: z.enum(['en', 'bg', 'ru']).default('en') }).safeParse(raw);
  if (!parsed.success)
    throw new AppError('validation_failed', `The query has ${parsed.error.issues.length} invalid field(s).`, {
      errors: fieldErrors(parsed.error),
    });
  const { format: _f, lang, limit: _l, cursor, ...filters } = parsed.data as Record<string, unknown> & { lang: Lang; cursor?: string };
  const p = c.get('principal');
  const repo = new Repo(list.spec);
  const rows: Rec[] = [];
  for (let next = cursor; ;) {
    const page = await listRecords(c.env.DB, repo, p, { ...filters, limit: PAGE, ...(next ? { cursor: next } : {}) });
    rows.push(...page.items);
    if (rows.length > MAX_CSV_ROWS)
      throw new AppError(
        'payload_too_large',
        `More than ${MAX_CSV_ROWS} ${name} match: narrow the list with its filters (owner, updatedSince and the list's own).`,
      );
    if (!page.nextCursor) break;
    next = page.nextCursor;
  }
  const ids = (field: string | undefined) => [...new Set(rows.map((r) => (field ? r[field] : null)).filter((v): v is string => !!v))];
  const companyIds = ids(list.companies);
  const db = c.env.DB;
  const [companies, users] = await db.batch<{ id: string; name: string }>([
    companyNamesStatement(db, p.orgId, companyIds),
    userNamesStatement(db, p.orgId),
  ]);
  const byId = (r: D1Result<{ id: string; name: string }> | undefined) => new Map((r?.results ?? []).map((x) => [x.id, x.name]));
  const company = byId(companies);
  const user = byId(users);
  const names: Names = {
    company: (id) => (typeof id === 'string' ? (company.get(id) ?? null) : null),
    user: (id) => (typeof id === 'string' ? (user.get(id) ?? null) : null),
    lang,
  };
  const body = csvTable(
    list.columns,
    rows.map((r) => list.columns.map((col) => col.value(r, names))),
  );
  return c.body(body, 200, {
    'content-type': 'text/csv; charset=utf-8',
    'content-disposition': `attachment; filename="leadpane-${name}.csv"`,
  });
}

/** GET /<list>?format=csv; every other request of the list goes on to its own routes. */
export const csvListRoutes = (name: keyof typeof LISTS) =>
  new Hono<AppEnv>().get('/', async (c, next) => {
    if (c.req.query('format') !== 'csv') return next();
    return answer(c, LISTS[name], name);
  });

import { numbersOwner } from '../rules/access';
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { SECTION_KEYS, type Lang, type SectionKey } from '../../shared/report/definitions';
import { reportToCsv, sectionToCsv } from '../../shared/report/csv';
import { withStageNames } from '../../shared/report/stage-names';
import { reportToXlsx } from '../../shared/report/xlsx';
import { XLSX_CONTENT_TYPE } from '../../shared/xlsx';
import { lastWeek, rangePeriod, weekPeriod, type Period } from '../../shared/report/period';
import { Currency, Id } from '../../shared/schemas';
import { auditStatement } from '../lib/audit';
import { requireRole } from '../lib/auth';
import type { AppEnv, Principal } from '../lib/env';
import { AppError } from '../lib/errors';
import { newId, nowIso } from '../lib/ids';
import { doc } from '../lib/openapi';
import { jsonBody, query } from '../lib/validate';
import { weeklyReport, type ScopeRef } from './weekly-report';

const WeeklyQuery = z.strictObject({
  week: z
    .string()
    .regex(/^\d{4}-W\d{2}$/, 'an ISO week such as 2026-W48')
    .optional(),
  from: z.iso.date().optional(),
  to: z.iso.date().optional(),
  scope: z
    .string()
    .regex(/^(org|me|manager:[0-9A-HJKMNP-TV-Z]{26})$/, 'org, me or manager:<id>')
    .default('org'),
  format: z.enum(['json', 'csv', 'xlsx']).default('json'),
  section: z.enum(SECTION_KEYS).optional(),
  lang: z.enum(['en', 'bg', 'ru']).optional(),
});
/** One section as its own flat table (Power Query): CSV by default, or the section's JSON. */
const SectionQuery = WeeklyQuery.omit({ format: true, section: true }).extend({ format: z.enum(['csv', 'json']).default('csv') });
const QuotaPeriod = z.string().regex(/^\d{4}-(0[1-9]|1[0-2]|Q[1-4])$/, 'a month (2026-11) or a quarter (2026-Q4)');
const QuotaPut = z.strictObject({
  userId: Id,
  period: QuotaPeriod,
  amountMinor: z.number().int().min(0),
  currency: Currency.default('BGN'),
});
const QuotaQuery = z.strictObject({ period: QuotaPeriod.optional(), owner: z.union([Id, z.literal('me')]).optional() });

doc(
  {
    method: 'get',
    path: '/api/v1/reports/weekly',
    summary: 'The weekly report (json, csv or an xlsx workbook with one table per section); Power Query friendly',
    tag: 'Reports',
    query: WeeklyQuery,
  },
  ...SECTION_KEYS.map((key) => ({
    method: 'get' as const,
    path: `/api/v1/reports/weekly/sections/${key}`,
    summary: `The weekly report's ${key} section as one flat table: CSV with one header row, typed columns, ISO dates, amounts with their currency (Power Query)`,
    tag: 'Reports',
    query: SectionQuery,
  })),
  { method: 'get', path: '/api/v1/quotas', summary: 'Quotas (sales plan) per manager and period', tag: 'Reports', query: QuotaQuery },
  {
    method: 'put',
    path: '/api/v1/quotas',
    summary: "Set a manager's quota for a month or quarter",
    tag: 'Reports',
    roles: ['head', 'admin'],
    body: QuotaPut,
  },
);

function resolvePeriod(q: z.output<typeof WeeklyQuery>): Period {
  if (q.from || q.to) {
    const p = q.from && q.to ? rangePeriod(q.from, q.to) : null;
    if (!p)
      throw new AppError('validation_failed', 'Give both from and to (YYYY-MM-DD), from not after to.', {
        errors: [{ path: '/from', code: 'invalid_range', message: 'from and to go together' }],
      });
    return p;
  }
  if (!q.week) return lastWeek();
  const p = weekPeriod(q.week);
  if (!p)
    throw new AppError('validation_failed', `${q.week} is not an ISO week.`, {
      errors: [{ path: '/week', code: 'invalid_week', message: 'No such ISO week.' }],
    });
  return p;
}

/** Who may see which scope; whether a named manager exists is checked in the report's own batch. */
function scopeOf(p: Principal, scope: string): ScopeRef {
  if (scope === 'org') {
    if (p.role === 'manager') throw new AppError('forbidden', 'Managers see their own report: use scope=me.');
    return { kind: 'org', id: null };
  }
  const id = scope === 'me' ? p.userId : scope.slice('manager:'.length);
  if (p.role === 'manager' && id !== p.userId) throw new AppError('forbidden', 'Managers see only their own report.');
  return { kind: 'manager', id };
}

/** The report for a query, its export recorded in the audit log in the report's own batch. */
async function exported(c: Context<AppEnv>, q: Omit<z.output<typeof WeeklyQuery>, 'format'> & { format: string }) {
  const p = c.get('principal');
  const lang = (q.lang ?? 'en') as Lang;
  const period = resolvePeriod(q as z.output<typeof WeeklyQuery>);
  const scope = scopeOf(p, q.scope);
  // The export's audit row goes in the report's batch; a manager who is not in the organisation
  // gets a 404 from that batch, and the guard keeps the row out.
  const audit = auditStatement(
    c.env.DB,
    p,
    'export',
    'report',
    null,
    { kind: 'weekly', period: period.label, scope: q.scope, format: q.format, ...(q.section ? { section: q.section } : {}) },
    scope.kind === 'manager'
      ? { sql: 'EXISTS (SELECT 1 FROM users WHERE org_id = ?9 AND id = ?10)', params: [p.orgId, scope.id] }
      : undefined,
  );
  const report = await weeklyReport(c.env.DB, p.orgId, period, scope, lang, undefined, [audit]);
  if (q.section) report.sections = report.sections.filter((s) => s.key === q.section);
  return { report, lang };
}

export const reportRoutes = new Hono<AppEnv>()
  .get('/weekly', query(WeeklyQuery), async (c) => {
    const q = c.req.valid('query');
    const { report, lang } = await exported(c, q);
    // Files are for people: stages by name in their language (the JSON keeps the keys).
    if (q.format === 'xlsx')
      return c.body(await reportToXlsx(withStageNames(report, lang), { lang }), 200, {
        'content-type': XLSX_CONTENT_TYPE,
        'content-disposition': `attachment; filename="leadpane-weekly-${report.period.label}.xlsx"`,
      });
    if (q.format === 'csv')
      return c.body(reportToCsv(withStageNames(report, lang)), 200, {
        'content-type': 'text/csv; charset=utf-8',
        'content-disposition': `attachment; filename="leadpane-weekly-${report.period.label}.csv"`,
      });
    return c.json(report);
  })
  .get('/weekly/sections/:section', query(SectionQuery), async (c) => {
    const key = c.req.param('section');
    if (!(SECTION_KEYS as readonly string[]).includes(key))
      throw new AppError('not_found', `There is no section "${key}". Sections: ${SECTION_KEYS.join(', ')}.`);
    const q = c.req.valid('query');
    const { report, lang } = await exported(c, { ...q, section: key as SectionKey });
    const section = withStageNames(report, lang).sections[0]!;
    if (q.format === 'json') return c.json({ period: report.period, scope: report.scope, section });
    return c.body(sectionToCsv(section), 200, {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="leadpane-weekly-${report.period.label}-${key}.csv"`,
    });
  });

interface QuotaRow {
  id: string;
  user_id: string;
  period: string;
  amount_minor: number;
  currency: string;
  version: number;
  updated_at: string;
}
const toQuota = (r: QuotaRow) => ({
  id: r.id,
  userId: r.user_id,
  period: r.period,
  amountMinor: r.amount_minor,
  currency: r.currency,
  version: r.version,
  updatedAt: r.updated_at,
});

export const quotaRoutes = new Hono<AppEnv>()
  .get('/', query(QuotaQuery), async (c) => {
    const p = c.get('principal');
    const q = c.req.valid('query');
    const owner = numbersOwner(p, q.owner === 'me' ? p.userId : q.owner);
    const where = ['org_id = ?1'];
    const params: unknown[] = [p.orgId];
    if (q.period) where.push(`period = ?${params.push(q.period)}`);
    if (owner) where.push(`user_id = ?${params.push(owner)}`);
    const { results } = await c.env.DB.prepare(`SELECT * FROM quotas WHERE ${where.join(' AND ')} ORDER BY period, user_id LIMIT 1000`)
      .bind(...params)
      .all<QuotaRow>();
    return c.json({ items: results.map(toQuota), nextCursor: null });
  })
  .put('/', requireRole('head'), jsonBody(QuotaPut), async (c) => {
    const p = c.get('principal');
    const body = c.req.valid('json');
    const db = c.env.DB;
    const user = await db.prepare('SELECT 1 FROM users WHERE org_id = ?1 AND id = ?2').bind(p.orgId, body.userId).first();
    if (!user)
      throw new AppError('validation_failed', 'No such user in your organisation.', {
        errors: [{ path: '/userId', code: 'unknown_reference', message: 'No such user.' }],
      });
    const now = nowIso();
    const [res] = await db.batch<QuotaRow>([
      db
        .prepare(
          `INSERT INTO quotas (id, org_id, user_id, period, amount_minor, currency, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7)
           ON CONFLICT (org_id, user_id, period, currency) DO UPDATE SET amount_minor = excluded.amount_minor, version = version + 1, updated_at = excluded.updated_at
           RETURNING *`,
        )
        .bind(newId(), p.orgId, body.userId, body.period, body.amountMinor, body.currency, now),
      auditStatement(db, p, 'update', 'quota', body.userId, {
        period: body.period,
        amountMinor: body.amountMinor,
        currency: body.currency,
      }),
    ]);
    return c.json(toQuota(res!.results[0]!));
  });

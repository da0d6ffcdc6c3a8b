import { memberGuard } from '../admin/admin.repo';
import { shiftGuard } from '../records/guard';
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { SECTION_KEYS, type Lang, type SectionKey } from '../../shared/report/definitions';
import { reportToCsv, sectionToCsv } from '../../shared/report/csv';
import { withStageNames } from '../../shared/report/stage-names';
import { reportToXlsx } from '../../shared/report/xlsx';
import { XLSX_CONTENT_TYPE } from '../../shared/xlsx';
import { lastWeek, rangePeriod, weekPeriod, type Period } from '../../shared/report/period';
import { auditStatement } from '../lib/audit';
import type { AppEnv, Principal } from '../http/env';
import { AppError } from '../http/errors';
import { doc } from '../http/openapi';
import { query } from '../http/validate';
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
    // auditStatement binds 8 parameters of its own.
    scope.kind === 'manager' ? shiftGuard(memberGuard(p.orgId, scope.id!), 8) : undefined,
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

import { numbersOwner } from '../rules/access';
// The Excel custom functions' answers: LEADPANE.PIPELINE / WON / QUOTA / REPORT, each a 2-D
// block `{columns, rows}` that spills as a dynamic array (header row + rows). Money is in minor
// units, as everywhere in the API. Managers see their own numbers; heads and admins anyone's.
import { Hono } from 'hono';
import { z } from 'zod';
import { SECTION_KEYS, type Lang } from '../../shared/report/definitions';
import { lastWeek, weekPeriod } from '../../shared/report/period';
import { OPEN_STAGES, Stage } from '../../shared/schemas';
import type { AppEnv, Principal } from '../lib/env';
import { AppError } from '../lib/errors';
import { doc } from '../lib/openapi';
import { query } from '../lib/validate';
import { weeklyReport, type ScopeRef } from './weekly-report';

/** An owner as a formula user types it: "me", a user id, or the user's email. */
const Owner = z.string().trim().min(1).max(320);
const IsoDate = z.iso.date();
const Period = z.string().regex(/^\d{4}-(0[1-9]|1[0-2]|Q[1-4])$/, 'a month (2026-11) or a quarter (2026-Q4)');
const Lang_ = z.enum(['en', 'bg', 'ru']).default('en');

const PipelineQuery = z.strictObject({ stage: Stage.optional(), owner: Owner.optional() });
// Arguments a formula may leave out get defaults: this month so far, "me", last week, the pipeline.
const WonQuery = z.strictObject({ from: IsoDate.optional(), to: IsoDate.optional(), owner: Owner.optional() });
const QuotaQuery = z.strictObject({ owner: Owner.default('me'), period: Period.optional() });
const ReportQuery = z.strictObject({
  kind: z.literal('weekly').default('weekly'),
  period: z
    .string()
    .regex(/^\d{4}-W\d{2}$/, 'an ISO week such as 2026-W48')
    .optional(),
  section: z.enum(SECTION_KEYS).default('pipeline'),
  lang: Lang_,
});

doc(
  {
    method: 'get',
    path: '/api/v1/reports/fn/pipeline',
    summary: 'LEADPANE.PIPELINE: open deals by stage and currency (count, value in minor units)',
    tag: 'Functions',
    query: PipelineQuery,
  },
  {
    method: 'get',
    path: '/api/v1/reports/fn/won',
    summary: 'LEADPANE.WON: deals won between two dates (inclusive) by currency',
    tag: 'Functions',
    query: WonQuery,
  },
  {
    method: 'get',
    path: '/api/v1/reports/fn/quota',
    summary: "LEADPANE.QUOTA: a manager's quota, won amount and attainment for a month or quarter",
    tag: 'Functions',
    query: QuotaQuery,
  },
  {
    method: 'get',
    path: '/api/v1/reports/fn/report',
    summary: 'LEADPANE.REPORT: one section of the weekly report as header + rows',
    tag: 'Functions',
    query: ReportQuery,
  },
);

/** Resolves the owner argument to a user id of the caller's organisation; managers only themselves. */
async function ownerId(db: D1Database, p: Principal, owner: string | undefined): Promise<string | null> {
  if (!owner) return numbersOwner(p, null);
  let id: string | null = owner.toLowerCase() === 'me' ? p.userId : null;
  if (!id) {
    const row = await db
      .prepare('SELECT id FROM users WHERE org_id = ?1 AND (id = ?2 OR email_norm = lower(?2))')
      .bind(p.orgId, owner)
      .first<{ id: string }>();
    if (!row)
      throw new AppError('validation_failed', 'No such user in your organisation.', {
        errors: [{ path: '/owner', code: 'unknown_reference', message: 'Give "me", a user id or an email of your organisation.' }],
      });
    id = row.id;
  }
  return numbersOwner(p, id);
}

/** [start, end) of a month "2026-11" or a quarter "2026-Q4", as ISO instants. */
export function periodRange(period: string): [string, string] {
  const y = Number(period.slice(0, 4));
  const q = /Q(\d)$/.exec(period);
  const m0 = q ? (Number(q[1]) - 1) * 3 : Number(period.slice(5, 7)) - 1;
  const months = q ? 3 : 1;
  return [new Date(Date.UTC(y, m0, 1)).toISOString(), new Date(Date.UTC(y, m0 + months, 1)).toISOString()];
}

const nextDay = (date: string) => new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString();

export const functionRoutes = new Hono<AppEnv>()
  .get('/pipeline', query(PipelineQuery), async (c) => {
    const p = c.get('principal');
    const q = c.req.valid('query');
    const owner = await ownerId(c.env.DB, p, q.owner);
    const stages = q.stage ? [q.stage] : [...OPEN_STAGES];
    const params: unknown[] = [p.orgId, JSON.stringify(stages)];
    const byOwner = owner ? ` AND owner_id = ?${params.push(owner)}` : '';
    // deals_stage (org_id, stage, id)
    const { results } = await c.env.DB.prepare(
      `SELECT stage, currency, count(*) AS n, sum(amount_minor) AS v FROM deals
        WHERE org_id = ?1 AND deleted_at IS NULL AND stage IN (SELECT value FROM json_each(?2))${byOwner}
        GROUP BY stage, currency`,
    )
      .bind(...params)
      .all<{ stage: string; currency: string; n: number; v: number }>();
    const order = (s: string) => (Stage.options as readonly string[]).indexOf(s);
    const rows = results
      .sort((a, b) => order(a.stage) - order(b.stage) || a.currency.localeCompare(b.currency))
      .map((r) => [r.stage, r.currency, r.n, r.v]);
    return c.json({ columns: ['stage', 'currency', 'count', 'valueMinor'], rows });
  })
  .get('/won', query(WonQuery), async (c) => {
    const p = c.get('principal');
    const query_ = c.req.valid('query');
    const to = query_.to ?? new Date().toISOString().slice(0, 10);
    const q = { ...query_, from: query_.from ?? `${to.slice(0, 7)}-01`, to };
    if (q.from > q.to)
      throw new AppError('validation_failed', 'from is after to.', {
        errors: [{ path: '/from', code: 'invalid_range', message: 'from must not be after to.' }],
      });
    const owner = await ownerId(c.env.DB, p, q.owner);
    const params: unknown[] = [p.orgId, `${q.from}T00:00:00.000Z`, nextDay(q.to)];
    const byOwner = owner ? ` AND owner_id = ?${params.push(owner)}` : '';
    const { results } = await c.env.DB.prepare(
      `SELECT currency, count(*) AS n, sum(amount_minor) AS v FROM deals
        WHERE org_id = ?1 AND deleted_at IS NULL AND stage = 'won' AND closed_at >= ?2 AND closed_at < ?3${byOwner}
        GROUP BY currency ORDER BY currency`,
    )
      .bind(...params)
      .all<{ currency: string; n: number; v: number }>();
    return c.json({ columns: ['currency', 'count', 'valueMinor'], rows: results.map((r) => [r.currency, r.n, r.v]) });
  })
  .get('/quota', query(QuotaQuery), async (c) => {
    const p = c.get('principal');
    const q = c.req.valid('query');
    const owner = (await ownerId(c.env.DB, p, q.owner))!;
    const period = q.period ?? new Date().toISOString().slice(0, 7);
    const [from, to] = periodRange(period);
    const [quotas, won] = await c.env.DB.batch<{ currency: string; v: number }>([
      c.env.DB.prepare(
        'SELECT currency, amount_minor AS v FROM quotas WHERE org_id = ?1 AND user_id = ?2 AND period = ?3 ORDER BY currency',
      ).bind(p.orgId, owner, period),
      c.env.DB.prepare(
        `SELECT currency, sum(amount_minor) AS v FROM deals WHERE org_id = ?1 AND owner_id = ?2 AND deleted_at IS NULL AND stage = 'won'
           AND closed_at >= ?3 AND closed_at < ?4 GROUP BY currency`,
      ).bind(p.orgId, owner, from, to),
    ]);
    const actual = new Map(won!.results.map((r) => [r.currency, r.v]));
    const rows = quotas!.results.map((r) => {
      const a = actual.get(r.currency) ?? 0;
      return [r.v, a, r.v ? Math.round((a / r.v) * 10_000) / 10_000 : 0, r.currency];
    });
    return c.json({ columns: ['quotaMinor', 'actualMinor', 'attainment', 'currency'], rows });
  })
  .get('/report', query(ReportQuery), async (c) => {
    const p = c.get('principal');
    const q = c.req.valid('query');
    const period = q.period ? weekPeriod(q.period) : lastWeek();
    if (!period)
      throw new AppError('validation_failed', `${q.period} is not an ISO week.`, {
        errors: [{ path: '/period', code: 'invalid_week', message: 'No such ISO week.' }],
      });
    // Managers get their own numbers, heads and admins the organisation's.
    const scope: ScopeRef = p.role === 'manager' ? { kind: 'manager', id: p.userId } : { kind: 'org', id: null };
    const report = await weeklyReport(c.env.DB, p.orgId, period, scope, q.lang as Lang);
    const section = report.sections.find((s) => s.key === q.section)!;
    return c.json({ title: section.title, columns: section.columns.map((col) => col.label), rows: section.rows });
  });

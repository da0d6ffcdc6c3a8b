import { numbersOwner } from '../rules/access';
import { ownerId, periodRange, unknownOwner } from './function-args';
// The Excel custom functions' answers: LEADPANE.PIPELINE / WON / QUOTA / REPORT, each a 2-D
// block `{columns, rows}` that spills as a dynamic array (header row + rows). Money is in minor
// units, as everywhere in the API. Managers see their own numbers; heads and admins anyone's.
// POST /batch answers every call of one recalculation in one request, each as its own route would.
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { SECTION_KEYS, type Lang } from '../../shared/report/definitions';
import { lastWeek, weekPeriod } from '../../shared/report/period';
import { OPEN_STAGES, Stage } from '../../shared/schemas';
import type { AppEnv } from '../http/env';
import { AppError } from '../http/errors';
import { doc } from '../http/openapi';
import { fieldErrors, jsonBody, query } from '../http/validate';
import {
  pipelineByOwnerStatement,
  pipelineTotals,
  quotaAndWon,
  quotasOfPeriodsStatement,
  usersNamed,
  wonByDayStatement,
  wonTotals,
} from './functions.repo';
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

/** Calls per batch: 2,000 formulas of one recalculation in two requests. */
export const MAX_BATCH_CALLS = 1000;
/** Distinct weekly reports per batch (each is a batch of reads of its own). */
export const MAX_BATCH_REPORTS = 4;
const FUNCTIONS = ['PIPELINE', 'WON', 'QUOTA', 'REPORT'] as const;
const BatchBody = z.strictObject({
  calls: z
    .array(
      z.strictObject({
        fn: z.enum(FUNCTIONS),
        args: z.record(z.string().max(40), z.string().max(320)).default({}),
      }),
    )
    .min(1)
    .max(MAX_BATCH_CALLS),
});

doc(
  {
    method: 'post',
    path: '/api/v1/reports/fn/batch',
    summary: "The custom functions' calls of one recalculation in one request: each answered as its own route would, or with its problem",
    tag: 'Functions',
    body: BatchBody,
    example: { calls: [{ fn: 'PIPELINE', args: {} }] },
  },
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

const nextDay = (date: string) => new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString();
const stageOrder = (s: string) => (Stage.options as readonly string[]).indexOf(s);

type Block = { columns: string[]; rows: unknown[][]; title?: string };
type Answer = Block | { error: ReturnType<AppError['toProblem']> };

/**
 * The calls of one recalculation, answered from a few shared reads instead of one request each:
 * one read of the pipeline by owner, stage and currency serves every PIPELINE call; one read of
 * the deals won per day every WON and QUOTA call; one read of the quotas every QUOTA call; each
 * distinct weekly report is computed once for all its sections.
 */
async function answerBatch(c: Context<AppEnv>, calls: z.output<typeof BatchBody>['calls']): Promise<Answer[]> {
  const p = c.get('principal');
  const db = c.env.DB;
  const requestId = c.get('requestId') ?? '';
  const fail = (e: unknown): Answer => {
    if (e instanceof AppError) return { error: e.toProblem(requestId) };
    throw e;
  };
  const invalid = (error: z.ZodError): Answer =>
    fail(new AppError('validation_failed', `The query has ${error.issues.length} invalid field(s).`, { errors: fieldErrors(error) }));

  // Arguments, with the defaults each route gives.
  type Parsed =
    | { fn: 'PIPELINE'; q: z.output<typeof PipelineQuery> }
    | { fn: 'WON'; q: { from: string; to: string; owner?: string } }
    | { fn: 'QUOTA'; q: { owner: string; period: string } }
    | { fn: 'REPORT'; q: z.output<typeof ReportQuery> };
  const parsed: Array<Parsed | Answer> = calls.map((call) => {
    const schema = { PIPELINE: PipelineQuery, WON: WonQuery, QUOTA: QuotaQuery, REPORT: ReportQuery }[call.fn];
    const r = (schema as z.ZodType).safeParse(call.args);
    if (!r.success) return invalid(r.error);
    if (call.fn === 'WON') {
      const w = r.data as z.output<typeof WonQuery>;
      const to = w.to ?? new Date().toISOString().slice(0, 10);
      const q = { ...w, from: w.from ?? `${to.slice(0, 7)}-01`, to };
      if (q.from > q.to)
        return fail(
          new AppError('validation_failed', 'from is after to.', {
            errors: [{ path: '/from', code: 'invalid_range', message: 'from must not be after to.' }],
          }),
        );
      return { fn: 'WON', q };
    }
    if (call.fn === 'QUOTA') {
      const q = r.data as z.output<typeof QuotaQuery>;
      return { fn: 'QUOTA', q: { owner: q.owner, period: q.period ?? new Date().toISOString().slice(0, 7) } };
    }
    return { fn: call.fn, q: r.data } as Parsed;
  });
  const isParsed = (x: Parsed | Answer): x is Parsed => 'fn' in x;

  // Owners by email or id, in one read.
  const named = [
    ...new Set(
      parsed
        .filter(isParsed)
        .map((x) => ('owner' in x.q ? x.q.owner : undefined))
        .filter((o): o is string => !!o && o.toLowerCase() !== 'me'),
    ),
  ];
  const users = named.length ? await usersNamed(db, p.orgId, named) : [];
  const ownerOf = (owner: string | undefined): string | null => {
    if (!owner) return numbersOwner(p, null);
    const id = owner.toLowerCase() === 'me' ? p.userId : users.find((u) => u.id === owner || u.email_norm === owner.toLowerCase())?.id;
    if (!id) throw unknownOwner();
    return numbersOwner(p, id);
  };

  // The shared reads, each only when some call needs it.
  const kinds = new Set(parsed.filter(isParsed).map((x) => x.fn));
  const days: string[] = [];
  for (const x of parsed.filter(isParsed)) {
    if (x.fn === 'WON') days.push(`${x.q.from}T00:00:00.000Z`, nextDay(x.q.to));
    if (x.fn === 'QUOTA' && Period.safeParse(x.q.period).success) days.push(...periodRange(x.q.period));
  }
  const periods = [...new Set(parsed.filter(isParsed).flatMap((x) => (x.fn === 'QUOTA' ? [x.q.period] : [])))];
  const reads: D1PreparedStatement[] = [];
  const slot: Record<string, number> = {};
  if (kinds.has('PIPELINE')) slot.pipeline = reads.push(pipelineByOwnerStatement(db, p.orgId)) - 1;
  if (days.length)
    slot.won =
      reads.push(
        wonByDayStatement(
          db,
          p.orgId,
          days.reduce((a, b) => (a < b ? a : b)),
          days.reduce((a, b) => (a > b ? a : b)),
        ),
      ) - 1;
  if (periods.length) slot.quotas = reads.push(quotasOfPeriodsStatement(db, p.orgId, periods)) - 1;
  const results = reads.length ? await db.batch<Record<string, any>>(reads) : [];
  const rowsOf = (k: string) => (slot[k] === undefined ? [] : results[slot[k]!]!.results);
  const wonDays = rowsOf('won') as Array<{ owner_id: string | null; currency: string; day: string; n: number; v: number }>;
  const wonBy = (owner: string | null, from: string, toExclusive: string) => {
    const out = new Map<string, { n: number; v: number }>();
    for (const r of wonDays) {
      if ((owner && r.owner_id !== owner) || `${r.day}T00:00:00.000Z` < from || `${r.day}T00:00:00.000Z` >= toExclusive) continue;
      const cur = out.get(r.currency) ?? { n: 0, v: 0 };
      out.set(r.currency, { n: cur.n + r.n, v: cur.v + r.v });
    }
    return out;
  };

  // Weekly reports: one per distinct week, language and scope.
  const reports = new Map<string, Promise<Awaited<ReturnType<typeof weeklyReport>>>>();
  const scope: ScopeRef = p.role === 'manager' ? { kind: 'manager', id: p.userId } : { kind: 'org', id: null };

  const answers: Answer[] = [];
  for (const x of parsed) {
    if (!isParsed(x)) {
      answers.push(x);
      continue;
    }
    try {
      if (x.fn === 'PIPELINE') {
        const owner = ownerOf(x.q.owner);
        const stages = x.q.stage ? [x.q.stage] : [...OPEN_STAGES];
        const groups = new Map<string, [string, string, number, number]>();
        for (const r of rowsOf('pipeline') as Array<{ owner_id: string | null; stage: string; currency: string; n: number; v: number }>) {
          if ((owner && r.owner_id !== owner) || !(stages as string[]).includes(r.stage)) continue;
          const k = `${r.stage}|${r.currency}`;
          const g = groups.get(k) ?? [r.stage, r.currency, 0, 0];
          groups.set(k, [g[0], g[1], g[2] + r.n, g[3] + r.v]);
        }
        const rows = [...groups.values()].sort((a, b) => stageOrder(a[0]) - stageOrder(b[0]) || a[1].localeCompare(b[1]));
        answers.push({ columns: ['stage', 'currency', 'count', 'valueMinor'], rows });
      } else if (x.fn === 'WON') {
        const won = wonBy(ownerOf(x.q.owner), `${x.q.from}T00:00:00.000Z`, nextDay(x.q.to));
        const rows = [...won].sort((a, b) => a[0].localeCompare(b[0])).map(([cur, g]) => [cur, g.n, g.v]);
        answers.push({ columns: ['currency', 'count', 'valueMinor'], rows });
      } else if (x.fn === 'QUOTA') {
        const owner = ownerOf(x.q.owner)!;
        const [from, to] = periodRange(x.q.period);
        const actual = wonBy(owner, from, to);
        const quotas = (rowsOf('quotas') as Array<{ user_id: string; period: string; currency: string; v: number }>).filter(
          (r) => r.user_id === owner && r.period === x.q.period,
        );
        const rows = quotas.map((r) => {
          const a = actual.get(r.currency)?.v ?? 0;
          return [r.v, a, r.v ? Math.round((a / r.v) * 10_000) / 10_000 : 0, r.currency];
        });
        answers.push({ columns: ['quotaMinor', 'actualMinor', 'attainment', 'currency'], rows });
      } else {
        const period = x.q.period ? weekPeriod(x.q.period) : lastWeek();
        if (!period)
          throw new AppError('validation_failed', `${x.q.period} is not an ISO week.`, {
            errors: [{ path: '/period', code: 'invalid_week', message: 'No such ISO week.' }],
          });
        const key = `${period.label}|${x.q.lang}`;
        if (!reports.has(key)) {
          if (reports.size >= MAX_BATCH_REPORTS)
            throw new AppError(
              'validation_failed',
              `At most ${MAX_BATCH_REPORTS} different weekly reports in one batch; send the rest in another.`,
              {
                errors: [{ path: '/period', code: 'too_many_reports', message: `At most ${MAX_BATCH_REPORTS} weeks per batch.` }],
              },
            );
          reports.set(key, weeklyReport(db, p.orgId, period, scope, x.q.lang as Lang));
        }
        const report = await reports.get(key)!;
        const section = report.sections.find((s) => s.key === x.q.section)!;
        answers.push({ title: section.title, columns: section.columns.map((col) => col.label), rows: section.rows });
      }
    } catch (e) {
      answers.push(fail(e));
    }
  }
  return answers;
}

export const functionRoutes = new Hono<AppEnv>()
  .post('/batch', jsonBody(BatchBody), async (c) => c.json({ results: await answerBatch(c, c.req.valid('json').calls) }))
  .get('/pipeline', query(PipelineQuery), async (c) => {
    const p = c.get('principal');
    const q = c.req.valid('query');
    const owner = await ownerId(c.env.DB, p, q.owner);
    const stages = q.stage ? [q.stage] : [...OPEN_STAGES];
    const results = await pipelineTotals(c.env.DB, p.orgId, stages, owner);
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
    const results = await wonTotals(c.env.DB, p.orgId, `${q.from}T00:00:00.000Z`, nextDay(q.to), owner);
    return c.json({ columns: ['currency', 'count', 'valueMinor'], rows: results.map((r) => [r.currency, r.n, r.v]) });
  })
  .get('/quota', query(QuotaQuery), async (c) => {
    const p = c.get('principal');
    const q = c.req.valid('query');
    const owner = (await ownerId(c.env.DB, p, q.owner))!;
    const period = q.period ?? new Date().toISOString().slice(0, 7);
    const [from, to] = periodRange(period);
    const { quotas, won } = await quotaAndWon(c.env.DB, p.orgId, owner, period, from, to);
    const actual = new Map(won.map((r) => [r.currency, r.v]));
    const rows = quotas.map((r) => {
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

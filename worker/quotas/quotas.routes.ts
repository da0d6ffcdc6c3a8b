import { Hono } from 'hono';
import { z } from 'zod';
import { Currency, Id } from '../../shared/schemas';
import { auditStatement } from '../lib/audit';
import { requireRole } from '../auth/auth';
import type { AppEnv } from '../http/env';
import { AppError } from '../http/errors';
import { newId, nowIso } from '../lib/ids';
import { doc } from '../http/openapi';
import { jsonBody, query } from '../http/validate';
import { numbersOwner } from '../rules/access';
import { isMember } from '../admin/admin.repo';
import { listQuotas, putQuotaStatement, type QuotaRow } from './quotas.repo';

/** Quotas: each manager's sales plan for a month or a quarter, set against the amounts won in the weekly report. */

const QuotaPeriod = z.string().regex(/^\d{4}-(0[1-9]|1[0-2]|Q[1-4])$/, 'a month (2026-11) or a quarter (2026-Q4)');
const QuotaPut = z.strictObject({
  userId: Id,
  period: QuotaPeriod,
  amountMinor: z.number().int().min(0),
  currency: Currency.default('BGN'),
});
const QuotaQuery = z.strictObject({ period: QuotaPeriod.optional(), owner: z.union([Id, z.literal('me')]).optional() });

doc(
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
    const quotas = await listQuotas(c.env.DB, p.orgId, q.period, owner);
    return c.json({ items: quotas.map(toQuota), nextCursor: null });
  })
  .put('/', requireRole('head'), jsonBody(QuotaPut), async (c) => {
    const p = c.get('principal');
    const body = c.req.valid('json');
    const db = c.env.DB;
    if (!(await isMember(db, p.orgId, body.userId)))
      throw new AppError('validation_failed', 'No such user in your organisation.', {
        errors: [{ path: '/userId', code: 'unknown_reference', message: 'No such user.' }],
      });
    const now = nowIso();
    const [res] = await db.batch<QuotaRow>([
      putQuotaStatement(db, p.orgId, { id: newId(), ...body }, now),
      auditStatement(db, p, 'update', 'quota', body.userId, {
        period: body.period,
        amountMinor: body.amountMinor,
        currency: body.currency,
      }),
    ]);
    return c.json(toQuota(res!.results[0]!));
  });

import { Hono } from 'hono';
import { z } from 'zod';
import {
  Competitor,
  CompetitorCreate,
  CompetitorListQuery,
  CompetitorPatch,
  Deal,
  DealCompetitor,
  DealCompetitorLink,
  DealLose,
  Page,
} from '../../shared/schemas';
import { readJson } from '../cases/read-json';
import { deals } from '../deals/deals.repo';
import { assertAccess } from '../rules/access';
import { auditStatement } from '../lib/audit';
import { commit } from '../http/commit';
import { crudRoutes } from '../records/routes';
import { shiftGuard } from '../records/guard';
import type { Rec } from '../records/spec';
import { updateRecord } from '../records/writes';
import type { AppEnv, Principal } from '../http/env';
import { AppError, notFound } from '../http/errors';
import { newId, nowIso } from '../lib/ids';
import { doc } from '../http/openapi';
import { etag, requireIfMatch } from '../http/versioning';
import {
  clearLostToStatement,
  competitors,
  competitorSpec,
  competitorsOfDeal,
  dealCompetitorLink,
  lostToStatements,
  putLinkStatement,
  unlinkStatement,
} from './competitors.repo';

doc(
  {
    method: 'get',
    path: '/api/v1/deals/:id/competitors',
    summary: 'The competitors in a deal with their prices',
    tag: 'Competitor',
    response: Page(DealCompetitor),
  },
  {
    method: 'post',
    path: '/api/v1/deals/:id/competitors',
    summary: 'Link a competitor to a deal (again: updates its price and notes)',
    tag: 'Competitor',
    body: DealCompetitorLink,
    response: DealCompetitor,
    status: 201,
  },
  {
    method: 'post',
    path: '/api/v1/deals/:id/lose',
    summary: 'Mark a deal lost with its reason and, when one won it, the competitor and its price (one change)',
    tag: 'Competitor',
    body: DealLose,
    response: z.object({ deal: Deal, competitors: z.array(DealCompetitor) }),
    ifMatch: true,
    example: { lostReason: 'Price' },
  },
  {
    method: 'delete',
    path: '/api/v1/deals/:id/competitors/:competitorId',
    summary: 'Unlink a competitor from a deal',
    tag: 'Competitor',
    status: 204,
  },
);

export const competitorRoutes = crudRoutes('/competitors', competitorSpec, {
  create: CompetitorCreate,
  patch: CompetitorPatch,
  list: CompetitorListQuery,
  item: Competitor,
});

/** The deal must exist in the caller's organisation; managers change only their own deals. */
async function dealFor(db: D1Database, p: Principal, id: string, write: boolean): Promise<Rec> {
  const deal = await deals.get(db, p.orgId, id);
  if (!deal) throw notFound('Deal');
  if (write) assertAccess(p, 'deal', deal, deal);
  return deal;
}

/** Routes under /deals/:id/competitors and /deals/:id/lose. */
export const dealCompetitorRoutes = new Hono<AppEnv>()
  .get('/:id/competitors', async (c) => {
    const p = c.get('principal');
    const deal = await dealFor(c.env.DB, p, c.req.param('id'), false);
    return c.json({ items: await competitorsOfDeal(c.env.DB, p.orgId, deal.id), nextCursor: null });
  })
  .post('/:id/competitors', async (c) => {
    const p = c.get('principal');
    const db = c.env.DB;
    const deal = await dealFor(db, p, c.req.param('id'), true);
    const input: z.output<typeof DealCompetitorLink> = await readJson(c, DealCompetitorLink);
    const competitor = await competitors.get(db, p.orgId, input.competitorId);
    if (!competitor)
      throw new AppError('validation_failed', 'The competitor does not exist.', {
        errors: [{ path: '/competitorId', code: 'unknown_reference', message: 'No such competitor in your organisation.' }],
      });
    const existing = await dealCompetitorLink(db, p.orgId, deal.id, competitor.id);
    const now = nowIso();
    const link = {
      id: existing?.id ?? newId(),
      dealId: deal.id,
      competitorId: competitor.id,
      competitorName: competitor.name as string,
      priceMinor: input.priceMinor ?? null,
      currency: input.priceMinor != null ? (input.currency ?? (deal.currency as string)) : (input.currency ?? null),
      lostTo: input.lostTo ?? false,
      notes: input.notes ?? null,
      version: existing ? existing.version + 1 : 1,
      createdAt: existing?.created_at ?? now,
      updatedAt: now,
    };
    const stmts = [
      // Only one competitor is the one the deal was lost to.
      ...(link.lostTo ? [clearLostToStatement(db, p.orgId, deal.id, now)] : []),
      putLinkStatement(db, p.orgId, link, now),
      auditStatement(db, p, 'update', 'deal', deal.id, {
        competitorLinked: competitor.id,
        priceMinor: link.priceMinor,
        currency: link.currency,
        lostTo: link.lostTo,
      }),
    ];
    const status = existing && !existing.deleted_at ? 200 : 201;
    await commit(c, stmts, status, link);
    return c.json(link, status);
  })
  .post('/:id/lose', async (c) => {
    const p = c.get('principal');
    const db = c.env.DB;
    const deal = await dealFor(db, p, c.req.param('id'), true);
    const input: z.output<typeof DealLose> = await readJson(c, DealLose);
    const expected = requireIfMatch(c);
    const competitor = input.competitorId ? await competitors.get(db, p.orgId, input.competitorId) : null;
    if (input.competitorId && !competitor)
      throw new AppError('validation_failed', 'The competitor does not exist.', {
        errors: [{ path: '/competitorId', code: 'unknown_reference', message: 'No such competitor in your organisation.' }],
      });
    const now = nowIso();
    const priceMinor = input.priceMinor ?? null;
    const link = competitor
      ? {
          competitorId: competitor.id,
          priceMinor,
          currency: priceMinor !== null ? (input.currency ?? (deal.currency as string)) : (input.currency ?? null),
          notes: input.notes ?? null,
        }
      : null;
    const after = await updateRecord(
      db,
      deals,
      p,
      deal.id,
      expected,
      (before) => ({
        ...before,
        stage: 'lost',
        lostReason: input.lostReason,
        // The deal names the winner too, so every reader (the pipeline sheet, exports) sees it.
        competitor: competitor ? (competitor.name as string) : before.competitor,
      }),
      (guard) =>
        link
          ? [
              ...lostToStatements(db, p, deal.id, link, guard, now),
              auditStatement(
                db,
                p,
                'update',
                'deal',
                deal.id,
                { competitorLinked: link.competitorId, priceMinor: link.priceMinor, currency: link.currency, lostTo: true },
                shiftGuard(guard, 8),
              ),
            ]
          : [],
    );
    c.header('etag', etag(after.version));
    return c.json({ deal: after, competitors: await competitorsOfDeal(db, p.orgId, deal.id) });
  })
  .delete('/:id/competitors/:competitorId', async (c) => {
    const p = c.get('principal');
    const db = c.env.DB;
    const deal = await dealFor(db, p, c.req.param('id'), true);
    const competitorId = c.req.param('competitorId');
    const [res] = await db.batch([
      unlinkStatement(db, p.orgId, deal.id, competitorId, nowIso()),
      auditStatement(
        db,
        p,
        'update',
        'deal',
        deal.id,
        { competitorUnlinked: competitorId },
        {
          sql: 'changes() = 1',
          params: [],
        },
      ),
    ]);
    if (res!.meta.changes !== 1) throw notFound('Competitor link');
    return c.body(null, 204);
  });

// `GET /deals/standing?ids=`: the document package and the competitors of up to 200 deals in one
// read, for the Pipeline table's read-only columns (one request per page of the table, not two per
// row). Mounted before the deals' own routes, where "standing" would be read as a deal id.
import { Hono } from 'hono';
import { DealStandingList, DealStandingQuery, type Stage } from '../../shared/schemas';
import {
  checklist,
  dealDocumentsStatement,
  documentSettingsOf,
  documentSettingsStatement,
  type DocumentRow,
} from '../documents/documents.repo';
import { dealsCompetitorsStatement } from '../competitors/competitors.repo';
import type { AppEnv } from '../http/env';
import { doc } from '../http/openapi';
import { query } from '../http/validate';
import { dealStagesStatement } from './deals.repo';

doc({
  method: 'get',
  path: '/api/v1/deals/standing',
  summary: 'The document package and the competitors of up to 200 deals (ids=a,b,...); unknown ids are left out',
  tag: 'Deal',
  query: DealStandingQuery,
  response: DealStandingList,
});

interface CompetitorRow {
  deal_id: string;
  competitor_id: string;
  name: string;
  lost_to: number;
}

export const dealStandingRoutes = new Hono<AppEnv>().get('/standing', query(DealStandingQuery), async (c) => {
  const { orgId } = c.get('principal');
  const ids = JSON.stringify(c.req.valid('query').ids);
  const db = c.env.DB;
  const [settings, dealRows, docRows, competitorRows] = await db.batch([
    documentSettingsStatement(db, orgId),
    dealStagesStatement(db, orgId, ids),
    dealDocumentsStatement(db, orgId, ids),
    dealsCompetitorsStatement(db, orgId, ids),
  ]);
  const { slots } = documentSettingsOf((settings!.results as Array<{ value: string; version: number }>)[0]);
  const docsOf = group(docRows!.results as Array<DocumentRow & { deal_id: string }>);
  const competitorsOf = group(competitorRows!.results as CompetitorRow[]);
  const items = (dealRows!.results as Array<{ id: string; stage: Stage }>).map((d) => {
    const list = checklist(d, slots, docsOf.get(d.id) ?? []);
    const required = list.documents.filter((x) => x.required);
    return {
      dealId: d.id,
      stage: d.stage,
      documents: {
        required: required.length,
        ready: required.length - list.missing.length,
        missing: required.filter((x) => list.missing.includes(x.slot)).map((x) => ({ slot: x.slot, label: x.label })),
        blockingWon: list.blockingWon,
      },
      competitors: (competitorsOf.get(d.id) ?? []).map((r) => ({ competitorId: r.competitor_id, name: r.name, lostTo: r.lost_to === 1 })),
    };
  });
  return c.json({ items });
});

function group<R extends { deal_id: string }>(rows: R[]): Map<string, R[]> {
  const out = new Map<string, R[]>();
  for (const r of rows) out.set(r.deal_id, [...(out.get(r.deal_id) ?? []), r]);
  return out;
}

import { Hono } from 'hono';
import {
  companyKey,
  emailDomain,
  isFreeMail,
  nameKey,
  normalizeCompanyId,
  normalizeEmail,
  normalizeVat,
  toE164,
} from '../../shared/identity';
import { MATCH_WEIGHT, MatchQuery, type MatchKind } from '../../shared/schemas';
import { companies } from '../companies/companies.repo';
import { contacts } from '../contacts/contacts.repo';
import { leads } from '../leads/leads.repo';
import type { AppEnv } from '../http/env';
import { doc } from '../http/openapi';
import { query } from '../http/validate';
import { LEAD_KEY_COLUMNS } from '../imports/identity-lookup';
import { matchReads, type Hit } from './match.repo';

doc({
  method: 'get',
  path: '/api/v1/match',
  summary: 'Best existing companies, contacts and leads for emails, phones, EIKs, VATs and names',
  tag: 'Match',
  query: MatchQuery,
});

const list = (v: string | string[] | undefined) => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

/** Normalised lookup keys for the query: one batched, indexed lookup answers all of them. */
export function matchKeys(q: Record<string, string | string[] | undefined>): [MatchKind, string][] {
  const keys: [MatchKind, string][] = [];
  for (const e of list(q.email)) {
    const v = normalizeEmail(e);
    if (!v) continue;
    keys.push(['email', v]);
    if (!isFreeMail(v)) keys.push(['domain', emailDomain(v)!]);
  }
  for (const ph of list(q.phone)) {
    const v = toE164(ph);
    if (v) keys.push(['phone', v]);
  }
  for (const e of list(q.eik)) {
    const v = normalizeCompanyId(e);
    if (v) keys.push(['eik', v]);
  }
  for (const e of list(q.vat)) {
    const v = normalizeVat(e);
    if (v) keys.push(['vat', v]);
  }
  for (const n of list(q.name)) if (nameKey(n)) keys.push(['name', nameKey(n)]);
  for (const n of list(q.company)) if (companyKey(n)) keys.push(['name', companyKey(n)]);
  return keys;
}

export const matchRoutes = new Hono<AppEnv>().get('/', query(MatchQuery), async (c) => {
  const { orgId } = c.get('principal');
  const db = c.env.DB;
  const keys = matchKeys(c.req.valid('query'));
  if (!keys.length) return c.json({ contacts: [], companies: [], leads: [] });
  // The hits and every record they point at, in one round trip; the best 30 are picked below.
  const { hitRows, cRows, lRows, coRows } = await matchReads(db, orgId, keys);
  const scored = new Map<string, { entity: Hit['entity']; id: string; matched: Set<MatchKind>; score: number }>();
  const hit = (h: Hit) => {
    const key = `${h.entity}:${h.entity_id}`;
    const s = scored.get(key) ?? { entity: h.entity, id: h.entity_id, matched: new Set<MatchKind>(), score: 0 };
    if (!s.matched.has(h.kind)) {
      s.matched.add(h.kind);
      // Independent evidence combines: 1 - product of the misses.
      s.score = 1 - (1 - s.score) * (1 - MATCH_WEIGHT[h.kind]);
    }
    scored.set(key, s);
  };
  for (const h of hitRows) hit(h);
  // A lead's keys are its own columns: which of them matched is read off the row.
  const wanted = new Set(keys.map(([kind, value]) => `${kind}:${value}`));
  for (const r of lRows)
    for (const [kind, col] of Object.entries(LEAD_KEY_COLUMNS))
      if (wanted.has(`${kind}:${r[col] as string}`)) hit({ entity: 'lead', entity_id: r.id as string, kind: kind as MatchKind });
  const top = [...scored.values()].sort((a, b) => b.score - a.score).slice(0, 30);
  const best = new Set(top.map((b) => `${b.entity}:${b.id}`));
  const ids = (e: Hit['entity']) => top.filter((b) => b.entity === e).map((b) => b.id);
  const contactRecs = cRows.filter((r) => best.has(`contact:${r.id as string}`)).map((r) => contacts.toRecord(r));
  const companyById = new Map(coRows.map((r) => [r.id as string, companies.toRecord(r)]));
  const info = (e: Hit['entity'], id: string) => {
    const s = scored.get(`${e}:${id}`)!;
    return { matched: [...s.matched], score: Math.round(s.score * 1000) / 1000 };
  };
  const byScore = <T extends { score: number }>(a: T, b: T) => b.score - a.score;
  return c.json({
    contacts: contactRecs
      .map((contact) => ({ contact, company: companyById.get(contact.companyId as string) ?? null, ...info('contact', contact.id) }))
      .sort(byScore),
    companies: ids('company')
      .filter((id) => companyById.has(id))
      .map((id) => ({ company: companyById.get(id)!, ...info('company', id) }))
      .sort(byScore),
    leads: lRows
      .filter((r) => best.has(`lead:${r.id as string}`))
      .map((r) => leads.toRecord(r))
      .map((lead) => ({ lead, ...info('lead', lead.id) }))
      .sort(byScore),
  });
});

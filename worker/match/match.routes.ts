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
import { LEAD_KEY_COLUMNS, LEAD_KEY_HITS, leadKeyParams } from '../imports/identity-lookup';

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

interface Hit {
  entity: 'company' | 'contact' | 'lead';
  entity_id: string;
  kind: MatchKind;
}

/** The identity keys (?2, a JSON array of [kind, value]) of organisation ?1 that hold one of the query's keys. */
const KEYED = `json_each(?2) j CROSS JOIN identity_keys ik ON ik.org_id = ?1 AND ik.kind = j.value ->> 0 AND ik.value = j.value ->> 1`;

/**
 * The match's reads. Companies and contacts are found through identity_keys, leads through their
 * own indexed email, phone and name columns (?2-?4, see LEAD_KEY_HITS). Every record is fetched
 * by its id: a company is wanted for its own keys or for a matched contact's, and an OR of the
 * two made SQLite walk all of the organisation's companies and contacts instead.
 */
export const MATCH_SQL = {
  hits: `SELECT ik.entity, ik.entity_id, ik.kind FROM ${KEYED} LIMIT 500`,
  contacts: `SELECT * FROM contacts WHERE org_id = ?1 AND deleted_at IS NULL
               AND id IN (SELECT ik.entity_id FROM ${KEYED} AND ik.entity = 'contact' LIMIT 500)`,
  leads: `SELECT * FROM leads WHERE org_id = ?1 AND deleted_at IS NULL AND id IN (SELECT entity_id FROM (${LEAD_KEY_HITS})) LIMIT 500`,
  companies: `SELECT * FROM companies WHERE org_id = ?1 AND deleted_at IS NULL AND id IN (
                SELECT * FROM (SELECT ik.entity_id FROM ${KEYED} AND ik.entity = 'company' LIMIT 500)
                UNION ALL
                SELECT * FROM (SELECT c.company_id FROM ${KEYED} AND ik.entity = 'contact'
                                 CROSS JOIN contacts c ON c.id = ik.entity_id AND c.org_id = ?1 LIMIT 500))`,
};

export const matchRoutes = new Hono<AppEnv>().get('/', query(MatchQuery), async (c) => {
  const { orgId } = c.get('principal');
  const db = c.env.DB;
  const keys = matchKeys(c.req.valid('query'));
  if (!keys.length) return c.json({ contacts: [], companies: [], leads: [] });
  // One round trip: the hits, and every record they point at (a local D1 call costs more than
  // the few extra rows). The best 30 are picked from these below.
  const k = JSON.stringify(keys);
  const [hitRows, cRows, lRows, coRows] = await db.batch<Record<string, unknown>>([
    db.prepare(MATCH_SQL.hits).bind(orgId, k),
    db.prepare(MATCH_SQL.contacts).bind(orgId, k),
    db.prepare(MATCH_SQL.leads).bind(orgId, ...leadKeyParams(keys)),
    db.prepare(MATCH_SQL.companies).bind(orgId, k),
  ]);
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
  for (const h of hitRows!.results as unknown as Hit[]) hit(h);
  // A lead's keys are its own columns: which of them matched is read off the row.
  const wanted = new Set(keys.map(([kind, value]) => `${kind}:${value}`));
  for (const r of lRows!.results)
    for (const [kind, col] of Object.entries(LEAD_KEY_COLUMNS))
      if (wanted.has(`${kind}:${r[col] as string}`)) hit({ entity: 'lead', entity_id: r.id as string, kind: kind as MatchKind });
  const top = [...scored.values()].sort((a, b) => b.score - a.score).slice(0, 30);
  const best = new Set(top.map((b) => `${b.entity}:${b.id}`));
  const ids = (e: Hit['entity']) => top.filter((b) => b.entity === e).map((b) => b.id);
  const contactRecs = cRows!.results.filter((r) => best.has(`contact:${r.id as string}`)).map((r) => contacts.toRecord(r));
  const companyById = new Map(coRows!.results.map((r) => [r.id as string, companies.toRecord(r)]));
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
    leads: lRows!.results
      .filter((r) => best.has(`lead:${r.id as string}`))
      .map((r) => leads.toRecord(r))
      .map((lead) => ({ lead, ...info('lead', lead.id) }))
      .sort(byScore),
  });
});

import {
  companyKey,
  emailDomain,
  isFreeMail,
  normalizeDomain,
  normalizeCompanyId,
  normalizeEmail,
  normalizeVat,
  toE164,
} from '../../shared/identity';
import type { z } from 'zod';
import type { LeadConvert } from '../../shared/schemas';
import { activities } from '../activities/activities.repo';
import { companies } from '../companies/companies.repo';
import { contacts } from '../contacts/contacts.repo';
import { deals } from '../deals/deals.repo';
import { assertAccess } from '../rules/access';
import { auditStatement } from '../lib/audit';
import { assertStatement } from '../lib/batch-assert';
import { checkReferences } from '../records/writes';
import type { Rec } from '../records/spec';
import type { Principal } from '../http/env';
import { AppError } from '../http/errors';
import { newId, nowIso } from '../lib/ids';

type Key = [kind: string, value: string];

/** Finds the best existing entity whose identity keys match, by the order of `keys` (strongest first). */
async function findByKeys(
  db: D1Database,
  orgId: string,
  entity: 'company' | 'contact',
  keys: Key[],
): Promise<{ id: string; kind: string } | null> {
  if (!keys.length) return null;
  const { results } = await db
    .prepare(
      `SELECT ik.entity_id AS id, ik.kind FROM json_each(?3) j
         CROSS JOIN identity_keys ik ON ik.org_id = ?1 AND ik.kind = j.value ->> 0 AND ik.value = j.value ->> 1 AND ik.entity = ?2`,
    )
    .bind(orgId, entity, JSON.stringify(keys))
    .all<{ id: string; kind: string }>();
  for (const [kind] of keys) {
    const hit = results.find((r) => r.kind === kind);
    if (hit) return hit;
  }
  return null;
}

export interface Conversion {
  lead: Rec;
  company: Rec | null;
  contact: Rec | null;
  deal: Rec | null;
  activity: Rec;
  reused: { company: string | null; contact: string | null };
}

/**
 * Lead -> company + contact + deal + activity in one batch. An existing company is reused when its
 * EIK, VAT, email domain (not free mail) or name key matches; a contact when its email or phone does.
 */
export async function convertLead(
  db: D1Database,
  p: Principal,
  lead: Rec,
  opts: z.output<typeof LeadConvert>,
): Promise<{ statements: D1PreparedStatement[]; result: Conversion }> {
  const L = lead as Record<string, string | null> & Rec;
  await checkReferences(db, p.orgId, opts, ['companyId', 'contactId']);
  const now = nowIso();

  // Company: chosen, matched or new.
  let company: Rec | null = null;
  let companyReused: string | null = null;
  const statements: D1PreparedStatement[] = [];
  if (opts.companyId) company = await companies.get(db, p.orgId, opts.companyId);
  else {
    const domain = L.email && !isFreeMail(L.email) ? emailDomain(L.email) : normalizeDomain(L.website);
    const keys: Key[] = [];
    // A company's registry id: the Bulgarian EIK or the Russian ИНН.
    const eik = normalizeCompanyId(L.eik);
    const vat = normalizeVat(L.vat);
    if (eik) keys.push(['eik', eik]);
    if (vat) keys.push(['vat', vat]);
    if (domain && !isFreeMail(domain)) keys.push(['domain', domain]);
    if (L.companyName && companyKey(L.companyName)) keys.push(['name', companyKey(L.companyName)]);
    const hit = await findByKeys(db, p.orgId, 'company', keys);
    if (hit) {
      company = await companies.get(db, p.orgId, hit.id);
      companyReused = hit.kind;
    } else if (L.companyName || eik) {
      company = {
        id: newId(),
        version: 1,
        createdAt: now,
        updatedAt: now,
        name: L.companyName ?? `EIK ${eik}`,
        legalForm: null,
        eik,
        vat,
        domain: domain ?? null,
        vipTier: 0,
        ownerId: L.ownerId ?? p.userId,
        phone: null,
        email: null,
        website: L.website,
        address: L.address,
        city: L.city,
        country: null,
        notes: null,
        creditLimitMinor: null,
        creditCurrency: null,
      };
      companies.spec.normalize?.(company, null, p);
      statements.push(...companies.insertStatements(db, p, company, now));
    }
  }

  // Contact: chosen, matched or new.
  let contact: Rec | null = null;
  let contactReused: string | null = null;
  if (opts.contactId) contact = await contacts.get(db, p.orgId, opts.contactId);
  else {
    const keys: Key[] = [];
    const email = normalizeEmail(L.email);
    const phone = toE164(L.phone);
    if (email) keys.push(['email', email]);
    if (phone) keys.push(['phone', phone]);
    const hit = await findByKeys(db, p.orgId, 'contact', keys);
    if (hit) {
      contact = await contacts.get(db, p.orgId, hit.id);
      contactReused = hit.kind;
    } else if (L.fullName || L.firstName || L.lastName || email || phone) {
      contact = {
        id: newId(),
        version: 1,
        createdAt: now,
        updatedAt: now,
        companyId: company?.id ?? null,
        firstName: L.firstName,
        middleName: null,
        lastName: L.lastName,
        fullName: L.fullName ?? ([L.firstName, L.lastName].filter(Boolean).join(' ') || email || phone),
        title: L.title,
        emails: L.email ? [L.email] : [],
        phones: L.phone ? [L.phone] : [],
        ownerId: L.ownerId ?? p.userId,
        notes: null,
      };
      statements.push(...contacts.insertStatements(db, p, contact, now));
    }
  }

  let deal: Rec | null = null;
  if (opts.createDeal) {
    deal = {
      id: newId(),
      version: 1,
      createdAt: now,
      updatedAt: now,
      companyId: company?.id ?? null,
      contactId: contact?.id ?? null,
      leadId: lead.id,
      title: opts.dealTitle ?? [company?.name ?? L.fullName ?? L.companyName, L.interest].filter(Boolean).join(' · ') ?? 'Deal',
      amountMinor: opts.amountMinor ?? 0,
      currency: opts.currency ?? 'BGN',
      stage: opts.stage ?? 'qualified',
      probability: null,
      expectedClose: opts.expectedClose ?? null,
      ownerId: L.ownerId ?? p.userId,
      nextStep: null,
      lostReason: null,
      competitor: null,
      closedAt: null,
    };
    if (!deal.title) deal.title = 'Deal';
    deals.spec.normalize?.(deal, null, p);
    assertAccess(p, 'deal', null, deal);
    // The stage rules hold here as on POST /deals: a deal converted straight to won needs its documents.
    statements.push(
      ...((await deals.spec.beforeWrite?.(db, null, deal, p, {
        overrideReason: opts.overrideReason ?? null,
        guard: { sql: '1', params: [] },
      })) ?? []),
    );
    statements.push(...deals.insertStatements(db, p, deal, now));
    statements.push(...(deals.spec.onWrite?.(db, null, deal, p, { sql: '1', params: [] }) ?? []));
  }

  const activity: Rec = {
    id: newId(),
    version: 1,
    createdAt: now,
    updatedAt: now,
    type: 'note',
    subject: `Lead converted: ${L.fullName ?? L.companyName ?? L.email ?? lead.id}`,
    excerpt: L.needs ?? null,
    occurredAt: now,
    direction: null,
    companyId: company?.id ?? null,
    contactId: contact?.id ?? null,
    dealId: deal?.id ?? null,
    leadId: lead.id,
    ownerId: p.userId,
    externalId: null,
  };
  statements.push(...activities.insertStatements(db, p, activity, now));

  const after: Rec = {
    ...lead,
    status: 'converted',
    version: lead.version + 1,
    updatedAt: now,
    convertedCompanyId: company?.id ?? null,
    convertedContactId: contact?.id ?? null,
    convertedDealId: deal?.id ?? null,
    convertedAt: now,
  };
  // The lead update goes first; the assertion aborts everything if someone changed the lead meanwhile.
  const head = [
    db
      .prepare(
        `UPDATE leads SET status = 'converted', converted_company_id = ?4, converted_contact_id = ?5, converted_deal_id = ?6, converted_at = ?7,
                version = version + 1, updated_at = ?7 WHERE org_id = ?1 AND id = ?2 AND version = ?3 AND deleted_at IS NULL AND status != 'converted'`,
      )
      .bind(p.orgId, lead.id, lead.version, company?.id ?? null, contact?.id ?? null, deal?.id ?? null, now),
    assertStatement(db, 'EXISTS (SELECT 1 FROM leads WHERE id = ?1 AND version = ?2 AND converted_at = ?3)', [
      lead.id,
      lead.version + 1,
      now,
    ]),
  ];
  statements.unshift(...head);
  statements.push(
    auditStatement(db, p, 'convert', 'lead', lead.id, {
      companyId: company?.id ?? null,
      contactId: contact?.id ?? null,
      dealId: deal?.id ?? null,
      reusedCompany: companyReused,
      reusedContact: contactReused,
    }),
  );
  if (!company && !contact && !deal)
    throw new AppError('business_rule', 'This lead has nothing to convert: add a name, company, email or phone first.');
  return {
    statements,
    result: { lead: after, company, contact, deal, activity, reused: { company: companyReused, contact: contactReused } },
  };
}

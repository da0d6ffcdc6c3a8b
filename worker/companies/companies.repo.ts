import { companyKey, normalizeCompanyId, normalizeDomain, normalizeEmail, normalizeVat, toE164, isFreeMail } from '../../shared/identity';
import type { EntitySpec, IdentityKey } from '../records/spec';
import { Repo } from '../records/repository';

export const companySpec: EntitySpec = {
  table: 'companies',
  entity: 'company',
  label: 'Company',
  fields: {
    name: 'text',
    legalForm: 'text',
    eik: 'text',
    vat: 'text',
    domain: 'text',
    vipTier: 'int',
    ownerId: 'text',
    phone: 'text',
    email: 'text',
    website: 'text',
    address: 'text',
    city: 'text',
    country: 'text',
    notes: 'text',
    creditLimitMinor: 'int',
    creditCurrency: 'text',
  },
  ownerField: 'ownerId',
  deleteRoles: ['head', 'admin'],
  filters: { owner: 'owner_id', vip: (v) => (v === 'true' ? 'vip_tier > 0' : 'vip_tier = 0') },
  searchColumns: ['eik', 'domain'],
  normalize(rec) {
    rec.vipTier ??= 0;
    if (typeof rec.eik === 'string') rec.eik = normalizeCompanyId(rec.eik) ?? rec.eik.replace(/\s/g, '');
    if (typeof rec.vat === 'string') rec.vat = normalizeVat(rec.vat) ?? rec.vat.toUpperCase().replace(/\s/g, '');
    if (!rec.domain && typeof rec.website === 'string') rec.domain = normalizeDomain(rec.website);
    if (!rec.domain && typeof rec.email === 'string' && !isFreeMail(rec.email)) rec.domain = normalizeDomain(rec.email);
    if (typeof rec.domain === 'string') rec.domain = normalizeDomain(rec.domain) ?? rec.domain.toLowerCase();
  },
  derive: (r) => ({
    name_key: companyKey(r.name as string),
    email_norm: normalizeEmail(r.email as string),
    phone_e164: toE164(r.phone as string),
  }),
  keys(r, derived) {
    const keys: IdentityKey[] = [{ kind: 'name', value: derived.name_key as string }];
    const eik = normalizeCompanyId(r.eik as string);
    if (eik) keys.push({ kind: 'eik', value: eik });
    const vat = normalizeVat(r.vat as string);
    if (vat) keys.push({ kind: 'vat', value: vat });
    if (typeof r.domain === 'string' && !isFreeMail(r.domain)) keys.push({ kind: 'domain', value: r.domain });
    const email = derived.email_norm as string | null;
    if (email) keys.push({ kind: 'email', value: email });
    const phone = derived.phone_e164 as string | null;
    if (phone) keys.push({ kind: 'phone', value: phone });
    return keys;
  },
};

export const companies = new Repo(companySpec);

/** The names of these companies (deleted ones too), for a batch. */
export const companyNamesStatement = (db: D1Database, orgId: string, ids: string[]) =>
  db
    .prepare('SELECT id, name FROM companies WHERE org_id = ?1 AND id IN (SELECT value FROM json_each(?2))')
    .bind(orgId, JSON.stringify(ids));

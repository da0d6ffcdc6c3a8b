import { nameKey, normalizeEik, normalizeEmail, normalizeVat, toE164 } from '../../shared/identity';
import { type EntitySpec, type IdentityKey, Repo } from '../lib/crud';

export const leadSpec: EntitySpec = {
  table: 'leads',
  entity: 'lead',
  label: 'Lead',
  fields: {
    source: 'text',
    status: 'text',
    fullName: 'text',
    firstName: 'text',
    lastName: 'text',
    email: 'text',
    phone: 'text',
    companyName: 'text',
    title: 'text',
    website: 'text',
    eik: 'text',
    vat: 'text',
    address: 'text',
    city: 'text',
    needs: 'text',
    interest: 'text',
    notes: 'text',
    ownerId: 'text',
    externalRef: 'text',
  },
  readOnly: { convertedCompanyId: 'text', convertedContactId: 'text', convertedDealId: 'text', convertedAt: 'text' },
  ownerField: 'ownerId',
  restrictToOwner: true,
  filters: { owner: 'owner_id', status: 'status', source: 'source' },
  searchColumns: ['email_norm'],
  normalize(rec) {
    rec.status ??= 'new';
    if (!rec.fullName) {
      const joined = [rec.firstName, rec.lastName].filter(Boolean).join(' ');
      rec.fullName = joined || null;
    }
    if (typeof rec.eik === 'string') rec.eik = normalizeEik(rec.eik) ?? rec.eik;
    if (typeof rec.vat === 'string') rec.vat = normalizeVat(rec.vat) ?? rec.vat;
  },
  derive: (r) => ({
    name_key: nameKey(((r.fullName as string) ?? '') + ' ' + ((r.companyName as string) ?? '')),
    email_norm: normalizeEmail(r.email as string),
    phone_e164: toE164(r.phone as string),
  }),
  keys(r, derived) {
    const keys: IdentityKey[] = [];
    const email = derived.email_norm as string | null;
    if (email) keys.push({ kind: 'email', value: email });
    const phone = derived.phone_e164 as string | null;
    if (phone) keys.push({ kind: 'phone', value: phone });
    if (r.fullName) keys.push({ kind: 'name', value: nameKey(r.fullName as string) });
    return keys;
  },
};

export const leads = new Repo(leadSpec);

import { nameKey, normalizeCompanyId, normalizeEmail, normalizeVat, toE164 } from '../../shared/identity';
import type { EntitySpec } from '../records/spec';
import { Repo } from '../records/repository';

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
  // An email's message id or a sheet row key: capturing the same one again answers the first lead.
  externalField: 'externalRef',
  externalScope: ['source'],
  filters: { owner: 'owner_id', status: 'status', source: 'source' },
  searchColumns: ['email_norm'],
  normalize(rec) {
    rec.status ??= 'new';
    if (!rec.fullName) {
      const joined = [rec.firstName, rec.lastName].filter(Boolean).join(' ');
      rec.fullName = joined || null;
    }
    if (typeof rec.eik === 'string') rec.eik = normalizeCompanyId(rec.eik) ?? rec.eik;
    if (typeof rec.vat === 'string') rec.vat = normalizeVat(rec.vat) ?? rec.vat;
  },
  derive: (r) => ({
    name_key: nameKey(((r.fullName as string) ?? '') + ' ' + ((r.companyName as string) ?? '')),
    email_norm: normalizeEmail(r.email as string),
    phone_e164: toE164(r.phone as string),
    // The person's name alone, for /match and the import's duplicates (name_key adds the company).
    person_key: nameKey(r.fullName as string) || null,
  }),
};

export const leads = new Repo(leadSpec);

import { nameKey, normalizeEmail, toE164 } from '../../shared/identity';
import type { EntitySpec, IdentityKey } from '../records/spec';
import { Repo } from '../records/repository';

function joinName(r: Record<string, unknown>): string {
  return [r.firstName, r.middleName, r.lastName].filter((x) => typeof x === 'string' && x).join(' ');
}

export const contactSpec: EntitySpec = {
  table: 'contacts',
  entity: 'contact',
  label: 'Contact',
  fields: {
    companyId: 'text',
    firstName: 'text',
    middleName: 'text',
    lastName: 'text',
    fullName: 'text',
    title: 'text',
    emails: 'json',
    phones: 'json',
    ownerId: 'text',
    notes: 'text',
  },
  ownerField: 'ownerId',
  deleteRoles: ['head', 'admin'],
  filters: { owner: 'owner_id', companyId: 'company_id' },
  searchColumns: ['email_norm'],
  normalize(rec) {
    rec.emails ??= [];
    rec.phones ??= [];
    if (!rec.fullName) rec.fullName = joinName(rec);
  },
  derive: (r) => ({
    name_key: nameKey(r.fullName as string),
    email_norm: normalizeEmail((r.emails as string[])[0]),
    phone_e164: toE164((r.phones as string[])[0]),
  }),
  keys(r, derived) {
    const keys: IdentityKey[] = [{ kind: 'name', value: derived.name_key as string }];
    for (const e of r.emails as string[]) {
      const v = normalizeEmail(e);
      if (v) keys.push({ kind: 'email', value: v });
    }
    for (const ph of r.phones as string[]) {
      const v = toE164(ph);
      if (v) keys.push({ kind: 'phone', value: v });
    }
    return keys;
  },
};

export const contacts = new Repo(contactSpec);

/** The flat JSON shape of a lead that the CLI prints and other tools read. */
import type { Extraction } from './types';

export interface LeadJson {
  fullName: string | null;
  firstName: string | null;
  /** a patronymic, a father's name or a middle name; null when the name has none */
  middleName: string | null;
  lastName: string | null;
  email: string | null;
  company: string | null;
  title: string | null;
  phones: string[];
  fax: string[];
  website: string | null;
  address: string | null;
  city: string | null;
  eik: string | null;
  vat: string | null;
}

/**
 * Flattens an extraction's lead to plain values (null for what is absent, E.164 for phones).
 * @example toLeadJson(extractLead(input)).phones // ['+359888123456']
 */
export function toLeadJson(x: Extraction): LeadJson {
  const l = x.lead;
  return {
    fullName: l.fullName?.value ?? null,
    firstName: l.firstName?.value ?? null,
    middleName: l.middleName?.value ?? null,
    lastName: l.lastName?.value ?? null,
    email: l.email?.value ?? null,
    company: l.company?.value ?? null,
    title: l.title?.value ?? null,
    phones: l.phones.map((p) => p.value),
    fax: l.fax.map((p) => p.value),
    website: l.website?.value ?? null,
    address: l.address?.value ?? null,
    city: l.city?.value ?? null,
    eik: l.eik?.value ?? null,
    vat: l.vat?.value ?? null,
  };
}

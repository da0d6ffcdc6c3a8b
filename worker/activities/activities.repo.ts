import { nameKey } from '../../shared/identity';
import type { EntitySpec } from '../records/spec';
import { Repo } from '../records/repository';

export const activitySpec: EntitySpec = {
  table: 'activities',
  entity: 'activity',
  label: 'Activity',
  fields: {
    type: 'text',
    subject: 'text',
    excerpt: 'text',
    occurredAt: 'text',
    direction: 'text',
    companyId: 'text',
    contactId: 'text',
    dealId: 'text',
    leadId: 'text',
    ownerId: 'text',
    externalId: 'text',
  },
  ownerField: 'ownerId',
  filters: { owner: 'owner_id', companyId: 'company_id', contactId: 'contact_id', dealId: 'deal_id', type: 'type' },
  externalField: 'externalId',
  normalize(rec) {
    rec.occurredAt ??= new Date().toISOString();
  },
  derive: (r) => ({ name_key: nameKey(r.subject as string) }),
};

export const activities = new Repo(activitySpec);

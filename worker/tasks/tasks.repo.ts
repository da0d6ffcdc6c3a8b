import { nameKey } from '../../shared/identity';
import type { EntitySpec } from '../records/spec';
import { Repo } from '../records/repository';

export const taskSpec: EntitySpec = {
  table: 'tasks',
  entity: 'task',
  label: 'Task',
  fields: {
    title: 'text',
    notes: 'text',
    dueAt: 'text',
    done: 'bool',
    assigneeId: 'text',
    companyId: 'text',
    contactId: 'text',
    dealId: 'text',
    leadId: 'text',
  },
  readOnly: { doneAt: 'text' },
  ownerField: 'assigneeId',
  filters: { owner: 'assignee_id', done: 'done', dealId: 'deal_id' },
  normalize(rec, before) {
    rec.done ??= false;
    if (rec.done && !(before && before.done)) rec.doneAt = new Date().toISOString();
    if (!rec.done) rec.doneAt = null;
  },
  derive: (r) => ({ name_key: nameKey(r.title as string) }),
};

export const tasks = new Repo(taskSpec);

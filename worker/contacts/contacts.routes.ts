import { Contact, ContactCreate, ContactListQuery, ContactPatch } from '../../shared/schemas';
import { crudRoutes } from '../records/routes';
import { contactSpec } from './contacts.repo';

export const contactRoutes = crudRoutes('/contacts', contactSpec, {
  create: ContactCreate,
  patch: ContactPatch,
  list: ContactListQuery,
  item: Contact,
});

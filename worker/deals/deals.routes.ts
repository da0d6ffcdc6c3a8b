import { Deal, DealCreate, DealListQuery, DealPatch } from '../../shared/schemas';
import { crudRoutes } from '../records/routes';
import { dealSpec } from './deals.repo';

export const dealRoutes = crudRoutes('/deals', dealSpec, { create: DealCreate, patch: DealPatch, list: DealListQuery, item: Deal });

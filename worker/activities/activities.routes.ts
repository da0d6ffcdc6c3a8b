import { Activity, ActivityCreate, ActivityListQuery, ActivityPatch } from '../../shared/schemas';
import { crudRoutes } from '../records/routes';
import { activitySpec } from './activities.repo';

export const activityRoutes = crudRoutes('/activities', activitySpec, {
  create: ActivityCreate,
  patch: ActivityPatch,
  list: ActivityListQuery,
  item: Activity,
});

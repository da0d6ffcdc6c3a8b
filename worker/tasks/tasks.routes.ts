import { Task, TaskCreate, TaskListQuery, TaskPatch } from '../../shared/schemas';
import { crudRoutes } from '../records/routes';
import { taskSpec } from './tasks.repo';

export const taskRoutes = crudRoutes('/tasks', taskSpec, { create: TaskCreate, patch: TaskPatch, list: TaskListQuery, item: Task });

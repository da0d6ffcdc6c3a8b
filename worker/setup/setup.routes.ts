import { Hono } from 'hono';
import { SetupAnswer, SetupRequest } from '../../shared/schemas';
import { readJson } from '../cases/read-json';
import type { AppEnv } from '../http/env';
import { doc } from '../http/openapi';
import { checkSetupToken, setUpDeployment } from './setup.repo';

doc({
  method: 'post',
  path: '/api/v1/setup',
  summary:
    "Set up an empty deployment (once): its first organisation and admin; answers the admin's personal token. Authorization: Bearer <SETUP_TOKEN secret>",
  tag: 'Setup',
  roles: 'public',
  body: SetupRequest,
  response: SetupAnswer,
  status: 201,
});

/** `POST /api/v1/setup`: before authentication (there is nobody to authenticate yet). */
export const setupRoutes = new Hono<AppEnv>().post('/', async (c) => {
  // The secret first: without it nothing about the body or the deployment is answered.
  await checkSetupToken(c.env.SETUP_TOKEN, c.req.header('authorization'));
  const input = await readJson(c, SetupRequest);
  return c.json(await setUpDeployment(c.env.DB, input), 201);
});

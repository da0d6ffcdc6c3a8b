import { Hono } from 'hono';
import { WebForm, WebFormCreate, WebFormListQuery, WebFormPatch } from '../../shared/schemas';
import { auditStatement } from '../lib/audit';
import { requireRole } from '../auth/auth';
import { checkReferences, updateRecord } from '../records/writes';
import { commit } from '../http/commit';
import { listRecords } from '../records/lists';
import type { Rec } from '../records/spec';
import type { AppEnv } from '../http/env';
import { notFound } from '../http/errors';
import { newId, nowIso } from '../lib/ids';
import { doc } from '../http/openapi';
import { jsonBody, query } from '../http/validate';
import { etag, requireIfMatch } from '../http/versioning';
import { forms, formSpec } from './forms.repo';

doc(
  { method: 'get', path: '/api/v1/forms', summary: 'List web-to-lead forms', tag: 'Forms', query: WebFormListQuery },
  {
    method: 'post',
    path: '/api/v1/forms',
    summary: 'Create a web-to-lead form; answers its public formKey (embed it from GET /api/v1/forms/{formKey}/embed)',
    tag: 'Forms',
    roles: ['head', 'admin'],
    body: WebFormCreate,
    response: WebForm,
    status: 201,
  },
  { method: 'get', path: '/api/v1/forms/:id', summary: 'Read a web-to-lead form', tag: 'Forms', response: WebForm },
  {
    method: 'patch',
    path: '/api/v1/forms/:id',
    summary: 'Change a form: name, owner, allowed origins, active',
    tag: 'Forms',
    roles: ['head', 'admin'],
    body: WebFormPatch,
    response: WebForm,
    ifMatch: true,
  },
);

/** The organisation's forms (authenticated); the public side is in forms.public.ts. */
export const formRoutes = new Hono<AppEnv>()
  .get('/', query(WebFormListQuery), async (c) => c.json(await listRecords(c.env.DB, forms, c.get('principal'), c.req.valid('query'))))
  .post('/', requireRole('head', 'admin'), jsonBody(WebFormCreate), async (c) => {
    const p = c.get('principal');
    const db = c.env.DB;
    const input = c.req.valid('json');
    const now = nowIso();
    const rec: Rec = {
      id: newId(),
      version: 1,
      createdAt: now,
      updatedAt: now,
      name: input.name,
      ownerId: input.ownerId ?? null,
      allowedOrigins: input.allowedOrigins ?? [],
      active: input.active ?? true,
    };
    formSpec.normalize!(rec, null, p);
    await checkReferences(db, p.orgId, rec, ['ownerId']);
    const location = `/api/v1/forms/${rec.id}`;
    await commit(c, [...forms.insertStatements(db, p, rec, now), auditStatement(db, p, 'create', 'form', rec.id)], 201, rec, {
      etag: etag(1),
      location,
    });
    c.header('etag', etag(1));
    c.header('location', location);
    return c.json(rec, 201);
  })
  .get('/:id', async (c) => {
    const rec = await forms.get(c.env.DB, c.get('principal').orgId, c.req.param('id'));
    if (!rec) throw notFound('Form');
    c.header('etag', etag(rec.version));
    return c.json(rec);
  })
  .patch('/:id', requireRole('head', 'admin'), jsonBody(WebFormPatch), async (c) => {
    const expected = requireIfMatch(c);
    const patch = c.req.valid('json') as Record<string, unknown>;
    const rec = await updateRecord(c.env.DB, forms, c.get('principal'), c.req.param('id'), expected, (before) => {
      const next: Record<string, unknown> = { ...before };
      for (const [k, v] of Object.entries(patch)) if (v !== undefined) next[k] = v;
      return next;
    });
    c.header('etag', etag(rec.version));
    return c.json(rec);
  });

import { Hono, type Context } from 'hono';
import type { z } from 'zod';
import { commit } from '../http/commit';
import type { AppEnv } from '../http/env';
import { AppError, notFound } from '../http/errors';
import { atomicIdempotent } from '../http/idempotency';
import { doc } from '../http/openapi';
import { jsonBody, query } from '../http/validate';
import { etag, requireIfMatch } from '../http/versioning';
import { listRecords, type ListQuery } from './lists';
import { Repo } from './repository';
import type { EntitySpec } from './spec';
import { createStatements, externalLookup, isExternalConflict, setDeleted, updateRecord } from './writes';

/** The override reason of a request: `X-Override-Reason` (may be percent-encoded) or a body field. */
export function overrideReasonOf(c: Context, body?: Record<string, unknown>): string | null {
  const fromBody = typeof body?.overrideReason === 'string' ? body.overrideReason.trim() : '';
  if (fromBody) return fromBody.slice(0, 500);
  const header = c.req.header('x-override-reason')?.trim();
  if (!header) return null;
  try {
    return decodeURIComponent(header).slice(0, 500) || null;
  } catch {
    return header.slice(0, 500);
  }
}

export interface CrudSchemas<C extends z.ZodType, P extends z.ZodType, L extends z.ZodType> {
  create: C;
  patch: P;
  list: L;
  item: z.ZodType;
}

/**
 * The six verbs every shared record has: list, create, read, update (If-Match), delete (soft,
 * If-Match) and restore. Each feature supplies its EntitySpec and schemas.
 */
export function crudRoutes<C extends z.ZodType, P extends z.ZodType, L extends z.ZodType>(
  base: string,
  spec: EntitySpec,
  schemas: CrudSchemas<C, P, L>,
) {
  const repo = new Repo(spec);
  const tag = spec.label;
  const full = `/api/v1${base}`;
  doc(
    { method: 'get', path: full, summary: `List ${spec.table}`, tag, query: schemas.list },
    { method: 'post', path: full, summary: `Create a ${spec.entity}`, tag, body: schemas.create, response: schemas.item, status: 201 },
    { method: 'get', path: `${full}/:id`, summary: `Read a ${spec.entity}`, tag, response: schemas.item },
    {
      method: 'patch',
      path: `${full}/:id`,
      summary: `Update a ${spec.entity}`,
      tag,
      body: schemas.patch,
      response: schemas.item,
      ifMatch: true,
    },
    {
      method: 'delete',
      path: `${full}/:id`,
      summary: `Delete a ${spec.entity} (undo with restore)`,
      tag,
      ifMatch: true,
      status: 204,
      ...(spec.deleteRoles ? { roles: spec.deleteRoles } : {}),
    },
    {
      method: 'post',
      path: `${full}/:id/restore`,
      summary: `Restore a deleted ${spec.entity}`,
      tag,
      response: schemas.item,
      ifMatch: true,
    },
  );
  // A create writes in one commit() batch, so its Idempotency-Key needs no separate claim.
  atomicIdempotent(full);

  return new Hono<AppEnv>()
    .get('/', query(schemas.list), async (c) => {
      const q = c.req.valid('query') as ListQuery;
      return c.json(await listRecords(c.env.DB, repo, c.get('principal'), q));
    })
    .post('/', jsonBody(schemas.create), async (c) => {
      const p = c.get('principal');
      const { overrideReason: givenReason, ...input } = c.req.valid('json') as Record<string, unknown>;
      const db = c.env.DB;
      const findExisting = externalLookup(repo, input);
      const answerExisting = async () => {
        const existing = findExisting && (await findExisting(db, p.orgId));
        if (!existing) return null;
        const rec = repo.toRecord(existing);
        c.header('etag', etag(rec.version));
        return c.json(rec, 200);
      };
      const found = await answerExisting();
      if (found) return found;
      const overrideReason = overrideReasonOf(c, { overrideReason: givenReason });
      const { rec, stmts } = await createStatements(db, repo, p, input, overrideReason);
      const location = `${full}/${rec.id}`;
      try {
        await commit(c, stmts, 201, rec, { etag: etag(1), location });
      } catch (err) {
        // A concurrent create with the same external id got there first: answer theirs.
        const theirs = isExternalConflict(spec, err) ? await answerExisting() : null;
        if (theirs) return theirs;
        throw err;
      }
      c.header('etag', etag(1));
      c.header('location', location);
      return c.json(rec, 201);
    })
    .get('/:id', async (c) => {
      const rec = await repo.get(c.env.DB, c.get('principal').orgId, c.req.param('id'));
      if (!rec) throw notFound(spec.label);
      c.header('etag', etag(rec.version));
      return c.json(rec);
    })
    .patch('/:id', jsonBody(schemas.patch), async (c) => {
      const p = c.get('principal');
      const expected = requireIfMatch(c);
      const { overrideReason: _reason, ...patch } = c.req.valid('json') as Record<string, unknown>;
      const overrideReason = overrideReasonOf(c, { overrideReason: _reason });
      const rec = await updateRecord(
        c.env.DB,
        repo,
        p,
        c.req.param('id'),
        expected,
        (before) => {
          const next: Record<string, unknown> = { ...before };
          for (const [k, v] of Object.entries(patch)) if (v !== undefined) next[k] = v;
          return next;
        },
        undefined,
        { overrideReason },
      ).catch((err: unknown) => {
        if (!isExternalConflict(spec, err)) throw err;
        const field = spec.externalField!;
        throw new AppError('conflict', `Another ${spec.entity} already has this ${field}; nothing was changed.`, {
          errors: [{ path: `/${field}`, code: 'duplicate', message: `already used by another ${spec.entity}` }],
        });
      });
      c.header('etag', etag(rec.version));
      return c.json(rec);
    })
    .delete('/:id', async (c) => {
      const p = c.get('principal');
      if (spec.deleteRoles && !spec.deleteRoles.includes(p.role))
        throw new AppError('forbidden', `Deleting a ${spec.entity} needs the ${spec.deleteRoles.join(' or ')} role.`);
      const expected = requireIfMatch(c);
      await setDeleted(c.env.DB, repo, p, c.req.param('id'), expected, true);
      return c.body(null, 204);
    })
    .post('/:id/restore', async (c) => {
      const p = c.get('principal');
      const expected = requireIfMatch(c);
      const rec = await setDeleted(c.env.DB, repo, p, c.req.param('id'), expected, false);
      c.header('etag', etag(rec.version));
      return c.json(rec);
    });
}

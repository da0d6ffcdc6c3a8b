import { z } from 'zod';
import type { Role } from '../../shared/schemas';
import { Problem } from '../../shared/schemas';

/** One documented route: the OpenAPI document and the cross-organisation suite are built from these. */
export interface RouteDoc {
  method: 'get' | 'post' | 'patch' | 'put' | 'delete';
  /** Hono-style path under the site root, e.g. /api/v1/deals/:id */
  path: string;
  summary: string;
  tag: string;
  /** Roles allowed; undefined = any member; 'public' = no token. */
  roles?: Role[] | 'public';
  body?: z.ZodType;
  query?: z.ZodType;
  response?: z.ZodType;
  status?: number;
  ifMatch?: boolean;
  /** A valid body, for generated suites where `{}` would not pass validation. */
  example?: unknown;
}

export const routeDocs: RouteDoc[] = [];

export function doc(...docs: RouteDoc[]): void {
  for (const d of docs) if (!routeDocs.some((r) => r.method === d.method && r.path === d.path)) routeDocs.push(d);
}

const schemaOf = (s: z.ZodType) => z.toJSONSchema(s, { io: 'input', unrepresentable: 'any' });

export function openApiDocument(origin: string): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of routeDocs) {
    const path = r.path.replace(/:(\w+)/g, '{$1}');
    const params = [...r.path.matchAll(/:(\w+)/g)].map((m) => ({ name: m[1], in: 'path', required: true, schema: { type: 'string' } }));
    if (r.ifMatch) params.push({ name: 'If-Match', in: 'header', required: true, schema: { type: 'string' } });
    if (r.method === 'post' && r.roles !== 'public')
      params.push({ name: 'Idempotency-Key', in: 'header', required: false, schema: { type: 'string' } });
    if (r.query) {
      const q = schemaOf(r.query) as { properties?: Record<string, unknown>; required?: string[] };
      for (const [name, schema] of Object.entries(q.properties ?? {}))
        params.push({ name, in: 'query', required: q.required?.includes(name) ?? false, schema: schema as { type: string } });
    }
    paths[path] ??= {};
    paths[path][r.method] = {
      summary: r.summary,
      tags: [r.tag],
      ...(r.roles === 'public' ? { security: [] } : r.roles ? { 'x-roles': r.roles } : {}),
      parameters: params,
      ...(r.body ? { requestBody: { required: true, content: { 'application/json': { schema: schemaOf(r.body) } } } } : {}),
      responses: {
        [String(r.status ?? 200)]: {
          description: 'OK',
          ...(r.response ? { content: { 'application/json': { schema: z.toJSONSchema(r.response, { unrepresentable: 'any' }) } } } : {}),
        },
        default: { description: 'Problem', content: { 'application/problem+json': { schema: z.toJSONSchema(Problem) } } },
      },
    };
  }
  return {
    openapi: '3.1.0',
    info: { title: 'Leadpane API', version: '1.0.0', description: 'Sales CRM for Outlook and Excel.' },
    servers: [{ url: origin }],
    components: {
      securitySchemes: {
        bearer: {
          type: 'http',
          scheme: 'bearer',
          description: 'Personal token lp_..., or a Microsoft 365 (Entra ID) access token for the add-in',
        },
      },
    },
    security: [{ bearer: [] }],
    paths,
  };
}

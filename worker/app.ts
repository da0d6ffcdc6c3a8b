import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { HTTPException } from 'hono/http-exception';
import { activityRoutes } from './activities/activities.routes';
import { meRoutes, tokenRoutes, userRoutes } from './admin/admin.routes';
import { formSubmissionRoutes } from './admin/form-submissions.routes';
import { tenantRoutes } from './admin/tenant.routes';
import { companyRoutes } from './companies/companies.routes';
import { contactRoutes } from './contacts/contacts.routes';
import { dealStandingRoutes } from './deals/deal-standing.routes';
import { dealRoutes } from './deals/deals.routes';
import { leadRoutes } from './leads/leads.routes';
import { authenticate } from './auth/auth';
import { signInConfig } from './auth/entra';
import type { AppEnv } from './http/env';
import { AppError, redact } from './http/errors';
import { idempotency, KeyTaken } from './http/idempotency';
import { isTransientD1Error, retryTransientD1 } from './lib/d1-retry';
import { fairTurns } from './http/fair-turns';
import { rateLimit } from './http/rate-limit';
import { privacyRoutes } from './privacy/privacy.routes';
import { doc, openApiDocument } from './http/openapi';
import { importRoutes } from './imports/imports.routes';
import { matchRoutes } from './match/match.routes';
import { reportRoutes } from './reports/reports.routes';
// After the reports' routes: the OpenAPI document lists the quotas after the weekly report, as before.
import { quotaRoutes } from './quotas/quotas.routes';
import { functionRoutes } from './reports/functions.routes';
import { csvListRoutes } from './reports/list-csv.routes';
import { taskRoutes } from './tasks/tasks.routes';
import { caseRoutes } from './cases/cases.routes';
import { competitorRoutes, dealCompetitorRoutes } from './competitors/competitors.routes';
import { dealDocumentRoutes, documentSettingsRoutes } from './documents/documents.routes';
import { formRoutes } from './forms/forms.routes';
import { publicFormRoutes } from './forms/forms.public';
import { setupRoutes } from './setup/setup.routes';
import { solvencyRoutes } from './solvency/solvency.routes';
import { todayRoutes } from './today/today.routes';

/** Largest JSON body the API reads (1 MiB); an import chunk (1,000 rows) may take 8 MiB. */
export const MAX_BODY_BYTES = 1024 * 1024;
const MAX_CHUNK_BYTES = 8 * 1024 * 1024;

doc(
  { method: 'get', path: '/api/v1/health', summary: 'Liveness and database check', tag: 'Meta', roles: 'public' },
  { method: 'get', path: '/api/v1/openapi.json', summary: 'This document', tag: 'Meta', roles: 'public' },
  {
    method: 'get',
    path: '/api/v1/auth/config',
    summary: 'How to sign in: Microsoft 365 client id and scope, or null',
    tag: 'Meta',
    roles: 'public',
  },
);

const api = new Hono<AppEnv>()
  .use((c, next) => {
    const max = c.req.path.endsWith('/chunks') ? MAX_CHUNK_BYTES : MAX_BODY_BYTES;
    return bodyLimit({
      maxSize: max,
      onError: () => {
        throw new AppError('payload_too_large', `The body is larger than ${max} bytes; send less at a time.`);
      },
    })(c, next);
  })
  .get('/health', async (c) => {
    const row = await c.env.DB.prepare('SELECT 1 AS ok').first<{ ok: number }>();
    return c.json({ status: 'ok', db: row?.ok === 1 ? 'ok' : 'down' });
  })
  .get('/openapi.json', (c) => c.json(openApiDocument(new URL(c.req.url).origin)))
  // The panes ask before sign-in whether to offer Microsoft 365 next to the personal token.
  .get('/auth/config', (c) => c.json({ microsoft: signInConfig(c.env) }))
  // Public web-to-lead posts and embeds (form key, no token): before authentication.
  .route('/forms', publicFormRoutes)
  // The first organisation and admin of an empty deployment, with the one-time setup secret.
  .route('/setup', setupRoutes)
  .use(authenticate)
  .use(rateLimit)
  .use(idempotency)
  .route('/me', meRoutes)
  .route('/users', userRoutes)
  .route('/tokens', tokenRoutes)
  .route('/companies', companyRoutes)
  .route('/contacts', contactRoutes)
  .route('/contacts', privacyRoutes)
  // format=csv of the lists Power Query reads, before their own routes.
  .route('/leads', csvListRoutes('leads'))
  .route('/deals', csvListRoutes('deals'))
  .route('/activities', csvListRoutes('activities'))
  .route('/tasks', csvListRoutes('tasks'))
  .route('/leads', leadRoutes)
  .route('/deals', dealStandingRoutes)
  .route('/deals', dealRoutes)
  .route('/activities', activityRoutes)
  .route('/tasks', taskRoutes)
  .route('/match', matchRoutes)
  .route('/companies', solvencyRoutes)
  .route('/deals', dealDocumentRoutes)
  .route('/deals', dealCompetitorRoutes)
  .route('/cases', caseRoutes)
  .route('/competitors', competitorRoutes)
  .route('/settings', documentSettingsRoutes)
  .route('/settings', tenantRoutes)
  .route('/forms', formRoutes)
  .route('/forms', formSubmissionRoutes)
  .route('/today', todayRoutes)
  .route('/imports', importRoutes)
  .route('/reports/fn', functionRoutes)
  .route('/reports', reportRoutes)
  .route('/quotas', quotaRoutes);

export const app = new Hono<AppEnv>()
  // Before any work: a request waits its turn while the event loop has stopped reading sockets.
  .use(fairTurns)
  .use(async (c, next) => {
    const requestId =
      c.req
        .header('x-request-id')
        ?.slice(0, 64)
        .replace(/[^\w.-]/g, '') || crypto.randomUUID();
    c.set('requestId', requestId);
    await next();
    // An answer given before the body was read (401, 404, 429...) must still consume it, or the
    // client's kept-alive connection breaks on its next request. Large bodies are left alone.
    const raw = c.req.raw;
    if (raw.body && !raw.bodyUsed && Number(raw.headers.get('content-length') ?? Infinity) <= 8 * 1024 * 1024)
      await raw.arrayBuffer().catch(() => undefined);
    c.res.headers.set('x-request-id', requestId);
    c.res.headers.set('x-content-type-options', 'nosniff');
    // API answers hold a member's data: no browser or proxy keeps a copy (a public embed says otherwise itself).
    if (c.req.path.startsWith('/api/') && !c.res.headers.has('cache-control')) c.res.headers.set('cache-control', 'no-store');
  })
  // Transient D1 failures: reads retried with backoff, writes too when the request may be repeated.
  .use(retryTransientD1)
  .get('/health', (c) => c.json({ status: 'ok' }))
  .route('/api/v1', api);

app.notFound((c) => {
  const path = new URL(c.req.url).pathname;
  // A copy: the assets' own response has immutable headers, and the middleware adds some.
  if (!path.startsWith('/api/') && c.env.ASSETS) return c.env.ASSETS.fetch(c.req.raw).then((res) => new Response(res.body, res));
  return new AppError('not_found', `There is no route ${c.req.method} ${path}. See /api/v1/openapi.json.`).toResponse(
    c.get('requestId') ?? crypto.randomUUID(),
  );
});

app.onError((err, c) => {
  const requestId = c.get('requestId') ?? crypto.randomUUID();
  if (err instanceof AppError) return err.toResponse(requestId);
  // Another request holds the Idempotency-Key; the idempotency middleware replaces this answer with theirs.
  if (err instanceof KeyTaken)
    return new AppError('idempotency_in_progress', 'A request with this Idempotency-Key is still running; retry shortly.').toResponse(
      requestId,
    );
  if (err instanceof HTTPException) {
    // Hono's own validator throws 400 for a body that is not JSON.
    if (err.status === 400) return new AppError('malformed_json', 'The body is not valid JSON.').toResponse(requestId);
    return new AppError(err.status === 413 ? 'payload_too_large' : 'bad_request', err.message || 'Bad request.').toResponse(requestId);
  }
  if (isTransientD1Error(err))
    return new AppError('service_unavailable', 'The database is busy; retry in a moment.', { headers: { 'retry-after': '1' } }).toResponse(
      requestId,
    );
  // Unknown failures are logged by name and request id only: no tokens or personal data in logs.
  console.error(
    JSON.stringify({
      level: 'error',
      requestId,
      error: err instanceof Error ? err.name : 'unknown',
      message: err instanceof Error ? redact(err.message).slice(0, 200) : '',
    }),
  );
  return new AppError('internal', `Something went wrong on our side. Quote request id ${requestId} if it persists.`).toResponse(requestId);
});

export type AppType = typeof app;

import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { normalizeEmail } from '../../shared/identity';
import { WebFormAnswer, WebFormSubmission } from '../../shared/schemas';
import type { Rec } from '../records/spec';
import type { AppEnv, Bindings, Principal } from '../http/env';
import { AppError, type ErrorCode, type FieldError } from '../http/errors';
import { newId, nowIso } from '../lib/ids';
import { doc } from '../http/openapi';
import { leads } from '../leads/leads.repo';
import { answerPage, embedSnippet } from './forms.embed';
import { pickLang, t, type FormTextKey } from './forms.i18n';
import { FORM_KEY_RE, formByKey, nextAssignee } from './forms.repo';
import { hitLimits } from './rate-limit';

doc(
  {
    method: 'post',
    path: '/api/v1/forms/:formKey',
    summary:
      'Public web-to-lead post (JSON or urlencoded; no token): name and phone required; honeypot website_url; idempotent on clientToken; rate limited',
    tag: 'Forms',
    roles: 'public',
    body: WebFormSubmission,
    response: WebFormAnswer,
  },
  {
    method: 'get',
    path: '/api/v1/forms/:formKey/embed',
    summary: 'The HTML snippet of a form for a website (self-contained; ?lang=bg|ru|en)',
    tag: 'Forms',
    roles: 'public',
  },
);

/** Largest form post read (16 KiB): a name, a phone and a message fit many times over. */
export const MAX_FORM_BYTES = 16 * 1024;
/** The hidden field only bots fill. */
const HONEYPOT = 'website_url';
/** Posts a minute one address may send to one form, and one form may take from everyone. */
export const FORM_LIMIT_PER_IP = 10;
export const FORM_LIMIT_PER_FORM = 100;
const WINDOW_MS = 60_000;

/**
 * The visitor's address, for the per-address limit. On Cloudflare the edge sets CF-Connecting-IP
 * itself and a client cannot forge it; X-Forwarded-For is the client's own word and never read.
 * The local server listens on this machine's loopback, where nothing sets that header but the
 * client: every visitor there is this machine, one address.
 */
export function clientAddress(req: Request, env: Pick<Bindings, 'LOCAL_SERVER'>): string {
  if (env.LOCAL_SERVER === 'true') return 'local';
  return req.headers.get('cf-connecting-ip')?.trim().slice(0, 64) || 'unknown';
}

/**
 * The origin the website's form posts to: the configured PUBLIC_ORIGIN, or else the origin this
 * request reached (on Cloudflare, the route's own host). Never a Host header that is not a host.
 */
function publicOrigin(c: Context<AppEnv>): string {
  const configured = c.env.PUBLIC_ORIGIN?.trim().replace(/\/+$/, '');
  if (configured) return configured;
  const url = new URL(c.req.url);
  if (!/^[a-z0-9.-]+(:\d{1,5})?$/i.test(url.host))
    throw new AppError('bad_request', 'The request names no valid host; set PUBLIC_ORIGIN to the address websites post to.');
  return url.origin;
}

/** CORS headers for an origin the organisation listed; nothing for any other. */
function corsFor(form: { origins: string[] }, origin: string | undefined): Record<string, string> {
  if (!origin || !form.origins.includes(origin.toLowerCase())) return {};
  return { 'access-control-allow-origin': origin, vary: 'Origin' };
}

const Fields = z.object({
  name: z.string().trim().max(200),
  phone: z.string().trim().max(40),
  email: z.string().trim().max(254),
  company: z.string().trim().max(200),
  message: z.string().trim().max(5000),
  clientToken: z.string().trim().max(100),
});
type FieldName = keyof z.infer<typeof Fields>;

/** Named routes under /forms that need no token; mounted before authentication. */
export const publicFormRoutes = new Hono<AppEnv>()
  .options('/:formKey', async (c) => {
    const form = FORM_KEY_RE.test(c.req.param('formKey')) ? await formByKey(c.env.DB, c.req.param('formKey')) : null;
    const lang = pickLang(c.req.query('lang'), c.req.header('accept-language'));
    if (!form) throw new AppError('not_found', t('not_found', lang));
    const cors = corsFor(form, c.req.header('origin'));
    if (cors['access-control-allow-origin']) {
      Object.assign(cors, {
        'access-control-allow-methods': 'POST, OPTIONS',
        'access-control-allow-headers': 'content-type, accept, accept-language',
        'access-control-max-age': '600',
      });
    }
    return c.body(null, 204, cors);
  })
  .get('/:formKey/embed', async (c) => {
    const key = c.req.param('formKey');
    const lang = pickLang(c.req.query('lang'), c.req.header('accept-language'));
    const form = FORM_KEY_RE.test(key) ? await formByKey(c.env.DB, key) : null;
    if (!form) throw new AppError('not_found', t('not_found', lang));
    const action = `${publicOrigin(c)}/api/v1/forms/${key}`;
    return c.body(embedSnippet(action, key, lang), 200, {
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'public, max-age=300',
      'content-language': lang,
    });
  })
  .post('/:formKey', async (c) => {
    const db = c.env.DB;
    const key = c.req.param('formKey');
    let lang = pickLang(c.req.query('lang'), c.req.header('accept-language'));
    let cors: Record<string, string> = {};
    const fail = (code: ErrorCode, text: FormTextKey, extra: { errors?: FieldError[]; headers?: Record<string, string> } = {}) =>
      new AppError(code, t(text, lang), { ...extra, headers: { ...cors, 'content-language': lang, ...extra.headers } });

    const form = FORM_KEY_RE.test(key) ? await formByKey(db, key) : null;
    if (!form) throw fail('not_found', 'not_found');
    const origin = c.req.header('origin');
    cors = corsFor(form, origin);
    const ownOrigin = new URL(c.req.url).origin;
    if (origin && origin !== ownOrigin && !cors['access-control-allow-origin']) throw fail('forbidden', 'bad_origin');
    if (Number(c.req.header('content-length') ?? 0) > MAX_FORM_BYTES) throw fail('payload_too_large', 'too_large');

    // Read the (size-checked) body before any answer: a refusal that leaves it unread makes the
    // connection unusable for the client's next request.
    const raw = await c.req.arrayBuffer();
    if (raw.byteLength > MAX_FORM_BYTES) throw fail('payload_too_large', 'too_large');

    const limit = await hitLimits(
      db,
      [
        { key: `wf:${form.id}:ip:${clientAddress(c.req.raw, c.env)}`, max: FORM_LIMIT_PER_IP },
        { key: `wf:${form.id}`, max: FORM_LIMIT_PER_FORM },
      ],
      WINDOW_MS,
    );
    if (!limit.ok) throw fail('rate_limited', 'rate_limited', { headers: { 'retry-after': String(limit.retryAfter) } });
    const body = await readFields(c.req.header('content-type') ?? '', new TextDecoder().decode(raw));
    if (!body) throw fail('unsupported_media_type', 'bad_type');
    lang = pickLang(body.lang ?? c.req.query('lang'), c.req.header('accept-language'));
    const html = body.respond === 'html';
    const ok = () => {
      const message = t('thanks', lang);
      if (html)
        return c.body(answerPage(message, lang, backLink(c.req.header('referer'), form.origins)), 200, {
          ...cors,
          'content-type': 'text/html; charset=utf-8',
          'content-language': lang,
        });
      return c.json({ ok: true as const, message }, 200, { ...cors, 'content-language': lang });
    };

    // A bot fills every field, the hidden one too (in any shape): it is told "thank you" and nothing is made.
    if (body[HONEYPOT]?.trim()) return ok();

    const parsed = Fields.safeParse({
      name: body.name ?? '',
      phone: body.phone ?? '',
      email: body.email ?? '',
      company: body.company ?? '',
      message: body.message ?? '',
      clientToken: body.clientToken ?? '',
    });
    const errors: FieldError[] = [];
    const err = (field: FieldName, code: string, text: FormTextKey) => errors.push({ path: `/${field}`, code, message: t(text, lang) });
    if (!parsed.success) for (const issue of parsed.error.issues) err(issue.path[0] as FieldName, 'too_big', 'too_long');
    const v = parsed.success ? parsed.data : null;
    if (v) {
      if (!v.name) err('name', 'required', 'name_required');
      const digits = v.phone.replace(/\D/g, '').length;
      if (!v.phone) err('phone', 'required', 'phone_required');
      else if (digits < 6 || digits > 15 || /[^\d\s()+\-./]/.test(v.phone)) err('phone', 'invalid_phone', 'phone_invalid');
      if (v.email && !z.email().safeParse(v.email).success) err('email', 'invalid_email', 'email_invalid');
    }
    if (errors.length || !v) throw fail('validation_failed', 'invalid', { errors });

    const externalRef = v.clientToken ? `webform:${form.id}:${v.clientToken}` : null;
    if (externalRef && (await leadByRef(db, form.org_id, externalRef))) return ok();
    const ownerId = await nextAssignee(db, form);
    const now = nowIso();
    const lead: Rec = {
      id: newId(),
      version: 1,
      createdAt: now,
      updatedAt: now,
      source: 'webform',
      status: 'new',
      fullName: v.name,
      firstName: null,
      lastName: null,
      email: v.email ? (normalizeEmail(v.email) ?? v.email) : null,
      phone: v.phone,
      companyName: v.company || null,
      title: null,
      website: null,
      eik: null,
      vat: null,
      address: null,
      city: null,
      needs: v.message || null,
      interest: null,
      notes: `Web form: ${form.name}`,
      ownerId,
      externalRef,
    };
    const system: Principal = { orgId: form.org_id, userId: ownerId ?? '', role: 'manager', email: '', name: 'web form', tokenId: null };
    leads.spec.normalize?.(lead, null, system);
    try {
      await db.batch([
        ...leads.insertStatements(db, system, lead, now),
        db
          .prepare(
            `INSERT INTO audit_log (id, org_id, user_id, action, entity, entity_id, details, at) VALUES (?1, ?2, NULL, 'create', 'lead', ?3, ?4, ?5)`,
          )
          .bind(newId(), form.org_id, lead.id, JSON.stringify({ via: 'webform', formId: form.id, assignedTo: ownerId }), now),
      ]);
    } catch (e) {
      // Two posts with one clientToken at once: the unique external ref lets one through.
      if (!(externalRef && e instanceof Error && /UNIQUE/i.test(e.message) && (await leadByRef(db, form.org_id, externalRef)))) throw e;
    }
    return ok();
  });

async function leadByRef(db: D1Database, orgId: string, externalRef: string): Promise<boolean> {
  const row = await db
    .prepare(`SELECT 1 AS ok FROM leads WHERE org_id = ?1 AND source = 'webform' AND external_ref = ?2`)
    .bind(orgId, externalRef)
    .first();
  return row !== null;
}

/** The body's fields as text: JSON, urlencoded or multipart; null for another media type. */
async function readFields(type: string, text: string): Promise<Record<string, string | undefined> | null> {
  const out: Record<string, string> = {};
  const take = (k: string, v: unknown) => {
    if (typeof v === 'string' || typeof v === 'number') out[k] = String(v);
    // The hidden field counts as filled whatever was sent in it: an array, an object, true.
    else if (k === HONEYPOT && v !== null && v !== undefined && v !== false && v !== '') out[k] = JSON.stringify(v);
  };
  if (/^application\/(.+\+)?json\b/i.test(type)) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      return {};
    }
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) for (const [k, v] of Object.entries(parsed)) take(k, v);
    return out;
  }
  if (/^application\/x-www-form-urlencoded\b/i.test(type)) {
    for (const [k, v] of new URLSearchParams(text)) take(k, v);
    return out;
  }
  if (/^multipart\/form-data\b/i.test(type)) {
    const data = await new Request('http://form.invalid/', { method: 'POST', headers: { 'content-type': type }, body: text }).formData();
    for (const [k, v] of data) take(k, v);
    return out;
  }
  return null;
}

/** Where the no-script answer page links back to: the posting page, if on a listed origin. */
function backLink(referer: string | undefined, origins: string[]): string | null {
  if (!referer) return null;
  try {
    const u = new URL(referer);
    return origins.includes(u.origin.toLowerCase()) ? u.href : null;
  } catch {
    return null;
  }
}

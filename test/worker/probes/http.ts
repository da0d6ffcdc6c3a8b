/**
 * A caller for the real app inside workerd with env overrides (a flaky DB, a rate limit), kept free
 * of workerd imports so Node-side files may share it: the test passes its `app` and `env`.
 */
export interface AppLike {
  request(path: string, init: RequestInit, env: unknown): Response | Promise<Response>;
}

export interface Answer {
  status: number;
  headers: Headers;
  text: string;
  json: any;
}

export interface SendOptions {
  token?: string | null;
  body?: unknown;
  raw?: string;
  headers?: Record<string, string>;
  env?: Record<string, unknown>;
}

export function makeCaller(app: AppLike, baseEnv: Record<string, unknown>) {
  return async function send(method: string, path: string, opts: SendOptions = {}): Promise<Answer> {
    const headers: Record<string, string> = {};
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    let body: string | undefined;
    if (opts.raw !== undefined) {
      body = opts.raw;
      headers['content-type'] = 'application/json';
    } else if (opts.body !== undefined) {
      body = JSON.stringify(opts.body);
      headers['content-type'] = 'application/json';
    }
    Object.assign(headers, opts.headers);
    const res = await app.request(
      path,
      { method, headers, body: method === 'GET' || method === 'HEAD' ? undefined : body },
      { ...baseEnv, ...opts.env },
    );
    const text = new TextDecoder('utf-8', { ignoreBOM: true, fatal: false }).decode(await res.arrayBuffer());
    let json: any = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      json = null;
    }
    return { status: res.status, headers: res.headers, text, json };
  };
}

/** Problems in one answer, as readable strings (empty when the answer is a well-formed one). */
export function problemShapeErrors(res: Answer): string[] {
  const out: string[] = [];
  if (res.status < 400) return out;
  if (!/^application\/problem\+json/.test(res.headers.get('content-type') ?? ''))
    out.push(`content-type ${res.headers.get('content-type')}`);
  if (!res.json || typeof res.json.code !== 'string') out.push('no code');
  if (res.json && res.json.status !== res.status) out.push(`status field ${res.json?.status}`);
  if (/\bat .*\.(ts|js):\d+/.test(res.text)) out.push('stack trace');
  return out;
}

/** The business tables of an organisation: row counts and version sums, to prove a rejected request wrote nothing. */
export const BUSINESS_TABLES = [
  'companies',
  'contacts',
  'leads',
  'deals',
  'activities',
  'tasks',
  'cases',
  'competitors',
  'deal_competitors',
  'deal_documents',
  'payments',
  'web_forms',
  'quotas',
  'users',
  'imports',
  'org_settings',
] as const;

export const fingerprintSql = `SELECT ${BUSINESS_TABLES.map((t) => `(SELECT count(*) || ':' || total(version) FROM ${t} WHERE org_id = ?1) AS ${t}`).join(', ')}, (SELECT count(*) FROM api_tokens WHERE org_id = ?1 AND revoked_at IS NULL) AS api_tokens, (SELECT count(*) FROM identity_keys WHERE org_id = ?1) AS identity_keys, (SELECT count(*) FROM deal_stage_history WHERE org_id = ?1) AS deal_stage_history`;

export interface DbLike {
  prepare(sql: string): { bind(...a: unknown[]): { first<T>(): Promise<T | null> } };
}

export async function fingerprint(db: DbLike, orgId: string): Promise<string> {
  return JSON.stringify(await db.prepare(fingerprintSql).bind(orgId).first<Record<string, unknown>>());
}

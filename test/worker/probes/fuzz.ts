import type { ProbeCounts } from '../../probes/counts';
import { fingerprint, problemShapeErrors, type Answer, type DbLike, type SendOptions } from './http';

export type Send = (method: string, path: string, opts?: SendOptions) => Promise<Answer>;

export interface Attempt {
  label: string;
  raw?: string;
  headers?: Record<string, string>;
  query?: string;
  /** True when the input is certainly invalid for the route: the answer must be 4xx. */
  invalid: boolean;
}

/**
 * Runs attempts against one route and checks each answer: never 5xx, every non-2xx is a
 * problem+json with a code, certainly-invalid input is 4xx, and rejected requests write nothing.
 * The business-table fingerprint is compared before any input that may be accepted (so a run of
 * rejected requests is checked before anything can legitimately write) and retaken after a 2xx,
 * which keeps a thousand requests to a few seconds.
 */
export async function runAttempts(
  ctx: { send: Send; db: DbLike; orgId: string; token: string; counts: ProbeCounts; seed: number },
  method: string,
  path: string,
  attempts: Attempt[],
  failures: string[],
): Promise<void> {
  let baseline = await fingerprint(ctx.db, ctx.orgId);
  let rejected: string[] = [];
  const close = async () => {
    if (!rejected.length) return;
    const now = await fingerprint(ctx.db, ctx.orgId);
    if (now !== baseline) {
      ctx.counts.rows_lost++;
      failures.push(`${method} ${path}: rejected requests [${rejected.slice(0, 5).join('; ')}] wrote: ${baseline} -> ${now}`);
    }
    baseline = now;
    rejected = [];
  };
  for (const a of attempts) {
    // An input that may be accepted may write: check the rejected ones before it.
    if (!a.invalid) await close();
    const url = a.query !== undefined ? `${path}?${a.query}` : path;
    const res = await ctx.send(method, url, { token: ctx.token, raw: a.raw, headers: a.headers });
    ctx.counts.requests++;
    if (a.invalid) ctx.counts.bad_inputs++;
    const where = `${method} ${url.slice(0, 120)} [${a.label}] seed=${ctx.seed}`;
    if (res.status >= 500) {
      ctx.counts['500s']++;
      failures.push(`${where}: ${res.status} ${res.text.slice(0, 160)}`);
    }
    for (const e of problemShapeErrors(res)) failures.push(`${where}: ${e}`);
    if (a.invalid && (res.status < 400 || res.status >= 500)) failures.push(`${where}: invalid input answered ${res.status}`);
    if (res.status >= 400) rejected.push(`${a.label} ${res.status}`);
    else {
      // Accepted: its own writes are legitimate; start a new run of rejected requests after it.
      rejected = [];
      baseline = await fingerprint(ctx.db, ctx.orgId);
    }
  }
  await close();
}

/** Creates one record of each kind for the fuzzed organisation; answers ids by collection / path parameter. */
export async function seedIds(send: Send, token: string, managerId: string): Promise<Record<string, string>> {
  const post = async (path: string, body: unknown) => {
    const r = await send('POST', path, { token, body });
    if (r.status >= 300) throw new Error(`${path}: ${r.status} ${r.text}`);
    return r.json.id as string;
  };
  const ids: Record<string, string> = {};
  ids.companies = await post('/api/v1/companies', { name: 'Fuzz Co' });
  ids.contacts = await post('/api/v1/contacts', { fullName: 'Fuzz Person', companyId: ids.companies, emails: ['fuzz@example.com'] });
  ids.leads = await post('/api/v1/leads', { source: 'manual', fullName: 'Fuzz Lead' });
  ids.deals = await post('/api/v1/deals', { title: 'Fuzz deal', amountMinor: 100, currency: 'BGN', companyId: ids.companies });
  ids.activities = await post('/api/v1/activities', { type: 'note', subject: 'Fuzz note' });
  ids.tasks = await post('/api/v1/tasks', { title: 'Fuzz task' });
  ids.cases = await post('/api/v1/cases', { kind: 'complaint', subject: 'Fuzz complaint' });
  ids.competitors = await post('/api/v1/competitors', { name: 'Fuzz rival' });
  ids.competitorId = ids.competitors;
  ids.forms = await post('/api/v1/forms', { name: 'Fuzz form' });
  ids.tokens = await post('/api/v1/tokens', { name: 'spare' });
  ids.imports = await post('/api/v1/imports', {
    kind: 'leads',
    mapping: { headerRow: 0, columns: [{ index: 0, header: 'Name', field: 'fullName' }] },
  });
  ids.users = managerId;
  ids.slot = 'contract';
  return ids;
}

export function parses(schema: { safeParse(v: unknown): { success: boolean } } | undefined, v: unknown): boolean {
  return schema ? schema.safeParse(v).success : true;
}

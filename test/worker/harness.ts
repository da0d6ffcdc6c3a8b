import { env } from 'cloudflare:workers';
import { app } from '../../worker/app';
import { listRecords } from '../../worker/records/lists';
import { Repo } from '../../worker/records/repository';
import type { EntitySpec } from '../../worker/records/spec';
import { newId, newToken, nowIso, sha256Hex } from '../../worker/lib/ids';

export type Role = 'manager' | 'head' | 'admin';
export interface Member {
  orgId: string;
  userId: string;
  token: string;
  role: Role;
}

/** Creates an organisation with one member per role; returns their tokens. */
export async function makeOrg(
  name = 'Org ' + newId().slice(-6),
): Promise<{ orgId: string; manager: Member; head: Member; admin: Member; manager2: Member }> {
  const orgId = newId();
  const now = nowIso();
  await env.DB.prepare('INSERT INTO orgs (id, name, created_at, updated_at) VALUES (?1, ?2, ?3, ?3)').bind(orgId, name, now).run();
  const member = async (role: Role, label: string): Promise<Member> => {
    const userId = newId();
    const token = newToken();
    const email = `${label}.${userId.slice(-6).toLowerCase()}@example.com`;
    await env.DB.batch([
      env.DB.prepare(
        'INSERT INTO users (id, org_id, email, email_norm, name, role, created_at, updated_at) VALUES (?1, ?2, ?3, ?3, ?4, ?5, ?6, ?6)',
      ).bind(userId, orgId, email, label, role, now),
      env.DB.prepare(
        'INSERT INTO api_tokens (id, org_id, user_id, name, prefix, hash, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)',
      ).bind(newId(), orgId, userId, 'test', token.slice(0, 10), await sha256Hex(token), now),
    ]);
    return { orgId, userId, token, role };
  };
  return {
    orgId,
    manager: await member('manager', 'manager'),
    head: await member('head', 'head'),
    admin: await member('admin', 'admin'),
    manager2: await member('manager', 'manager2'),
  };
}

export interface CallOptions {
  body?: unknown;
  raw?: string;
  headers?: Record<string, string>;
}

/** Calls the real app inside workerd against the real local D1. */
export async function call(who: Member | null, method: string, path: string, opts: CallOptions = {}) {
  const headers: Record<string, string> = { ...opts.headers };
  if (who) headers.authorization = `Bearer ${who.token}`;
  let body: string | undefined;
  if (opts.raw !== undefined) body = opts.raw;
  else if (opts.body !== undefined) {
    body = JSON.stringify(opts.body);
    headers['content-type'] ??= 'application/json';
  }
  const res = await app.request(path, { method, headers, body }, env);
  // Decoded by hand so a byte-order mark stays visible to tests.
  const text = new TextDecoder('utf-8', { ignoreBOM: true, fatal: false }).decode(await res.arrayBuffer());
  let json: any = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = null;
  }
  return { status: res.status, headers: res.headers, json, text };
}

/** The test D1 with some of its methods replaced; every other property is the real binding's. */
export function dbWith(overrides: Partial<D1Database>): D1Database {
  return new Proxy(env.DB, {
    get(target, prop) {
      if (prop in overrides) return overrides[prop as keyof D1Database];
      const v = Reflect.get(target, prop, target) as unknown;
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });
}

let seq = 0;
/** Builders: small valid records, overridable per test. */
export const build = {
  company: (o: Record<string, unknown> = {}) => ({ name: `Company ${++seq}`, ...o }),
  contact: (o: Record<string, unknown> = {}) => ({ fullName: `Person ${++seq}`, ...o }),
  lead: (o: Record<string, unknown> = {}) => ({ source: 'manual', fullName: `Lead ${++seq}`, ...o }),
  deal: (o: Record<string, unknown> = {}) => ({ title: `Deal ${++seq}`, amountMinor: 100_000, currency: 'BGN', ...o }),
  activity: (o: Record<string, unknown> = {}) => ({ type: 'note', subject: `Note ${++seq}`, ...o }),
  task: (o: Record<string, unknown> = {}) => ({ title: `Task ${++seq}`, ...o }),
};

export const countRows = async (table: string, orgId: string) =>
  (await env.DB.prepare(`SELECT count(*) AS n FROM ${table} WHERE org_id = ?1`).bind(orgId).first<{ n: number }>())!.n;

/** The query plan of the SQL the real list code runs for `filters` (captured, then explained on the test D1). */
export async function explainList(spec: EntitySpec, filters: Record<string, unknown>): Promise<string> {
  let captured: { sql: string; params: unknown[] } | null = null;
  const db = {
    prepare: (sql: string) => ({
      bind: (...params: unknown[]) => {
        captured = { sql, params };
        return { all: async () => ({ results: [] }) };
      },
    }),
  } as unknown as D1Database;
  const principal = { orgId: 'o', userId: 'u', role: 'head' as const, email: '', name: '', tokenId: null };
  await listRecords(db, new Repo(spec), principal, { limit: 50, ...filters });
  const { sql, params } = captured!;
  const { results } = await env.DB.prepare(`EXPLAIN QUERY PLAN ${sql}`)
    .bind(...params)
    .all<{ detail: string }>();
  return results.map((r) => r.detail).join(' | ');
}

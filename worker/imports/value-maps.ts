// What a team said an export's values mean, kept per organisation and source system (import_value_maps),
// and the value-mapping step's answer: which of a sheet's values are known, and what they mean.
import type { z } from 'zod';
import { nameKey, normalizeEmail } from '../../shared/identity';
import type { ImportValuesQuery } from '../../shared/schemas';
import {
  cleanValueMaps,
  resolveValue,
  valueKey,
  type ImportKind,
  type SourceSystem,
  type ValueField,
  type ValueMaps,
  type ValueSource,
} from '../../shared/sheet';
import type { Principal } from '../http/env';
import { settingStatement } from '../lib/org-settings';

type StoredField = 'stage' | 'leadStatus' | 'dealStatus' | 'currency' | 'owner';

/** A status means a lead's status or a deal's outcome, by what the import makes. */
const stored = (field: ValueField, kind: ImportKind): StoredField =>
  field === 'status' ? (kind === 'deals' ? 'dealStatus' : 'leadStatus') : field;

/** The choices kept for a system, as the row converter takes them. */
export async function loadValueMaps(db: D1Database, orgId: string, system: SourceSystem, kind: ImportKind): Promise<ValueMaps> {
  const { results } = await db
    .prepare('SELECT field, raw, value FROM import_value_maps WHERE org_id = ?1 AND system = ?2')
    .bind(orgId, system)
    .all<{ field: StoredField; raw: string; value: string }>();
  const out: ValueMaps = {};
  for (const r of results) {
    const field: ValueField | null =
      r.field === 'leadStatus'
        ? kind === 'deals'
          ? null
          : 'status'
        : r.field === 'dealStatus'
          ? kind === 'deals'
            ? 'status'
            : null
          : r.field;
    if (field) (out[field] ??= {})[r.raw] = r.value;
  }
  return out;
}

/** The kept choices with the import's own on top (an import's choice wins over an older one). */
export function mergeValueMaps(kept: ValueMaps, own: ValueMaps | undefined): ValueMaps {
  const out: ValueMaps = {};
  for (const field of ['stage', 'status', 'currency', 'owner'] as const) {
    const table = { ...kept[field] };
    // The import's choice replaces a kept one for the same value however it is spelt.
    for (const [raw, value] of Object.entries(own?.[field] ?? {})) {
      for (const k of Object.keys(table)) if (valueKey(k) === valueKey(raw)) delete table[k];
      table[raw] = value;
    }
    if (Object.keys(table).length) out[field] = table;
  }
  return out;
}

/** Statements that keep an import's choices for the organisation and system (one statement). */
export function rememberValueMaps(
  db: D1Database,
  p: Principal,
  system: SourceSystem,
  kind: ImportKind,
  maps: ValueMaps | undefined,
  now: string,
): D1PreparedStatement[] {
  const clean = cleanValueMaps(maps, kind);
  const rows: [StoredField, string, string, string][] = [];
  for (const [field, table] of Object.entries(clean) as [ValueField, Record<string, string>][])
    for (const [raw, value] of Object.entries(table)) rows.push([stored(field, kind), valueKey(raw), raw, value]);
  if (!rows.length) return [];
  return [
    db
      .prepare(
        `INSERT INTO import_value_maps (org_id, system, field, value_key, raw, value, updated_at, updated_by)
         SELECT ?1, ?2, value ->> 0, value ->> 1, value ->> 2, value ->> 3, ?3, ?4 FROM json_each(?5) WHERE true
         ON CONFLICT (org_id, system, field, value_key) DO UPDATE SET raw = excluded.raw, value = excluded.value,
           updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
      )
      .bind(p.orgId, system, now, p.userId, JSON.stringify(rows)),
  ];
}

export interface OrgUser {
  id: string;
  name: string;
  email: string;
}

export async function orgUsers(db: D1Database, orgId: string): Promise<OrgUser[]> {
  const { results } = await db
    .prepare('SELECT id, name, email FROM users WHERE org_id = ?1 AND active = 1 ORDER BY name')
    .bind(orgId)
    .all<OrgUser>();
  return results;
}

/**
 * An "Owner" column's value -> the user it names: the user's choice for that value (a user id or
 * e-mail), else a user with that name (Cyrillic and Latin spellings meet) or e-mail; null when
 * nobody matches (the row then belongs to the one importing it).
 */
export function ownerResolver(users: OrgUser[], choices: Record<string, string> | undefined): (v: string | undefined) => string | null {
  const byKey = new Map<string, string>();
  const ids = new Set(users.map((u) => u.id));
  for (const u of users) {
    byKey.set(nameKey(u.name), u.id);
    const email = normalizeEmail(u.email);
    if (email) byKey.set(email, u.id);
  }
  const chosen = new Map<string, string>();
  for (const [raw, v] of Object.entries(choices ?? {})) {
    const id = ids.has(v) ? v : byKey.get(normalizeEmail(v) ?? '');
    if (id) chosen.set(valueKey(raw), id);
  }
  return (v) => {
    if (!v) return null;
    return chosen.get(valueKey(v)) ?? byKey.get(normalizeEmail(v) ?? '') ?? byKey.get(nameKey(v)) ?? null;
  };
}

export interface ValueAnswer {
  field: ValueField;
  raw: string;
  /** A stage key, a status, an ISO code, or a user's id; null when the user has to say. */
  value: string | null;
  from: ValueSource | 'user' | null;
}

/** The value-mapping step: each value with its meaning (kept choice, the system's, the vocabulary's, a user's name) or null. */
export async function answerValues(
  db: D1Database,
  p: Principal,
  q: z.output<typeof ImportValuesQuery>,
): Promise<{ system: SourceSystem; items: ValueAnswer[]; users: OrgUser[] }> {
  const system = q.system ?? 'other';
  const [kept, users, org] = await Promise.all([
    loadValueMaps(db, p.orgId, system, q.kind),
    orgUsers(db, p.orgId),
    importDefaults(db, p.orgId),
  ]);
  const country = q.country ?? org.country;
  const items: ValueAnswer[] = [];
  const seen = new Set<string>();
  for (const field of ['stage', 'status', 'currency'] as const) {
    for (const raw of q.values[field] ?? []) {
      const key = `${field}|${valueKey(raw)}`;
      if (!raw.trim() || seen.has(key)) continue;
      seen.add(key);
      const meaning = resolveValue(field, raw, { kind: q.kind, system, maps: kept, country });
      items.push({ field, raw, value: meaning?.value ?? null, from: meaning?.from ?? null });
    }
  }
  const byName = ownerResolver(users, undefined);
  const keptOwner = ownerResolver(users, kept.owner);
  for (const raw of q.values.owner ?? []) {
    const key = `owner|${valueKey(raw)}`;
    if (!raw.trim() || seen.has(key)) continue;
    seen.add(key);
    const named = byName(raw);
    const chosen = named ? null : keptOwner(raw);
    items.push({ field: 'owner', raw, value: named ?? chosen, from: named ? 'user' : chosen ? 'choice' : null });
  }
  return { system, items, users };
}

export const IMPORT_DEFAULTS_KEY = 'imports';

export interface ImportDefaultsValue {
  country: string | null;
  currency: string | null;
  version: number;
}

/** The organisation's country and currency for imports (none set: version 0). */
export async function importDefaults(db: D1Database, orgId: string): Promise<ImportDefaultsValue> {
  const row = await settingStatement(db, orgId, IMPORT_DEFAULTS_KEY).first<{ value: string; version: number }>();
  if (!row) return { country: null, currency: null, version: 0 };
  const v = JSON.parse(row.value) as { country?: string | null; currency?: string | null };
  return { country: v.country ?? null, currency: v.currency ?? null, version: row.version };
}

import type { Role } from '../../shared/schemas';
import type { Principal } from '../http/env';
import type { Guard } from './guard';

export type ColType = 'text' | 'int' | 'bool' | 'json';
export type Rec = Record<string, unknown> & { id: string; version: number };
export type EntityName = 'company' | 'contact' | 'lead' | 'deal' | 'activity' | 'task' | 'case' | 'competitor' | 'form';
export interface IdentityKey {
  kind: 'email' | 'phone' | 'eik' | 'vat' | 'domain' | 'name';
  value: string;
}

/** Which table a reference field points to; references must belong to the caller's organisation. */
export const REFERENCES: Record<string, string> = {
  companyId: 'companies',
  contactId: 'contacts',
  dealId: 'deals',
  leadId: 'leads',
  ownerId: 'users',
  assigneeId: 'users',
};

export interface EntitySpec {
  table: string;
  entity: EntityName;
  label: string;
  /** Writable API fields and how they are stored (column = snake_case of the field). */
  fields: Record<string, ColType>;
  /** Columns the API reads but clients never write. */
  readOnly?: Record<string, ColType>;
  /** Column that says whose record this is: managers change only their own when restrictToOwner. */
  ownerField?: 'ownerId' | 'assigneeId';
  restrictToOwner?: boolean;
  deleteRoles?: Role[];
  /** List filters: query key -> column, or a condition builder; each is served by an index. */
  filters: Record<string, string | ((v: string) => string)>;
  /** Fills defaults and derived API fields (e.g. probability from stage) before a write. */
  normalize?(rec: Record<string, unknown>, before: Rec | null, p: Principal): void;
  /** Extra stored columns computed from the record (snake_case), e.g. email_norm. name_key is required. */
  derive(rec: Record<string, unknown>): Record<string, unknown> & { name_key: string };
  /** Identity keys that /match looks up; `derived` is derive(rec), so nothing is normalised twice. */
  keys?(rec: Record<string, unknown>, derived: Record<string, unknown>): IdentityKey[];
  /** Statements to run with a change (e.g. stage history), guarded by the caller. */
  onWrite?(db: D1Database, before: Rec | null, after: Rec, p: Principal, guard: Guard): D1PreparedStatement[];
  /** Extra search column besides name_key (e.g. email_norm). */
  searchColumns?: string[];
  /** A unique external id column: a create that repeats it answers the existing record (200). */
  externalField?: string;
  /** Fields unique together with the external id (a lead's source: one email may be a lead of each source). */
  externalScope?: string[];
  /** An integer column lists sort by (descending) before id, e.g. a priority rank; indexes end in (column, id). */
  listOrder?: string;
  /**
   * Async business rules run before a create (before = null) or an update is written: may adjust
   * `after`, throw an AppError (e.g. business_rule) or answer statements for the change's batch,
   * guarded like onWrite. `overrideReason` is the user's reason to override a rule (the
   * `X-Override-Reason` header or the body's `overrideReason`); it is never stored on the record.
   */
  beforeWrite?(db: D1Database, before: Rec | null, after: Rec, p: Principal, ctx: WriteContext): Promise<D1PreparedStatement[] | void>;
}

export interface WriteContext {
  overrideReason: string | null;
  guard: Guard;
}

export const snake = (s: string) => s.replace(/[A-Z]/g, (m) => '_' + m.toLowerCase());

export function toDb(type: ColType, v: unknown): unknown {
  if (v === undefined || v === null) return null;
  if (type === 'json') return JSON.stringify(v);
  if (type === 'bool') return v ? 1 : 0;
  return v;
}

export function fromDb(type: ColType, v: unknown): unknown {
  if (v === null || v === undefined) return null;
  if (type === 'json') return JSON.parse(v as string);
  if (type === 'bool') return v === 1;
  return v;
}

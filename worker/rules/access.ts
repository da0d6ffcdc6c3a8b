import type { EntityName } from '../records/spec';
import type { Principal } from '../http/env';
import { AppError, type FieldError } from '../http/errors';

/**
 * Who may write what, in one place: every path that writes a record (its own route, an import,
 * the pipeline sync, a lead's conversion, a sub-resource such as a deal's documents) asks here.
 *
 * - Managers work their own leads and deals: they change only records they own, and what they
 *   create or change stays theirs (a head of sales hands records over).
 * - A client's VIP tier and credit limit are set by heads of sales (and admins) only.
 */
type Record_ = Record<string, unknown>;

/** What the rules name: the records, and an import (a job one user runs). */
export type Subject = EntityName | 'import';

/** The records a manager writes only when they own them, and the field that names the owner. */
export const OWNED_BY_MANAGER: Partial<Record<Subject, 'ownerId'>> = { lead: 'ownerId', deal: 'ownerId', import: 'ownerId' };

/** Fields only heads and admins set, with the value a new record has when nobody sets them. */
export const HEAD_ONLY_FIELDS: Partial<Record<Subject, Record<string, unknown>>> = {
  company: { vipTier: 0, creditLimitMinor: null, creditCurrency: null },
};

const PLURAL: Partial<Record<Subject, string>> = { lead: 'leads', deal: 'deals', company: 'clients', import: 'imports' };

export type AccessReason = 'not_owner' | 'owner_not_allowed' | 'head_only_field';

export interface Violation extends FieldError {
  code: AccessReason;
}

const isHead = (p: Principal) => p.role === 'head' || p.role === 'admin';
const same = (a: unknown, b: unknown) => (a ?? null) === (b ?? null);

/**
 * What the principal may not do in this write: `before` is null for a create, `after` null for a
 * delete. An empty list means the write is allowed.
 *
 * @example accessViolations(manager, 'deal', colleaguesDeal, { ...colleaguesDeal, stage: 'won' })
 *   // [{ path: '/ownerId', code: 'not_owner', message: 'Managers change only their own deals; ...' }]
 */
export function accessViolations(p: Principal, entity: Subject, before: Record_ | null, after: Record_ | null): Violation[] {
  if (isHead(p)) return [];
  const out: Violation[] = [];
  const owner = OWNED_BY_MANAGER[entity];
  const what = PLURAL[entity] ?? `${entity}s`;
  if (owner && before && before[owner] !== p.userId)
    out.push({
      path: `/${owner}`,
      code: 'not_owner',
      message: `Managers change only their own ${what}; ask its owner or a head of sales.`,
    });
  else if (owner && after && after[owner] !== p.userId)
    out.push({
      path: `/${owner}`,
      code: 'owner_not_allowed',
      message: `Managers keep the ${what} they create or change as their own; a head of sales hands them to a colleague.`,
    });
  const headOnly = HEAD_ONLY_FIELDS[entity];
  if (headOnly && after)
    for (const [field, initial] of Object.entries(headOnly)) {
      const was = before ? before[field] : initial;
      if (after[field] !== undefined && !same(after[field], was))
        out.push({
          path: `/${field}`,
          code: 'head_only_field',
          message: `Only a head of sales sets a client's ${field === 'vipTier' ? 'VIP tier' : 'credit limit'}.`,
        });
    }
  return out;
}

/** Throws a 403 problem naming each refused field when the write is not allowed. */
export function assertAccess(p: Principal, entity: Subject, before: Record_ | null, after: Record_ | null): void {
  const errors = accessViolations(p, entity, before, after);
  if (errors.length) throw new AppError('forbidden', errors.map((e) => e.message).join(' '), { errors });
}

/**
 * Whose numbers a read may show (quotas, pipeline and won figures): managers their own only,
 * heads anyone's. Answers the user id to filter by, or null for everyone (heads asking for all).
 */
export function numbersOwner(p: Principal, requested: string | null | undefined): string | null {
  if (isHead(p)) return requested ?? null;
  if (requested && requested !== p.userId)
    throw new AppError('forbidden', "Managers see their own numbers; ask a head of sales for a colleague's.", {
      errors: [{ path: '/owner', code: 'not_owner', message: 'Managers see their own numbers only.' }],
    });
  return p.userId;
}

import type { Principal } from '../http/env';
import { AppError } from '../http/errors';
import { numbersOwner } from '../rules/access';

// The Excel custom functions' arguments as a formula user types them: an owner ("me", a user id
// or an email) and a month or quarter. Shared by each function's route and the batch route.

export const unknownOwner = () =>
  new AppError('validation_failed', 'No such user in your organisation.', {
    errors: [{ path: '/owner', code: 'unknown_reference', message: 'Give "me", a user id or an email of your organisation.' }],
  });

/** Resolves the owner argument to a user id of the caller's organisation; managers only themselves. */
export async function ownerId(db: D1Database, p: Principal, owner: string | undefined): Promise<string | null> {
  if (!owner) return numbersOwner(p, null);
  let id: string | null = owner.toLowerCase() === 'me' ? p.userId : null;
  if (!id) {
    const row = await db
      .prepare('SELECT id FROM users WHERE org_id = ?1 AND (id = ?2 OR email_norm = lower(?2))')
      .bind(p.orgId, owner)
      .first<{ id: string }>();
    if (!row) throw unknownOwner();
    id = row.id;
  }
  return numbersOwner(p, id);
}

/** [start, end) of a month "2026-11" or a quarter "2026-Q4", as ISO instants. */
export function periodRange(period: string): [string, string] {
  const y = Number(period.slice(0, 4));
  const q = /Q(\d)$/.exec(period);
  const m0 = q ? (Number(q[1]) - 1) * 3 : Number(period.slice(5, 7)) - 1;
  const months = q ? 3 : 1;
  return [new Date(Date.UTC(y, m0, 1)).toISOString(), new Date(Date.UTC(y, m0 + months, 1)).toISOString()];
}

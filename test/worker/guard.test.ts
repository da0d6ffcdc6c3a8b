import { describe, expect, it } from 'vitest';
import { env } from 'cloudflare:workers';
import { auditStatement } from '../../worker/lib/audit';
import type { Principal } from '../../worker/http/env';
import { shiftGuard, type Guard } from '../../worker/records/guard';
import { insertKeysStatement } from '../../worker/records/identity-keys';
import { makeOrg } from './harness';

/** A guard with twelve placeholders that holds when each ?n is bound to n; `last` is bound to ?12. */
const twelve = (last: number): Guard => {
  const ns = Array.from({ length: 12 }, (_, i) => i + 1);
  return { sql: ns.map((n) => `?${n} = ${n}`).join(' AND '), params: [...ns.slice(0, 11), last] };
};

describe('guards', () => {
  it('shiftGuard moves a two-digit placeholder as one number', () => {
    expect(shiftGuard({ sql: '?1 = ?10 AND ?12 > ?2', params: ['a'] }, 8)).toEqual({ sql: '?9 = ?18 AND ?20 > ?10', params: ['a'] });
  });

  it('an audit row guarded by a condition on ?10 and above is written exactly when the condition holds', async () => {
    const org = await makeOrg();
    const p: Principal = {
      userId: org.manager.userId,
      orgId: org.orgId,
      role: 'manager',
      email: 'm@example.com',
      name: 'M',
      tokenId: null,
    };
    await env.DB.batch([
      auditStatement(env.DB, p, 'update', 'deal', 'holds', undefined, shiftGuard(twelve(12), 8)),
      auditStatement(env.DB, p, 'update', 'deal', 'fails', undefined, shiftGuard(twelve(13), 8)),
    ]);
    const { results } = await env.DB.prepare('SELECT entity_id FROM audit_log WHERE org_id = ?1')
      .bind(org.orgId)
      .all<{ entity_id: string }>();
    expect(results.map((r) => r.entity_id)).toEqual(['holds']);
  });

  it('identity keys guarded by a condition on ?10 and above are added exactly when the condition holds', async () => {
    const org = await makeOrg();
    await env.DB.batch([
      insertKeysStatement(env.DB, org.orgId, 'contact', [['email', 'holds@example.com', 'c1']], twelve(12)),
      insertKeysStatement(env.DB, org.orgId, 'contact', [['email', 'fails@example.com', 'c2']], twelve(13)),
    ]);
    const { results } = await env.DB.prepare('SELECT value, entity_id FROM identity_keys WHERE org_id = ?1')
      .bind(org.orgId)
      .all<{ value: string; entity_id: string }>();
    expect(results).toEqual([{ value: 'holds@example.com', entity_id: 'c1' }]);
  });
});

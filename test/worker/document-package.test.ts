import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { build, call, makeOrg, type Member } from './harness';

type Org = Awaited<ReturnType<typeof makeOrg>>;

async function dealAt(who: Member, stage: string) {
  return (await call(who, 'POST', '/api/v1/deals', { body: build.deal({ stage }) })).json as { id: string; version: number };
}
const fill = (
  who: Member,
  dealId: string,
  slot: string,
  body: Record<string, unknown> = { filename: `${slot}.pdf`, url: `https://files.example.com/${slot}.pdf` },
) => call(who, 'PUT', `/api/v1/deals/${dealId}/documents/${slot}`, { body });
const auditOf = (org: Org, action: string) =>
  env.DB.prepare(`SELECT * FROM audit_log WHERE org_id = ?1 AND action = ?2`)
    .bind(org.orgId, action)
    .all<{ details: string; user_id: string; entity_id: string }>();

describe('the document package of a deal', () => {
  it("a deal's checklist has the default slots, required once the deal reaches their stage", async () => {
    const org = await makeOrg();
    const deal = await dealAt(org.manager, 'proposal');
    const res = await call(org.manager, 'GET', `/api/v1/deals/${deal.id}/documents`);
    expect(res.status).toBe(200);
    expect(
      res.json.documents.map((d: { slot: string; stage: string; required: boolean; status: string }) => [
        d.slot,
        d.stage,
        d.required,
        d.status,
      ]),
    ).toEqual([
      ['offer', 'proposal', true, 'missing'],
      ['contract', 'negotiation', false, 'missing'],
      ['company_extract', 'negotiation', false, 'missing'],
      ['power_of_attorney', 'negotiation', false, 'missing'],
      ['specification', 'negotiation', false, 'missing'],
      ['invoice', 'won', false, 'missing'],
    ]);
    expect(res.json.missing).toEqual(['offer']);
    expect(res.json.blockingWon).toEqual(['offer', 'contract', 'company_extract', 'power_of_attorney', 'specification']);
  });

  it('an Outlook attachment fills a slot and marks it received; approving keeps the file', async () => {
    const org = await makeOrg();
    const deal = await dealAt(org.manager, 'negotiation');
    const put = await fill(org.manager, deal.id, 'contract', {
      filename: 'Договор 2026-14.pdf',
      attachmentId: 'AAMkAGI2TG93AAA=',
      messageId: '<c0ffee@mail.example.bg>',
    });
    expect(put.status).toBe(200);
    expect(put.json).toMatchObject({
      slot: 'contract',
      status: 'received',
      filename: 'Договор 2026-14.pdf',
      attachmentId: 'AAMkAGI2TG93AAA=',
      required: true,
      version: 1,
    });
    const approved = await call(org.head, 'PUT', `/api/v1/deals/${deal.id}/documents/contract`, {
      body: { status: 'approved' },
      headers: { 'if-match': '"1"' },
    });
    expect(approved.json).toMatchObject({ status: 'approved', filename: 'Договор 2026-14.pdf', version: 2 });
    const stale = await call(org.head, 'PUT', `/api/v1/deals/${deal.id}/documents/contract`, {
      body: { status: 'received' },
      headers: { 'if-match': '"1"' },
    });
    expect(stale.status).toBe(412);
    const list = await call(org.manager, 'GET', `/api/v1/deals/${deal.id}/documents`);
    expect(list.json.missing).toEqual(['offer', 'company_extract', 'power_of_attorney', 'specification']);
  });

  it('a slot that is not in the package answers 404, and received without a file answers 422', async () => {
    const org = await makeOrg();
    const deal = await dealAt(org.manager, 'proposal');
    const unknown = await fill(org.manager, deal.id, 'birth_certificate');
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get('content-type')).toMatch(/problem\+json/);
    const empty = await fill(org.manager, deal.id, 'offer', { status: 'received' });
    expect(empty.status).toBe(422);
    expect(empty.json.errors[0].path).toBe('/filename');
    const requested = await fill(org.manager, deal.id, 'offer', { status: 'requested', notes: 'asked on Monday' });
    expect(requested.json).toMatchObject({ status: 'requested' });
  });

  it("a manager cannot fill a colleague's deal documents", async () => {
    const org = await makeOrg();
    const deal = await dealAt(org.manager2, 'proposal');
    expect((await fill(org.manager, deal.id, 'offer')).status).toBe(403);
    expect((await fill(org.head, deal.id, 'offer')).status).toBe(200);
  });
});

describe('winning a deal needs its documents', () => {
  it('a deal cannot be marked won while required documents are missing; the problem names them', async () => {
    const org = await makeOrg();
    const deal = await dealAt(org.manager, 'negotiation');
    await fill(org.manager, deal.id, 'offer');
    await fill(org.manager, deal.id, 'contract');
    await fill(org.manager, deal.id, 'power_of_attorney', { status: 'requested' });
    const res = await call(org.manager, 'PATCH', `/api/v1/deals/${deal.id}`, { body: { stage: 'won' }, headers: { 'if-match': '"1"' } });
    expect(res.status).toBe(422);
    expect(res.headers.get('content-type')).toMatch(/problem\+json/);
    expect(res.json.code).toBe('business_rule');
    expect(res.json.errors.map((e: { path: string; code: string }) => [e.path, e.code])).toEqual([
      ['/documents/company_extract', 'document_missing'],
      ['/documents/power_of_attorney', 'document_missing'],
      ['/documents/specification', 'document_missing'],
    ]);
    expect((await call(org.manager, 'GET', `/api/v1/deals/${deal.id}`)).json).toMatchObject({ stage: 'negotiation', version: 1 });
  });

  it("a manager's reason does not override the package: only a head of sales' does", async () => {
    const org = await makeOrg();
    const deal = await dealAt(org.manager, 'negotiation');
    const res = await call(org.manager, 'PATCH', `/api/v1/deals/${deal.id}`, {
      body: { stage: 'won', overrideReason: 'Signed on paper' },
      headers: { 'if-match': '"1"' },
    });
    expect(res.status).toBe(403);
    expect(res.json.errors.map((e: { code: string }) => e.code)).toContain('head_only_override');
    expect((await call(org.manager, 'GET', `/api/v1/deals/${deal.id}`)).json).toMatchObject({ stage: 'negotiation', version: 1 });
    expect((await auditOf(org, 'override')).results).toHaveLength(0);
  });

  it("with a head of sales' reason in X-Override-Reason the deal is won and the override is audited with the reason and the missing slots", async () => {
    const org = await makeOrg();
    const deal = await dealAt(org.manager, 'negotiation');
    const reason = 'Договорът е подписан на хартия; копие идва в понеделник';
    const res = await call(org.head, 'PATCH', `/api/v1/deals/${deal.id}`, {
      body: { stage: 'won' },
      headers: { 'if-match': '"1"', 'x-override-reason': encodeURIComponent(reason) },
    });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ stage: 'won', version: 2 });
    const { results } = await auditOf(org, 'override');
    expect(results).toHaveLength(1);
    expect(results[0]).toMatchObject({ user_id: org.head.userId, entity_id: deal.id });
    expect(JSON.parse(results[0]!.details)).toEqual({
      rule: 'documents_required_to_win',
      missing: ['offer', 'contract', 'company_extract', 'power_of_attorney', 'specification'],
      reason,
    });
  });

  it('a reason in the body works too and is never stored on the deal', async () => {
    const org = await makeOrg();
    const deal = await dealAt(org.head, 'proposal');
    const res = await call(org.head, 'PATCH', `/api/v1/deals/${deal.id}`, {
      body: { stage: 'won', overrideReason: 'framework contract signed last year' },
      headers: { 'if-match': '"1"' },
    });
    expect(res.status).toBe(200);
    expect(res.json).not.toHaveProperty('overrideReason');
    expect((await call(org.head, 'GET', `/api/v1/deals/${deal.id}`)).json).not.toHaveProperty('overrideReason');
    expect((await auditOf(org, 'override')).results).toHaveLength(1);
  });

  it('a stale version with a reason writes no override row', async () => {
    const org = await makeOrg();
    const deal = await dealAt(org.manager, 'negotiation');
    await call(org.manager, 'PATCH', `/api/v1/deals/${deal.id}`, { body: { nextStep: 'call' }, headers: { 'if-match': '"1"' } });
    const res = await call(org.manager, 'PATCH', `/api/v1/deals/${deal.id}`, {
      body: { stage: 'won', overrideReason: 'x' },
      headers: { 'if-match': '"1"' },
    });
    expect(res.status).toBe(412);
    expect((await auditOf(org, 'override')).results).toHaveLength(0);
  });

  it('with every required document the deal is won without a reason, and the invoice is then required', async () => {
    const org = await makeOrg();
    const deal = await dealAt(org.manager, 'negotiation');
    for (const slot of ['offer', 'contract', 'company_extract', 'power_of_attorney', 'specification'])
      expect((await fill(org.manager, deal.id, slot)).status).toBe(200);
    const res = await call(org.manager, 'PATCH', `/api/v1/deals/${deal.id}`, { body: { stage: 'won' }, headers: { 'if-match': '"1"' } });
    expect(res.status).toBe(200);
    expect((await auditOf(org, 'override')).results).toHaveLength(0);
    const list = await call(org.manager, 'GET', `/api/v1/deals/${deal.id}/documents`);
    expect(list.json).toMatchObject({ stage: 'won', missing: ['invoice'], blockingWon: [] });
  });
});

describe('document settings', () => {
  it('a head changes the package with If-Match; a stale version is 412 and a manager gets 403', async () => {
    const org = await makeOrg();
    const defaults = await call(org.manager, 'GET', '/api/v1/settings/documents');
    expect(defaults.json).toMatchObject({ version: 0, isDefault: true });
    expect(defaults.headers.get('etag')).toBe('"0"');
    const slots = [
      { slot: 'offer', label: 'Оферта', stage: 'proposal' },
      { slot: 'nda', label: 'NDA', stage: 'qualified' },
    ];
    expect((await call(org.manager, 'PUT', '/api/v1/settings/documents', { body: { slots }, headers: { 'if-match': '"0"' } })).status).toBe(
      403,
    );
    expect((await call(org.head, 'PUT', '/api/v1/settings/documents', { body: { slots } })).status).toBe(428);
    const saved = await call(org.head, 'PUT', '/api/v1/settings/documents', { body: { slots }, headers: { 'if-match': '"0"' } });
    expect(saved.status).toBe(200);
    expect(saved.json).toMatchObject({ version: 1, isDefault: false, slots });
    const stale = await call(org.admin, 'PUT', '/api/v1/settings/documents', { body: { slots: [] }, headers: { 'if-match': '"0"' } });
    expect(stale.status).toBe(412);
    expect(stale.json.current).toMatchObject({ version: 1 });
    const dup = await call(org.head, 'PUT', '/api/v1/settings/documents', {
      body: { slots: [slots[0], slots[0]] },
      headers: { 'if-match': '"1"' },
    });
    expect(dup.status).toBe(422);

    // The new package applies to every deal at once: a qualified deal now needs its NDA to be won.
    const deal = await dealAt(org.manager, 'qualified');
    const list = await call(org.manager, 'GET', `/api/v1/deals/${deal.id}/documents`);
    expect(list.json).toMatchObject({ missing: ['nda'], blockingWon: ['offer', 'nda'] });
    const won = await call(org.manager, 'PATCH', `/api/v1/deals/${deal.id}`, { body: { stage: 'won' }, headers: { 'if-match': '"1"' } });
    expect(won.json.errors.map((e: { path: string }) => e.path)).toEqual(['/documents/offer', '/documents/nda']);
  });

  it('an organisation with an empty package wins deals freely', async () => {
    const org = await makeOrg();
    await call(org.admin, 'PUT', '/api/v1/settings/documents', { body: { slots: [] }, headers: { 'if-match': '"0"' } });
    const deal = await dealAt(org.manager, 'new');
    expect(
      (await call(org.manager, 'PATCH', `/api/v1/deals/${deal.id}`, { body: { stage: 'won' }, headers: { 'if-match': '"1"' } })).status,
    ).toBe(200);
  });
});

describe('where many deals stand at once (the Pipeline table)', () => {
  it('answers each deal its package (required, ready, missing by label) and its competitors, lost-to first', async () => {
    const org = await makeOrg();
    const other = await makeOrg();
    const proposal = await dealAt(org.manager, 'proposal');
    const negotiation = await dealAt(org.manager, 'negotiation');
    const lost = await dealAt(org.manager, 'new');
    const theirs = await dealAt(other.manager, 'proposal');
    await fill(org.manager, negotiation.id, 'offer');
    await fill(org.manager, negotiation.id, 'contract');
    const [alpha, beta] = [
      (await call(org.manager, 'POST', '/api/v1/competitors', { body: { name: 'Alpha' } })).json,
      (await call(org.manager, 'POST', '/api/v1/competitors', { body: { name: 'Beta' } })).json,
    ];
    await call(org.manager, 'POST', `/api/v1/deals/${negotiation.id}/competitors`, { body: { competitorId: alpha.id } });
    await call(org.manager, 'POST', `/api/v1/deals/${lost.id}/competitors`, { body: { competitorId: alpha.id } });
    await call(org.manager, 'POST', `/api/v1/deals/${lost.id}/lose`, {
      body: { lostReason: 'Price', competitorId: beta.id },
      headers: { 'if-match': '"1"' },
    });

    const ids = [proposal.id, negotiation.id, lost.id, theirs.id].join(',');
    const res = await call(org.manager, 'GET', `/api/v1/deals/standing?ids=${ids}`);
    expect(res.status).toBe(200);
    const by = new Map(res.json.items.map((i: { dealId: string }) => [i.dealId, i]));
    // Another organisation's deal is not there, as if it did not exist.
    expect([...by.keys()].sort()).toEqual([proposal.id, negotiation.id, lost.id].sort());
    expect(by.get(proposal.id)).toEqual({
      dealId: proposal.id,
      stage: 'proposal',
      documents: {
        required: 1,
        ready: 0,
        missing: [{ slot: 'offer', label: 'Offer' }],
        blockingWon: ['offer', 'contract', 'company_extract', 'power_of_attorney', 'specification'],
      },
      competitors: [],
    });
    expect(by.get(negotiation.id)).toMatchObject({
      stage: 'negotiation',
      documents: {
        required: 5,
        ready: 2,
        missing: [
          { slot: 'company_extract', label: 'Company registry extract' },
          { slot: 'power_of_attorney', label: 'Power of attorney' },
          { slot: 'specification', label: 'Specification' },
        ],
      },
      competitors: [{ competitorId: alpha.id, name: 'Alpha', lostTo: false }],
    });
    // A lost deal requires nothing; the one it was lost to comes first.
    expect(by.get(lost.id)).toMatchObject({
      stage: 'lost',
      documents: { required: 0, ready: 0, missing: [] },
      competitors: [
        { competitorId: beta.id, name: 'Beta', lostTo: true },
        { competitorId: alpha.id, name: 'Alpha', lostTo: false },
      ],
    });
  });

  it('refuses a missing, malformed or too long id list with the field named', async () => {
    const org = await makeOrg();
    for (const q of [
      '',
      '?ids=',
      '?ids=not-an-id',
      `?ids=${Array.from({ length: 201 }, (_, i) => `01J0000000000000000000${String(i).padStart(4, '0')}`).join(',')}`,
    ]) {
      const res = await call(org.manager, 'GET', `/api/v1/deals/standing${q}`);
      expect(res.status, q.slice(0, 40)).toBe(422);
      expect(res.headers.get('content-type')).toMatch(/application\/problem\+json/);
      expect(JSON.stringify(res.json.errors)).toContain('ids');
    }
  });
});

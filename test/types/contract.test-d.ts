// Type-level checks of the panes' API contract, compiled by `tsc -b` (test project): each
// expected error below must stay an error, so the build fails the day the contract loosens
// (a path, a query or a body the route does not take, or an answer typed wider than its schema).
import type { ApiClient } from '../../addin/api/client';
import type { Answer } from '../../addin/api/contract';

declare const client: ApiClient;
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
const yes = <T extends true>(): T | undefined => undefined;

export async function paths() {
  // @ts-expect-error a path the API does not have
  await client.get('/deal');
  // @ts-expect-error a method the route does not answer
  await client.send({ method: 'DELETE', path: '/deals' });
  // @ts-expect-error a path parameter left out
  await client.get('/deals/:id');
  // @ts-expect-error a path parameter the template does not name
  await client.get('/deals/:id', { params: { dealId: 'd' } });
  // @ts-expect-error a concrete path instead of the route's template
  await client.get(`/deals/${'d'}`);
}

export async function queries() {
  await client.get('/deals', { query: { stage: 'won', limit: 50 } });
  // @ts-expect-error a query key the route does not take
  await client.get('/deals', { query: { stages: 'won' } });
  // @ts-expect-error a stage that is not one
  await client.get('/deals', { query: { stage: 'closed' } });
  // @ts-expect-error the standing of deals is asked by ids
  await client.get('/deals/standing', { query: { id: 'd' } });
}

export async function bodies() {
  await client.create('/leads', { body: { source: 'email', fullName: 'Мария' } });
  // @ts-expect-error a lead field the schema does not have
  await client.create('/leads', { body: { source: 'email', name: 'Мария' } });
  // @ts-expect-error a lead needs its source
  await client.create('/leads', { body: { fullName: 'Мария' } });
  // @ts-expect-error an amount is in minor units, a number
  await client.send({ method: 'PATCH', path: '/deals/:id', params: { id: 'd' }, body: { amountMinor: '10' } });
  // @ts-expect-error a change queued for later is checked the same way
  await client.mutate({ method: 'PATCH', path: '/tasks/:id', params: { id: 't' }, body: { finished: true } });
}

export async function answers() {
  const deal = await client.get('/deals/:id', { params: { id: 'd' } });
  const title: string = deal.title;
  // @ts-expect-error a deal has no such field
  void deal.name;
  const match = await client.match(['a@b.bg']);
  const tier: number = match.companies[0]!.company.vipTier;
  // @ts-expect-error a contact's addresses are emails[]
  void match.contacts[0]!.contact.email;
  yes<Equal<Answer<'GET', '/deals/:id'>['stage'], 'new' | 'qualified' | 'proposal' | 'negotiation' | 'won' | 'lost'>>();
  // @ts-expect-error an answer is never `unknown` or `any`
  yes<Equal<Answer<'GET', '/deals'>, unknown>>();
  return { title, tier };
}

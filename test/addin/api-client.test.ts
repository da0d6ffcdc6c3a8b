// The panes' API client: problem+json parsing, retries with backoff, the offline queue.
import { describe, expect, it, vi } from 'vitest';
import { createApiClient } from '../../addin/api/client';
import { ApiError, parseProblem, parseRetryAfter } from '../../addin/api/problem';
import { OfflineQueue } from '../../addin/api/queue';
import { backoffDelay, withRetry, type RetryPolicy } from '../../addin/api/retry';
import { toMatrix } from '../../addin/api/tabular';
import { createFetchTransport } from '../../addin/api/transport';
import { createPartitionedStorage } from '../../addin/office/host-info';
import type { KeyValueStorage } from '../../addin/office/types';
import { buildMe, problem } from './helpers/api-builders';

/** A fetch that answers from a list of scripted responses and records each request. */
function scriptedFetch(...answers: Array<Response | Error | (() => Response)>) {
  const requests: Array<{ url: string; method: string; headers: Headers; body: string | null }> = [];
  const fetch = vi.fn(async (url: string | URL | Request, init?: RequestInit) => {
    requests.push({
      url: String(url),
      method: init?.method ?? 'GET',
      headers: new Headers(init?.headers),
      body: (init?.body as string) ?? null,
    });
    const next = answers.shift();
    if (!next) throw new Error('no more scripted answers');
    if (next instanceof Error) throw next;
    return typeof next === 'function' ? next() : next;
  });
  return { fetch: fetch as unknown as typeof globalThis.fetch, requests };
}

const jsonResponse = (body: unknown, status = 200, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': status < 300 ? 'application/json' : 'application/problem+json', ...headers },
  });

function memoryStorage(): KeyValueStorage & { dump(): Record<string, string> } {
  const map = new Map<string, string>();
  return {
    get: (k) => map.get(k) ?? null,
    set: (k, v) => void map.set(k, v),
    remove: (k) => void map.delete(k),
    dump: () => Object.fromEntries(map),
  };
}

const noWait: Partial<RetryPolicy> = { sleep: async () => undefined, random: () => 0.5 };
let keys = 0;
const newKey = () => `key-${++keys}`;

function client(
  fetch: typeof globalThis.fetch,
  options: { online?: () => boolean; storage?: KeyValueStorage; onUnauthorized?: (e: ApiError) => void } = {},
) {
  return createApiClient({
    transport: createFetchTransport({ baseUrl: 'http://crm.test/api/v1', getToken: () => 'lp_token', fetch }),
    storage: options.storage ?? memoryStorage(),
    retry: noWait,
    isOnline: options.online ?? (() => true),
    newKey,
    ...(options.onUnauthorized ? { onUnauthorized: options.onUnauthorized } : {}),
  });
}

describe('problem+json', () => {
  it('becomes an ApiError with the code, request id and per-field messages', () => {
    const error = parseProblem(
      422,
      new Headers(),
      problem(422, 'validation_failed', {
        detail: 'Two fields are invalid',
        errors: [
          { path: 'email', code: 'invalid_email', message: 'Not an email' },
          { path: ['contacts', 0, 'phone'], code: 'invalid_phone', message: 'Bad phone' },
          { path: 'email', code: 'too_long', message: 'Second message for email' },
        ],
      }),
    );
    expect(error).toMatchObject({
      code: 'validation_failed',
      status: 422,
      detail: 'Two fields are invalid',
      requestId: 'req-test',
      retryable: false,
    });
    expect(error.fieldMessages).toEqual({ email: 'Not an email', 'contacts.0.phone': 'Bad phone' });
  });

  it('falls back to the status when the body is not a problem (a proxy’s HTML page)', () => {
    expect(parseProblem(429, new Headers({ 'retry-after': '7' }), '<html>slow down</html>')).toMatchObject({
      code: 'rate_limited',
      retryAfterMs: 7000,
      retryable: true,
    });
    expect(parseProblem(502, new Headers(), null)).toMatchObject({ code: 'internal', retryable: true });
    expect(parseProblem(418, new Headers(), { code: 'teapot' })).toMatchObject({ code: 'internal', retryable: false });
  });

  it('reads Retry-After as seconds or as a date', () => {
    expect(parseRetryAfter('120')).toBe(120_000);
    expect(parseRetryAfter(new Date(Date.UTC(2026, 0, 1, 0, 0, 30)).toUTCString(), Date.UTC(2026, 0, 1))).toBe(30_000);
    expect(parseRetryAfter('soon')).toBeNull();
  });
});

describe('backoff', () => {
  it('draws each wait from a window that doubles up to the cap (full jitter)', () => {
    const policy = { baseMs: 100, maxMs: 1000, random: () => 0.999 };
    expect([0, 1, 2, 3, 4, 5].map((a) => backoffDelay(a, policy))).toEqual([99, 199, 399, 799, 999, 999]);
    expect(backoffDelay(3, { ...policy, random: () => 0 })).toBe(0);
  });

  it('waits what the server asked for, within the cap', () => {
    expect(backoffDelay(0, { baseMs: 100, maxMs: 10_000, random: () => 0.5 }, 3000)).toBe(3000);
    expect(backoffDelay(0, { baseMs: 100, maxMs: 10_000, random: () => 0.5 }, 60_000)).toBe(10_000);
  });

  it('retries retryable errors, then gives up with the last one', async () => {
    const waits: number[] = [];
    const call = vi.fn(async () => {
      throw ApiError.network(new Error('offline'));
    });
    await expect(
      withRetry(call, { retries: 3, baseMs: 100, maxMs: 1000, random: () => 0.5, sleep: async (ms) => void waits.push(ms) }),
    ).rejects.toMatchObject({
      code: 'network',
    });
    expect(call).toHaveBeenCalledTimes(4);
    expect(waits).toEqual([50, 100, 200]);
  });

  it('does not retry a refusal', async () => {
    const call = vi.fn(async () => {
      throw new ApiError({ code: 'validation_failed', status: 422 });
    });
    await expect(
      withRetry(call, { retries: 3, baseMs: 1, maxMs: 1, random: () => 0, sleep: async () => undefined }),
    ).rejects.toBeInstanceOf(ApiError);
    expect(call).toHaveBeenCalledTimes(1);
  });
});

describe('the client', () => {
  it('sends the bearer token and repeats query parameters for several emails', async () => {
    const { fetch, requests } = scriptedFetch(jsonResponse({ contacts: [], companies: [], leads: [] }));
    await client(fetch).match(['a@x.bg', 'b@y.bg', 'a@x.bg']);
    expect(requests[0]!.url).toBe('http://crm.test/api/v1/match?email=a%40x.bg&email=b%40y.bg');
    expect(requests[0]!.headers.get('authorization')).toBe('Bearer lp_token');
  });

  it("builds calls with Hono's typed client over the app's routes, through the same sender", async () => {
    const { fetch, requests } = scriptedFetch(
      jsonResponse({ user: { id: 'u', email: 'a@b.bg', name: 'A', role: 'head', locale: null }, org: { id: 'o', name: 'O' } }),
      jsonResponse({ company: { id: 'c/1' } }),
    );
    const api = client(fetch);
    const me = await api.me();
    // Typed from the Worker's route: a changed answer would not compile here.
    const role: 'manager' | 'head' | 'admin' = me.user.role;
    expect(role).toBe('head');
    await api.companyCard('c/1');
    expect(requests.map((r) => new URL(r.url).pathname)).toEqual(['/api/v1/me', '/api/v1/companies/c%2F1/card']);
    expect(requests[1]!.headers.get('authorization')).toMatch(/^Bearer /);
  });

  it('retries a GET after a 503 and a network failure', async () => {
    const { fetch, requests } = scriptedFetch(
      jsonResponse(problem(503, 'internal'), 503),
      new TypeError('fetch failed'),
      jsonResponse(buildMe()),
    );
    expect(await client(fetch).me()).toEqual(buildMe());
    expect(requests).toHaveLength(3);
  });

  it('retries a create with the same Idempotency-Key every time', async () => {
    const { fetch, requests } = scriptedFetch(new TypeError('fetch failed'), jsonResponse({ id: 'p-1' }, 201));
    await client(fetch).create('/contacts', { body: { fullName: 'Иван' } });
    const sent = requests.map((r) => r.headers.get('idempotency-key'));
    expect(sent[0]).toBeTruthy();
    expect(sent).toEqual([sent[0], sent[0]]);
  });

  it('never retries a POST without an Idempotency-Key', async () => {
    const { fetch, requests } = scriptedFetch(jsonResponse(problem(503, 'internal'), 503));
    await expect(client(fetch).send({ method: 'POST', path: '/contacts/:id/erase', params: { id: 'p-1' } })).rejects.toMatchObject({
      code: 'internal',
    });
    expect(requests).toHaveLength(1);
  });

  it('reports a 401 to the pane and to the caller', async () => {
    const onUnauthorized = vi.fn();
    const { fetch } = scriptedFetch(jsonResponse(problem(401, 'unauthorized'), 401));
    await expect(client(fetch, { onUnauthorized }).me()).rejects.toMatchObject({ code: 'unauthorized' });
    expect(onUnauthorized).toHaveBeenCalledOnce();
  });

  it('queues a change made offline and sends it, with its key, once back online', async () => {
    let online = false;
    const storage = memoryStorage();
    const { fetch, requests } = scriptedFetch(jsonResponse({ id: 'p-1' }, 201));
    const api = client(fetch, { online: () => online, storage });

    const result = await api.mutate({ method: 'POST', path: '/contacts', body: { fullName: 'Иван' } });
    expect(result.status).toBe('queued');
    expect(requests).toHaveLength(0);

    online = true;
    const target = new EventTarget();
    const stop = api.flushWhenOnline(target as unknown as Window);
    target.dispatchEvent(new Event('online'));
    await vi.waitFor(() => expect(api.queue.size).toBe(0));
    stop();
    expect(requests).toHaveLength(1);
    expect(requests[0]!.headers.get('idempotency-key')).toBe(result.status === 'queued' ? result.change.idempotencyKey : '');
    expect(JSON.parse(requests[0]!.body!)).toEqual({ fullName: 'Иван' });
  });

  it('keeps flushing after a reconnect whose first sends fail, until every change is sent once', async () => {
    let online = false;
    const storage = memoryStorage();
    const api = client(scriptedFetch().fetch, { online: () => online, storage });
    for (let i = 0; i < 3; i++) await api.mutate({ method: 'POST', path: '/contacts', body: { fullName: `n${i}` } });
    expect(api.queue.size).toBe(3);
    // Back online, but the network fails for every attempt of the first flush (its retries included).
    const failures = Array.from({ length: 5 }, () => new TypeError('fetch failed'));
    const { fetch, requests } = scriptedFetch(...failures, ...[0, 1, 2].map((i) => jsonResponse({ id: `c-${i}` }, 201)));
    const again = client(fetch, { online: () => online, storage });
    online = true;
    const target = new EventTarget();
    // The pane's own wiring: flush on 'online', then again after a pause while changes remain.
    const stop = again.flushWhenOnline(target as unknown as Window);
    target.dispatchEvent(new Event('online'));
    await vi.waitFor(() => expect(again.queue.size).toBe(0), { timeout: 5_000 });
    stop();
    const sent = requests.slice(failures.length).map((r) => JSON.parse(r.body!) as { fullName: string });
    expect(sent).toEqual([{ fullName: 'n0' }, { fullName: 'n1' }, { fullName: 'n2' }]);
  });

  it('retries a change queued while the browser says online (the server went away), with no online event', async () => {
    // The pane is open and wired; then the server stops answering for the five tries of one send.
    const { fetch, requests } = scriptedFetch(
      ...Array.from({ length: 5 }, () => new TypeError('fetch failed')),
      jsonResponse({ id: 'c-1' }, 201),
    );
    const api = client(fetch, { online: () => true, storage: memoryStorage() });
    const stop = api.flushWhenOnline(new EventTarget() as unknown as Window);
    const result = await api.mutate({ method: 'POST', path: '/contacts', body: { fullName: 'n1' } });
    expect(result.status).toBe('queued');
    await vi.waitFor(() => expect(api.queue.size).toBe(0), { timeout: 5_000 });
    stop();
    expect(requests).toHaveLength(6);
    expect(new Set(requests.map((r) => r.headers.get('idempotency-key'))).size).toBe(1);
  });

  it('queues a change whose send fails on the network after retries', async () => {
    const { fetch } = scriptedFetch(...Array.from({ length: 5 }, () => new TypeError('fetch failed')));
    const api = client(fetch);
    const result = await api.mutate({ method: 'POST', path: '/contacts', body: { fullName: 'Иван' } });
    expect(result.status).toBe('queued');
    expect(api.queue.size).toBe(1);
  });
});

describe('the offline queue', () => {
  it('sends changes in the order they were made, each exactly once', async () => {
    const storage = memoryStorage();
    const queue = new OfflineQueue(storage, newKey);
    for (const n of [1, 2, 3]) queue.enqueue({ method: 'POST', path: `/leads`, body: { n } });
    const sent: number[] = [];
    const result = await queue.flush(async (change) => void sent.push((change.body as { n: number }).n));
    expect(sent).toEqual([1, 2, 3]);
    expect(result).toEqual({ sent: 3, failed: [], remaining: 0 });
    expect(
      await queue.flush(async () => {
        throw new Error('nothing should be sent');
      }),
    ).toEqual({ sent: 0, failed: [], remaining: 0 });
  });

  it('stops at a network failure and keeps the rest, in order, for the next flush', async () => {
    const queue = new OfflineQueue(memoryStorage(), newKey);
    for (const n of [1, 2, 3]) queue.enqueue({ method: 'POST', path: '/leads', body: { n } });
    const sent: number[] = [];
    const result = await queue.flush(async (change) => {
      const n = (change.body as { n: number }).n;
      if (n === 2) throw ApiError.network(new Error('offline'));
      sent.push(n);
    });
    expect(result).toEqual({ sent: 1, failed: [], remaining: 2 });
    expect(queue.list().map((c) => [(c.body as { n: number }).n, c.attempts])).toEqual([
      [2, 1],
      [3, 0],
    ]);
    await queue.flush(async (change) => void sent.push((change.body as { n: number }).n));
    expect(sent).toEqual([1, 2, 3]);
  });

  it('sets a refused change aside and goes on with the next', async () => {
    const queue = new OfflineQueue(memoryStorage(), newKey);
    queue.enqueue({ method: 'POST', path: '/leads', body: { n: 1 } });
    queue.enqueue({ method: 'POST', path: '/leads', body: { n: 2 } });
    const result = await queue.flush(async (change) => {
      if ((change.body as { n: number }).n === 1) throw new ApiError({ code: 'validation_failed', status: 422, detail: 'bad' });
    });
    expect(result.sent).toBe(1);
    expect(queue.failures()).toEqual([expect.objectContaining({ code: 'validation_failed', status: 422 })]);
  });

  it('counts a versioned change as sent when its 412 shows the row already holds its values', async () => {
    const queue = new OfflineQueue(memoryStorage(), newKey);
    // The first send was applied and its answer lost; a colleague changed the second deal meanwhile.
    queue.enqueue({ method: 'PATCH', path: '/deals/a', headers: { 'If-Match': '"3"' }, body: { stage: 'won', amountMinor: 500 } });
    queue.enqueue({ method: 'PATCH', path: '/deals/b', headers: { 'If-Match': '"3"' }, body: { stage: 'won', amountMinor: 500 } });
    const current = {
      a: { id: 'a', version: 4, stage: 'won', amountMinor: 500 },
      b: { id: 'b', version: 4, stage: 'lost', amountMinor: 500 },
    };
    const result = await queue.flush(async (change) => {
      const id = change.path.slice(-1) as 'a' | 'b';
      throw new ApiError({ code: 'precondition_failed', status: 412, problem: { current: current[id] } });
    });
    expect(result.sent).toBe(1);
    expect(queue.size).toBe(0);
    expect(queue.failures()).toEqual([expect.objectContaining({ code: 'precondition_failed', status: 412 })]);
    expect(queue.failures()[0]!.change.path).toBe('/deals/b');
  });

  it('keeps a change for later when the token is no longer accepted', async () => {
    const queue = new OfflineQueue(memoryStorage(), newKey);
    queue.enqueue({ method: 'POST', path: '/leads', body: {} });
    await queue.flush(async () => {
      throw new ApiError({ code: 'unauthorized', status: 401 });
    });
    expect(queue.size).toBe(1);
  });

  it('shares one flush between concurrent callers', async () => {
    const queue = new OfflineQueue(memoryStorage(), newKey);
    queue.enqueue({ method: 'POST', path: '/leads', body: {} });
    const send = vi.fn(async () => undefined);
    await Promise.all([queue.flush(send), queue.flush(send)]);
    expect(send).toHaveBeenCalledOnce();
  });

  it('lives in storage partitioned by Office’s partition key', () => {
    const backing = new Map<string, string>();
    const storage = {
      getItem: (k: string) => backing.get(k) ?? null,
      setItem: (k: string, v: string) => void backing.set(k, v),
      removeItem: (k: string) => void backing.delete(k),
    } as unknown as Storage;
    new OfflineQueue(createPartitionedStorage('tenant-a:user-1', storage), newKey).enqueue({ method: 'POST', path: '/leads' });
    new OfflineQueue(createPartitionedStorage(null, storage), newKey).enqueue({ method: 'POST', path: '/deals' });
    expect([...backing.keys()].sort()).toEqual(['leadpane.queue.pending', 'tenant-a:user-1/leadpane.queue.pending']);
    expect(new OfflineQueue(createPartitionedStorage('tenant-b:user-2', storage), newKey).size).toBe(0);
  });
});

describe('report answers as cells', () => {
  it('accepts columns + rows, a list of records, or one record', () => {
    expect(toMatrix({ columns: ['a', 'b'], rows: [[1, 2]] })).toEqual([
      ['a', 'b'],
      [1, 2],
    ]);
    expect(toMatrix({ columns: [{ key: 'a', name: 'A' }], rows: [{ a: 1 }] })).toEqual([['A'], [1]]);
    expect(toMatrix({ items: [{ a: 1 }, { a: 2, b: null }] })).toEqual([
      ['a', 'b'],
      [1, ''],
      [2, ''],
    ]);
    expect(toMatrix({ owner: 'maria', attainment: 0.8 })).toEqual([
      ['owner', 'attainment'],
      ['maria', 0.8],
    ]);
  });
});

// LEADPANE.* custom functions: the calls of one recalculation in one request, answers reused per
// arguments until the pane syncs or a minute passes, dynamic arrays, errors as CustomFunctions.Error.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createApiClient } from '../../addin/api/client';
import { createFetchTransport } from '../../addin/api/transport';
import type { BatchCall, BatchResult } from '../../addin/functions/batch';
import { notifyDataChanged } from '../../addin/functions/cache';
import { clientBatcher, createLeadpaneFunctions, toIsoDate } from '../../addin/functions/functions';
import { registerCustomFunctions } from '../../addin/office/custom-functions';
import { looksHostedByOffice } from '../../addin/office/connect';
import { createPartitionedStorage } from '../../addin/office/host-info';
import { createI18n } from '../../addin/ui/i18n';
import { problem } from './helpers/api-builders';

/** Functions over a fake server that answers each batch call with `answer`; records every request. */
function functionsAnswering(answer: (call: BatchCall) => BatchResult, opts: { status?: number; now?: () => number } = {}) {
  const requests: Array<{ path: string; calls: BatchCall[] }> = [];
  const fetch = (async (input: string | URL | Request, init?: RequestInit) => {
    const url = new URL(String(input));
    const calls = (JSON.parse(String(init?.body ?? '{}')) as { calls: BatchCall[] }).calls;
    requests.push({ path: `${init?.method} ${url.pathname}`, calls });
    if (opts.status && opts.status >= 300) return json(problem(opts.status, 'unauthorized'), opts.status);
    return json({ results: calls.map(answer) });
  }) as typeof globalThis.fetch;
  const client = createApiClient({
    transport: createFetchTransport({ baseUrl: 'http://crm.test/api/v1', getToken: () => 'lp_token', fetch }),
    storage: createPartitionedStorage(null, null),
    retry: { retries: 0 },
  });
  const batcher = clientBatcher(client, opts.now ? { now: opts.now } : {});
  return { fns: createLeadpaneFunctions(client, createI18n('en-US'), batcher), requests, batcher };
}

const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': status < 300 ? 'application/json' : 'application/problem+json' },
  });

const table = (columns: unknown[], rows: unknown[][]): BatchResult => ({ columns, rows });

describe('custom functions', () => {
  it('match the ids of functions.json', () => {
    const metadata = JSON.parse(readFileSync(resolve(import.meta.dirname, '../../addin/functions/functions.json'), 'utf8')) as {
      functions: Array<{ id: string; parameters: unknown[] }>;
    };
    const { fns } = functionsAnswering(() => table([], []));
    expect(Object.keys(fns).sort()).toEqual(metadata.functions.map((f) => f.id).sort());
    // Excel passes every declared parameter, so each implementation takes as many.
    for (const f of metadata.functions) expect(fns[f.id as keyof typeof fns].length, f.id).toBeLessThanOrEqual(f.parameters.length);
  });

  it('PIPELINE answers a header row and one row per group, leaving out omitted filters', async () => {
    const { fns, requests } = functionsAnswering(() => table(['stage', 'currency', 'count'], [['proposal', 'BGN', 3]]));
    expect(await fns.PIPELINE(null, 'maria@leadpane.example')).toEqual([
      ['stage', 'currency', 'count'],
      ['proposal', 'BGN', 3],
    ]);
    expect(requests).toEqual([
      { path: 'POST /api/v1/reports/fn/batch', calls: [{ fn: 'PIPELINE', args: { owner: 'maria@leadpane.example' } }] },
    ]);
  });

  it('WON accepts Excel dates and ISO text', async () => {
    const { fns, requests } = functionsAnswering(() => table(['currency', 'count'], [['BGN', 1]]));
    expect(await fns.WON(46204, '2026-07-31', undefined)).toEqual([
      ['currency', 'count'],
      ['BGN', 1],
    ]);
    expect(requests[0]!.calls).toEqual([{ fn: 'WON', args: { from: '2026-07-01', to: '2026-07-31' } }]);
    await expect(fns.WON('July', '2026-07-31', null)).rejects.toMatchObject({
      cellError: 'invalidValue',
      message: 'from must be a date or text like 2026-07-01.',
    });
    expect(toIsoDate(46023)).toBe('2026-01-01');
  });

  it('sends the calls of one recalculation in one request, and checks required arguments before sending', async () => {
    const { fns, requests } = functionsAnswering((c) => table(['fn'], [[c.fn]]));
    const [quota, report] = await Promise.all([fns.QUOTA('maria', '2026-Q3'), fns.REPORT('Weekly', '2026-W27', 'won')]);
    expect(quota).toEqual([['fn'], ['QUOTA']]);
    expect(report).toEqual([['fn'], ['REPORT']]);
    expect(requests.map((r) => r.calls)).toEqual([
      [
        { fn: 'QUOTA', args: { owner: 'maria', period: '2026-Q3' } },
        { fn: 'REPORT', args: { kind: 'weekly', period: '2026-W27', section: 'wonLost', lang: 'en' } },
      ],
    ]);
    await expect(fns.QUOTA('', '2026-Q3')).rejects.toMatchObject({ cellError: 'invalidValue', message: 'owner is required.' });
    await expect(fns.REPORT('monthly', '2026-07', 'won')).rejects.toMatchObject({ cellError: 'invalidValue' });
    expect(requests).toHaveLength(1);
  });

  it('answers 2,000 formulas of one recalculation in two requests, equal formulas sharing one call', async () => {
    const { fns, requests } = functionsAnswering((c) => table(['from'], [[c.args.from ?? '']]));
    const day = (i: number) => new Date(Date.UTC(2026, 0, 1) + i * 86_400_000).toISOString().slice(0, 10);
    const cells = Array.from({ length: 2000 }, (_, i) => fns.WON(day(i % 1500), '2030-12-31', null));
    const answers = await Promise.all(cells);
    expect(answers[1600]).toEqual([['from'], [day(100)]]);
    expect(requests).toHaveLength(2);
    expect(requests.reduce((n, r) => n + r.calls.length, 0)).toBe(1500);
  });

  it('reuses an answer until the pane syncs or a minute passes, and never caches a problem', async () => {
    let now = 0;
    let fail = true;
    const { fns, requests } = functionsAnswering(() => (fail ? { error: problem(503, 'internal') } : table(['n'], [[requests.length]])), {
      now: () => now,
    });
    await expect(fns.PIPELINE('proposal', null)).rejects.toMatchObject({ cellError: 'notAvailable' });
    fail = false;
    expect(await fns.PIPELINE('proposal', null)).toEqual([['n'], [2]]);
    expect(await fns.PIPELINE('proposal', null)).toEqual([['n'], [2]]);
    expect(requests).toHaveLength(2);
    notifyDataChanged();
    expect(await fns.PIPELINE('proposal', null)).toEqual([['n'], [3]]);
    now += 59_000;
    expect(await fns.PIPELINE('proposal', null)).toEqual([['n'], [3]]);
    now += 2_000;
    expect(await fns.PIPELINE('proposal', null)).toEqual([['n'], [4]]);
  });

  it('turns API problems into cell errors that say what to do', async () => {
    const { fns } = functionsAnswering(() => table([], []), { status: 401 });
    await expect(fns.PIPELINE(null, null)).rejects.toMatchObject({
      cellError: 'notAvailable',
      message: expect.stringContaining('personal token'),
    });
    const invalid = functionsAnswering(() => ({
      error: problem(422, 'validation_failed', { errors: [{ path: '/period', code: 'invalid_format', message: 'Use 2026-W27' }] }),
    }));
    await expect(invalid.fns.REPORT('weekly', 'x', 'won')).rejects.toMatchObject({
      cellError: 'invalidValue',
      message: 'period: Use 2026-W27',
    });
  });

  it('registers with CustomFunctions and throws CustomFunctions.Error with our message', async () => {
    class FakeError extends Error {
      constructor(
        readonly code: string,
        message?: string,
      ) {
        super(message);
      }
    }
    const associated = new Map<string, (...args: never[]) => unknown>();
    const api = {
      associate: (id: string, fn: (...args: never[]) => unknown) => void associated.set(id, fn),
      Error: FakeError,
      ErrorCode: { invalidValue: '#VALUE!', notAvailable: '#N/A' },
    };
    expect(
      registerCustomFunctions(
        {
          OK: async () => [[1]],
          BAD: async () => {
            throw Object.assign(new Error('owner is required.'), { cellError: 'invalidValue' });
          },
        },
        api,
      ),
    ).toBe(true);
    expect(await associated.get('OK')!()).toEqual([[1]]);
    await expect(associated.get('BAD')!()).rejects.toMatchObject({ code: '#VALUE!', message: 'owner is required.' });
    expect(registerCustomFunctions({}, null)).toBe(false);
  });
});

describe('finding the host', () => {
  const fakeWindow = (over: { search?: string; session?: Record<string, string>; name?: string; extra?: object } = {}) =>
    ({
      location: { search: over.search ?? '' },
      sessionStorage: { getItem: (k: string) => over.session?.[k] ?? null },
      name: over.name ?? '',
      external: {},
      ...over.extra,
    }) as unknown as Window;

  it('treats a plain tab as browser mode, so the CDN is never contacted', () => {
    expect(looksHostedByOffice(fakeWindow())).toBe(false);
    expect(looksHostedByOffice(fakeWindow({ name: 'something else' }))).toBe(false);
  });

  it('sees Office by the signals office.js itself reads', () => {
    expect(looksHostedByOffice(fakeWindow({ search: '?_host_Info=Excel$Win32$16.01$en-US$$$$0' }))).toBe(true);
    expect(looksHostedByOffice(fakeWindow({ session: { hostInfoValue: 'Outlook|Web|16.00|bg-BG' } }))).toBe(true);
    expect(looksHostedByOffice(fakeWindow({ name: JSON.stringify({ hostInfo: 'Excel|Mac|16.00' }) }))).toBe(true);
    expect(looksHostedByOffice(fakeWindow({ extra: { external: { GetHostInfo: () => '' } } }))).toBe(true);
    expect(looksHostedByOffice(fakeWindow({ extra: { webkit: { messageHandlers: { Agave: {} } } } }))).toBe(true);
  });

  it('keeps partitioned storage apart per partition key', () => {
    const backing = new Map<string, string>();
    const storage = {
      getItem: (k: string) => backing.get(k) ?? null,
      setItem: (k: string, v: string) => void backing.set(k, v),
      removeItem: (k: string) => void backing.delete(k),
    } as unknown as Storage;
    createPartitionedStorage('p1', storage).set('token', 'a');
    createPartitionedStorage('p2', storage).set('token', 'b');
    expect(createPartitionedStorage('p1', storage).get('token')).toBe('a');
    expect(createPartitionedStorage(null, storage).get('token')).toBeNull();
    const memoryOnly = createPartitionedStorage('p1', null);
    memoryOnly.set('token', 'c');
    expect(memoryOnly.get('token')).toBe('c');
  });
});

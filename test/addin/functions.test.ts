// LEADPANE.* custom functions: one API call each, dynamic arrays, errors as CustomFunctions.Error.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createApiClient } from '../../addin/api/client';
import { createFetchTransport } from '../../addin/api/transport';
import { createLeadpaneFunctions, toIsoDate } from '../../addin/functions/functions';
import { registerCustomFunctions } from '../../addin/office/custom-functions';
import { looksHostedByOffice } from '../../addin/office/connect';
import { createPartitionedStorage } from '../../addin/office/host-info';
import { createI18n } from '../../addin/ui/i18n';
import { problem } from './helpers/api-builders';

function functionsAnswering(answer: (url: URL) => Response) {
  const urls: URL[] = [];
  const fetch = (async (input: string | URL | Request) => {
    const url = new URL(String(input));
    urls.push(url);
    return answer(url);
  }) as typeof globalThis.fetch;
  const client = createApiClient({
    transport: createFetchTransport({ baseUrl: 'http://crm.test/api/v1', getToken: () => 'lp_token', fetch }),
    storage: createPartitionedStorage(null, null),
    retry: { retries: 0 },
  });
  return { fns: createLeadpaneFunctions(client, createI18n('en-US')), urls };
}

const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': status < 300 ? 'application/json' : 'application/problem+json' },
  });

describe('custom functions', () => {
  it('match the ids of functions.json', () => {
    const metadata = JSON.parse(readFileSync(resolve(import.meta.dirname, '../../addin/functions/functions.json'), 'utf8')) as {
      functions: Array<{ id: string; parameters: unknown[] }>;
    };
    const { fns } = functionsAnswering(() => json({}));
    expect(Object.keys(fns).sort()).toEqual(metadata.functions.map((f) => f.id).sort());
    // Excel passes every declared parameter, so each implementation takes as many.
    for (const f of metadata.functions) expect(fns[f.id as keyof typeof fns].length, f.id).toBeLessThanOrEqual(f.parameters.length);
  });

  it('PIPELINE answers a header row and one row per deal, leaving out omitted filters', async () => {
    const { fns, urls } = functionsAnswering(() => json({ columns: ['title', 'stage', 'amount'], rows: [['Licences', 'proposal', 1200]] }));
    expect(await fns.PIPELINE(null, 'maria@leadpane.example')).toEqual([
      ['title', 'stage', 'amount'],
      ['Licences', 'proposal', 1200],
    ]);
    expect(urls[0]!.pathname + urls[0]!.search).toBe('/api/v1/reports/fn/pipeline?owner=maria%40leadpane.example');
  });

  it('WON accepts Excel dates and ISO text', async () => {
    const { fns, urls } = functionsAnswering(() => json({ rows: [{ title: 'A', amountMinor: 100 }] }));
    expect(await fns.WON(46204, '2026-07-31', undefined)).toEqual([
      ['title', 'amountMinor'],
      ['A', 100],
    ]);
    expect(urls[0]!.search).toBe('?from=2026-07-01&to=2026-07-31');
    await expect(fns.WON('July', '2026-07-31', null)).rejects.toMatchObject({
      cellError: 'invalidValue',
      message: 'from must be a date or text like 2026-07-01.',
    });
    expect(toIsoDate(46023)).toBe('2026-01-01');
  });

  it('QUOTA and REPORT call their endpoints and check required arguments', async () => {
    const { fns, urls } = functionsAnswering(() => json({ owner: 'maria', quotaMinor: 1000, wonMinor: 800 }));
    expect(await fns.QUOTA('maria', '2026-Q3')).toEqual([
      ['owner', 'quotaMinor', 'wonMinor'],
      ['maria', 1000, 800],
    ]);
    await fns.REPORT('Weekly', '2026-W27', 'won');
    expect(urls.map((u) => u.pathname + u.search)).toEqual([
      '/api/v1/reports/fn/quota?owner=maria&period=2026-Q3',
      '/api/v1/reports/fn/report?kind=weekly&period=2026-W27&section=wonLost&lang=en',
    ]);
    await expect(fns.QUOTA('', '2026-Q3')).rejects.toMatchObject({ cellError: 'invalidValue', message: 'owner is required.' });
    await expect(fns.REPORT('monthly', '2026-07', 'won')).rejects.toMatchObject({ cellError: 'invalidValue' });
  });

  it('turns API problems into cell errors that say what to do', async () => {
    const { fns } = functionsAnswering(() => json(problem(401, 'unauthorized'), 401));
    await expect(fns.PIPELINE(null, null)).rejects.toMatchObject({
      cellError: 'notAvailable',
      message: expect.stringContaining('personal token'),
    });
    const invalid = functionsAnswering(() =>
      json(problem(422, 'validation_failed', { errors: [{ path: 'week', code: 'invalid_format', message: 'Use 2026-W27' }] }), 422),
    );
    await expect(invalid.fns.REPORT('weekly', 'x', 'won')).rejects.toMatchObject({
      cellError: 'invalidValue',
      message: 'week: Use 2026-W27',
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

// The only file that talks HTTP. Everything else goes through `Transport`, so the lead can swap
// this for Hono's typed client (hc<AppType>) without touching callers.
import { ApiError, parseProblem } from './problem';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
export type QueryValue = string | number | boolean | null | undefined | ReadonlyArray<string | number>;

export interface ApiRequest {
  method: HttpMethod;
  /** Path under /api/v1, e.g. "/companies/abc/card". */
  path: string;
  /** Undefined and null values are left out; arrays repeat the parameter (?email=a&email=b). */
  query?: Record<string, QueryValue>;
  body?: unknown;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

export interface ApiResponse<T = unknown> {
  status: number;
  headers: Headers;
  data: T;
}

/** Sends one request; resolves on 2xx, rejects with an ApiError otherwise (code "network" when no answer came). */
export type Transport = <T>(request: ApiRequest) => Promise<ApiResponse<T>>;

export interface FetchTransportOptions {
  /** Where the API lives; same origin by default. */
  baseUrl?: string;
  getToken: () => string | null;
  fetch?: typeof fetch;
  /** Per request; a pane must never wait forever. */
  timeoutMs?: number;
}

export function buildUrl(baseUrl: string, path: string, query?: Record<string, QueryValue>): string {
  const origin = globalThis.location?.href ?? 'http://localhost/';
  const url = new URL(baseUrl.replace(/\/$/, '') + path, origin);
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value === undefined || value === null || value === '') continue;
    if (Array.isArray(value)) for (const v of value) url.searchParams.append(key, String(v));
    else url.searchParams.set(key, String(value));
  }
  return url.toString();
}

/** A signal that aborts after `ms` or with `outer` (AbortSignal.any is too new for older Office on Mac). */
function deadline(ms: number, outer?: AbortSignal) {
  const controller = new AbortController();
  let expired = false;
  const timer = setTimeout(() => {
    expired = true;
    controller.abort();
  }, ms);
  const forward = () => controller.abort();
  outer?.addEventListener('abort', forward, { once: true });
  if (outer?.aborted) controller.abort();
  return {
    signal: controller.signal,
    timedOut: () => expired,
    done: () => {
      clearTimeout(timer);
      outer?.removeEventListener('abort', forward);
    },
  };
}

export function createFetchTransport(options: FetchTransportOptions): Transport {
  const baseUrl = options.baseUrl ?? '/api/v1';
  const timeoutMs = options.timeoutMs ?? 20_000;
  return async <T>(request: ApiRequest): Promise<ApiResponse<T>> => {
    const doFetch = options.fetch ?? globalThis.fetch.bind(globalThis);
    const headers: Record<string, string> = { Accept: 'application/json, application/problem+json', ...request.headers };
    const token = options.getToken();
    if (token) headers.Authorization = `Bearer ${token}`;
    if (request.body !== undefined) headers['Content-Type'] = 'application/json';
    const { signal, timedOut, done } = deadline(timeoutMs, request.signal);

    let response: Response;
    try {
      response = await doFetch(buildUrl(baseUrl, request.path, request.query), {
        method: request.method,
        headers,
        body: request.body === undefined ? undefined : JSON.stringify(request.body),
        signal,
        credentials: 'same-origin',
      });
    } catch (error) {
      done();
      if (request.signal?.aborted) throw error;
      throw ApiError.network(error, timedOut() ? `No answer within ${timeoutMs / 1000} s` : undefined);
    }

    const type = response.headers.get('content-type') ?? '';
    let data: unknown = null;
    if (response.status !== 204) {
      try {
        data = type.includes('json') ? await response.json() : await response.text();
      } catch (error) {
        if (response.ok) throw ApiError.network(error, 'The answer was cut off');
      }
    }
    done();
    if (!response.ok) throw parseProblem(response.status, response.headers, data);
    return { status: response.status, headers: response.headers, data: data as T };
  };
}

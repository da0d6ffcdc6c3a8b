// Hono's typed client over the Worker's compiled app type: paths, path parameters and query
// parameters are checked against the routes themselves, and answers are typed from them, so a
// renamed route or a changed answer breaks the pane's build, not a user's session. hc only
// builds each request: it is handed to the pane's own sender (token, timeout, retries of
// idempotent calls, problem+json errors), and the parsed answer comes back as a Response.
import { hc, type InferResponseType } from 'hono/client';
import type { AppType } from '../../worker/app';
import type { ApiRequest, HttpMethod, QueryValue } from './transport';

export type RpcClient = ReturnType<typeof hc<AppType>>;
type V1 = RpcClient['api']['v1'];

/** GET /me, as the Worker answers it. */
export type MeAnswer = InferResponseType<V1['me']['$get'], 200>;

/** The API prefix hc puts in front of every path; the sender takes paths under it. */
const PREFIX = '/api/v1';

/** An hc client whose requests go through `send` (which resolves with the parsed 2xx body or throws an ApiError). */
export function rpcClient(send: <T>(request: ApiRequest) => Promise<T>): RpcClient {
  const fetchVia = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const url = new URL(input instanceof Request ? input.url : String(input), 'http://pane.invalid');
    const query: Record<string, QueryValue> = {};
    for (const key of new Set(url.searchParams.keys())) {
      const all = url.searchParams.getAll(key);
      query[key] = all.length > 1 ? all : all[0];
    }
    const request: ApiRequest = {
      method: (init?.method ?? 'GET').toUpperCase() as HttpMethod,
      path: url.pathname.startsWith(PREFIX) ? url.pathname.slice(PREFIX.length) : url.pathname,
      query,
    };
    if (typeof init?.body === 'string') request.body = JSON.parse(init.body);
    const data = await send(request);
    return new Response(JSON.stringify(data ?? null), { status: 200, headers: { 'content-type': 'application/json' } });
  };
  return hc<AppType>('http://pane.invalid', { fetch: fetchVia });
}

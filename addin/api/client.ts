// The panes' API client: typed calls over a Transport, retries for idempotent calls, an offline
// queue for changes, and one hook for "the token stopped working".
import type { KeyValueStorage } from '../office/types';
import { ApiError } from './problem';
import { OfflineQueue, type QueuedChange } from './queue';
import { DEFAULT_RETRY, withRetry, type RetryPolicy } from './retry';
import { createFetchTransport, type ApiRequest, type HttpMethod, type QueryValue, type Transport } from './transport';
import { rpcClient, type RpcClient } from './rpc';
import { fillPath, type Answer, type Body, type Input, type PathOf } from './contract';

export interface ApiClientOptions {
  transport: Transport;
  /** Where the offline queue lives (partitioned host storage). */
  storage: KeyValueStorage;
  retry?: Partial<RetryPolicy>;
  /** Called on every 401, before the error reaches the caller. */
  onUnauthorized?: (error: ApiError) => void;
  /** navigator.onLine by default. */
  isOnline?: () => boolean;
  newKey?: () => string;
}

export type MutationResult<T> = { status: 'sent'; data: T } | { status: 'queued'; change: QueuedChange };

/** A call's input, optional when the route takes no parameters and no body. */
type Args<M extends HttpMethod, P extends PathOf<M>> =
  Partial<Input<M, P>> extends Input<M, P> ? [input?: Input<M, P>] : [input: Input<M, P>];
/** A request of one route: its method, path template, parameters, query, body and headers. */
export type RouteRequest<M extends HttpMethod, P extends PathOf<M>> = { method: M; path: P; headers?: Record<string, string> } & Input<
  M,
  P
>;
type ChangeMethod = QueuedChange['method'];

export interface ApiClient {
  /** A GET, retried with backoff on network errors, 429 and 5xx. */
  get<P extends PathOf<'GET'>>(path: P, ...input: Args<'GET', P>): Promise<Answer<'GET', P>>;
  /**
   * A create: carries an Idempotency-Key (made here unless given) and so is retried like a GET;
   * the server answers a repeat with the first answer.
   */
  create<P extends PathOf<'POST'>>(path: P, input: Input<'POST', P>, options?: { idempotencyKey?: string }): Promise<Answer<'POST', P>>;
  /** Any request; retried only when `idempotent` (or it carries an Idempotency-Key). */
  send<M extends HttpMethod, P extends PathOf<M>>(request: RouteRequest<M, P>, options?: { idempotent?: boolean }): Promise<Answer<M, P>>;
  /**
   * A change that must not be lost: sent now when online, otherwise (or when the network fails
   * after retries) queued with its Idempotency-Key and sent in order after reconnect.
   */
  mutate<M extends ChangeMethod, P extends PathOf<M>>(change: RouteRequest<M, P>): Promise<MutationResult<Answer<M, P>>>;
  /** Sends queued changes now. */
  flushQueue(): ReturnType<OfflineQueue['flush']>;
  /** Flushes on the window's `online` event; answers a function that stops. */
  flushWhenOnline(target?: Pick<Window, 'addEventListener' | 'removeEventListener'>): () => void;
  readonly queue: OfflineQueue;
  /** Hono's typed client over the Worker's routes, sent the same way as every other call. */
  readonly rpc: RpcClient;

  me(): Promise<Answer<'GET', '/me'>>;
  match(emails: string[]): Promise<Answer<'GET', '/match'>>;
  companyCard(companyId: string): Promise<Answer<'GET', '/companies/:id/card'>>;
  quotas: {
    /** Sets a manager's quota (head of sales). */
    put(body: Body<'PUT', '/quotas'>): Promise<Answer<'PUT', '/quotas'>>;
  };
  imports: {
    start(body: Body<'POST', '/imports'>): Promise<Answer<'POST', '/imports'>>;
    /** One chunk; a chunk number applies once, so re-sending it is harmless (the first answer comes back). */
    chunk(id: string, body: Body<'POST', '/imports/:id/chunks'>): Promise<Answer<'POST', '/imports/:id/chunks'>>;
    rows(id: string, query: Input<'GET', '/imports/:id/rows'>['query']): Promise<Answer<'GET', '/imports/:id/rows'>>;
    finish(id: string): Promise<Answer<'POST', '/imports/:id/finish'>>;
    /** The value-mapping step: what each stage, status, currency and owner value means (null: the user says). */
    values(body: Body<'POST', '/imports/values'>): Promise<Answer<'POST', '/imports/values'>>;
    /** The organisation's country and currency for imports. */
    defaults(): Promise<Answer<'GET', '/imports/defaults'>>;
  };
  users(): Promise<Answer<'GET', '/users'>>;
  weeklyReport(query: { week: string; scope: string; lang?: 'en' | 'bg' | 'ru' }): Promise<Answer<'GET', '/reports/weekly'>>;
  today(query: Input<'GET', '/today'>['query']): Promise<Answer<'GET', '/today'>>;
}

/** A route's request as the transport sends it: the path filled in, the query as plain values. */
interface RawRoute {
  method: HttpMethod;
  path: string;
  params?: Record<string, string>;
  query?: unknown;
  body?: unknown;
  headers?: Record<string, string>;
}
function toRequest(route: object): ApiRequest {
  const r = route as RawRoute;
  const request: ApiRequest = { method: r.method, path: fillPath(r.path, r.params) };
  if (r.query) request.query = r.query as Record<string, QueryValue>;
  if (r.body !== undefined) request.body = r.body;
  if (r.headers) request.headers = r.headers;
  return request;
}

export function createApiClient(options: ApiClientOptions): ApiClient {
  const policy: RetryPolicy = { ...DEFAULT_RETRY, ...options.retry };
  const newKey = options.newKey ?? (() => crypto.randomUUID());
  const isOnline = options.isOnline ?? (() => globalThis.navigator?.onLine ?? true);
  const queue = new OfflineQueue(options.storage, newKey);

  async function send<T>(request: ApiRequest, opts: { idempotent?: boolean } = {}): Promise<T> {
    const idempotent =
      opts.idempotent ??
      (request.method === 'GET' || Object.keys(request.headers ?? {}).some((h) => h.toLowerCase() === 'idempotency-key'));
    const once = async () => (await options.transport<T>(request)).data;
    try {
      return idempotent ? await withRetry(once, policy) : await once();
    } catch (error) {
      if (error instanceof ApiError && error.code === 'unauthorized') options.onUnauthorized?.(error);
      throw error;
    }
  }

  const rpc = rpcClient(send);

  const sendQueued = async (change: QueuedChange) => {
    await send({
      method: change.method,
      path: change.path,
      body: change.body,
      headers: { ...change.headers, 'Idempotency-Key': change.idempotencyKey },
    });
  };

  const client: ApiClient = {
    queue,
    send: (request, opts) => send(toRequest(request), opts),
    get: (path, ...[input]) => send(toRequest({ method: 'GET', path, query: {}, ...(input as object) })),
    create: (path, input, opts = {}) =>
      send(toRequest({ ...(input as object), method: 'POST', path, headers: { 'Idempotency-Key': opts.idempotencyKey ?? newKey() } })),

    async mutate<M extends ChangeMethod, P extends PathOf<M>>(route: RouteRequest<M, P>): Promise<MutationResult<Answer<M, P>>> {
      const change = { ...toRequest(route), method: route.method as ChangeMethod };
      const idempotencyKey = newKey();
      // Keep order: while older changes wait, a new one waits behind them.
      if (!isOnline() || queue.size > 0) {
        const queued = queue.enqueue({ ...change, idempotencyKey });
        if (isOnline()) void queue.flush(sendQueued);
        return { status: 'queued', change: queued };
      }
      try {
        const data = await send<Answer<M, P>>(
          { ...change, headers: { ...change.headers, 'Idempotency-Key': idempotencyKey } },
          { idempotent: true },
        );
        return { status: 'sent', data };
      } catch (error) {
        if (error instanceof ApiError && error.code === 'network') {
          return { status: 'queued', change: queue.enqueue({ ...change, idempotencyKey }) };
        }
        throw error;
      }
    },

    flushQueue: () => queue.flush(sendQueued),
    flushWhenOnline: (target = window) => queue.flushWhenOnline(target, sendQueued, { isOnline }),

    rpc,
    me: async () => (await rpc.api.v1.me.$get()).json(),
    match: (emails) => client.get('/match', { query: { email: [...new Set(emails)] } }),
    companyCard: (id) => client.get('/companies/:id/card', { params: { id } }),
    quotas: {
      put: (body) => client.send({ method: 'PUT', path: '/quotas', body }, { idempotent: true }),
    },
    imports: {
      start: (body) => client.create('/imports', { body }),
      chunk: (id, body) => client.send({ method: 'POST', path: '/imports/:id/chunks', params: { id }, body }, { idempotent: true }),
      rows: (id, query) => client.get('/imports/:id/rows', { params: { id }, query }),
      finish: (id) => client.send({ method: 'POST', path: '/imports/:id/finish', params: { id } }, { idempotent: true }),
      values: (body) => client.send({ method: 'POST', path: '/imports/values', body }, { idempotent: true }),
      defaults: () => client.get('/imports/defaults'),
    },
    users: () => client.get('/users'),
    weeklyReport: (query) => client.get('/reports/weekly', { query: { ...query, format: 'json' } }),
    today: (query) => client.get('/today', { query }),
  };
  return client;
}

/** The token key in host storage (partitioned per user by Office on the web). */
export const TOKEN_KEY = 'token';

/** The client the panes use: same-origin fetch with the stored personal token. */
export function createPaneClient(storage: KeyValueStorage, onUnauthorized?: (error: ApiError) => void): ApiClient {
  const transport = createFetchTransport({ getToken: () => storage.get(TOKEN_KEY) });
  return createApiClient(onUnauthorized ? { transport, storage, onUnauthorized } : { transport, storage });
}

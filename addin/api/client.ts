// The panes' API client: typed calls over a Transport, retries for idempotent calls, an offline
// queue for changes, and one hook for "the token stopped working".
import type { KeyValueStorage } from '../office/types';
import { ApiError } from './problem';
import { OfflineQueue, type QueuedChange } from './queue';
import { DEFAULT_RETRY, withRetry, type RetryPolicy } from './retry';
import { createFetchTransport, type ApiRequest, type QueryValue, type Transport } from './transport';
import { rpcClient, type RpcClient } from './rpc';
import type { CompanyCard, MatchResponse, Me } from './types';

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

export interface ApiClient {
  /** A GET, retried with backoff on network errors, 429 and 5xx. */
  get<T>(path: string, query?: Record<string, QueryValue>): Promise<T>;
  /**
   * A create: carries an Idempotency-Key (made here unless given) and so is retried like a GET;
   * the server answers a repeat with the first answer.
   */
  create<T>(path: string, body: unknown, options?: { idempotencyKey?: string }): Promise<T>;
  /** Any request; retried only when `idempotent` (or it carries an Idempotency-Key). */
  send<T>(request: ApiRequest, options?: { idempotent?: boolean }): Promise<T>;
  /**
   * A change that must not be lost: sent now when online, otherwise (or when the network fails
   * after retries) queued with its Idempotency-Key and sent in order after reconnect.
   */
  mutate<T>(change: {
    method: QueuedChange['method'];
    path: string;
    body?: unknown;
    headers?: Record<string, string>;
  }): Promise<MutationResult<T>>;
  /** Sends queued changes now. */
  flushQueue(): ReturnType<OfflineQueue['flush']>;
  /** Flushes on the window's `online` event; answers a function that stops. */
  flushWhenOnline(target?: Pick<Window, 'addEventListener' | 'removeEventListener'>): () => void;
  readonly queue: OfflineQueue;
  /** Hono's typed client over the Worker's routes, sent the same way as every other call. */
  readonly rpc: RpcClient;

  me(): Promise<Me>;
  match(emails: string[]): Promise<MatchResponse>;
  companyCard(companyId: string): Promise<CompanyCard>;
  reports: {
    pipeline(query: { stage?: string; owner?: string }): Promise<unknown>;
    won(query: { from: string; to: string; owner?: string }): Promise<unknown>;
    weekly(query: { week: string; section?: string }): Promise<unknown>;
  };
  quotas: {
    attainment(query: { owner: string; period: string }): Promise<unknown>;
    /** Sets a manager's quota (head of sales). */
    put(body: { userId: string; period: string; amountMinor: number; currency: string }): Promise<unknown>;
  };
  imports: {
    start(body: ImportStartBody): Promise<{ id: string }>;
    /** One chunk; a chunk number applies once, so re-sending it is harmless (the first answer comes back). */
    chunk(id: string, body: ImportChunkBody): Promise<ImportChunkAnswer>;
    rows(id: string, query: { cursor?: string; limit?: number }): Promise<{ items: ImportRowAnswer[]; nextCursor: string | null }>;
    finish(id: string): Promise<unknown>;
    /** The value-mapping step: what each stage, status, currency and owner value means (null: the user says). */
    values(body: ImportValuesBody): Promise<ImportValuesAnswer>;
    /** The organisation's country and currency for imports. */
    defaults(): Promise<{ country: string | null; currency: string | null; version: number }>;
  };
  deals: {
    list(query: { owner?: string; limit?: number; cursor?: string }): Promise<{ items: DealRecord[]; nextCursor: string | null }>;
  };
  users(): Promise<{ items: Array<{ id: string; name: string; email: string; role: string }> }>;
  weeklyReport(query: { week: string; scope: string; lang?: string }): Promise<WeeklyReportBody>;
  today(query: { owner?: string; tz?: string }): Promise<TodayBody>;
  /** The custom functions' endpoints: each answers `{columns, rows}`. */
  fn: {
    pipeline(query: { stage?: string; owner?: string }): Promise<unknown>;
    won(query: { from: string; to: string; owner?: string }): Promise<unknown>;
    quota(query: { owner: string; period: string }): Promise<unknown>;
    report(query: { kind: string; period: string; section: string; lang?: string }): Promise<unknown>;
  };
}

export interface ImportValuesBody {
  kind: 'leads' | 'deals' | 'payments';
  system?: string;
  country?: string;
  values: Partial<Record<'stage' | 'status' | 'currency' | 'owner', string[]>>;
}
export interface ImportValuesAnswer {
  system: string;
  items: Array<{ field: 'stage' | 'status' | 'currency' | 'owner'; raw: string; value: string | null; from: string | null }>;
  users: Array<{ id: string; name: string; email: string }>;
}
export interface ImportStartBody {
  kind: 'leads' | 'deals' | 'payments';
  mode: 'create' | 'update' | 'skip';
  options?: {
    defaultCurrency?: string;
    defaultCountry?: string;
    system?: string;
    sheetCountry?: string | null;
    sheetCountries?: string[];
    dateOrder?: 'DMY' | 'MDY';
    values?: Partial<Record<'stage' | 'status' | 'currency' | 'owner', Record<string, string>>>;
  };
  fileName?: string;
  rowsExpected?: number;
  mapping: {
    headerRow: number;
    language: 'bg' | 'ru' | 'en';
    columns: Array<{ index: number; header: string; field: string | null; confidence: number; evidence: string; currency: string | null }>;
  };
}
export interface ImportChunkBody {
  chunk: number;
  firstRow: number;
  rows: Array<Array<string | number | boolean | null>>;
  ids?: Array<string | null>;
  dryRun?: boolean;
}
export interface ImportRowAnswer {
  row: number;
  status: 'created' | 'updated' | 'skipped' | 'error';
  id: string | null;
  errors: Array<{ row: number; column: string; field: string; reason: string; value?: string }>;
  /** How the row found the record it updates or skips: its source ID, company and title, e-mail, phone, Leadpane id. */
  match?: 'id' | 'externalId' | 'name' | 'email' | 'phone';
}
export interface ImportChunkAnswer {
  chunk: number;
  applied: boolean;
  dryRun: boolean;
  counts: { created: number; updated: number; skipped: number; error: number };
  rows: ImportRowAnswer[];
}
export interface DealRecord {
  id: string;
  version: number;
  title: string;
  companyId?: string | null;
  stage: string;
  amountMinor: number;
  currency: string;
  expectedClose?: string | null;
  nextStep?: string | null;
  ownerId?: string | null;
  [field: string]: unknown;
}
export interface WeeklyReportBody {
  period: { label: string; from: string; to: string };
  sections: Array<{
    key: string;
    title: string;
    columns: Array<{ key: string; type: string; label: string; total?: boolean }>;
    rows: Array<Array<string | number | null>>;
  }>;
}
export interface TodayTask {
  id: string;
  version: number;
  title: string;
  dueAt?: string | null;
  [field: string]: unknown;
}
export interface TodayBody {
  dueToday: TodayTask[];
  overdue: TodayTask[];
  staleDeals: Array<DealRecord & { daysSinceActivity?: number }>;
  openCases: Array<{ id: string; subject?: string; kind?: string; status?: string; [field: string]: unknown }>;
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
    send,
    get: (path, query) => send({ method: 'GET', path, query: query ?? {} }),
    create: (path, body, opts = {}) =>
      send({ method: 'POST', path, body, headers: { 'Idempotency-Key': opts.idempotencyKey ?? newKey() } }),

    async mutate<T>(change: Parameters<ApiClient['mutate']>[0]): Promise<MutationResult<T>> {
      const idempotencyKey = newKey();
      // Keep order: while older changes wait, a new one waits behind them.
      if (!isOnline() || queue.size > 0) {
        const queued = queue.enqueue({ ...change, idempotencyKey });
        if (isOnline()) void queue.flush(sendQueued);
        return { status: 'queued', change: queued };
      }
      try {
        const data = await send<T>(
          {
            method: change.method,
            path: change.path,
            body: change.body,
            headers: { ...change.headers, 'Idempotency-Key': idempotencyKey },
          },
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
    // The pane reads a few fields of these records by name; the API types them as open records.
    match: async (emails) =>
      (await (await rpc.api.v1.match.$get({ query: { email: [...new Set(emails)] } })).json()) as unknown as MatchResponse,
    companyCard: async (id) =>
      (await (await rpc.api.v1.companies[':id'].card.$get({ param: { id: encodeURIComponent(id) } })).json()) as unknown as CompanyCard,
    reports: {
      pipeline: (q) => send({ method: 'GET', path: '/reports/pipeline', query: q }),
      won: (q) => send({ method: 'GET', path: '/reports/won', query: q }),
      weekly: (q) => send({ method: 'GET', path: '/reports/weekly', query: q }),
    },
    quotas: {
      attainment: (q) => send({ method: 'GET', path: '/quotas/attainment', query: q }),
      put: (body) => send({ method: 'PUT', path: '/quotas', body }, { idempotent: true }),
    },
    imports: {
      start: (body) => client.create('/imports', body),
      chunk: (id, body) => send({ method: 'POST', path: `/imports/${encodeURIComponent(id)}/chunks`, body }, { idempotent: true }),
      rows: (id, q) => send({ method: 'GET', path: `/imports/${encodeURIComponent(id)}/rows`, query: q }),
      finish: (id) => send({ method: 'POST', path: `/imports/${encodeURIComponent(id)}/finish` }, { idempotent: true }),
      values: (body) => send({ method: 'POST', path: '/imports/values', body }, { idempotent: true }),
      defaults: () => send({ method: 'GET', path: '/imports/defaults' }),
    },
    deals: {
      list: (q) => send({ method: 'GET', path: '/deals', query: q }),
    },
    users: () => send({ method: 'GET', path: '/users' }),
    weeklyReport: (q) => send({ method: 'GET', path: '/reports/weekly', query: { ...q, format: 'json' } }),
    today: (q) => send({ method: 'GET', path: '/today', query: q }),
    fn: {
      pipeline: (q) => send({ method: 'GET', path: '/reports/fn/pipeline', query: q }),
      won: (q) => send({ method: 'GET', path: '/reports/fn/won', query: q }),
      quota: (q) => send({ method: 'GET', path: '/reports/fn/quota', query: q }),
      report: (q) => send({ method: 'GET', path: '/reports/fn/report', query: q }),
    },
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

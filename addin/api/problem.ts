// The API's one error format, application/problem+json (RFC 9457), as one typed error.

export const PROBLEM_CODES = [
  'validation_failed',
  'unauthorized',
  'forbidden',
  'not_found',
  'conflict',
  'precondition_failed',
  'precondition_required',
  'payload_too_large',
  'rate_limited',
  'idempotency_key_reused',
  'internal',
  'network',
] as const;

export type ProblemCode = (typeof PROBLEM_CODES)[number];

export interface FieldProblem {
  /** Dotted path of the field, e.g. "email" or "contacts.0.phone". */
  path: string;
  code: string;
  message: string;
}

export interface ProblemBody {
  type?: string;
  title?: string;
  status?: number;
  detail?: string;
  code?: string;
  requestId?: string;
  errors?: FieldProblem[];
  [extension: string]: unknown;
}

const STATUS_CODES: Record<number, ProblemCode> = {
  400: 'validation_failed',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  409: 'conflict',
  412: 'precondition_failed',
  413: 'payload_too_large',
  422: 'validation_failed',
  428: 'precondition_required',
  429: 'rate_limited',
};

/** The problem code for a status when the body does not name one (a proxy's HTML error page). */
export function codeForStatus(status: number): ProblemCode {
  return STATUS_CODES[status] ?? (status === 0 ? 'network' : 'internal');
}

export function isProblemCode(code: unknown): code is ProblemCode {
  return typeof code === 'string' && (PROBLEM_CODES as readonly string[]).includes(code);
}

/** A failed API call: the problem's fields, the per-field errors, and whether a retry may help. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  /** A known code; unknown codes from a newer server fall back to the status's code. */
  readonly code: ProblemCode;
  readonly status: number;
  readonly title: string;
  readonly detail: string | null;
  readonly requestId: string | null;
  readonly fieldErrors: FieldProblem[];
  /** From Retry-After, when the server sent one. */
  readonly retryAfterMs: number | null;
  /** The whole problem body (a 412 carries the current row). */
  readonly problem: ProblemBody;

  constructor(init: {
    code: ProblemCode;
    status: number;
    title?: string;
    detail?: string | null;
    requestId?: string | null;
    fieldErrors?: FieldProblem[];
    retryAfterMs?: number | null;
    problem?: ProblemBody;
    cause?: unknown;
  }) {
    super(init.detail || init.title || init.code, init.cause === undefined ? undefined : { cause: init.cause });
    this.code = init.code;
    this.status = init.status;
    this.title = init.title ?? init.code;
    this.detail = init.detail ?? null;
    this.requestId = init.requestId ?? null;
    this.fieldErrors = init.fieldErrors ?? [];
    this.retryAfterMs = init.retryAfterMs ?? null;
    this.problem = init.problem ?? {};
  }

  /** Network failures, timeouts, 408, 429 and 5xx (except 501) may succeed when tried again. */
  get retryable(): boolean {
    return this.code === 'network' || this.status === 408 || this.status === 429 || (this.status >= 500 && this.status !== 501);
  }

  /** The server's messages per field path (first message wins), for Fluent `Field validationMessage`. */
  get fieldMessages(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const e of this.fieldErrors) out[e.path] ??= e.message;
    return out;
  }

  static network(cause: unknown, detail = 'The server could not be reached'): ApiError {
    return new ApiError({ code: 'network', status: 0, title: 'Network error', detail, cause });
  }
}

/** Parses Retry-After: delta-seconds or an HTTP date. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | null {
  if (!value) return null;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

function fieldProblems(errors: unknown): FieldProblem[] {
  if (!Array.isArray(errors)) return [];
  return errors
    .filter((e): e is Record<string, unknown> => typeof e === 'object' && e !== null)
    .map((e) => ({
      path: Array.isArray(e.path) ? e.path.join('.') : String(e.path ?? ''),
      code: String(e.code ?? 'invalid'),
      message: String(e.message ?? ''),
    }));
}

/** Builds the ApiError for a non-2xx answer, whatever its body turned out to be. */
export function parseProblem(status: number, headers: Headers, body: unknown): ApiError {
  const problem: ProblemBody = typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as ProblemBody) : {};
  return new ApiError({
    code: isProblemCode(problem.code) ? problem.code : codeForStatus(status),
    status,
    title: typeof problem.title === 'string' ? problem.title : `HTTP ${status}`,
    detail: typeof problem.detail === 'string' ? problem.detail : null,
    requestId: typeof problem.requestId === 'string' ? problem.requestId : headers.get('x-request-id'),
    fieldErrors: fieldProblems(problem.errors),
    retryAfterMs: parseRetryAfter(headers.get('retry-after')),
    problem,
  });
}

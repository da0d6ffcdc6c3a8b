/**
 * The API's one error type. Every non-2xx answer is RFC 9457 problem+json built from an
 * AppError; anything else thrown is logged and answered with a generic 500 that leaks nothing.
 */
export const ERROR_STATUS = {
  bad_request: 400,
  malformed_json: 400,
  validation_failed: 422,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  idempotency_in_progress: 409,
  precondition_failed: 412,
  payload_too_large: 413,
  unsupported_media_type: 415,
  idempotency_key_reused: 422,
  business_rule: 422,
  precondition_required: 428,
  rate_limited: 429,
  internal: 500,
  service_unavailable: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

const TITLES: Record<ErrorCode, string> = {
  bad_request: 'Bad request',
  malformed_json: 'Malformed JSON',
  validation_failed: 'Validation failed',
  unauthorized: 'Authentication required',
  forbidden: 'Not allowed',
  not_found: 'Not found',
  method_not_allowed: 'Method not allowed',
  conflict: 'Conflict',
  idempotency_in_progress: 'Request in progress',
  precondition_failed: 'Version conflict',
  payload_too_large: 'Payload too large',
  unsupported_media_type: 'Unsupported media type',
  idempotency_key_reused: 'Idempotency key reused',
  business_rule: 'Not possible',
  precondition_required: 'Version required',
  rate_limited: 'Too many requests',
  internal: 'Internal error',
  service_unavailable: 'Service unavailable',
};

export interface FieldError {
  /** JSON pointer of the field, e.g. "/emails/0" */
  path: string;
  code: string;
  message: string;
}

export class AppError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    detail: string,
    readonly extra: { errors?: FieldError[]; current?: unknown; headers?: Record<string, string> } = {},
  ) {
    super(detail);
    this.status = ERROR_STATUS[code];
  }

  toProblem(requestId: string) {
    return {
      type: `https://leadpane.dev/problems/${this.code.replace(/_/g, '-')}`,
      title: TITLES[this.code],
      status: this.status,
      detail: this.message,
      code: this.code,
      requestId,
      ...(this.extra.errors ? { errors: this.extra.errors } : {}),
      ...(this.extra.current !== undefined ? { current: this.extra.current } : {}),
    };
  }

  toResponse(requestId: string): Response {
    const headers = new Headers({ 'content-type': 'application/problem+json; charset=utf-8', ...this.extra.headers });
    headers.set('x-request-id', requestId);
    return new Response(JSON.stringify(this.toProblem(requestId)), { status: this.status, headers });
  }
}

export const notFound = (what: string) => new AppError('not_found', `${what} was not found.`);

/**
 * Strips what must never reach a log: bearer tokens, email addresses and phone-like digit runs
 * (an error message may quote a value, e.g. a constraint failure).
 * @example redact('failed for ivan@acme.bg, +359 888 123 456') // "failed for [email], [phone]"
 */
export function redact(text: string): string {
  return text
    .replace(/\blp_[\w-]+/g, '[token]')
    .replace(/Bearer\s+\S+/gi, 'Bearer [token]')
    .replace(/[^\s@<>"',;:()]+@[^\s@<>"',;:()]+/g, '[email]')
    .replace(/\+?\d[\d\s().-]{6,}\d/g, '[phone]');
}

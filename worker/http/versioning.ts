import type { Context } from 'hono';
import { AppError } from './errors';

/** The row version a client last saw, from `If-Match: "7"` (a weak `W/"7"` is accepted too). */
export function requireIfMatch(c: Context): number {
  const header = c.req.header('if-match');
  if (!header)
    throw new AppError('precondition_required', 'Send "If-Match" with the version you last read (the ETag), so nobody\'s edit is lost.');
  const m = /^\s*(?:W\/)?"?(\d{1,9})"?\s*$/.exec(header);
  if (!m) throw new AppError('bad_request', 'If-Match must be the ETag you read, e.g. "3".');
  return Number(m[1]);
}

export const etag = (version: number) => `"${version}"`;

import type { Context } from 'hono';
import type { z } from 'zod';
import { AppError } from '../http/errors';
import { fieldErrors } from '../http/validate';

/**
 * Reads and validates a JSON body inside a handler, after the route has checked that its parent
 * record exists (so another organisation's id answers 404, never a validation error). An empty
 * body counts as `{}`. (A candidate for worker/http/ once the toolkit lands.)
 */
export async function readJson<T extends z.ZodType>(c: Context, schema: T): Promise<z.output<T>> {
  const text = await c.req.text();
  let value: unknown = {};
  if (text.trim()) {
    const type = c.req.header('content-type') ?? '';
    if (!/^application\/(.+\+)?json\b/i.test(type))
      throw new AppError('unsupported_media_type', 'Send the body as JSON with "Content-Type: application/json".');
    try {
      value = JSON.parse(text);
    } catch {
      throw new AppError('malformed_json', 'The body is not valid JSON.');
    }
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success)
    throw new AppError('validation_failed', `The body has ${parsed.error.issues.length} invalid field(s).`, {
      errors: fieldErrors(parsed.error),
    });
  return parsed.data as z.output<T>;
}

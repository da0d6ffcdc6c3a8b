import { validator } from 'hono/validator';
import type { z } from 'zod';
import { fieldErrors } from '../../shared/schemas/field-errors';
import { AppError } from './errors';

// The Worker and the panes' forms word a zod error the same way, from one function.
export { fieldErrors };

function fail(error: z.ZodError, where: string): never {
  throw new AppError('validation_failed', `The ${where} has ${error.issues.length} invalid field(s).`, {
    errors: fieldErrors(error),
  });
}

/** Validates a JSON body with a zod schema; malformed JSON and wrong media types are problems too. */
export const jsonBody = <T extends z.ZodType>(schema: T) =>
  validator('json', (value, c) => {
    const type = c.req.header('content-type') ?? '';
    if (!/^application\/(.+\+)?json\b/i.test(type))
      throw new AppError('unsupported_media_type', 'Send the body as JSON with "Content-Type: application/json".');
    const parsed = schema.safeParse(value);
    if (!parsed.success) fail(parsed.error, 'body');
    return parsed.data as z.output<T>;
  });

/** Validates the query string; a key given several times arrives as an array. */
export const query = <T extends z.ZodType>(schema: T) =>
  validator('query', (value, c) => {
    const all = c.req.queries();
    const merged: Record<string, string | string[]> = {};
    for (const [k, v] of Object.entries(all)) merged[k] = v.length === 1 ? v[0]! : v;
    void value;
    const parsed = schema.safeParse(merged);
    if (!parsed.success) fail(parsed.error, 'query');
    return parsed.data as z.output<T>;
  });

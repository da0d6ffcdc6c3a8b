// Forms check a body with the route's own schema before sending it: what the API would refuse is
// refused here with the same per-field errors, and shown on the same Fluent Fields.
import type { z } from 'zod';
import { fieldErrors } from '../../shared/schemas/field-errors';
import { ApiError } from './problem';

/** The ApiError the route would answer for this body (422 validation_failed), or null when it is valid. */
export function checkBody<S extends z.ZodType>(schema: S, body: z.input<S>): ApiError | null {
  const parsed = schema.safeParse(body);
  if (parsed.success) return null;
  const errors = fieldErrors(parsed.error);
  return new ApiError({
    code: 'validation_failed',
    status: 422,
    title: 'Validation failed',
    detail: `The body has ${errors.length} invalid field(s).`,
    fieldErrors: errors,
    problem: { code: 'validation_failed', status: 422, errors },
  });
}

import type { z } from 'zod';

/** One invalid field of a body, as a 422 problem lists it: a JSON Pointer path, zod's code, its text. */
export interface FieldError {
  path: string;
  code: string;
  message: string;
}

/**
 * A zod error as the per-field errors of a `validation_failed` problem, the way the API's
 * validation hook words them, so a form that checks its body before sending shows the same errors.
 * @example fieldErrors(LeadCreate.safeParse({ source: 'email', email: 'x' }).error!)
 * // [{ path: '/email', code: 'invalid_format', message: 'Invalid email address' }]
 */
export function fieldErrors(error: z.ZodError): FieldError[] {
  return error.issues.map((issue) => {
    const keys = issue.code === 'unrecognized_keys' ? issue.keys : [];
    const base = '/' + issue.path.map(String).join('/');
    if (keys.length) {
      return {
        path: base === '/' ? '/' + keys[0] : `${base}/${keys[0]}`,
        code: 'unknown_field',
        message: `Unknown field "${keys.join('", "')}".`,
      };
    }
    return { path: issue.path.length ? base : '/', code: issue.code, message: issue.message };
  });
}

import fc from 'fast-check';
import { z } from 'zod';
import { bigString, UNICODE_EDGES } from '../../probes/payloads';

/** The minimal shape of worker/http/openapi.ts RouteDoc the route probes need. */
export interface RouteLike {
  method: string;
  path: string;
  roles?: string[] | 'public';
  body?: z.ZodType;
  query?: z.ZodType;
}

/** Top-level property names of a schema (of an object schema; none for others). */
export function propertyNames(schema: z.ZodType | undefined): string[] {
  if (!schema) return [];
  try {
    const js = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as {
      properties?: Record<string, unknown>;
      anyOf?: { properties?: Record<string, unknown> }[];
    };
    const names = new Set(Object.keys(js.properties ?? {}));
    for (const alt of js.anyOf ?? []) for (const k of Object.keys(alt.properties ?? {})) names.add(k);
    return [...names];
  } catch {
    return [];
  }
}

/** Values of the wrong kind for about any field, Unicode edge cases included. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom(...UNICODE_EDGES),
  fc.constantFrom(
    '',
    ' ',
    '0',
    '-1',
    'null',
    'undefined',
    'NaN',
    '1e309',
    '9'.repeat(40),
    '2026-02-30',
    '../../etc/passwd',
    "'; DROP TABLE leads; --",
    '<script>alert(1)</script>',
  ),
  fc.array(fc.anything({ maxDepth: 2 }), { maxLength: 4 }),
  fc.dictionary(fc.string({ maxLength: 8 }), fc.anything({ maxDepth: 1 }), { maxKeys: 4 }),
  fc.constant(bigString(20_000)),
);

/** A body shaped like the route's schema (its field names) with hostile values, sometimes with extra keys. */
export function wrongTypedBody(schema: z.ZodType | undefined): fc.Arbitrary<unknown> {
  const names = propertyNames(schema);
  if (!names.length) return fc.anything({ maxDepth: 3 });
  return fc
    .tuple(
      fc.subarray(names, { minLength: 1 }),
      fc.array(hostileValue, { minLength: names.length, maxLength: names.length }),
      fc.option(fc.dictionary(fc.string({ minLength: 1, maxLength: 10 }), hostileValue, { maxKeys: 2 }), { nil: undefined }),
    )
    .map(([keys, values, extra]) => {
      const out: Record<string, unknown> = { ...extra };
      keys.forEach((k, i) => (out[k] = values[i]));
      return out;
    });
}

/** Query-string values as raw text (already percent-encoded), including broken escapes. */
export const rawQueryValue: fc.Arbitrary<string> = fc.oneof(
  fc.string({ maxLength: 30 }).map(encodeURIComponent),
  fc.constantFrom(
    '%',
    '%ZZ',
    '%ED%A0%80',
    '%C0%AF',
    '%00',
    '%E2%80%AE',
    '%F0%9F%98%80',
    '%2B%3D1',
    '-1',
    '0',
    '1e999',
    'NaN',
    'true',
    '[]',
    '%5B%5D',
    '',
    '%FF%FE',
  ),
  fc.integer().map(String),
  fc.constant('a'.repeat(5000)),
);

export function rawQuery(schema: z.ZodType | undefined): fc.Arbitrary<string> {
  const names = [...propertyNames(schema), 'cursor', 'limit', '__proto__', 'q', 'x'];
  return fc
    .array(fc.tuple(fc.oneof(fc.constantFrom(...names), fc.string({ maxLength: 8 }).map(encodeURIComponent)), rawQueryValue), {
      maxLength: 5,
    })
    .map((pairs) => pairs.map(([k, v]) => `${k}=${v}`).join('&'));
}

/** Header values a client could send (visible ASCII, as HTTP allows), hostile in content. */
const headerText = fc.oneof(
  fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((n) => String.fromCharCode(n)), maxLength: 60 }),
  fc.constantFrom(
    '"1"',
    'W/"1"',
    '*',
    '"999999999999"',
    '-1',
    'Bearer',
    'Bearer lp_',
    'application/json; charset=utf-16',
    'text/plain',
    'application/x-www-form-urlencoded',
    'x'.repeat(300),
  ),
);

export const hostileHeaders: fc.Arbitrary<Record<string, string>> = fc.record(
  {
    'if-match': headerText,
    'idempotency-key': headerText,
    'x-request-id': headerText,
    'content-type': headerText,
    'x-override-reason': headerText,
    accept: headerText,
    'accept-language': headerText,
  },
  { requiredKeys: [] },
);

/** Fills a route path's parameters: ids from `ids` by collection, other params with `fallback`. */
export function fillPath(path: string, ids: Record<string, string>, fallback = 'nope'): string {
  const collection = path.split('/')[3] ?? '';
  return path.replace(':id', ids[collection] ?? fallback).replace(/:(\w+)/g, (_, name: string) => ids[name] ?? fallback);
}

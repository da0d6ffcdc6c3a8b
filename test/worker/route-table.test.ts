// The API's document and its route table cannot disagree: every method and path the app answers
// is documented, and every documented one is answered. The tenancy and probe suites walk the
// document (routeDocs), so a route left out of it would also be left out of them. A template may
// be documented as its concrete paths (each weekly section has its own entry for Power Query).
import { describe, expect, it } from 'vitest';
import { app } from '../../worker/app';
import { routeDocs } from '../../worker/http/openapi';

const METHODS = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']);
const pattern = (template: string) => new RegExp(`^${template.replace(/:[A-Za-z]+/g, '[^/]+')}$`);

describe('the route table and the OpenAPI document', () => {
  const answered = [
    ...new Set(
      app.routes
        .filter((r) => METHODS.has(r.method) && r.path.startsWith('/api/') && !r.path.includes('*'))
        .map((r) => `${r.method} ${r.path.replace(/\/$/, '')}`),
    ),
  ];
  const documented = routeDocs.map((d) => `${d.method.toUpperCase()} ${d.path}`);

  it('answers every documented method and path', () => {
    expect(documented.filter((d) => !answered.some((a) => a === d || pattern(a).test(d))).sort()).toEqual([]);
  });

  it('documents every method and path it answers, each once', () => {
    expect(answered.filter((a) => !documented.some((d) => d === a || pattern(a).test(d))).sort()).toEqual([]);
    expect(new Set(documented).size).toBe(documented.length);
    expect(answered.length).toBeGreaterThan(60);
  });
});

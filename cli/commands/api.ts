/**
 * `leadpane api METHOD PATH [--data JSON] --url URL --token T [--if-match V] [--idempotency-key K]`:
 * one API call; prints the JSON answer. Exit code 0 for 2xx, 1 otherwise (the problem is printed).
 * URL and token default to LEADPANE_URL and LEADPANE_TOKEN.
 */
import { randomUUID } from 'node:crypto';
import { flag, parseArgs } from '../args';

export async function run(args: string[]): Promise<number> {
  const parsed = parseArgs(args);
  const [method, path] = parsed.positionals;
  const url = flag(parsed, 'url') ?? process.env.LEADPANE_URL ?? 'http://localhost:8787';
  const token = flag(parsed, 'token') ?? process.env.LEADPANE_TOKEN;
  if (!method || !path) {
    process.stderr.write('Usage: leadpane api METHOD PATH [--data JSON] --url URL --token T\n');
    return 2;
  }
  if (!token) {
    process.stderr.write('leadpane api: give --token (or set LEADPANE_TOKEN).\n');
    return 2;
  }
  const data = flag(parsed, 'data');
  if (data !== undefined) {
    try {
      JSON.parse(data);
    } catch {
      process.stderr.write('leadpane api: --data is not valid JSON.\n');
      return 2;
    }
  }
  const m = method.toUpperCase();
  const headers: Record<string, string> = { authorization: `Bearer ${token}` };
  if (data !== undefined) headers['content-type'] = 'application/json';
  if (flag(parsed, 'if-match')) headers['if-match'] = `"${flag(parsed, 'if-match')!.replace(/"/g, '')}"`;
  // Creates from the CLI are safe to retry: each call carries its own key unless one is given.
  if (m === 'POST') headers['idempotency-key'] = flag(parsed, 'idempotency-key') ?? randomUUID();
  const target = new URL(path.startsWith('/api/') ? path : `/api/v1/${path.replace(/^\//, '')}`, url);
  let res: Response;
  try {
    res = await fetch(target, { method: m, headers, body: data });
  } catch (err) {
    process.stderr.write(`leadpane api: cannot reach ${url} (${(err as Error).message}). Is the server running (npm start)?\n`);
    return 1;
  }
  const text = await res.text();
  const etag = res.headers.get('etag');
  if (etag) process.stderr.write(`ETag: ${etag}\n`);
  let out = text;
  try {
    out = JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    // not JSON: print as it came
  }
  (res.ok ? process.stdout : process.stderr).write(out + (out.endsWith('\n') ? '' : '\n'));
  return res.ok ? 0 : 1;
}

/**
 * `leadpane report weekly [--week 2026-W48 | --from YYYY-MM-DD --to YYYY-MM-DD] [--scope org|me|manager:<id>]
 *   [--format json|csv|xlsx] [--lang en|bg|ru] [--section KEY] [-o FILE | --output FILE] --url URL --token T`:
 * downloads the weekly report. With -o the file is written as the server sent it (bytes, so the
 * XLSX stays intact); without it JSON and CSV go to stdout. Exit 0 on success, 1 when the server
 * or the network fails (the problem's detail is printed), 2 for a wrong command line.
 * URL and token default to LEADPANE_URL and LEADPANE_TOKEN.
 */
import { writeFileSync } from 'node:fs';
import { flag, parseArgs } from '../args';

const USAGE =
  'Usage: leadpane report weekly [--week 2026-W48 | --from YYYY-MM-DD --to YYYY-MM-DD] [--scope org|me|manager:<id>]\n' +
  '         [--format json|csv|xlsx] [--lang en|bg|ru] [--section KEY] [-o FILE] --url URL --token T\n';
const FORMATS = ['json', 'csv', 'xlsx'] as const;

/** `-o FILE` / `-oFILE`: parseArgs knows only long flags, so the short one is taken out first. */
function takeShortOutput(args: string[]): { rest: string[]; output?: string; error?: string } {
  const rest: string[] = [];
  let output: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--') {
      rest.push(...args.slice(i));
      break;
    }
    if (a === '-o') {
      const next = args[i + 1];
      if (next === undefined || next.startsWith('-')) return { rest, error: '-o needs a file name.' };
      output = next;
      i++;
    } else if (a.startsWith('-o') && !a.startsWith('--')) output = a.slice(2).replace(/^=/, '');
    else rest.push(a);
  }
  return { rest, output };
}

/** One line for a problem+json answer (RFC 9457), with its per-field errors. */
function describeProblem(status: number, text: string): string {
  try {
    const p = JSON.parse(text) as { title?: string; detail?: string; code?: string; errors?: { path?: string; message?: string }[] };
    const head = [p.title, p.detail].filter(Boolean).join(': ') || `HTTP ${status}`;
    const fields = (p.errors ?? []).map((e) => `\n  ${e.path ?? ''} ${e.message ?? ''}`.trimEnd()).join('');
    return `${head} (${status}${p.code ? `, ${p.code}` : ''})${fields}`;
  } catch {
    return `HTTP ${status}: ${text.slice(0, 500)}`;
  }
}

export async function run(args: string[]): Promise<number> {
  const short = takeShortOutput(args);
  if (short.error) {
    process.stderr.write(`leadpane report: ${short.error}\n${USAGE}`);
    return 2;
  }
  const parsed = parseArgs(short.rest);
  const [kind, extra] = parsed.positionals;
  if (kind !== 'weekly' || extra !== undefined) {
    process.stderr.write(kind && kind !== 'weekly' ? `leadpane report: unknown report "${kind}" (only "weekly").\n${USAGE}` : USAGE);
    return 2;
  }
  const url = flag(parsed, 'url') ?? (process.env.LEADPANE_URL || 'http://localhost:8787');
  const token = flag(parsed, 'token') ?? (process.env.LEADPANE_TOKEN || undefined);
  if (!token) {
    process.stderr.write('leadpane report: give --token (or set LEADPANE_TOKEN).\n');
    return 2;
  }
  const format = flag(parsed, 'format') ?? 'json';
  if (!(FORMATS as readonly string[]).includes(format)) {
    process.stderr.write(`leadpane report: --format is one of ${FORMATS.join(', ')}.\n`);
    return 2;
  }
  const output = short.output ?? flag(parsed, 'output');
  if (parsed.flags.output === true || output === '') {
    process.stderr.write('leadpane report: --output needs a file name.\n');
    return 2;
  }
  if (format === 'xlsx' && !output && process.stdout.isTTY) {
    process.stderr.write('leadpane report: an xlsx workbook is binary; give -o FILE (or redirect stdout).\n');
    return 2;
  }

  let target: URL;
  try {
    target = new URL('/api/v1/reports/weekly', url);
  } catch {
    process.stderr.write(`leadpane report: --url ${url} is not a URL (e.g. http://localhost:8787).\n`);
    return 2;
  }
  for (const name of ['week', 'from', 'to', 'scope', 'lang', 'section']) {
    const v = flag(parsed, name);
    if (v !== undefined) target.searchParams.set(name, v);
  }
  target.searchParams.set('format', format);

  let res: Response;
  try {
    res = await fetch(target, { headers: { authorization: `Bearer ${token}` } });
  } catch (err) {
    process.stderr.write(`leadpane report: cannot reach ${url} (${(err as Error).message}). Is the server running (npm start)?\n`);
    return 1;
  }
  const body = new Uint8Array(await res.arrayBuffer());
  if (!res.ok) {
    process.stderr.write(`leadpane report: ${describeProblem(res.status, new TextDecoder().decode(body))}\n`);
    return 1;
  }
  if (output) {
    try {
      writeFileSync(output, body);
    } catch (err) {
      process.stderr.write(`leadpane report: cannot write ${output} (${(err as Error).message}).\n`);
      return 1;
    }
    process.stderr.write(`Wrote ${output} (${body.length} bytes).\n`);
    return 0;
  }
  if (format === 'json') {
    const text = new TextDecoder().decode(body);
    let out = text;
    try {
      out = JSON.stringify(JSON.parse(text), null, 2);
    } catch {
      // not JSON: print as it came
    }
    process.stdout.write(out.endsWith('\n') ? out : out + '\n');
  } else await new Promise<void>((done, fail) => process.stdout.write(body, (err) => (err ? fail(err) : done())));
  return 0;
}

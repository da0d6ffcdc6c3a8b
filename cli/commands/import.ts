/**
 * `leadpane import FILE --url URL --token T [--as leads|deals|payments] [--mode skip|update|create]
 * [--currency C] [--dry-run] [--json]`: maps the sheet's headers (an accounting sheet is found to be
 * invoices and payments unless --as says otherwise), then sends its rows in chunks of 1,000 with a
 * progress bar. Re-running the same command after a crash or a killed server resumes: the import
 * is keyed by the file's content and options, and every chunk applies once.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { MAX_CHUNK_ROWS, type ImportRowResult } from '../../shared/schemas/imports';
import { CURRENCIES, IMPORT_KINDS, mapSheet, mapSheetAuto, type Cell, type ImportKind } from '../../shared/sheet';
import { flag, parseArgs } from '../args';
import { readSheetFile } from '../lib/read-sheet';

const USAGE =
  'Usage: leadpane import FILE --url URL --token T [--as leads|deals|payments] [--mode skip|update|create] [--currency BGN|EUR|RUB|USD] [--dry-run] [--json]\n';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A cell as JSON can carry it: dates become ISO dates, the rest passes. */
const wire = (v: Cell): string | number | boolean | null => (v instanceof Date ? v.toISOString().slice(0, 10) : v === undefined ? null : v);

interface Counts {
  created: number;
  updated: number;
  skipped: number;
  error: number;
}

export async function run(args: string[]): Promise<number> {
  const parsed = parseArgs(args, ['dry-run', 'json', 'help']);
  const [file] = parsed.positionals;
  if (parsed.flags.help || !file) {
    (file ? process.stdout : process.stderr).write(USAGE);
    return file ? 0 : 2;
  }
  const url = (flag(parsed, 'url') ?? process.env.LEADPANE_URL ?? 'http://localhost:8787').replace(/\/$/, '');
  const token = flag(parsed, 'token') ?? process.env.LEADPANE_TOKEN;
  const asked = flag(parsed, 'as');
  const mode = flag(parsed, 'mode') ?? 'skip';
  const currency = flag(parsed, 'currency')?.toUpperCase();
  const dryRun = parsed.flags['dry-run'] === true;
  if (!token) return fail('give --token (or set LEADPANE_TOKEN).');
  if (asked !== undefined && !(IMPORT_KINDS as readonly string[]).includes(asked)) return fail('--as must be leads, deals or payments.');
  if (!['skip', 'update', 'create'].includes(mode)) return fail('--mode must be skip, update or create.');
  if (currency !== undefined && !(CURRENCIES as readonly string[]).includes(currency))
    return fail('--currency must be BGN, EUR, RUB or USD.');

  let rows: Cell[][];
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
    ({ rows } = await readSheetFile(file));
  } catch (err) {
    return fail(`cannot read ${file}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message}`);
  }
  const auto = asked === undefined ? mapSheetAuto(rows) : null;
  const kind = (asked as ImportKind | undefined) ?? auto!.kind;
  const mapping = auto?.mapping ?? mapSheet(rows, { kind });
  if (!mapping.columns.some((c) => c.field)) return fail(`no column of ${file} maps to a Leadpane field; check the header row.`);
  const data = rows.slice(mapping.headerRow + 1).map((r) => r.map(wire));
  const firstRow = mapping.headerRow + 1;
  const key = createHash('sha256')
    .update(bytes)
    .update(`\0${kind}\0${mode}\0${dryRun}\0${currency ?? ''}\0${JSON.stringify(mapping)}`)
    .digest('hex')
    .slice(0, 40);
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };

  const imp = await send<{ id: string }>(
    `${url}/api/v1/imports`,
    {
      kind,
      mode,
      fileName: basename(file),
      mapping,
      rowsExpected: data.length,
      ...(currency ? { options: { defaultCurrency: currency } } : {}),
    },
    { ...headers, 'idempotency-key': `import-${key}` },
  );
  if ('problem' in imp) return fail(imp.problem);

  const totals: Counts = { created: 0, updated: 0, skipped: 0, error: 0 };
  const errors: ImportRowResult['errors'] = [];
  const chunks = Math.ceil(data.length / MAX_CHUNK_ROWS);
  const bar = progress(data.length, dryRun);
  for (let n = 0; n < chunks; n++) {
    const slice = data.slice(n * MAX_CHUNK_ROWS, (n + 1) * MAX_CHUNK_ROWS);
    const res = await send<{ counts: Counts; rows: ImportRowResult[] }>(
      `${url}/api/v1/imports/${imp.value.id}/chunks`,
      { chunk: n, firstRow: firstRow + n * MAX_CHUNK_ROWS, rows: slice, dryRun },
      headers,
    );
    if ('problem' in res) {
      bar.done();
      return fail(`chunk ${n + 1} of ${chunks}: ${res.problem}. Run the same command again to resume.`);
    }
    for (const k of Object.keys(totals) as (keyof Counts)[]) totals[k] += res.value.counts[k];
    for (const r of res.value.rows) if (r.status === 'error') errors.push(...r.errors);
    bar.update(Math.min(data.length, (n + 1) * MAX_CHUNK_ROWS), totals);
  }
  bar.done();
  if (!dryRun) await send(`${url}/api/v1/imports/${imp.value.id}/finish`, {}, headers);

  if (parsed.flags.json) process.stdout.write(JSON.stringify({ importId: imp.value.id, dryRun, counts: totals, errors }) + '\n');
  else {
    process.stdout.write(
      `${dryRun ? 'Dry run of' : 'Imported'} ${basename(file)} as ${kind}: ${totals.created} ${dryRun ? 'to create' : 'created'}, ${totals.updated} ${dryRun ? 'to update' : 'updated'}, ${totals.skipped} skipped, ${totals.error} with errors.\n`,
    );
    for (const e of errors.slice(0, 20))
      process.stdout.write(`  row ${e.row + 1}, column "${e.column}": ${e.reason}${e.value ? ` (${e.value})` : ''}\n`);
    if (errors.length > 20)
      process.stdout.write(`  ... and ${errors.length - 20} more: GET /api/v1/imports/${imp.value.id}/rows?status=error\n`);
  }
  return 0;
}

/**
 * POSTs with retries: a refused connection (server restarting), 5xx, 409 and 429 are retried with
 * backoff and jitter for about two minutes; the request is idempotent, so a retry never doubles.
 */
async function send<T>(url: string, body: unknown, headers: Record<string, string>): Promise<{ value: T } | { problem: string }> {
  let delay = 250;
  const deadline = Date.now() + 120_000;
  for (;;) {
    let status = 0;
    let detail = '';
    try {
      const res = await fetch(url, { method: 'POST', headers, body: JSON.stringify(body) });
      if (res.ok) return { value: (await res.json()) as T };
      status = res.status;
      const text = await res.text();
      try {
        const p = JSON.parse(text) as { detail?: string; errors?: { path: string; message: string }[] };
        detail = [p.detail, ...(p.errors ?? []).map((e) => `${e.path}: ${e.message}`)].filter(Boolean).join('; ');
      } catch {
        detail = text.slice(0, 200);
      }
      if (status < 500 && status !== 409 && status !== 429) return { problem: `${status} ${detail}` };
    } catch (err) {
      detail = `cannot reach the server (${(err as Error).message})`;
    }
    if (Date.now() > deadline) return { problem: status ? `${status} ${detail}` : detail };
    await sleep(delay + Math.random() * delay);
    delay = Math.min(delay * 2, 5000);
  }
}

function progress(total: number, dryRun: boolean) {
  const tty = process.stderr.isTTY;
  let last = 0;
  return {
    update(done: number, c: Counts) {
      const width = 30;
      const filled = total ? Math.round((done / total) * width) : width;
      const line = `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done.toLocaleString('en')}/${total.toLocaleString('en')} rows${dryRun ? ' (dry run)' : ''}  created ${c.created} · updated ${c.updated} · skipped ${c.skipped} · errors ${c.error}`;
      if (tty) process.stderr.write(`\r${line}`);
      else if (done === total || Date.now() - last > 2000) {
        process.stderr.write(line + '\n');
        last = Date.now();
      }
    },
    done() {
      if (tty) process.stderr.write('\n');
    },
  };
}

function fail(message: string): number {
  process.stderr.write(`leadpane import: ${message}\n${message.startsWith('give') || message.startsWith('--') ? USAGE : ''}`);
  return message.startsWith('give') || message.startsWith('--') ? 2 : 1;
}

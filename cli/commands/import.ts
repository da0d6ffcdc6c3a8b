/**
 * `leadpane import FILE --url URL --token T [--as auto|leads|deals|payments] [--values MAP.json]
 * [--system S] [--mode skip|update|create] [--country CC] [--currency C] [--dry-run] [--json]`:
 * reads what the sheet holds (deals, invoices and payments, or leads, unless --as says), which
 * system exported it and what its headers mean, asks the API what its stage, status, currency and
 * owner values mean, then sends its rows in chunks of 1,000 with a progress bar. The dry run lists
 * the values nobody knows (map them in MAP.json) and the rows that would match existing records.
 * Re-running the same command after a crash or a killed server resumes: the import is keyed by the
 * file's content and options, and every chunk applies once.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { MAX_CHUNK_ROWS, type ImportRowResult } from '../../shared/schemas/imports';
import {
  SOURCE_SYSTEMS,
  SYSTEM_LABELS,
  VALUE_FIELDS,
  analyseSheet,
  cleanValueMaps,
  distinctValues,
  isCurrencyCode,
  type Cell,
  type ImportKind,
  type SourceSystem,
  type ValueField,
  type ValueMaps,
  type ValueQuestion,
  type HeaderMapping,
} from '../../shared/sheet';
import { flag, parseArgs } from '../args';
import { isWorkbookFile, readSheetFile, streamXlsxRows } from '../lib/read-sheet';

const USAGE =
  'Usage: leadpane import FILE --url URL --token T [--as auto|leads|deals|payments] [--values MAP.json] [--system amocrm|bitrix24|pipedrive|hubspot|salesforce|zoho|dynamics|1c|google|other]\n' +
  '                        [--mode skip|update|create] [--country GB] [--currency EUR] [--dry-run] [--json]\n' +
  '  MAP.json: {"stage": {"Pilot Running": "proposal"}, "status": {...}, "currency": {"руб.": "RUB"}, "owner": {"Hannah Ashdown": "hannah@example.com"}}\n';
const KINDS = ['auto', 'leads', 'deals', 'payments'];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** Rows read before the import starts, to find the header, the kind and the sheet's country. */
const HEAD_ROWS = 2000;

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
  const asked = flag(parsed, 'as') ?? 'auto';
  const mode = flag(parsed, 'mode') ?? 'skip';
  const currencyFlag = flag(parsed, 'currency')?.toUpperCase();
  const country = flag(parsed, 'country')?.toUpperCase();
  const systemFlag = flag(parsed, 'system')?.toLowerCase();
  const valuesFile = flag(parsed, 'values');
  const dryRun = parsed.flags['dry-run'] === true;
  if (!token) return fail('give --token (or set LEADPANE_TOKEN).');
  if (!KINDS.includes(asked)) return fail('--as must be auto, leads, deals or payments.');
  if (!['skip', 'update', 'create'].includes(mode)) return fail('--mode must be skip, update or create.');
  if (currencyFlag !== undefined && !isCurrencyCode(currencyFlag))
    return fail('--currency must be an ISO 4217 code such as EUR, GBP or RUB.');
  if (country !== undefined && !/^[A-Z]{2}$/.test(country)) return fail('--country must be an ISO 3166 country code such as GB or BG.');
  if (systemFlag !== undefined && !(SOURCE_SYSTEMS as readonly string[]).includes(systemFlag))
    return fail(`--system must be one of ${SOURCE_SYSTEMS.join(', ')}.`);
  let choices: ValueMaps = {};
  if (valuesFile) {
    try {
      choices = JSON.parse(await readFile(valuesFile, 'utf8')) as ValueMaps;
    } catch (err) {
      return fail(
        `cannot read --values ${valuesFile}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message}`,
      );
    }
    const unknown = Object.keys(choices).filter((k) => !(VALUE_FIELDS as readonly string[]).includes(k));
    if (unknown.length || typeof choices !== 'object' || Array.isArray(choices))
      return fail(`--values ${valuesFile}: give an object with ${VALUE_FIELDS.join(', ')} (not ${unknown.join(', ') || 'a list'}).`);
  }

  // The rows: an .xlsx is read as a stream (a million rows never sit in memory at once), a
  // CSV file whole (its encoding and separator are judged on all of it).
  let source: AsyncIterator<Cell[]>;
  let total: number | undefined;
  try {
    if (await isWorkbookFile(file)) source = streamXlsxRows(file)[Symbol.asyncIterator]();
    else {
      const { rows } = await readSheetFile(file);
      total = rows.length;
      source = (async function* () {
        yield* rows;
      })();
    }
  } catch (err) {
    return fail(`cannot read ${file}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message}`);
  }
  // What the sheet holds is judged on its first rows: the header and a sample of the data.
  const head: Cell[][] = [];
  let ended = false;
  try {
    while (head.length < HEAD_ROWS) {
      const next = await source.next();
      if (next.done) {
        ended = true;
        break;
      }
      head.push(next.value);
    }
  } catch (err) {
    return fail(`cannot read ${file}: ${(err as Error).message}`);
  }
  const sheet = analyseSheet(head, asked === 'auto' ? {} : { kind: asked as ImportKind });
  const { kind, mapping } = sheet;
  const system = (systemFlag as SourceSystem | undefined) ?? sheet.system ?? 'other';
  if (!mapping.columns.some((c) => c.field)) return fail(`no column of ${file} maps to a Leadpane field; check the header row.`);
  const firstRow = mapping.headerRow + 1;
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  // Amounts that name no currency: the one given, else the organisation's (the API applies it),
  // else the one the sheet's country pays in.
  const org = await fetchJson<{ country: string | null; currency: string | null }>(`${url}/api/v1/imports/defaults`, headers);
  if ('problem' in org) return fail(org.problem);
  const currency = currencyFlag ?? (kind === 'payments' || org.value.currency ? undefined : (sheet.context.currency ?? undefined));

  const options = {
    system,
    sheetCountry: sheet.context.country,
    sheetCountries: sheet.context.countries,
    dateOrder: sheet.context.dateOrder,
    ...(country ? { defaultCountry: country } : {}),
    ...(currency ? { defaultCurrency: currency } : {}),
    ...(kind === 'payments' ? {} : { values: cleanValueMaps(choices, kind) }),
  };
  // The import is keyed by the file's content and options: the same command after a crash resumes it.
  const hash = createHash('sha256');
  for await (const piece of createReadStream(file)) hash.update(piece as Buffer);
  const key = hash
    .update(`\0${kind}\0${mode}\0${dryRun}\0${JSON.stringify(options)}\0${JSON.stringify(mapping)}`)
    .digest('hex')
    .slice(0, 40);

  const imp = await send<{ id: string }>(
    `${url}/api/v1/imports`,
    {
      kind,
      mode,
      fileName: basename(file),
      mapping,
      ...(total !== undefined ? { rowsExpected: Math.max(0, total - firstRow) } : {}),
      options,
    },
    { ...headers, 'idempotency-key': `import-${key}` },
  );
  if ('problem' in imp) return fail(imp.problem);

  const totals: Counts = { created: 0, updated: 0, skipped: 0, error: 0 };
  const errors: ImportRowResult['errors'] = [];
  const matched: ImportRowResult[] = [];
  // The values whose meaning the API is asked once the rows are read (for the value-mapping list).
  const seen = new Map<string, ValueQuestion>();
  const valueContext = { kind, system, maps: choices };
  const bar = progress(total === undefined ? undefined : Math.max(0, total - firstRow), dryRun);
  let sent = 0;
  let failed: string | null = null;
  // Two chunks in flight: the next is read from the file while the server applies the last.
  const inFlight: Promise<void>[] = [];
  const sendChunk = async (n: number, rows: Cell[][]) => {
    const res = await send<{ counts: Counts; rows: ImportRowResult[] }>(
      `${url}/api/v1/imports/${imp.value.id}/chunks`,
      { chunk: n, firstRow: firstRow + n * MAX_CHUNK_ROWS, rows: rows.map((r) => r.map(wire)), dryRun },
      headers,
    );
    if ('problem' in res) {
      failed ??= `chunk ${n + 1}: ${res.problem}. Run the same command again to resume.`;
      return;
    }
    for (const k of Object.keys(totals) as (keyof Counts)[]) totals[k] += res.value.counts[k];
    for (const r of res.value.rows) {
      if (r.status === 'error') errors.push(...r.errors);
      if (r.match) matched.push(r);
    }
    sent += rows.length;
    bar.update(sent, totals);
  };
  let chunk: Cell[][] = [];
  let n = 0;
  let row = 0;
  const take = async (cells: Cell[]) => {
    if (row++ < firstRow) return;
    chunk.push(cells);
    if (chunk.length < MAX_CHUNK_ROWS) return;
    await flush();
  };
  const flush = async () => {
    if (!chunk.length || failed) return;
    if (kind !== 'payments') gatherValues(seen, chunk, mapping, valueContext);
    inFlight.push(sendChunk(n++, chunk));
    chunk = [];
    if (inFlight.length >= 2) await inFlight.shift();
  };
  try {
    for (const cells of head) await take(cells);
    while (!ended && !failed) {
      const next = await source.next();
      if (next.done) break;
      await take(next.value);
    }
    await flush();
    await Promise.all(inFlight);
  } catch (err) {
    bar.done();
    return fail(`cannot read ${file}: ${(err as Error).message}. Run the same command again to resume.`);
  }
  bar.done();
  if (failed) return fail(failed);
  // Chunks answer in any order: the rows are listed in the sheet's.
  errors.sort((a, b) => a.row - b.row);
  matched.sort((a, b) => a.row - b.row);
  if (!dryRun) await send(`${url}/api/v1/imports/${imp.value.id}/finish`, {}, headers);

  // The value-mapping step: what the API knows of the sheet's values; the rest is listed.
  const questions = [...seen.values()];
  let unknown: Array<{ field: ValueField; column: string; raw: string; rows: number }> = [];
  if (questions.length) {
    const values: Partial<Record<ValueField, string[]>> = {};
    for (const q of questions) if (q.from !== 'choice') (values[q.field] ??= []).push(q.raw);
    const answer = await send<{ items: Array<{ field: ValueField; raw: string; value: string | null }> }>(
      `${url}/api/v1/imports/values`,
      { kind, system, ...((country ?? org.value.country) ? { country: country ?? org.value.country } : {}), values },
      headers,
    );
    if ('problem' in answer) return fail(answer.problem);
    const known = new Set(answer.value.items.filter((i) => i.value !== null).map((i) => `${i.field}|${i.raw}`));
    unknown = questions.filter((q) => q.from !== 'choice' && !known.has(`${q.field}|${q.raw}`));
  }

  const matches = { total: matched.length, ...countBy(matched.map((r) => r.match!)) };
  if (parsed.flags.json)
    process.stdout.write(
      JSON.stringify({
        importId: imp.value.id,
        dryRun,
        kind,
        system,
        counts: totals,
        matched: matches,
        unknownValues: unknown.map(({ field, column, raw, rows }) => ({ field, column, value: raw, rows })),
        errors,
      }) + '\n',
    );
  else {
    process.stdout.write(
      `${dryRun ? 'Dry run of' : 'Imported'} ${basename(file)} as ${kind} from ${SYSTEM_LABELS[system]}: ${totals.created} ${dryRun ? 'to create' : 'created'}, ${totals.updated} ${dryRun ? 'to update' : 'updated'}, ${totals.skipped} skipped, ${totals.error} with errors.\n`,
    );
    if (matched.length) {
      const how = Object.entries(countBy(matched.map((r) => r.match!)))
        .map(([k, n]) => `${n} by ${MATCH_WORDS[k] ?? k}`)
        .join(', ');
      process.stdout.write(`${matched.length} rows ${dryRun ? 'would match' : 'matched'} existing records (${how}):\n`);
      for (const r of matched.slice(0, 20)) process.stdout.write(`  row ${r.row + 1}: ${r.status} ${r.id}\n`);
      if (matched.length > 20) process.stdout.write(`  ... and ${matched.length - 20} more\n`);
    }
    if (unknown.length) {
      process.stdout.write(`Values Leadpane does not know (give their meaning with --values MAP.json):\n`);
      for (const u of unknown)
        process.stdout.write(
          `  ${u.field} "${u.raw}" in column "${u.column}" (${u.rows} rows): ${u.field === 'owner' ? 'these rows go to you' : 'these rows are refused'}\n`,
        );
      const template: Partial<Record<ValueField, Record<string, string>>> = {};
      for (const u of unknown) (template[u.field] ??= {})[u.raw] = u.field === 'owner' ? 'user@example.com' : `<${u.field}>`;
      process.stdout.write(`  for example: ${JSON.stringify(template)}\n`);
    }
    for (const e of errors.slice(0, 20))
      process.stdout.write(`  row ${e.row + 1}, column "${e.column}": ${e.reason}${e.value ? ` (${e.value})` : ''}\n`);
    if (errors.length > 20)
      process.stdout.write(`  ... and ${errors.length - 20} more: GET /api/v1/imports/${imp.value.id}/rows?status=error\n`);
  }
  return 0;
}

const MATCH_WORDS: Record<string, string> = {
  externalId: 'source ID',
  name: 'company and title',
  email: 'e-mail',
  phone: 'phone',
  id: 'Leadpane id',
};

/** Adds a chunk's stage, status, currency and owner values to those seen, counting their rows. */
function gatherValues(
  seen: Map<string, ValueQuestion>,
  rows: Cell[][],
  mapping: HeaderMapping,
  ctx: Parameters<typeof distinctValues>[2],
): void {
  for (const q of distinctValues(rows, { ...mapping, headerRow: -1 }, ctx)) {
    const k = `${q.field}|${q.column}|${q.raw}`;
    const had = seen.get(k);
    if (had) had.rows += q.rows;
    else seen.set(k, q);
  }
}

function countBy(keys: string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const k of keys) out[k] = (out[k] ?? 0) + 1;
  return out;
}

/** GETs JSON once; a problem answer is named. */
async function fetchJson<T>(url: string, headers: Record<string, string>): Promise<{ value: T } | { problem: string }> {
  try {
    const res = await fetch(url, { headers });
    const text = await res.text();
    if (res.ok) return { value: JSON.parse(text) as T };
    let detail = text.slice(0, 200);
    try {
      detail = (JSON.parse(text) as { detail?: string }).detail ?? detail;
    } catch {
      /* not problem+json */
    }
    return { problem: `${res.status} ${detail}` };
  } catch (err) {
    return { problem: `cannot reach the server (${(err as Error).message})` };
  }
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

function progress(total: number | undefined, dryRun: boolean) {
  const tty = process.stderr.isTTY;
  let last = 0;
  return {
    update(done: number, c: Counts) {
      const width = 30;
      const counts = `created ${c.created} · updated ${c.updated} · skipped ${c.skipped} · errors ${c.error}`;
      // A streamed workbook's length is known only at its end.
      const filled = total ? Math.round((Math.min(done, total) / total) * width) : 0;
      const line =
        total === undefined
          ? `${done.toLocaleString('en')} rows${dryRun ? ' (dry run)' : ''}  ${counts}`
          : `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done.toLocaleString('en')}/${total.toLocaleString('en')} rows${dryRun ? ' (dry run)' : ''}  ${counts}`;
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

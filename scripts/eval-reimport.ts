/**
 * Imports every deals export of a sheet corpus twice through the real CLI and a real local server,
 * the second time with one amount changed, as a team re-imports a later export of the same system:
 *
 *   npx tsx scripts/eval-reimport.ts [DIR]     (DIR holds leadpane-sheets-dev; default ../shared/corpora)
 *
 * Each file goes into an organisation of its own, set up as the corpus says the importing
 * organisation would be (meta.json: defaultCountry, defaultCurrency). Per file it prints the data
 * rows, both imports' counts, the deals stored (must equal the data rows), how many deals the
 * second import updated (must be one), and the wins the report of the import week shows against
 * the wins the sheet dates in that week (historic wins must not appear there). A last line
 * imports the amoCRM export and its later re-export into one organisation. Exit code 1 when any
 * check fails.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { isoWeekOf, weekPeriod } from '../shared/report/period';
import { analyseSheet, convertRows, decodeBytes, detectDelimiter, parseCsv, parseMoney, type Cell } from '../shared/sheet';
import { applyMigrations, createLocalToken, freePort, ROOT, startServer } from './lib/local';

interface Meta {
  file: string;
  kind: string;
  defaultCountry: string | null;
  defaultCurrency: string | null;
  headerRow: number;
  dataRows: number;
  reimport?: { of: string };
}

interface Counts {
  created: number;
  updated: number;
  skipped: number;
  error: number;
}

function cli(args: string[]): Promise<{ code: number | null; json: { counts: Counts; errors: unknown[] } | null; stderr: string }> {
  return new Promise((res, rej) => {
    const child = spawn(process.execPath, ['bin/leadpane.js', ...args, '--json'], { cwd: ROOT });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', rej);
    child.on('close', (code) => {
      const last = out.trim().split('\n').pop() ?? '';
      let json = null;
      try {
        json = JSON.parse(last);
      } catch {
        json = null;
      }
      res({ code, json, stderr: err });
    });
  });
}

const quote = (v: string, delim: string) => (v.includes(delim) || /["\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

/**
 * The export with one amount changed: the first data row whose amount reads as money above zero
 * gets 100 more in the same currency. Written as UTF-8 (a later download of the same export).
 */
function withOneAmountChanged(bytes: Uint8Array, meta: Meta, dir: string): { file: string; row: number } {
  const { text } = decodeBytes(bytes);
  const delim = detectDelimiter(text);
  const rows = parseCsv(text, { delimiter: delim });
  const a = analyseSheet(rows);
  const col = a.mapping.columns.find((c) => c.field === 'amount')!.index;
  const records = new Set(convertRows(rows as Cell[][], a.mapping).map((r) => r.row));
  let changed = -1;
  for (let r = a.mapping.headerRow + 1; r < rows.length && changed < 0; r++) {
    if (!records.has(r)) continue;
    const money = parseMoney(rows[r]![col] ?? '', meta.defaultCurrency);
    if (!money || money.amountMinor <= 0) continue;
    const marked = parseMoney(rows[r]![col] ?? '', null)?.currency;
    rows[r]![col] = `${(money.amountMinor + 10_000) / 100}${marked ? ` ${marked}` : ''}`;
    changed = r;
  }
  const file = join(dir, meta.file.replace(/\.csv$/, '.later.csv'));
  writeFileSync(file, '\uFEFF' + rows.map((r) => r.map((v) => quote(v, delim)).join(delim)).join('\r\n') + '\r\n');
  return { file, row: changed };
}

async function main(): Promise<number> {
  const corpus = join(resolve(process.argv[2] ?? '../shared/corpora'), 'leadpane-sheets-dev');
  const metas = (JSON.parse(readFileSync(join(corpus, 'meta.json'), 'utf8')) as Meta[]).filter((m) => m.kind === 'deals');
  const dir = mkdtempSync(join(tmpdir(), 'leadpane-reimport-'));
  const state = join(dir, 'state');
  applyMigrations({ persistTo: state });
  // One organisation a file (and one for the amoCRM account's two exports), made before the server
  // holds the database; everything after goes through the API.
  const tokens = new Map<string, string>();
  for (const name of [...metas.map((m) => m.file), 'amoCRM account'])
    tokens.set(
      name,
      createLocalToken({ email: 'head@example.com', role: 'head', org: `Re-import ${name}`, name: 'Head' }, { persistTo: state }),
    );
  const server = await startServer({ port: await freePort(), persistTo: state });
  const api = async <T>(token: string, path: string): Promise<T> =>
    (await (await fetch(`${server.url}/api/v1${path}`, { headers: { authorization: `Bearer ${token}` } })).json()) as T;
  const dealCount = async (token: string) => {
    let n = 0;
    for (let cursor: string | null = ''; cursor !== null;) {
      const page: { items: unknown[]; nextCursor: string | null } = await api(
        token,
        `/deals?limit=200${cursor ? `&cursor=${cursor}` : ''}`,
      );
      n += page.items.length;
      cursor = page.nextCursor;
    }
    return n;
  };
  const week = isoWeekOf(new Date());
  const period = weekPeriod(week)!;
  let failed = 0;
  const line = (cells: (string | number)[]) =>
    process.stdout.write(cells.map((c, i) => String(c).padEnd(i === 0 ? 34 : 11)).join('') + '\n');
  try {
    process.stdout.write(`Every deals export of ${corpus}, imported twice (the second time one amount changed); report week ${week}\n\n`);
    line([
      'file',
      'data rows',
      '1st new',
      '1st err',
      '2nd new',
      '2nd upd',
      '2nd skip',
      '2nd err',
      'deals',
      'won in wk',
      'sheet wk',
      'check',
    ]);
    const opts = (m: Meta) => [
      '--url',
      server.url,
      '--mode',
      'update',
      ...(m.defaultCountry ? ['--country', m.defaultCountry] : []),
      ...(m.defaultCurrency ? ['--currency', m.defaultCurrency] : []),
    ];
    for (const m of metas) {
      const token = tokens.get(m.file)!;
      const path = join(corpus, m.file);
      const first = await cli(['import', path, '--token', token, ...opts(m)]);
      const later = withOneAmountChanged(new Uint8Array(readFileSync(path)), m, dir);
      const second = await cli(['import', later.file, '--token', token, ...opts(m)]);
      const deals = await dealCount(token);
      const report = await api<{ sections: Array<{ key: string; rows: unknown[][] }> }>(token, `/reports/weekly?week=${week}`);
      const wonInWeek = report.sections
        .find((s) => s.key === 'wonLost')!
        .rows.filter((r) => r[0] === 'won')
        .reduce((n, r) => n + Number(r[2]), 0);
      // The wins the sheet itself dates in the import week (none of the corpus's are).
      const sheetRows = parseCsv(decodeBytes(new Uint8Array(readFileSync(path))).text);
      const a = analyseSheet(sheetRows);
      const wonThisWeek = convertRows(sheetRows as Cell[][], a.mapping, { kind: 'deals', system: a.system }).filter(
        (r) =>
          r.record.stage === 'won' &&
          r.record.expectedCloseDate !== undefined &&
          `${r.record.expectedCloseDate}T00:00:00.000Z` >= period.from &&
          `${r.record.expectedCloseDate}T00:00:00.000Z` < period.to,
      ).length;
      const c1 = first.json?.counts;
      const c2 = second.json?.counts;
      const ok =
        !!c1 &&
        !!c2 &&
        c1.error === 0 &&
        c2.error === 0 &&
        c2.created === 0 &&
        c2.updated === 1 &&
        deals === m.dataRows &&
        wonInWeek === wonThisWeek &&
        later.row > 0;
      if (!ok) failed++;
      line([
        m.file,
        m.dataRows,
        c1?.created ?? '-',
        c1?.error ?? '-',
        c2?.created ?? '-',
        c2?.updated ?? '-',
        c2?.skipped ?? '-',
        c2?.error ?? '-',
        deals,
        wonInWeek,
        wonThisWeek,
        ok ? 'ok' : 'FAILED',
      ]);
      if (!ok && (first.stderr || second.stderr)) process.stdout.write(`  ${first.stderr}${second.stderr}\n`);
      if (!ok)
        process.stdout.write(
          `  first: ${JSON.stringify(first.json?.errors ?? [])}\n  second: ${JSON.stringify(second.json?.errors ?? [])}\n`,
        );
    }

    // The amoCRM account and its export a month later, into one organisation.
    const re = metas.find((m) => m.reimport);
    if (re) {
      const of = metas.find((m) => m.file === re.reimport!.of)!;
      const token = tokens.get('amoCRM account')!;
      const a = await cli(['import', join(corpus, of.file), '--token', token, ...opts(of)]);
      const b = await cli(['import', join(corpus, re.file), '--token', token, ...opts(re)]);
      const deals = await dealCount(token);
      // The distinct source IDs of both exports, read from the sheets themselves.
      const idsOf = (file: string) => {
        const rows = parseCsv(decodeBytes(new Uint8Array(readFileSync(join(corpus, file)))).text);
        const a = analyseSheet(rows);
        return convertRows(rows as Cell[][], a.mapping).map((r) => r.record.externalId);
      };
      const ids = new Set([...idsOf(of.file), ...idsOf(re.file)]).size;
      process.stdout.write(
        `\n${of.file} then ${re.file} into one organisation: first ${JSON.stringify(a.json?.counts)}, then ${JSON.stringify(b.json?.counts)}; ` +
          `deals ${deals}, distinct source IDs in the two exports ${ids} (duplicates: ${deals - ids})\n`,
      );
      if (b.json?.errors?.length) process.stdout.write(`  refused rows of the re-export: ${JSON.stringify(b.json.errors)}\n`);
      if (deals !== ids) failed++;
    }
  } finally {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  process.stdout.write(failed ? `\n${failed} check(s) failed\n` : '\nall checks passed\n');
  return failed ? 1 : 0;
}

main().then(
  (code) => (process.exitCode = code),
  (err: unknown) => {
    process.stderr.write(`eval-reimport: ${(err as Error).stack ?? String(err)}\n`);
    process.exitCode = 1;
  },
);

/**
 * `npm run test:hardening`: runs every test file that counts its probes (workerd, Node and shared), collects the
 * `HARDENING {json}` line each prints, writes the sums to test-results/hardening/summary.json and
 * ends with one line:
 *   hardening: requests=N faults=N bad_inputs=N rows_lost=0 duplicates=0 500s=0 cross_org_leaks=0
 * It exits non-zero when a test fails or any of the last four counts is not 0.
 * HARDENING_VOLUME (default 5000 here) sets how many lead creates the e2e proxy test sends.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './lib/local';

// Kept here (not imported from test/) so the script compiles in its own project.
const KEYS = ['requests', 'faults', 'bad_inputs', 'rows_lost', 'duplicates', '500s', 'cross_org_leaks'] as const;
const MUST_BE_ZERO = ['rows_lost', 'duplicates', '500s', 'cross_org_leaks'] as const;
function sumCountLines(text: string) {
  const total = Object.fromEntries(KEYS.map((k) => [k, 0])) as Record<(typeof KEYS)[number], number>;
  const files: string[] = [];
  for (const line of text.split(/\r?\n/)) {
    const at = line.indexOf('HARDENING {');
    if (at < 0) continue;
    try {
      const parsed = JSON.parse(line.slice(at + 'HARDENING '.length)) as Record<string, unknown>;
      files.push(String(parsed.file));
      for (const k of KEYS) total[k] += Number(parsed[k] ?? 0) || 0;
    } catch {
      // not a count line
    }
  }
  return { total, files };
}

const outDir = join(ROOT, 'test-results/hardening');
mkdirSync(outDir, { recursive: true });
// Every test file that counts its probes (prints a HARDENING line), whatever business it is named by.
const pick = (dir: string) =>
  readdirSync(join(ROOT, dir))
    .filter((f) => f.endsWith('.test.ts') && readFileSync(join(ROOT, dir, f), 'utf8').includes('printCounts('))
    .map((f) => `${dir}/${f}`);
const files = [...pick('test/worker'), ...pick('test/shared'), ...pick('test/e2e')];

const run = spawnSync(
  join(ROOT, 'node_modules/.bin/vitest'),
  ['run', ...files, '--reporter=default', '--reporter=json', `--outputFile.json=${join(outDir, 'vitest.json')}`],
  {
    cwd: ROOT,
    env: { ...process.env, HARDENING_VOLUME: process.env.HARDENING_VOLUME ?? '5000' },
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  },
);
const output = `${run.stdout ?? ''}\n${run.stderr ?? ''}`;
writeFileSync(join(outDir, 'output.log'), output);
const { total, files: reported } = sumCountLines(output);
writeFileSync(join(outDir, 'summary.json'), JSON.stringify({ files: reported, total, vitestExit: run.status }, null, 2) + '\n');
const missing = files.filter((f) => !reported.some((r) => f.endsWith(`${r.split('/')[1]!}.test.ts`)));
if (run.status !== 0)
  console.error(
    output
      .split('\n')
      .filter((l) => /FAIL|×|AssertionError|Error:/.test(l))
      .slice(0, 40)
      .join('\n'),
  );
if (missing.length) console.error(`no counts from: ${missing.join(', ')}`);
console.log(
  `hardening: requests=${total.requests} faults=${total.faults} bad_inputs=${total.bad_inputs} rows_lost=${total.rows_lost} duplicates=${total.duplicates} 500s=${total['500s']} cross_org_leaks=${total.cross_org_leaks}`,
);
const bad = MUST_BE_ZERO.some((k) => total[k] !== 0);
process.exit(bad || run.status !== 0 ? 1 : 0);

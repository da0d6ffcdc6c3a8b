/**
 * `npm run bench [-- --json] [--only a,b] [--full]`: runs the benchmark suites and prints their
 * figures; with --json the last line is one JSON object of every figure. Budgets from the issues
 * are printed beside each figure; nothing here fails a build.
 */
import { parseArgs } from '../cli/args';

export interface BenchContext {
  full: boolean;
  log(msg: string): void;
}
export type Figures = Record<string, number>;
export interface Suite {
  name: string;
  run(ctx: BenchContext): Promise<Figures>;
}

/** Budgets: figure -> [comparison, limit]. */
export const BUDGETS: Record<string, ['<=' | '>=' | '=', number]> = {
  'api.p99_ms': ['<=', 50],
  'worker.bundle_gzip_kb': ['<=', 400],
  'extract.p99_ms': ['<=', 5],
  'report.weekly_ms': ['<=', 100],
  'report.ratio_to_sqlite': ['<=', 1.5],
  'load.errors': ['=', 0],
  'import.rows_per_s': ['>=', 20_000],
  'load.p99_ms': ['<=', 100],
  'addin.excel.js_gzip_kb': ['<=', 200],
  'addin.outlook.js_gzip_kb': ['<=', 200],
  'addin.excel.tti_ms': ['<=', 500],
  'addin.outlook.tti_ms': ['<=', 500],
  'addin.excel.tti_ms_4x': ['<=', 500],
  'addin.outlook.tti_ms_4x': ['<=', 500],
  'api.open.100.p99_to_floor': ['<=', 1.5],
  'api.open.100.p99_ms': ['<=', 25],
  'api.cpu_to_floor': ['<=', 1.5],
  'import.ratio_to_sqlite': ['>=', 0.25],
  'import_full.seconds': ['<=', 90],
  'import_full.cli_peak_rss_mb': ['<=', 512],
  'import_full.server_peak_rss_mb': ['<=', 512],
  'functions.requests_for_2000_cells': ['<=', 5],
};

const SUITES: Record<string, () => Promise<Suite>> = {
  api: async () => (await import('./suites/api')).suite,
  worker: async () => (await import('./suites/worker-bundle')).suite,
  extract: async () => (await import('./suites/extract')).suite,
  sheet: async () => (await import('./suites/sheet')).suite,
  report: async () => (await import('./suites/report')).suite,
  load: async () => (await import('./suites/load')).suite,
  import: async () => (await import('./suites/import')).suite,
  'import-full': async () => (await import('./suites/import-full')).suite,
  addin: async () => (await import('./suites/addin')).suite,
  sync: async () => (await import('./suites/sync')).suite,
};

async function main(): Promise<void> {
  const parsed = parseArgs(process.argv.slice(2), ['json', 'full']);
  // The million-row import takes minutes and a 79 MB workbook: it runs when asked for by name.
  const only =
    typeof parsed.flags.only === 'string' ? parsed.flags.only.split(',') : Object.keys(SUITES).filter((n) => n !== 'import-full');
  const unknown = only.filter((n) => !SUITES[n]);
  if (unknown.length) {
    console.error(`Unknown suite(s): ${unknown.join(', ')}. Known: ${Object.keys(SUITES).join(', ')}`);
    process.exit(2);
  }
  const ctx: BenchContext = { full: parsed.flags.full === true, log: (m) => console.error(`  ${m}`) };
  const all: Figures = {};
  for (const name of only) {
    console.error(`bench: ${name}`);
    const suite = await SUITES[name]!();
    Object.assign(all, await suite.run(ctx));
  }
  for (const [k, v] of Object.entries(all)) {
    const b = BUDGETS[k];
    const ok = !b || (b[0] === '<=' ? v <= b[1] : b[0] === '>=' ? v >= b[1] : v === b[1]);
    console.log(`${k.padEnd(32)} ${String(v).padStart(12)}${b ? `   budget ${b[0]} ${b[1]} ${ok ? 'ok' : 'OVER'}` : ''}`);
  }
  if (parsed.flags.json) console.log(JSON.stringify(all));
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});

import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { applyMigrations, createLocalToken, executeSql, freePort, ROOT, startServer } from '../../scripts/lib/local';
import { round } from '../stats';
import type { Suite } from '../run';
import { workerdPids } from '../lib/workerd-cpu';

/** Excel's row limit: a header and 1,048,575 leads. */
const ROWS = 1_048_576;
const HEADER = ['Име', 'Фирма', 'E-mail адрес', 'GSM', 'Град', 'Етап', 'Сума', 'Длъжност', 'Уебсайт', 'ЕИК', 'Бележки', 'Източник'];

/**
 * The workbook, written once with exceljs's streaming writer and shared strings, as Excel writes
 * them (every name, e-mail and site is its own string: a table of about four million). Kept in
 * the temp folder between runs: writing it takes a minute.
 */
async function workbook(log: (m: string) => void): Promise<string> {
  const file = join(tmpdir(), `leadpane-bench-${ROWS}x12.xlsx`);
  if (existsSync(file) && statSync(file).size > 50_000_000) return file;
  const t0 = performance.now();
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: `${file}.part`, useSharedStrings: true, useStyles: false });
  const ws = wb.addWorksheet('Клиенти');
  ws.addRow(HEADER).commit();
  for (let i = 0; i < ROWS - 1; i++)
    ws.addRow([
      `Клиент ${i}`,
      `Фирма ${i} ООД`,
      `c${i}@f${i}.bg`,
      `0888${String(100000 + (i % 900000)).slice(-6)}`,
      'София',
      'Нова',
      '1200,50 лв.',
      'Управител',
      `www.f${i}.bg`,
      '831642181',
      'бележка',
      'excel',
    ]).commit();
  ws.commit();
  await wb.commit();
  const { renameSync } = await import('node:fs');
  renameSync(`${file}.part`, file);
  log(`wrote ${file} (${round(statSync(file).size / 1e6)} MB) in ${round((performance.now() - t0) / 1000)} s`);
  return file;
}

/** The peak resident memory of a process so far (VmHWM), in MB; 0 once it is gone. */
function peakMb(pid: number): number {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}

/**
 * `import_full.*`: a 1,048,576 x 12 .xlsx imported as leads through the CLI (`leadpane import`)
 * into the local server: the CLI reads the workbook as a stream and sends chunks of 1,000 rows
 * while it reads. `import_full.seconds` and `rows_per_s` from the command's start to its exit;
 * `cli_peak_rss_mb` and `server_peak_rss_mb` the largest resident memory of the CLI's process and
 * of the server's largest workerd process, read from /proc while the import runs.
 */
export const suite: Suite = {
  name: 'import-full',
  async run(ctx) {
    const file = await workbook(ctx.log);
    const dir = mkdtempSync(join(tmpdir(), 'leadpane-bench-import-full-'));
    try {
      applyMigrations({ persistTo: dir });
      const token = createLocalToken({ email: 'head@import.local', role: 'head', org: 'Import' }, { persistTo: dir });
      const server = await startServer({
        port: await freePort(),
        persistTo: dir,
        bundleDir: join(dir, 'build'),
        vars: { RATE_LIMIT_PER_MIN: '0' },
      });
      try {
        const workerd = workerdPids(server.process.pid!);
        const t0 = performance.now();
        const child = spawn(
          process.execPath,
          ['bin/leadpane.js', 'import', file, '--as', 'leads', '--mode', 'create', '--url', server.url, '--token', token, '--json'],
          { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
        );
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
        child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
        let cliPeak = 0;
        let serverPeak = 0;
        const watch = setInterval(() => {
          cliPeak = Math.max(cliPeak, peakMb(child.pid!));
          for (const pid of workerd) serverPeak = Math.max(serverPeak, peakMb(pid));
        }, 250);
        const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
        clearInterval(watch);
        for (const pid of workerd) serverPeak = Math.max(serverPeak, peakMb(pid));
        const seconds = (performance.now() - t0) / 1000;
        if (code !== 0) throw new Error(`leadpane import exited ${code}: ${stderr}`);
        const result = JSON.parse(stdout.trim().split('\n').pop()!) as { counts: { created: number; error: number } };
        const stored = executeSql<{ n: number }>('SELECT count(*) AS n FROM leads', { persistTo: dir })[0]!.n;
        ctx.log(
          `${result.counts.created.toLocaleString('en')} leads created, ${result.counts.error} errors, ${stored.toLocaleString('en')} stored, in ${round(seconds)} s`,
        );
        if (stored !== ROWS - 1) throw new Error(`expected ${ROWS - 1} leads stored, found ${stored}`);
        return {
          'import_full.rows': stored,
          'import_full.seconds': round(seconds),
          'import_full.rows_per_s': Math.round(stored / seconds),
          'import_full.cli_peak_rss_mb': round(cliPeak),
          'import_full.server_peak_rss_mb': round(serverPeak),
        };
      } finally {
        await server.stop();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};

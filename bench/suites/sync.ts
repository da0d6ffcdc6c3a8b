/// <reference types="office-js" />
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApiClient } from '../../addin/api/client';
import { createFetchTransport } from '../../addin/api/transport';
import { COLUMNS, ID_COL, pullPipeline, syncPipeline } from '../../addin/excel/pipeline-sync';
import { englishStanding } from '../../addin/excel/pipeline-standing';
import { STAGE_NAMES } from '../../shared/report/stage-names';
import { clientBatcher, createLeadpaneFunctions } from '../../addin/functions/functions';
import { createOfficeExcelHost } from '../../addin/office/excel-office';
import type { KeyValueStorage } from '../../addin/office/types';
import { createI18n } from '../../addin/ui/i18n';
import { applyMigrations, createLocalToken, executeSql, freePort, startServer, type RunningServer } from '../../scripts/lib/local';
import { scriptedWorkbook } from '../lib/office-workbook';
import { round } from '../stats';
import type { Suite } from '../run';

const ROWS = 2_000;
const EDITS = 200;
/** Deals a colleague changes meanwhile: the sync merges them in while it sends the 200 edits. */
const THEIRS = 20;
const CELLS = 2_000;

function memoryStorage(): KeyValueStorage {
  const map = new Map<string, string>();
  return { get: (k) => map.get(k) ?? null, set: (k, v) => void map.set(k, v), remove: (k) => void map.delete(k) };
}

/** The pane's API client over Node's fetch, counting the requests it makes. */
function countingClient(server: RunningServer, token: string) {
  const counts = { requests: 0, byMethod: {} as Record<string, number> };
  const fetch = (async (input: string | URL | Request, init?: RequestInit) => {
    counts.requests++;
    const m = init?.method ?? 'GET';
    counts.byMethod[m] = (counts.byMethod[m] ?? 0) + 1;
    return globalThis.fetch(input, init);
  }) as typeof globalThis.fetch;
  const client = createApiClient({
    transport: createFetchTransport({ baseUrl: `${server.url}/api/v1`, getToken: () => token, fetch, timeoutMs: 60_000 }),
    storage: memoryStorage(),
    isOnline: () => true,
  });
  return { client, counts };
}

async function post(server: RunningServer, token: string, path: string, body: unknown, key: string) {
  const res = await fetch(`${server.url}/api/v1${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'idempotency-key': key },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`POST ${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as { id: string; version: number };
}

/**
 * `functions.requests_for_2000_cells`: requests one recalculation of 2,000 LEADPANE formulas
 * makes (PIPELINE, WON, QUOTA and REPORT with 1,600 different argument lists, the rest repeats),
 * the calls arriving in 20 bursts as Excel hands them out; `functions.ms_for_2000_cells` the time
 * until every cell has its answer, against the real local server.
 *
 * `pipeline.*`: a 2,000-deal pipeline pulled into Excel through the Office.js adapter (on a scripted
 * workbook that counts context.sync() calls) and synced after 200 edited rows, while a colleague
 * changed 20 other deals: Excel syncs and HTTP requests of the pull and of the sync, and the
 * sync's time. The deals are stamped as changed over the past weeks, as a pipeline pulled earlier
 * would be, so the sync's refresh reads only what changed since.
 */
export const suite: Suite = {
  name: 'sync',
  async run(ctx) {
    const dir = mkdtempSync(join(tmpdir(), 'leadpane-bench-sync-'));
    let server: RunningServer | undefined;
    try {
      applyMigrations({ persistTo: dir });
      const token = createLocalToken({ email: 'head@sync.local', role: 'head', org: 'Sync', name: 'Head' }, { persistTo: dir });
      const colleague = createLocalToken({ email: 'maria@sync.local', role: 'head', org: 'Sync', name: 'Maria' }, { persistTo: dir });
      server = await startServer({
        port: await freePort(),
        persistTo: dir,
        bundleDir: join(dir, 'build'),
        vars: { RATE_LIMIT_PER_MIN: '0' },
      });
      const out: Record<string, number> = {};

      // ---- custom functions ----
      const stages = ['new', 'qualified', 'proposal', 'negotiation'];
      for (let i = 0; i < 40; i++)
        await post(server, token, '/deals', { title: `F ${i}`, stage: stages[i % 4], amountMinor: 1000 * (i + 1) }, `f-${i}`);
      const fn = countingClient(server, token);
      const fns = createLeadpaneFunctions(fn.client, createI18n('en-US'), clientBatcher(fn.client));
      const day = (i: number) => new Date(Date.UTC(2026, 0, 1) + i * 86_400_000).toISOString().slice(0, 10);
      const formulas: Array<() => Promise<unknown>> = [];
      for (let i = 0; i < CELLS; i++) {
        const k = i % 1600;
        if (k < 1000) formulas.push(() => fns.WON(day(k % 365), day(365 + (k % 300)), null));
        else if (k < 1300) formulas.push(() => fns.QUOTA('me', `2026-${String((k % 12) + 1).padStart(2, '0')}`));
        else if (k < 1580) formulas.push(() => fns.PIPELINE(stages[k % 4]!, k % 2 ? 'me' : null));
        else
          formulas.push(() =>
            fns.REPORT('weekly', `2026-W${String(10 + (k % 4)).padStart(2, '0')}`, ['won', 'pipeline', 'leads', 'forecast'][k % 4]!),
          );
      }
      const t0 = performance.now();
      const answers: Array<Promise<unknown>> = [];
      for (let burst = 0; burst < 20; burst++) {
        for (const f of formulas.slice(burst * 100, (burst + 1) * 100)) answers.push(f());
        await new Promise((r) => setTimeout(r, 2));
      }
      const settled = await Promise.allSettled(answers);
      const failed = settled.filter((s) => s.status === 'rejected');
      if (failed.length) throw new Error(`${failed.length} formulas failed: ${String((failed[0] as PromiseRejectedResult).reason)}`);
      out['functions.requests_for_2000_cells'] = fn.counts.requests;
      out['functions.ms_for_2000_cells'] = round(performance.now() - t0);
      ctx.log(`2,000 formulas: ${fn.counts.requests} requests, ${out['functions.ms_for_2000_cells']} ms`);

      // ---- the pipeline ----
      const created: Array<{ id: string; version: number }> = [];
      for (let i = 0; i < ROWS; i += 25)
        created.push(
          ...(await Promise.all(
            Array.from({ length: Math.min(25, ROWS - i) }, (_, j) =>
              post(
                server!,
                token,
                '/deals',
                { title: `Deal ${i + j}`, stage: stages[(i + j) % 4], amountMinor: 10_000 + i + j, currency: 'BGN', nextStep: 'Call' },
                `p-${i + j}`,
              ),
            ),
          )),
        );
      // Changed over the last weeks, the newest two hours ago: a pipeline as it is when pulled.
      executeSql(`UPDATE deals SET updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '-' || (2 + rowid % 1000) || ' hours')`, {
        persistTo: dir,
      });
      const wb = scriptedWorkbook({ Sheet1: [['']] });
      const excel = createOfficeExcelHost({ run: wb.run });
      const pane = countingClient(server, token);
      // As the pane runs it: stages by name and the read-only Documents and Competitors columns.
      const options = {
        client: pane.client,
        excel,
        storage: memoryStorage(),
        me: { id: '', name: 'Head', role: 'head' },
        stageNames: STAGE_NAMES.en,
        standing: englishStanding,
      };
      const headers = [...COLUMNS, 'Leadpane id', 'Leadpane version', 'Status'];
      const p0 = performance.now();
      const pulled = await pullPipeline({ ...options, owner: 'team', headers });
      out['pipeline.pull_2000_ms'] = round(performance.now() - p0);
      out['pipeline.pull_2000_excel_syncs'] = wb.stats.syncs;
      out['pipeline.pull_2000_requests'] = pane.counts.requests;
      if (pulled < ROWS) throw new Error(`pulled ${pulled} rows, expected ${ROWS}`);

      // 200 rows edited in the sheet; 20 other deals changed by a colleague.
      const grid = wb.sheets.Pipeline!;
      for (let r = 1, n = 0; n < EDITS; r += 10, n++) grid[r]![COLUMNS.indexOf('nextStep')] = `Edited ${n}`;
      const theirs = grid.filter((_, r) => r > 0 && (r - 5) % 10 === 0).slice(0, THEIRS);
      for (const row of theirs) {
        const id = String(row[ID_COL]);
        const version = Number(row[ID_COL + 1]);
        const res = await fetch(`${server.url}/api/v1/deals/${id}`, {
          method: 'PATCH',
          headers: { authorization: `Bearer ${colleague}`, 'content-type': 'application/json', 'if-match': `"${version}"` },
          body: JSON.stringify({ amountMinor: 99_900 }),
        });
        if (!res.ok) throw new Error(`colleague PATCH: ${res.status}`);
      }
      wb.stats.syncs = 0;
      pane.counts.requests = 0;
      pane.counts.byMethod = {};
      const s0 = performance.now();
      const result = await syncPipeline(options);
      out['pipeline.sync_200_edits_ms'] = round(performance.now() - s0);
      out['pipeline.sync_200_edits_excel_syncs'] = wb.stats.syncs;
      out['pipeline.sync_200_edits_requests'] = pane.counts.requests;
      if (result.updated !== EDITS || result.merged !== THEIRS || result.conflicts.length)
        throw new Error(`sync: ${result.updated} sent, ${result.merged} merged, ${result.conflicts.length} conflicts`);
      ctx.log(
        `pipeline of ${ROWS}: pull ${out['pipeline.pull_2000_excel_syncs']} Excel syncs and ${out['pipeline.pull_2000_requests']} requests; ` +
          `sync of ${EDITS} edits (+${THEIRS} merged): ${out['pipeline.sync_200_edits_excel_syncs']} Excel syncs, ` +
          `${out['pipeline.sync_200_edits_requests']} requests (${JSON.stringify(pane.counts.byMethod)}), ${out['pipeline.sync_200_edits_ms']} ms`,
      );
      return out;
    } finally {
      await server?.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  },
};

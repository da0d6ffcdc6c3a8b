// A pipeline sync through a server crash. The Excel pane (real Chromium, scripted workbook) sends
// 200 edited deals and 5 new rows to the real local server. At the 60th PATCH the server applies
// the change and is killed with SIGKILL (the whole process tree) before its answer reaches the
// pane; the rest of the sync meets a dead port and waits in the pane's offline queue. The server
// comes back on the same port with the same D1 state, the pane sends what it kept, and then every
// edit is on the server exactly once, every new row exists once, and the pane shows no conflict
// and no refused change.
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WorkbookSnapshot } from '../../addin/office/excel-browser';
import type { CellValue, Matrix } from '../../addin/office/types';
import { stageOfCell } from '../../addin/excel/pipeline-stages';
import { killTree, startServer, type RunningServer } from '../../scripts/lib/local';
import { newCounts, printCounts } from '../probes/counts';
import { launchBrowser, openPane, RESULTS, startApi, workbookState, type Api } from './harness';

const DEALS = 300;
/** Every row whose index is not 2 mod 3 is edited: 200 of the 300. */
const edited = (i: number) => i % 3 !== 2;
const NEW_ROWS = 5;
/** The PATCH that is applied and whose answer dies with the server. */
const KILL_AT = 60;
const OPEN = ['new', 'qualified', 'proposal', 'negotiation'] as const;
// Hundreds of requests a minute from one token: the per-token rate limit is not what this measures.
const VARS = { RATE_LIMIT_PER_MIN: '0' };
const TITLE = 'Sync-kill';
const counts = newCounts();

let api: Api;
let browser: Browser;
/** The server the test runs now: the first one, then the one started after the kill. */
let server: RunningServer;
let restarted: RunningServer | undefined;

beforeAll(async () => {
  api = await startApi({ seed: false, vars: VARS });
  server = api.server;
  browser = await launchBrowser();
}, 600_000);

afterAll(async () => {
  printCounts('e2e/excel-sync-server-kill', counts);
  await browser?.close();
  await restarted?.stop();
  await api?.stop();
});

interface Deal {
  id: string;
  version: number;
  title: string;
  stage: string;
  amountMinor: number;
  currency: string;
  nextStep?: string | null;
}

const call = (path: string, init: { method?: string; body?: unknown; headers?: Record<string, string> } = {}) =>
  fetch(`${api.url}/api/v1${path}`, {
    method: init.method ?? 'GET',
    headers: { authorization: `Bearer ${api.tokens.manager}`, 'content-type': 'application/json', ...init.headers },
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
  });

/** Every deal of the manager, through the API (no synchronous SQL while the page is routed). */
async function allDeals(): Promise<Deal[]> {
  const out: Deal[] = [];
  for (let cursor: string | null = null; ;) {
    const res = await call(`/deals?owner=me&limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    expect(res.status, await res.clone().text()).toBe(200);
    const page = (await res.json()) as { items: Deal[]; nextCursor: string | null };
    out.push(...page.items);
    if (!page.nextCursor) return out;
    cursor = page.nextCursor;
  }
}

const sheetOf = async (page: Page) => (await workbookState<WorkbookSnapshot>(page)).sheets.find((s) => s.name === 'Pipeline')!;
const text = (page: Page, testId: string) =>
  page
    .getByTestId(testId)
    .innerText()
    .catch(() => '');
/** What the pane keeps in its offline queue, and the changes it set aside as refused (code, method, path). */
const queueState = (page: Page) =>
  page.evaluate(() => {
    const storage = (window as unknown as { __leadpaneHost: { info: { storage: { get(k: string): string | null } } } }).__leadpaneHost.info
      .storage;
    const list = <T>(key: string) => JSON.parse(storage.get(key) ?? '[]') as T[];
    type Failed = { code: string; change: { method: string; path: string } };
    return {
      pending: list('queue.pending').length,
      failed: list<Failed>('queue.failed').map((f) => `${f.code} ${f.change.method} ${f.change.path}`),
    };
  });

describe('an Excel pipeline sync when the server is killed mid-sync', () => {
  it('loses no edit and duplicates nothing once the server is back and the pane sends again', { timeout: 240_000 }, async () => {
    // 300 deals of one manager, through the API.
    for (let i = 0; i < DEALS; i += 20) {
      await Promise.all(
        Array.from({ length: Math.min(20, DEALS - i) }, async (_, j) => {
          const n = i + j;
          const res = await call('/deals', {
            method: 'POST',
            headers: { 'idempotency-key': `seed-${n}` },
            body: {
              title: `${TITLE} ${String(n).padStart(3, '0')}`,
              stage: OPEN[n % OPEN.length],
              amountMinor: (1000 + n) * 100,
              currency: 'BGN',
            },
          });
          expect(res.status, await res.clone().text()).toBe(201);
        }),
      );
    }

    const { page, errors } = await openPane(browser, api, 'excel', {
      host: { language: 'en-US', token: api.tokens.manager, workbook: { sheets: { Sheet1: [['']] } } },
    });
    page.on('response', (r) => {
      if (r.url().includes('/api/v1/') && r.status() >= 500) counts['500s']++;
    });
    await page.getByRole('tab', { name: 'Pipeline' }).click({ timeout: 60_000 });
    await page.getByRole('button', { name: 'Pull pipeline' }).click({ timeout: 60_000 });
    await expect.poll(() => text(page, 'pipeline-status'), { timeout: 60_000 }).toContain('The pipeline is on the sheet');
    const pulled = await sheetOf(page);
    expect(pulled.values).toHaveLength(DEALS + 1);

    // The user edits amount and stage of 200 rows and types 5 new deals under the table (which
    // Excel grows to take them in): the sheet is written back as Excel would hold it.
    const before = new Map<string, { version: number; stage: string; amountMinor: number }>();
    const expected = new Map<string, { stage: string; amountMinor: number; version: number }>();
    // The table and its hidden id and version, without the Status and read-only columns beside it
    // (the next sync writes those again); the Stage cells show names, read back as keys.
    const rows: Matrix = pulled.values.map((whole, i) => {
      const row = whole.slice(0, 10);
      if (i === 0) return row;
      const [id, version, stage, amount] = [String(row[8]), Number(row[9]), stageOfCell(row[2] ?? null)!, Number(row[3])];
      before.set(id, { version, stage, amountMinor: Math.round(amount * 100) });
      if (!edited(i - 1)) {
        expected.set(id, { stage, amountMinor: Math.round(amount * 100), version });
        return row;
      }
      const next = { stage: OPEN[(OPEN.indexOf(stage as (typeof OPEN)[number]) + 1) % OPEN.length]!, amount: amount + 500 + i };
      expected.set(id, { stage: next.stage, amountMinor: Math.round(next.amount * 100), version: version + 1 });
      return row.map((v, c): CellValue => (c === 2 ? next.stage : c === 3 ? next.amount : v));
    });
    expect(before.size).toBe(DEALS);
    const newTitles = Array.from({ length: NEW_ROWS }, (_, j) => `${TITLE} new ${j}`);
    for (const [j, title] of newTitles.entries()) rows.push([title, '', 'proposal', 5000 + j, 'BGN', '', 'Call back', '', '', '']);
    await page.evaluate(async (values) => {
      const excel = (
        window as unknown as {
          __leadpaneHost: {
            excel: {
              addWorksheet(n: string, o: object): Promise<void>;
              writeValues(s: string, a: string, v: unknown[][]): Promise<{ address: string }>;
              createTable(s: string, a: string, o: object): Promise<string>;
              setColumnsHidden(s: string, c: string, h: boolean): Promise<void>;
            };
          };
        }
      ).__leadpaneHost.excel;
      await excel.addWorksheet('Pipeline', { replace: true, activate: true });
      const written = await excel.writeValues('Pipeline', 'A1', values);
      await excel.createTable('Pipeline', written.address, { name: 'Pipeline' });
      await excel.setColumnsHidden('Pipeline', 'I:J', true);
    }, rows);
    const editedCount = [...expected].filter(([id, e]) => e.version !== before.get(id)!.version).length;
    expect(editedCount).toBe(200);

    // Watch the pane's writes. The KILL_AT-th PATCH reaches the server and is applied; then the
    // server's process tree gets SIGKILL and the pane hears only a reset connection.
    const attempts = new Map<string, number>();
    let patches = 0;
    let killedDeal: string | null = null;
    let killedStatus = 0;
    const writes = /\/api\/v1\/deals(?:\/[^/?]+)?(?:\?.*)?$/;
    await page.route(writes, async (route) => {
      const request = route.request();
      const method = request.method();
      if (method !== 'PATCH' && method !== 'POST') return route.fallback();
      counts.requests++;
      const target = method === 'POST' ? `POST ${request.headers()['idempotency-key']}` : new URL(request.url()).pathname.split('/').pop()!;
      attempts.set(target, (attempts.get(target) ?? 0) + 1);
      if (method === 'PATCH' && killedDeal === null && ++patches === KILL_AT) {
        killedDeal = target;
        killedStatus = (await route.fetch()).status();
        const exited = new Promise((resolve) => server.process.once('exit', resolve));
        killTree(server.process, 'SIGKILL');
        await exited;
        counts.faults++;
        return route.abort('connectionreset');
      }
      return route.fallback();
    });

    await page.getByRole('button', { name: 'Sync changes' }).click();
    // With the server gone the sync ends: what was answered counts as changed, the rest waits.
    await expect.poll(() => text(page, 'pipeline-status'), { timeout: 90_000 }).toMatch(/^Sent: /);
    expect(killedDeal).not.toBeNull();
    expect(killedStatus).toBe(200);
    const waiting = editedCount - (KILL_AT - 1) + NEW_ROWS;
    expect(await text(page, 'pipeline-status')).toBe(
      `Sent: ${KILL_AT - 1} changed, 0 new, ${waiting} waiting for the connection, 0 conflicts.`,
    );
    expect(await queueState(page)).toEqual({ pending: waiting, failed: [] });
    await page.screenshot({ path: join(RESULTS, 'sync-kill-queued.png'), fullPage: true });

    // The server comes back on the same port with the same D1 files; the pane sends its queue.
    restarted = await startServer({ port: server.port, persistTo: join(api.dir, 'state'), bundleDir: join(api.dir, 'build'), vars: VARS });
    server = restarted;
    const sendNow = page.getByRole('button', { name: 'Send now' });
    // A flush the sync started may still be retrying and get through by itself; otherwise the user presses "Send now".
    if ((await queueState(page)).pending > 0) await sendNow.click({ timeout: 5_000 }).catch(() => undefined);
    await expect.poll(async () => (await queueState(page)).pending, { timeout: 90_000 }).toBe(0);

    // No conflict, no refused change, no error in the pane.
    expect(await queueState(page)).toEqual({ pending: 0, failed: [] });
    expect(await page.getByTestId('pipeline-conflicts').count()).toBe(0);
    expect(await page.locator('body').innerText()).not.toMatch(/refused by the server|waiting to be sent/);
    await page.screenshot({ path: join(RESULTS, 'sync-kill-sent.png'), fullPage: true });

    // Every edit is on the server exactly once: its values, and one version step (a second
    // apply would have made two). Nothing else moved, and nothing was created twice.
    const now = await allDeals();
    expect(now).toHaveLength(DEALS + NEW_ROWS);
    const byId = new Map(now.map((d) => [d.id, d]));
    const lost: string[] = [];
    for (const [id, want] of expected) {
      const got = byId.get(id);
      if (!got || got.stage !== want.stage || got.amountMinor !== want.amountMinor || got.version !== want.version) {
        lost.push(
          `${id}: want ${JSON.stringify(want)}, got ${JSON.stringify(got && { stage: got.stage, amountMinor: got.amountMinor, version: got.version })}`,
        );
      }
    }
    const titles = new Map<string, number>();
    for (const d of now) titles.set(d.title, (titles.get(d.title) ?? 0) + 1);
    const created = newTitles.map((t) => now.filter((d) => d.title === t));
    counts.rows_lost += lost.length + created.filter((c) => c.length === 0).length;
    counts.duplicates += [...titles.values()].reduce((n, k) => n + k - 1, 0);
    expect(lost).toEqual([]);
    expect([...titles.values()].every((n) => n === 1)).toBe(true);
    expect(
      created.map((c) => c.map((d) => ({ stage: d.stage, amountMinor: d.amountMinor, nextStep: d.nextStep, version: d.version }))),
    ).toEqual(newTitles.map((_, j) => [{ stage: 'proposal', amountMinor: (5000 + j) * 100, nextStep: 'Call back', version: 1 }]));
    // The killed PATCH was applied once though it was sent more than once.
    expect(attempts.get(killedDeal!)).toBeGreaterThan(1);
    expect(byId.get(killedDeal!)!.version).toBe(before.get(killedDeal!)!.version + 1);

    // The sheet still holds what the user typed, and a second sync finds nothing to send.
    const after = await sheetOf(page);
    expect(after.values.map((r) => r.slice(0, 8))).toEqual(rows.map((r) => r.slice(0, 8)));
    const requestsBefore = counts.requests;
    await page.getByRole('button', { name: 'Sync changes' }).click();
    await expect.poll(() => text(page, 'pipeline-status'), { timeout: 30_000 }).toBe('No changes since the last pull.');
    expect(counts.requests).toBe(requestsBefore);
    expect((await allDeals()).length).toBe(DEALS + NEW_ROWS);
    expect(errors).toEqual([]);
    await page.unroute(writes);

    // The audit log agrees: one update per edited deal, none for the others.
    const audits = api.sql<{ entity_id: string; n: number }>(
      "SELECT entity_id, count(*) AS n FROM audit_log WHERE entity = 'deal' AND action = 'update' GROUP BY entity_id",
    );
    expect(audits.every((a) => a.n === 1)).toBe(true);
    expect(audits.length).toBe(editedCount);
  });
});

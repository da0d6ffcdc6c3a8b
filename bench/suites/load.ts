import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mapSheet } from '../../shared/sheet';
import { applyMigrations, createLocalToken, freePort, startServer } from '../../scripts/lib/local';
import { httpFetch } from '../lib/http';
import { runtimeFloor } from '../lib/runtime-floor';
import { percentile, round } from '../stats';
import type { Suite } from '../run';

const USERS = 50;

/**
 * `load.*`: 50 concurrent simulated users (match lookups 40%, lists 30%, lead creates 15%, deal
 * updates with If-Match 10%, reports 5%) for 60 s (LOAD_SECONDS to change it) against the real
 * local server holding 100,000 deals, seeded through the import API. A 412 on a deal update is a
 * correct answer (two users on one deal), not an error. `load.floor_*`: the same 50 users on
 * `GET /api/v1/health` for 10 s after the mix, the runtime's own latency; `load.p99_to_floor` the ratio.
 */
export const suite: Suite = {
  name: 'load',
  async run(ctx) {
    const seconds = Number(process.env.LOAD_SECONDS ?? 60);
    const dealsWanted = Number(process.env.LOAD_DEALS ?? 100_000);
    const dir = mkdtempSync(join(tmpdir(), 'leadpane-bench-load-'));
    applyMigrations({ persistTo: dir });
    const token = createLocalToken({ email: 'head@load.local', role: 'head', org: 'Load' }, { persistTo: dir });
    const server = await startServer({
      port: await freePort(),
      persistTo: dir,
      bundleDir: join(dir, 'build'),
      vars: { RATE_LIMIT_PER_MIN: '0' },
    });
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const post = async (path: string, body: unknown, extra: Record<string, string> = {}) => {
      const res = await httpFetch(server.url + path, { method: 'POST', headers: { ...headers, ...extra }, body: JSON.stringify(body) });
      if (!res.ok) throw new Error(`${path} answered ${res.status}: ${await res.text()}`);
      return res.json() as Promise<any>;
    };
    try {
      const header = ['Сделка', 'Фирма', 'ЕИК', 'Етап', 'Сума', 'E-mail', 'Телефон'];
      const rows = Array.from({ length: dealsWanted }, (_, i) => [
        `Сделка ${i}`,
        `Фирма ${i % 5000} ООД`,
        null,
        ['Нова', 'Оферта', 'Преговори'][i % 3]!,
        `${1000 + (i % 9000)},00 лв.`,
        `c${i}@f${i % 5000}.bg`,
        `0888${String(100000 + (i % 900000)).slice(-6)}`,
      ]);
      const mapping = mapSheet([header, ...rows.slice(0, 50)]);
      const t0 = performance.now();
      const imp = await post('/api/v1/imports', { kind: 'deals', mode: 'create', mapping });
      let next = 0;
      await Promise.all(
        Array.from({ length: 3 }, async () => {
          for (let n = next++; n * 1000 < rows.length; n = next++)
            await post(`/api/v1/imports/${imp.id}/chunks`, {
              chunk: n,
              firstRow: 1 + n * 1000,
              rows: rows.slice(n * 1000, (n + 1) * 1000),
            });
        }),
      );
      const seeded = rows.length;
      ctx.log(
        `seeded ${seeded.toLocaleString('en')} deals in ${round((performance.now() - t0) / 1000)} s; ${USERS} users for ${seconds} s`,
      );
      const list = (await (await httpFetch(`${server.url}/api/v1/deals?limit=200`, { headers })).json()) as {
        items: { id: string; version: number }[];
      };
      const deals = list.items.map((d) => ({ ...d }));

      const latencies: number[] = [];
      const byKind = new Map<string, number[]>();
      let errors = 0;
      let n = 0;
      const until = Date.now() + seconds * 1000;
      // Where the tail comes from: requests slower than a second, by the second they started in,
      // and the client's own event-loop lag (a stalled client would inflate every latency).
      const began = performance.now();
      const slowBySecond: Record<number, number> = {};
      let clientLag = 0;
      let tick = began;
      const monitor = setInterval(() => {
        clientLag = Math.max(clientLag, performance.now() - tick - 20);
        tick = performance.now();
      }, 20);
      await Promise.all(
        Array.from({ length: USERS }, async (_, user) => {
          while (Date.now() < until) {
            const i = n++;
            const roll = i % 20;
            const t = performance.now();
            let res: Response;
            const kind = roll < 8 ? 'match' : roll < 14 ? 'list' : roll < 17 ? 'create' : roll < 19 ? 'update' : 'report';
            if (roll < 8)
              res = await httpFetch(
                `${server.url}/api/v1/match?email=c${(i * 7919) % seeded}@f${(i * 7919) % 5000}.bg&phone=0888${String(100000 + (i % 900000)).slice(-6)}`,
                { headers },
              );
            else if (roll < 14)
              res = await httpFetch(`${server.url}/api/v1/deals?limit=50&stage=${['new', 'proposal', 'negotiation'][i % 3]}`, { headers });
            else if (roll < 17)
              res = await httpFetch(`${server.url}/api/v1/leads`, {
                method: 'POST',
                headers: { ...headers, 'idempotency-key': `load-${user}-${i}` },
                body: JSON.stringify({ source: 'call', fullName: `Обаждане ${i}`, phone: '0888123456' }),
              });
            else if (roll < 19) {
              const d = deals[(user * 4 + i) % deals.length]!;
              res = await httpFetch(`${server.url}/api/v1/deals/${d.id}`, {
                method: 'PATCH',
                headers: { ...headers, 'if-match': `"${d.version}"` },
                body: JSON.stringify({ nextStep: `Обаждане ${i}` }),
              });
              if (res.ok) d.version++;
              else if (res.status === 412)
                d.version = ((await res.clone().json()) as { current?: { version: number } }).current?.version ?? d.version;
            } else res = await httpFetch(`${server.url}/api/v1/reports/weekly?scope=org`, { headers });
            await res.arrayBuffer();
            const ms = performance.now() - t;
            latencies.push(ms);
            if (ms > 1000) {
              const second = Math.floor((t - began) / 1000);
              slowBySecond[second] = (slowBySecond[second] ?? 0) + 1;
            }
            if (!byKind.has(kind)) byKind.set(kind, []);
            byKind.get(kind)!.push(ms);
            if (!res.ok && res.status !== 412) errors++;
          }
        }),
      );
      clearInterval(monitor);
      ctx.log(
        `slower than 1 s, by the second they started in: ${JSON.stringify(slowBySecond)}; client event-loop lag at most ${round(clientLag)} ms`,
      );
      // After the mix, so that the mix runs on a server as fresh as before.
      const floor = await runtimeFloor(server.url, USERS, 10);
      ctx.log(
        `runtime floor (GET /api/v1/health, ${USERS} users, 10 s): p50 ${floor.p50} ms, p99 ${floor.p99} ms, ${floor.rps} requests/s`,
      );
      latencies.sort((a, b) => a - b);
      const p99 = round(percentile(latencies, 99));
      for (const [kind, l] of byKind) {
        l.sort((a, b) => a - b);
        ctx.log(`${kind}: ${l.length} requests, p50 ${round(percentile(l, 50))} ms, p99 ${round(percentile(l, 99))} ms`);
      }
      return {
        'load.requests': latencies.length,
        'load.rps': round(latencies.length / seconds),
        'load.p50_ms': round(percentile(latencies, 50)),
        'load.p99_ms': p99,
        'load.errors': errors,
        'load.floor_p50_ms': floor.p50,
        'load.floor_p99_ms': floor.p99,
        'load.p99_to_floor': round(p99 / floor.p99, 2),
      };
    } finally {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  },
};

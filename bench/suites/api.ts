import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { applyMigrations, createLocalToken, freePort, startServer } from '../../scripts/lib/local';
import { httpFetch } from '../lib/http';
import { runtimeFloor } from '../lib/runtime-floor';
import { percentile, round } from '../stats';
import type { Suite } from '../run';

const CLIENTS = 20;

/**
 * `api.p50_ms`, `api.p99_ms`: 20 concurrent clients for 20 s (5 s without --full is not offered:
 * the issue fixes 20 s) against the real local server, mixing list and read GETs (60%), lead
 * creates (20%) and deal updates with If-Match (20%). `api.floor_*`: the same 20 clients on
 * `GET /api/v1/health` for 10 s after the mix, the runtime's own latency; `api.p99_to_floor` the ratio.
 */
export const suite: Suite = {
  name: 'api',
  async run(ctx) {
    const dir = mkdtempSync(join(tmpdir(), 'leadpane-bench-'));
    applyMigrations({ persistTo: dir });
    const token = createLocalToken({ email: 'bench@bench.local', role: 'head', org: 'Bench' }, { persistTo: dir });
    const server = await startServer({
      port: await freePort(),
      persistTo: dir,
      bundleDir: join(dir, 'build'),
      vars: { RATE_LIMIT_PER_MIN: '0' },
    });
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    try {
      // A pipeline to work on: 500 deals, one per client slot updated in turn.
      const deals: { id: string; version: number }[] = [];
      for (let i = 0; i < 500; i += 25) {
        const batch = await Promise.all(
          Array.from({ length: 25 }, (_, k) =>
            httpFetch(`${server.url}/api/v1/deals`, {
              method: 'POST',
              headers,
              body: JSON.stringify({ title: `Bench deal ${i + k}`, amountMinor: (i + k) * 100 }),
            }).then((r) => r.json() as Promise<{ id: string; version: number }>),
          ),
        );
        deals.push(...batch);
      }
      ctx.log(`seeded ${deals.length} deals; ${CLIENTS} clients for 20 s`);
      const latencies: number[] = [];
      let errors = 0;
      const until = Date.now() + 20_000;
      let n = 0;
      await Promise.all(
        Array.from({ length: CLIENTS }, async (_, client) => {
          while (Date.now() < until) {
            const i = n++;
            const kind = i % 10;
            const t0 = performance.now();
            let res: Response;
            if (kind < 3) res = await httpFetch(`${server.url}/api/v1/deals?limit=50&stage=new`, { headers });
            else if (kind < 6) res = await httpFetch(`${server.url}/api/v1/deals/${deals[i % deals.length]!.id}`, { headers });
            else if (kind < 8)
              res = await httpFetch(`${server.url}/api/v1/leads`, {
                method: 'POST',
                headers: { ...headers, 'idempotency-key': `bench-${client}-${i}` },
                body: JSON.stringify({ source: 'manual', fullName: `Bench ${i}` }),
              });
            else {
              const d = deals[(client * 25 + i) % deals.length]!;
              res = await httpFetch(`${server.url}/api/v1/deals/${d.id}`, {
                method: 'PATCH',
                headers: { ...headers, 'if-match': `"${d.version}"` },
                body: JSON.stringify({ amountMinor: i }),
              });
              if (res.ok) d.version++;
            }
            await res.arrayBuffer();
            latencies.push(performance.now() - t0);
            // A 412 is a legitimate answer when two clients update one deal; anything else non-2xx is an error.
            if (!res.ok && res.status !== 412) errors++;
          }
        }),
      );
      // After the mix, so that the mix runs on a server as fresh as before.
      const floor = await runtimeFloor(server.url, CLIENTS, 10);
      ctx.log(
        `runtime floor (GET /api/v1/health, ${CLIENTS} clients, 10 s): p50 ${floor.p50} ms, p99 ${floor.p99} ms, ${floor.rps} requests/s`,
      );
      latencies.sort((a, b) => a - b);
      const p99 = round(percentile(latencies, 99));
      return {
        'api.requests': latencies.length,
        'api.rps': round(latencies.length / 20),
        'api.p50_ms': round(percentile(latencies, 50)),
        'api.p99_ms': p99,
        'api.errors': errors,
        'api.floor_p50_ms': floor.p50,
        'api.floor_p99_ms': floor.p99,
        'api.p99_to_floor': round(p99 / floor.p99, 2),
      };
    } finally {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  },
};

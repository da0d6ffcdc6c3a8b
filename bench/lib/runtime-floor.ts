import { percentile, round } from '../stats';
import { httpFetch } from './http';

export interface Floor {
  p50: number;
  p99: number;
  rps: number;
}

/**
 * The runtime's own latency under the same load: `clients` closed-loop clients calling
 * `GET /api/v1/health` (no token check, one `SELECT 1` through D1) for `seconds` on the server
 * the suite measures. Every API request does at least this much (a request, a D1 round trip,
 * an answer), so a route mix can be no faster; the suites report their p99 next to it and the
 * ratio between the two, the part of the tail the application adds.
 */
export async function runtimeFloor(baseUrl: string, clients: number, seconds: number): Promise<Floor> {
  const latencies: number[] = [];
  const until = Date.now() + seconds * 1000;
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (Date.now() < until) {
        const t = performance.now();
        const res = await httpFetch(`${baseUrl}/api/v1/health`);
        await res.arrayBuffer();
        if (!res.ok) throw new Error(`GET /api/v1/health answered ${res.status}`);
        latencies.push(performance.now() - t);
      }
    }),
  );
  latencies.sort((a, b) => a - b);
  return { p50: round(percentile(latencies, 50)), p99: round(percentile(latencies, 99)), rps: round(latencies.length / seconds) };
}

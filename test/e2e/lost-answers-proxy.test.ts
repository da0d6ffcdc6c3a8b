// Lost answers: a proxy in front of the real local server drops one response in ten after the
// server has done the work, and the client retries every create with the same Idempotency-Key,
// as the panes and the CLI do. Every lead must exist exactly once.
import { createServer, request, Agent, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../scripts/lib/local';
import { newCounts, printCounts } from '../probes/counts';
import { startApi, type Api } from './harness';

const VOLUME = Number(process.env.HARDENING_VOLUME ?? 2000);
const CLIENTS = 16;
const counts = newCounts();

let api: Api;
let proxy: Server;
let proxyUrl: string;
let forwarded = 0;

beforeAll(async () => {
  // Thousands of creates a minute from one token: the per-token rate limit is not what this measures.
  api = await startApi({ seed: false, vars: { RATE_LIMIT_PER_MIN: '0' } });
  const upstream = new URL(api.url);
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  proxy = createServer((req, res) => {
    const n = forwarded++;
    const out = request(
      { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers, agent },
      (answer) => {
        const chunks: Buffer[] = [];
        answer.on('data', (c: Buffer) => chunks.push(c));
        answer.on('end', () => {
          // Every tenth answer is lost on the way back: the server committed, the client hears nothing.
          if (n % 10 === 7) {
            counts.faults++;
            res.socket?.destroy();
            return;
          }
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          res.end(Buffer.concat(chunks));
        });
      },
    );
    out.on('error', () => res.socket?.destroy());
    req.pipe(out);
  });
  const port = await freePort();
  await new Promise<void>((ok) => proxy.listen(port, '127.0.0.1', ok));
  proxyUrl = `http://127.0.0.1:${port}`;
}, 600_000);

afterAll(async () => {
  printCounts('e2e/lost-answers-proxy', counts);
  proxy?.close();
  await api?.stop();
});

describe('a proxy that drops 10% of the answers', () => {
  it(`${VOLUME} keyed lead creates retried through it make exactly ${VOLUME} leads, none twice`, { timeout: 600_000 }, async () => {
    const tag = `proxy-${Date.now().toString(36)}`;
    let next = 0;
    const ids = new Map<number, string>();
    await Promise.all(
      Array.from({ length: CLIENTS }, async () => {
        for (let i = next++; i < VOLUME; i = next++) {
          const key = `${tag}-${i}`;
          for (let attempt = 1; ; attempt++) {
            counts.requests++;
            const res = await fetch(`${proxyUrl}/api/v1/leads`, {
              method: 'POST',
              headers: { authorization: `Bearer ${api.tokens.manager}`, 'content-type': 'application/json', 'idempotency-key': key },
              body: JSON.stringify({ source: 'webform', fullName: `${tag} ${i}`, email: `${key}@example.org` }),
            }).catch(() => null);
            if (res) {
              if (res.status >= 500) counts['500s']++;
              expect(res.status, await res.clone().text()).toBe(201);
              ids.set(i, ((await res.json()) as { id: string }).id);
              break;
            }
            if (attempt >= 10) throw new Error(`create ${i} got no answer in 10 attempts`);
            await new Promise((r) => setTimeout(r, 20 * attempt));
          }
        }
      }),
    );
    const rows = api.sql<{ n: number; distinct_names: number }>(
      `SELECT count(*) AS n, count(DISTINCT full_name) AS distinct_names FROM leads WHERE full_name LIKE '${tag} %';`,
    )[0]!;
    counts.duplicates += Math.max(0, rows.n - rows.distinct_names);
    counts.rows_lost += Math.max(0, VOLUME - rows.distinct_names);
    expect(counts.faults).toBeGreaterThanOrEqual(Math.floor(VOLUME / 10));
    expect(rows).toEqual({ n: VOLUME, distinct_names: VOLUME });
    // Each client saw one id per lead, the same the server kept.
    expect(new Set(ids.values()).size).toBe(VOLUME);
  });
});

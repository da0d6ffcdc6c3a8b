import { Agent, request } from 'node:http';

/*
 * The benchmarks' HTTP client. Node's fetch spends about a millisecond of CPU per request; on a
 * two-core machine that competes with the server being measured and inflates its latency. Plain
 * node:http with kept-alive sockets costs a fraction of that, so the figures describe the server.
 */
const agent = new Agent({ keepAlive: true, maxSockets: 256 });

export interface BenchInit {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
}

/**
 * A fetch-shaped call over node:http; answers a standard Response once the whole body arrived.
 * A kept-alive socket the server closed just as it was reused fails with ECONNRESET before any
 * answer; that request never reached the server and is sent again once (as Node's docs advise),
 * on a new connection: the pool may hold more sockets that went stale in the same idle spell.
 */
export async function httpFetch(url: string, init: BenchInit = {}): Promise<Response> {
  try {
    return await once(url, init, agent);
  } catch (error) {
    if ((error as { reusedSocket?: boolean }).reusedSocket) return once(url, init, false);
    throw error;
  }
}

function once(url: string, init: BenchInit, via: Agent | false): Promise<Response> {
  return new Promise((resolve, reject) => {
    const body = init.body === undefined ? undefined : Buffer.from(init.body);
    const req = request(
      url,
      {
        method: init.method ?? 'GET',
        agent: via,
        headers: { ...init.headers, ...(body ? { 'content-length': String(body.length) } : {}) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          const headers = new Headers();
          for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) headers.set(k, Array.isArray(v) ? v.join(', ') : v);
          const status = res.statusCode ?? 0;
          resolve(new Response(status === 204 || status === 304 ? null : Buffer.concat(chunks), { status, headers }));
        });
      },
    );
    req.on('error', (error: NodeJS.ErrnoException) => {
      const stale = req.reusedSocket && (error.code === 'ECONNRESET' || error.message === 'socket hang up');
      reject(Object.assign(error, { reusedSocket: stale }));
    });
    req.end(body);
  });
}

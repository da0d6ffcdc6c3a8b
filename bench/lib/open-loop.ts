import { percentile, round } from '../stats';

export interface OpenLoopResult {
  rate: number;
  sent: number;
  p50: number;
  p99: number;
  max: number;
  errors: number;
}

/**
 * Requests at a fixed mean rate with Poisson arrivals (exponential gaps), for `seconds`. Each
 * request's latency runs from the moment it was due, not from when it was sent: a server that
 * falls behind is charged for the queue it makes, so coordinated omission cannot flatter the
 * figures. `send(i)` answers whether the request succeeded.
 */
export async function openLoop(rate: number, seconds: number, send: (i: number) => Promise<boolean>, seed = 1): Promise<OpenLoopResult> {
  let s = seed;
  // A small LCG: the same arrival pattern for the mix and for the floor at one rate.
  const rnd = () => ((s = (s * 1103515245 + 12345) & 0x7fffffff) + 1) / 0x80000001;
  const latencies: number[] = [];
  let errors = 0;
  const start = performance.now();
  const end = start + seconds * 1000;
  const pending: Promise<void>[] = [];
  let due = start;
  for (let i = 0; ; i++) {
    due += (-Math.log(rnd()) / rate) * 1000;
    if (due >= end) break;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    const dueAt = due;
    pending.push(
      send(i).then(
        (ok) => {
          latencies.push(performance.now() - dueAt);
          if (!ok) errors++;
        },
        () => {
          latencies.push(performance.now() - dueAt);
          errors++;
        },
      ),
    );
  }
  await Promise.all(pending);
  latencies.sort((a, b) => a - b);
  return {
    rate,
    sent: latencies.length,
    p50: round(percentile(latencies, 50)),
    p99: round(percentile(latencies, 99)),
    max: round(latencies[latencies.length - 1] ?? NaN),
    errors,
  };
}

import { readdirSync, readFileSync } from 'node:fs';

/** Clock ticks a second of /proc/<pid>/stat's CPU times (USER_HZ, 100 on Linux). */
const HZ = 100;

/** The workerd processes started by the server whose process group is `pgid`. */
export function workerdPids(pgid: number): number[] {
  const out: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const close = stat.lastIndexOf(')');
      const comm = stat.slice(stat.indexOf('(') + 1, close);
      const fields = stat.slice(close + 2).split(' ');
      // fields[2] is the process group (field 5 of stat)
      if (comm === 'workerd' && Number(fields[2]) === pgid) out.push(Number(name));
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

/** User and system CPU the processes have used, in milliseconds. */
export function cpuMs(pids: number[]): number {
  let ticks = 0;
  for (const pid of pids) {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime and stime are fields 14 and 15 of stat
    ticks += Number(fields[11]) + Number(fields[12]);
  }
  return (ticks * 1000) / HZ;
}

/**
 * CPU the server spends on one request of a kind: `n` requests sent one after another (no
 * queue, no contention), workerd's CPU before and after, divided by `n`. With 10 ms ticks,
 * 1,000 requests of about 1 ms give the figure to about 1%.
 */
export async function cpuPerRequest(pids: number[], n: number, send: (i: number) => Promise<unknown>): Promise<number> {
  // Warm-up, not counted.
  for (let i = 0; i < 50; i++) await send(n + i);
  const before = cpuMs(pids);
  for (let i = 0; i < n; i++) await send(i);
  return (cpuMs(pids) - before) / n;
}

/**
 * Probe counters. Each test file that probes the system (requests sent, faults injected, hostile
 * inputs tried) fills one and prints it as a single line `HARDENING {json}` when it ends (workerd
 * tests cannot write files); scripts/hardening.ts (`npm run test:hardening`) collects the lines and
 * sums them.
 */
export interface ProbeCounts {
  /** Requests sent to the API (or inputs fed to a parser). */
  requests: number;
  /** Faults injected: D1 errors thrown, responses dropped. */
  faults: number;
  /** Hostile or invalid inputs tried. */
  bad_inputs: number;
  /** Rows that should exist and do not (or partial writes of rejected requests). */
  rows_lost: number;
  duplicates: number;
  '500s': number;
  cross_org_leaks: number;
}

export const COUNT_KEYS = ['requests', 'faults', 'bad_inputs', 'rows_lost', 'duplicates', '500s', 'cross_org_leaks'] as const;
/** These must all be zero for a run to pass. */
export const MUST_BE_ZERO = ['rows_lost', 'duplicates', '500s', 'cross_org_leaks'] as const;

export const LINE_PREFIX = 'HARDENING ';

export function newCounts(): ProbeCounts {
  return { requests: 0, faults: 0, bad_inputs: 0, rows_lost: 0, duplicates: 0, '500s': 0, cross_org_leaks: 0 };
}

/** Prints the counts of one test file as one line. */
export function printCounts(file: string, counts: ProbeCounts): void {
  console.log(LINE_PREFIX + JSON.stringify({ file, ...counts }));
}

/** Sums every `HARDENING {json}` line in a text (a test run's output). */
export function sumCountLines(text: string): { total: ProbeCounts; files: string[] } {
  const total = newCounts();
  const files: string[] = [];
  for (const line of text.split(/\r?\n/)) {
    const at = line.indexOf(LINE_PREFIX);
    if (at < 0) continue;
    let parsed: Record<string, unknown>;
    try {
      parsed = JSON.parse(line.slice(at + LINE_PREFIX.length)) as Record<string, unknown>;
    } catch {
      continue;
    }
    files.push(String(parsed.file));
    for (const k of COUNT_KEYS) total[k] += Number(parsed[k] ?? 0) || 0;
  }
  return { total, files };
}

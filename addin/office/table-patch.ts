// Where a TablePatch lands in a table as it is now: rows found by key (or, without a key yet, by
// their cells), cells and rows that changed since the caller read them set aside. Pure: both
// workbook adapters plan with it and then write the plan their own way.
import type { CellValue, Matrix, RowTarget, TablePatch, TablePatchResult } from './types';

export interface PatchPlan extends TablePatchResult {
  /** Runs of adjacent cells to write, per body row (0-based) and first column. */
  runs: Array<{ row: number; col: number; values: CellValue[] }>;
  /** Body rows to delete, bottom first (so earlier indexes stay valid). */
  removeRows: number[];
}

/** Whether a cell still holds what was read: empty is empty, numbers by value, the rest as text. */
export function sameCell(a: CellValue | undefined, b: CellValue | undefined): boolean {
  const x = a ?? '';
  const y = b ?? '';
  if (typeof x === 'number' && typeof y === 'number') return x === y;
  return String(x) === String(y);
}

const keyOf = (row: CellValue[] | undefined, col: number) => String(row?.[col] ?? '').trim();

export function planTablePatch(body: Matrix, patch: TablePatch): PatchPlan {
  const width = body[0]?.length ?? 0;
  const byKey = new Map<string, number>();
  body.forEach((row, i) => {
    const key = keyOf(row, patch.keyColumn);
    if (key && !byKey.has(key)) byKey.set(key, i);
  });
  // Rows without a key are found by their cells; each such row answers one target.
  const claimed = new Map<string, number>();
  const taken = new Set<number>();
  const locate = (at: RowTarget): number | null => {
    if ('key' in at) return byKey.get(at.key) ?? null;
    const id = JSON.stringify(at);
    if (claimed.has(id)) return claimed.get(id)!;
    const fits = (i: number) =>
      i >= 0 && i < body.length && !taken.has(i) && !keyOf(body[i], patch.keyColumn) && at.match.every((v, c) => sameCell(body[i]![c], v));
    let found: number | null = fits(at.row) ? at.row : null;
    for (let i = 0; found === null && i < body.length; i++) if (fits(i)) found = i;
    if (found !== null) {
      claimed.set(id, found);
      taken.add(found);
    }
    return found;
  };

  const plan: PatchPlan = { runs: [], removeRows: [], skippedCells: [], skippedRows: [] };
  const cells = new Map<number, Map<number, CellValue>>();
  for (const s of patch.set ?? []) {
    const row = locate(s.at);
    const holds = row !== null && (s.expect === undefined || s.col >= width || sameCell(body[row]![s.col], s.expect));
    if (row === null || !holds) {
      plan.skippedCells.push({ at: s.at, col: s.col });
      continue;
    }
    let inRow = cells.get(row);
    if (!inRow) cells.set(row, (inRow = new Map()));
    inRow.set(s.col, s.value);
  }
  for (const [row, inRow] of [...cells].sort((a, b) => a[0] - b[0])) {
    const cols = [...inRow.keys()].sort((a, b) => a - b);
    let run: { row: number; col: number; values: CellValue[] } | null = null;
    for (const col of cols) {
      if (run && col === run.col + run.values.length) run.values.push(inRow.get(col)!);
      else plan.runs.push((run = { row, col, values: [inRow.get(col)!] }));
    }
  }
  const removing = new Set<number>();
  for (const r of patch.remove ?? []) {
    const row = byKey.get(r.key);
    if (row === undefined || (r.expect && !r.expect.every((v, c) => sameCell(body[row]![c], v)))) plan.skippedRows.push(r.key);
    else removing.add(row);
  }
  plan.removeRows = [...removing].sort((a, b) => b - a);
  return plan;
}

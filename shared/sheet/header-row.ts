/**
 * Finding the header row: sheets often start with a title, a merged banner, a date line or blank
 * rows. The header is the first row that is wide enough, whose cells read like labels (short,
 * distinct text, not e-mails, dates or numbers) and that has data below it; a row naming known
 * fields is preferred over one that merely looks like labels.
 */
import { matchHeader } from './header-match';
import { parseDate } from './values';
import type { Cell } from './types';

/** How many rows from the top are searched. */
export const HEADER_SCAN_ROWS = 30;

const LETTER = /\p{L}/u;
const DIGITS = /\d/g;
const NOT_LABEL = /@|^https?:\/\/|^www\./i;

function isBlank(c: Cell): boolean {
  return c === null || c === undefined || (typeof c === 'string' && c.trim() === '');
}

function nonEmpty(row: readonly Cell[] | undefined): Cell[] {
  return row ? row.filter((c) => !isBlank(c)) : [];
}

/** A cell that reads like a column label. */
function isLabel(c: Cell): boolean {
  if (typeof c !== 'string') return false;
  const text = c.trim();
  if (text.length > 60 || !LETTER.test(text) || NOT_LABEL.test(text)) return false;
  const digits = text.match(DIGITS)?.length ?? 0;
  if (digits > 4) return false;
  return digits === 0 || parseDate(text) === null;
}

/**
 * The 0-based index of the header row (0 when nothing looks like one).
 * @example detectHeaderRow([['Списък клиенти'], [], ['Фирма', 'Град'], ['Акме ООД', 'София']]) // 2
 */
export function detectHeaderRow(rows: readonly (readonly Cell[])[]): number {
  const scan = Math.min(rows.length, HEADER_SCAN_ROWS);
  const counts: number[] = [];
  let width = 0;
  for (let i = 0; i < scan; i++) {
    const n = nonEmpty(rows[i]).length;
    counts.push(n);
    width = Math.max(width, n);
  }
  if (width === 0) return 0;
  // A title or a "Period: Q1" line fills a cell or two; a header fills most of the table's width.
  const minCells = width <= 1 ? 1 : Math.max(2, Math.ceil(width * 0.5));
  let firstCandidate = -1;
  for (let i = 0; i < scan; i++) {
    const n = counts[i]!;
    if (n < minCells) continue;
    const cells = nonEmpty(rows[i]);
    const labels = cells.filter(isLabel);
    if (labels.length < n * 0.8) continue;
    const texts = labels.map((c) => (c as string).trim().toLowerCase());
    if (new Set(texts).size < texts.length * 0.8) continue; // a merged banner repeats itself
    // Data below: the next non-blank row within three rows, or the end of the sheet.
    let next = i + 1;
    while (next < rows.length && nonEmpty(rows[next]).length === 0) next++;
    const isLast = next >= rows.length;
    if (!isLast && next > i + 4) continue;
    if (firstCandidate < 0) firstCandidate = i;
    const known = labels.filter((c) => matchHeader(c as string) !== null).length;
    if (known >= Math.max(1, Math.ceil(n * 0.3))) return i;
  }
  if (firstCandidate >= 0) return firstCandidate;
  const firstNonBlank = counts.findIndex((n) => n > 0);
  return firstNonBlank < 0 ? 0 : firstNonBlank;
}

/**
 * CSV as spreadsheets write it (RFC 4180): quoted fields may hold the delimiter, doubled quotes
 * and line breaks. Bulgarian and Russian Excel writes `;` (the comma is the decimal separator
 * there), English Excel `,`, "Unicode text" a tab; the delimiter is detected. Written fields are
 * escaped against formula injection (./escape.ts), so a CSV we hand out never runs as a formula.
 */
import { escapeCell } from './escape';

export type CsvDelimiter = ',' | ';' | '\t';

export interface CsvOptions {
  /** Skip detection and use this delimiter. */
  delimiter?: CsvDelimiter;
}

const CANDIDATES: readonly CsvDelimiter[] = [';', ',', '\t'];
const QUOTE = 34; // "
const CR = 13;
const LF = 10;

/** Counts of each candidate delimiter per logical line, outside quotes, for the first lines. */
function countPerLine(text: string, maxLines: number): number[][] {
  const lines: number[][] = [];
  let counts = [0, 0, 0];
  let inQuotes = false;
  let nonEmpty = false;
  for (let i = 0; i < text.length && lines.length < maxLines; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      inQuotes = !inQuotes;
      nonEmpty = true;
    } else if (!inQuotes && (c === LF || c === CR)) {
      if (nonEmpty) lines.push(counts);
      counts = [0, 0, 0];
      nonEmpty = false;
    } else if (!inQuotes) {
      const ch = text[i];
      if (ch === ';') counts[0]!++;
      else if (ch === ',') counts[1]!++;
      else if (ch === '\t') counts[2]!++;
      nonEmpty = true;
    }
  }
  if (nonEmpty && lines.length < maxLines) lines.push(counts);
  return lines;
}

/**
 * Picks the delimiter that splits the first lines most consistently: the one whose most common
 * non-zero count per line occurs on the most lines (ties: the larger count, then `;`, `,`, tab).
 * @example detectDelimiter('Име;Телефон\nИван;0888 123 456') // ';'
 */
export function detectDelimiter(text: string): CsvDelimiter {
  const lines = countPerLine(text, 50);
  let best: CsvDelimiter = ',';
  let bestLines = 0;
  let bestCount = 0;
  CANDIDATES.forEach((delimiter, k) => {
    const freq = new Map<number, number>();
    for (const counts of lines) {
      const n = counts[k]!;
      if (n > 0) freq.set(n, (freq.get(n) ?? 0) + 1);
    }
    for (const [count, onLines] of freq) {
      if (onLines > bestLines || (onLines === bestLines && count > bestCount)) {
        best = delimiter;
        bestLines = onLines;
        bestCount = count;
      }
    }
  });
  return best;
}

/**
 * Parses CSV text into rows of strings. A leading BOM is dropped; the delimiter is detected
 * unless given; a final line break does not make an empty row.
 * @example parseCsv('a;"b;c"\n1;"say ""hi"""') // [['a', 'b;c'], ['1', 'say "hi"']]
 */
export function parseCsv(text: string, options: CsvOptions = {}): string[][] {
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const delim = (options.delimiter ?? detectDelimiter(text)).charCodeAt(0);
  const rows: string[][] = [];
  let row: string[] = [];
  const n = text.length;
  let i = 0;
  while (i < n) {
    let value: string;
    if (text.charCodeAt(i) === QUOTE) {
      // Quoted field: read to the closing quote, "" is a literal quote.
      let out = '';
      let start = ++i;
      for (;;) {
        const q = text.indexOf('"', i);
        if (q < 0) {
          out += text.slice(start);
          i = n;
          break;
        }
        if (text.charCodeAt(q + 1) === QUOTE) {
          out += text.slice(start, q + 1);
          i = start = q + 2;
          continue;
        }
        out += text.slice(start, q);
        i = q + 1;
        break;
      }
      // Anything between the closing quote and the delimiter is kept, as spreadsheets do.
      const restStart = i;
      while (i < n) {
        const c = text.charCodeAt(i);
        if (c === delim || c === LF || c === CR) break;
        i++;
      }
      value = restStart < i ? out + text.slice(restStart, i) : out;
    } else {
      const start = i;
      while (i < n) {
        const c = text.charCodeAt(i);
        if (c === delim || c === LF || c === CR) break;
        i++;
      }
      value = text.slice(start, i);
    }
    row.push(value);
    if (i >= n) break;
    const c = text.charCodeAt(i);
    if (c === delim) {
      i++;
      if (i >= n) row.push('');
    } else {
      // End of record: \r\n, \n or a lone \r.
      i += c === CR && text.charCodeAt(i + 1) === LF ? 2 : 1;
      rows.push(row);
      row = [];
    }
  }
  if (row.length > 0) rows.push(row);
  return rows;
}

const NEEDS_QUOTES = /["\r\n]/;

/**
 * One field of CSV we write: text escaped against formula injection, quoted when it holds the
 * delimiter, a quote or a line break; numbers and booleans as they print; null and undefined empty.
 * @example csvField('=1+1') // "'=1+1"
 * @example csvField('a;b', ';') // '"a;b"'
 */
export function csvField(value: string | number | boolean | null | undefined, delimiter: CsvDelimiter = ','): string {
  if (value === null || value === undefined) return '';
  if (typeof value !== 'string') return String(value);
  const text = escapeCell(value);
  return NEEDS_QUOTES.test(text) || text.includes(delimiter) ? `"${text.replace(/"/g, '""')}"` : text;
}

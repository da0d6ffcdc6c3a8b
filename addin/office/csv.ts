// CSV in and out for browser mode. Spreadsheets in Bulgaria and Russia save ";"-separated,
// often in windows-1251; both are detected.
import { escapeCellText } from './a1';
import type { Matrix } from './types';

/** UTF-8 (with or without BOM) when the bytes are valid UTF-8, otherwise windows-1251. */
export function decodeText(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    return new TextDecoder('windows-1251').decode(bytes);
  }
}

/** The delimiter that splits the first line into the most fields, outside quotes. */
export function detectDelimiter(text: string): string {
  const firstLine = text.slice(0, Math.max(0, text.indexOf('\n')) || text.length);
  let best = ',';
  let bestCount = 0;
  for (const candidate of [',', ';', '\t']) {
    let count = 0;
    let quoted = false;
    for (const ch of firstLine) {
      if (ch === '"') quoted = !quoted;
      else if (!quoted && ch === candidate) count++;
    }
    if (count > bestCount) {
      best = candidate;
      bestCount = count;
    }
  }
  return best;
}

/** RFC 4180: quoted fields, doubled quotes, newlines inside quotes; CRLF or LF rows. */
export function parseCsv(input: string, delimiter = detectDelimiter(input)): Matrix {
  const text = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
  const rows: Matrix = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else field += ch;
    } else if (ch === '"' && field === '') quoted = true;
    else if (ch === delimiter) {
      row.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += ch;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  // Pad ragged rows so the result is rectangular, as a worksheet is.
  const width = Math.max(0, ...rows.map((r) => r.length));
  return rows.map((r) => (r.length < width ? [...r, ...Array<string>(width - r.length).fill('')] : r));
}

/** CSV text with every field escaped against formula injection and quoted when needed. */
export function toCsv(values: Matrix, delimiter = ','): string {
  return values
    .map((row) =>
      row
        .map((v) => {
          const text = v === null ? '' : String(escapeCellText(v));
          return /["\r\n]/.test(text) || text.includes(delimiter) ? `"${text.replace(/"/g, '""')}"` : text;
        })
        .join(delimiter),
    )
    .join('\r\n');
}

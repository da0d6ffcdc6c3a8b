/**
 * Names Excel is strict about: sheet names, table names and table column names. Excel refuses
 * (or "repairs", dropping the table) a workbook that breaks these rules, so every name we write
 * goes through one of these functions.
 */

// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL = /[\u0000-\u001f\u007f]/g;
const upper = (s: string) => s.toUpperCase();

/** Cuts a string to at most `max` UTF-16 units without splitting a surrogate pair. */
function cut(s: string, max: number): string {
  if (s.length <= max) return s;
  let out = s.slice(0, max);
  if (/[\ud800-\udbff]$/.test(out)) out = out.slice(0, -1);
  return out;
}

/** Shortens a title to a limit, at a word boundary when that keeps most of it. */
function shorten(s: string, max: number): string {
  if (s.length <= max) return s;
  const hard = cut(s, max);
  const space = hard.lastIndexOf(' ');
  return (space >= max / 2 ? hard.slice(0, space) : hard).replace(/[\s,.;:-]+$/, '');
}

/**
 * Makes sheet names valid and unique: at most 31 characters, none of `: \ / ? * [ ]`, not starting
 * or ending with an apostrophe, not empty, not Excel's reserved "History", unique ignoring case
 * (a clash gets " (2)", " (3)", ... within the 31 characters).
 * @example sheetNames(['Won/lost: Q4', 'won/lost: q4', '']) // ['Won-lost- Q4', 'won-lost- q4 (2)', 'Sheet3']
 */
export function sheetNames(wanted: string[]): string[] {
  const taken = new Set<string>();
  return wanted.map((raw, i) => {
    let base = raw
      .replace(CONTROL, ' ')
      .replace(/[:\\/?*[\]]/g, '-')
      .replace(/\s+/g, ' ')
      .trim()
      .replace(/^'+|'+$/g, '')
      .trim();
    if (!base || upper(base) === 'HISTORY') base = base ? `${base}_` : `Sheet${i + 1}`;
    base = shorten(base, 31);
    let name = base;
    for (let n = 2; taken.has(upper(name)); n++) {
      const suffix = ` (${n})`;
      name = cut(base, 31 - suffix.length).trimEnd() + suffix;
    }
    taken.add(upper(name));
    return name;
  });
}

/**
 * A valid table (defined) name: starts with a letter or underscore; then letters, digits, `_` and
 * `.`; not a cell reference such as `A1`, `XFD1` or `R1C1`, nor `R`/`C`/`TRUE`/`FALSE`; at most 255 characters.
 * `taken` holds the upper-cased names already used in the workbook; the result is added to it.
 * @example tableName('Won & lost', new Set()) // 'Won_lost'
 */
export function tableName(wanted: string, taken: Set<string>): string {
  let base = wanted
    .replace(/[^\p{L}\p{N}_.]+/gu, '_')
    .replace(/_+/g, '_')
    .replace(/^_+|_+$/g, '');
  if (!base) base = 'Table';
  if (!/^[\p{L}_]/u.test(base)) base = `_${base}`;
  // A1-style (up to 3 letters and a row) and R1C1-style references are reserved.
  if (/^[a-z]{1,3}\d+$/i.test(base) || /^(r\d*c?\d*|c\d*)$/i.test(base) || /^(true|false)$/i.test(base)) base = `_${base}`;
  base = cut(base, 240);
  let name = base;
  for (let n = 2; taken.has(upper(name)); n++) name = `${base}_${n}`;
  taken.add(upper(name));
  return name;
}

/**
 * Table column names: non-empty, single-line and unique ignoring case (the header cells must hold
 * exactly these texts).
 * @example columnNames(['Deals', 'deals', '']) // ['Deals', 'deals2', 'Column3']
 */
export function columnNames(wanted: string[]): string[] {
  const taken = new Set<string>();
  return wanted.map((raw, i) => {
    // `_xHHHH_` would be decoded in the table part's attribute but not in the header cell: break it.
    const clean = raw.replace(CONTROL, ' ').replace(/_x([0-9a-f]{4})_/gi, '_x$1 ');
    const base = cut(clean.replace(/\s+/g, ' ').trim(), 250) || `Column${i + 1}`;
    let name = base;
    for (let n = 2; taken.has(upper(name)); n++) name = `${base}${n}`;
    taken.add(upper(name));
    return name;
  });
}

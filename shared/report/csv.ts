import { csvField } from '../sheet/csv';
import type { WeeklyReport } from './definitions';

const quote = (v: string | number | null) => csvField(v);

/**
 * The report as CSV: UTF-8 with a BOM (so Excel reads Cyrillic), one block per section with its
 * title, header row and rows, text escaped against formula injection. Money is in minor units.
 */
export function reportToCsv(report: WeeklyReport): string {
  const lines: string[] = [];
  for (const s of report.sections) {
    lines.push(quote(s.title));
    lines.push(s.columns.map((c) => quote(c.label)).join(','));
    for (const row of s.rows) lines.push(row.map(quote).join(','));
    lines.push('');
  }
  return '\uFEFF' + lines.join('\r\n');
}

/** How a CSV column's values are written: each in one invariant form Power Query can type. */
export type CsvColumnType = 'text' | 'int' | 'number' | 'money' | 'percent' | 'date' | 'datetime' | 'days' | 'bool';

export interface CsvColumn {
  header: string;
  type: CsvColumnType;
}

/** Minor units as an exact decimal in major units, two places: -123456 -> "-1234.56". */
export function minorToMajor(minor: number): string {
  const abs = Math.abs(Math.trunc(minor));
  return `${minor < 0 ? '-' : ''}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

function typed(type: CsvColumnType, v: string | number | boolean | null | undefined): string {
  if (v === null || v === undefined || v === '') return '';
  switch (type) {
    case 'money':
      return typeof v === 'number' ? minorToMajor(v) : quote(String(v));
    case 'date':
      return typeof v === 'string' ? v.slice(0, 10) : quote(String(v));
    case 'bool':
      return v === true || v === 1 ? 'true' : 'false';
    case 'int':
    case 'number':
    case 'percent':
    case 'days':
      return typeof v === 'number' && Number.isFinite(v) ? String(v) : quote(String(v));
    default:
      return quote(typeof v === 'boolean' ? String(v) : v);
  }
}

/**
 * A flat table as CSV for Power Query and spreadsheets: UTF-8 with a BOM, one header row naming
 * every column, then one line per row, nothing else. Values are typed the same way in every row:
 * amounts in major units with a dot ("1234.50", their currency in its own column), rates as
 * fractions, dates as ISO 8601 ("2026-07-01"), instants as ISO 8601 in UTC, text escaped against
 * formula injection.
 *
 * @example csvTable([{ header: 'Amount', type: 'money' }, { header: 'Currency', type: 'text' }], [[123450, 'BGN']])
 * // "\uFEFFAmount,Currency\r\n1234.50,BGN\r\n"
 */
export function csvTable(columns: CsvColumn[], rows: ReadonlyArray<ReadonlyArray<string | number | boolean | null | undefined>>): string {
  const lines = [columns.map((c) => quote(c.header)).join(',')];
  for (const row of rows) lines.push(columns.map((c, i) => typed(c.type, row[i])).join(','));
  return '\uFEFF' + lines.join('\r\n') + '\r\n';
}

/** One section of the weekly report as its own flat table (see csvTable). */
export function sectionToCsv(section: WeeklyReport['sections'][number]): string {
  return csvTable(
    section.columns.map((c) => ({ header: c.label, type: c.type })),
    section.rows,
  );
}

import { escapeCell } from '../sheet/escape';
import type { WeeklyReport } from './definitions';

const quote = (v: string | number | null) => {
  if (v === null) return '';
  if (typeof v === 'number') return String(v);
  const s = escapeCell(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

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

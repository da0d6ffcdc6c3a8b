/**
 * Formula-injection guard for text written to cells or exported to CSV/XLSX: a value that a
 * spreadsheet would read as a formula (= + - @, or a leading tab or carriage return that some
 * programs strip before evaluating) gets a leading apostrophe, which Excel shows as text.
 */

const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * Escapes a cell value; numbers, booleans, dates and null pass untouched.
 * @example escapeCell('=HYPERLINK("http://x")') // "'=HYPERLINK(\"http://x\")"
 * @example escapeCell(-12.5) // -12.5
 */
export function escapeCell(value: string): string;
export function escapeCell<T>(value: T): T | string;
export function escapeCell<T>(value: T): T | string {
  return typeof value === 'string' && FORMULA_START.test(value) ? `'${value}` : value;
}

/**
 * What a whole sheet tells about each of its rows: the country its phone numbers are written for
 * (from the numbers written with a country code and the country column), the order of day and
 * month in its dates, and which rows below the header are not records at all (totals, a 1C
 * folder, a report's footer).
 */
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { countryOf } from './countries';
import { localCurrency } from './currencies';
import { foldWord } from './text';
import { cellText, type DateOrder } from './values';
import type { HeaderMapping } from './map-headers';
import type { CanonicalField, Cell } from './types';

export interface SheetContext {
  /** The country most of the sheet's numbers and rows belong to, or null when nothing shows one. */
  country: string | null;
  /** Every country the sheet shows, most frequent first: national numbers are also tried for these. */
  countries: string[];
  /** DMY unless a date only reads month-first (13/11 settles it), or the sheet is American. */
  dateOrder: DateOrder;
  /**
   * The currency of amounts that name none, when the organisation has not set one: the one the
   * sheet's country pays in (its numbers' or rows' country, else its headers' language: ru -> RU).
   */
  currency: string | null;
}

const PHONE_FIELDS: CanonicalField[] = ['phone', 'mobile', 'fax'];
const DATE_FIELDS: CanonicalField[] = ['createdAt', 'expectedCloseDate', 'issuedOn', 'dueOn', 'paidOn'];
const INTERNATIONAL = /^\s*(?:\+|00)\s*[1-9]/;
const NUMERIC_DATE = /^(\d{1,2})[./-](\d{1,2})[./-](\d{2}|\d{4})(?:\D|$)/;
// Enough rows to see the pattern; a sheet of 100,000 rows is not read twice.
const SAMPLE_ROWS = 2000;

/**
 * Reads the sheet-wide facts from its data rows.
 * @example inferSheetContext([['Phone'], ['+44 20 7946 0606'], ['020 7946 0607']], mapping).country // 'GB'
 */
export function inferSheetContext(rows: readonly (readonly Cell[])[], mapping: HeaderMapping): SheetContext {
  const counts = new Map<string, number>();
  const bump = (c: string | null | undefined, by = 1) => c && counts.set(c, (counts.get(c) ?? 0) + by);
  const cols = (fields: CanonicalField[]) => mapping.columns.filter((c) => c.field && fields.includes(c.field)).map((c) => c.index);
  const phoneCols = cols(PHONE_FIELDS);
  const dateCols = cols(DATE_FIELDS);
  const countryCol = mapping.columns.find((c) => c.field === 'country')?.index;
  let dmy = 0;
  let mdy = 0;
  const end = Math.min(rows.length, mapping.headerRow + 1 + SAMPLE_ROWS);
  for (let r = mapping.headerRow + 1; r < end; r++) {
    const row = rows[r];
    if (!row) continue;
    if (countryCol !== undefined) bump(countryOf(cellText(row[countryCol])));
    for (const c of phoneCols) {
      const text = cellText(row[c]);
      if (!INTERNATIONAL.test(text)) continue;
      const parsed = parsePhoneNumberFromString(text.replace(/^\s*00/, '+').split(/[,;]/)[0]!);
      // A number written for the world counts twice a country cell: it is the number's own country.
      if (parsed?.country) bump(parsed.country, 2);
    }
    for (const c of dateCols) {
      const m = NUMERIC_DATE.exec(cellText(row[c]));
      if (!m) continue;
      const a = Number(m[1]);
      const b = Number(m[2]);
      if (a > 12 && b <= 12) dmy++;
      else if (b > 12 && a <= 12) mdy++;
    }
  }
  const countries = [...counts].sort((a, b) => b[1] - a[1]).map(([c]) => c);
  const country = countries[0] ?? null;
  const dateOrder: DateOrder = mdy > 0 && dmy === 0 ? 'MDY' : dmy === 0 && mdy === 0 && country === 'US' ? 'MDY' : 'DMY';
  const home = country ?? (mapping.language === 'ru' ? 'RU' : mapping.language === 'bg' ? 'BG' : null);
  return { country, countries, dateOrder, currency: localCurrency(home) };
}

// A total row names itself in its first cells: "Итого", "Общо", "Total", "Grand Totals (23 records)".
const TOTAL =
  /^(?:итого|итог|всего|общо|всичко|разом|усього|всього|сума|сумма|total|totals|grand total|grand totals|subtotal|sum|gesamt|summe)(?:\s|$)/;

/**
 * The rows below the header that are not records: totals, folder rows of a 1C list (a name and a
 * code where records have many cells), and a report's footer (one-cell lines after the last
 * record). They are neither imported nor reported as errors.
 * @example nonDataRows([['Фирма', 'Сума'], ['Акме', '10'], ['Общо', '10']], mapping) // Set { 2 }
 */
export function nonDataRows(rows: readonly (readonly Cell[])[], mapping: HeaderMapping): Set<number> {
  const out = new Set<number>();
  const mapped = mapping.columns.filter((c) => c.field).map((c) => c.index);
  const filled = (row: readonly Cell[] | undefined) => (row ? row.filter((v) => cellText(v) !== '').length : 0);
  const filledMapped = (row: readonly Cell[] | undefined) => (row ? mapped.filter((i) => cellText(row[i]) !== '').length : 0);
  const first = mapping.headerRow + 1;
  const sizes: number[] = [];
  for (let r = first; r < rows.length && sizes.length < SAMPLE_ROWS; r++) {
    const n = filledMapped(rows[r]);
    if (n > 0) sizes.push(n);
  }
  if (!sizes.length) return out;
  const median = [...sizes].sort((a, b) => a - b)[Math.floor(sizes.length / 2)]!;
  const identity = new Set(['externalId', 'company', 'fullName', 'dealTitle', 'notes', 'firstName', 'lastName']);
  let lastRecord = rows.length - 1;
  while (lastRecord >= first && filled(rows[lastRecord]) <= 1) lastRecord--;
  for (let r = first; r < rows.length; r++) {
    const row = rows[r];
    const n = filled(row);
    if (n === 0) continue;
    // A footer: one-cell lines after the last record of a wide sheet.
    if (r > lastRecord && mapped.length >= 4) {
      out.add(r);
      continue;
    }
    // A total names itself in its first cell and fills fewer cells than the records.
    const m = filledMapped(row);
    if (m >= median) continue;
    const lead = row!.slice(0, 4).find((v) => cellText(v) !== '');
    if (lead !== undefined && TOTAL.test(foldWord(cellText(lead)))) {
      out.add(r);
      continue;
    }
    // A folder of a hierarchical list: a name and its code, where records fill many more cells.
    if (median >= 5 && m <= 2 && n <= 2) {
      const fields = mapping.columns.filter((c) => c.field && cellText(row![c.index]) !== '').map((c) => c.field!);
      if (fields.every((f) => identity.has(f)) && fields.includes('externalId')) out.add(r);
    }
  }
  return out;
}

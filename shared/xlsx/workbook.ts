/**
 * A minimal SpreadsheetML (ECMA-376 / ISO 29500) writer: worksheets with typed columns, shared
 * strings, number formats, a bold header, column widths and real Excel tables with a totals row of
 * formulas. Pure TypeScript: runs in workerd, browsers and Node without dependencies (exceljs would
 * add ~300 KB gzip to the Worker).
 *
 * Every text cell goes through `escapeCell` and is written as a string cell, never as a formula,
 * so data cannot inject formulas. The only formulas are the totals we generate; they are written
 * without cached values and the workbook asks for a full recalculation on load.
 */
import { escapeCell } from '../sheet/escape';
import { columnNames, sheetNames, tableName } from './names';
import { attrEscape, columnLetter, ref, XML_HEADER, xmlEscape } from './xml';
import { zip, type ZipEntry } from './zip';

export type XlsxColumnType = 'text' | 'int' | 'money' | 'percent' | 'date' | 'days';

/**
 * A cell value. In a column of type
 * - `text`: a string (escaped against formula injection); a number is written as a plain number;
 * - `int`, `days`, `percent` (a fraction: 0.25 is 25%): a number;
 * - `money`: an integer amount in minor units (12345 is shown as 123.45);
 * - `date`: `YYYY-MM-DD` (or an ISO timestamp, whose date is taken) or a `Date`.
 * A string in a numeric column (or a date that does not parse) is written as escaped text;
 * `null`, `undefined`, `NaN` and infinities leave the cell empty.
 */
export type XlsxCell = string | number | boolean | Date | null | undefined;

export interface XlsxColumn {
  header: string;
  type: XlsxColumnType;
  /** Width in characters; by default from the header and the longest value (8 to 60). */
  width?: number;
}

export interface XlsxTable {
  /** Wanted table name; made valid and unique in the workbook (see `tableName`). */
  name: string;
  /** Per column: `true` puts `SUBTOTAL(109,Name[[Column]])` (sum of the visible rows) in a totals row. */
  totals?: boolean[];
  /** Text of the totals row's first cell when that column has no total. Default "Total". */
  totalsLabel?: string;
  /** A built-in table style. Default "TableStyleMedium2". */
  style?: string;
}

export interface XlsxSheet {
  /** Wanted sheet name; made valid and unique (see `sheetNames`). */
  name: string;
  /** Free rows above the header row (titles, key/value lines); cells typed by their JS type. */
  intro?: XlsxCell[][];
  columns: XlsxColumn[];
  rows: XlsxCell[][];
  /** Makes the header, rows (and totals) an Excel table with a filter. */
  table?: XlsxTable;
}

export interface XlsxWorkbook {
  sheets: XlsxSheet[];
  /** Document properties; `created` also dates the ZIP entries (default: now). */
  title?: string;
  creator?: string;
  created?: Date;
}

// Number formats: built-in 0 (General) and 1 ("0"), then custom ids from 164 (ECMA-376 18.8.30).
const FORMATS: { id: number; code?: string }[] = [
  { id: 0 },
  { id: 1 },
  { id: 164, code: '#,##0.00' },
  { id: 165, code: '0.0%' },
  { id: 166, code: 'yyyy-mm-dd' },
];
type Fmt = 0 | 1 | 2 | 3 | 4; // index into FORMATS
const FMT_OF: Record<XlsxColumnType, Fmt> = { text: 0, int: 1, money: 2, percent: 3, date: 4, days: 0 };
/** cellXfs index: regular formats first, then the same formats in bold. */
const style = (fmt: Fmt, bold = false) => (bold ? FORMATS.length : 0) + fmt;

const DAY_MS = 86_400_000;
// Serial 0 is 1899-12-30 in the 1900 date system: this matches Excel for dates from 1900-03-01 on
// (Excel counts a 1900-02-29 that never was).
const EPOCH_MS = Date.UTC(1899, 11, 30);

/**
 * The spreadsheet serial number of a date: days since 1899-12-30, time as a fraction.
 * Answers null for a string that is not a real `YYYY-MM-DD` date (optionally followed by a time,
 * which is ignored).
 * @example excelDateSerial('2026-11-23') // 46349
 */
export function excelDateSerial(value: Date | string): number | null {
  if (value instanceof Date) {
    const t = value.getTime();
    return Number.isFinite(t) ? (t - EPOCH_MS) / DAY_MS : null;
  }
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:$|[T ])/.exec(value);
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const t = Date.UTC(y, mo - 1, d);
  const back = new Date(t);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d) return null;
  return (t - EPOCH_MS) / DAY_MS;
}

class SharedStrings {
  private index = new Map<string, number>();
  private list: string[] = [];
  count = 0;
  add(s: string): number {
    this.count++;
    let i = this.index.get(s);
    if (i === undefined) {
      i = this.list.push(s) - 1;
      this.index.set(s, i);
    }
    return i;
  }
  xml(): string {
    const items = this.list.map((s) => `<si><t${/^\s|\s$|[\t\n\r]/.test(s) ? ' xml:space="preserve"' : ''}>${xmlEscape(s)}</t></si>`);
    return `${XML_HEADER}<sst xmlns="${NS_MAIN}" count="${this.count}" uniqueCount="${this.list.length}">${items.join('')}</sst>`;
  }
}

const NS_MAIN = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const NS_R = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const NS_PKG_REL = 'http://schemas.openxmlformats.org/package/2006/relationships';
const REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const CT = 'application/vnd.openxmlformats-officedocument.spreadsheetml';

/** Cell XML for one value, or '' for an empty cell. `fmt` is the column's format. */
function cellXml(r: string, value: XlsxCell, type: XlsxColumnType | null, sst: SharedStrings, bold = false): string {
  if (value === null || value === undefined) return '';
  const text = (s: string) => `<c r="${r}" s="${style(0, bold)}" t="s"><v>${sst.add(escapeCell(s))}</v></c>`;
  const num = (n: number, fmt: Fmt) => (Number.isFinite(n) ? `<c r="${r}" s="${style(fmt, bold)}"><v>${n}</v></c>` : '');
  if (typeof value === 'boolean') return `<c r="${r}" s="${style(0, bold)}" t="b"><v>${value ? 1 : 0}</v></c>`;
  if (value instanceof Date) {
    const serial = excelDateSerial(value);
    return serial === null ? '' : num(serial, 4);
  }
  if (type === 'date') {
    if (typeof value === 'number') return num(value, 4);
    const serial = excelDateSerial(value);
    return serial === null ? text(value) : num(serial, 4);
  }
  if (typeof value === 'string') return text(value);
  if (type === 'money') return num(value / 100, 2);
  return num(value, type ? FMT_OF[type] : 0);
}

/** A column name inside a structured reference: `'`, `#`, `[` and `]` are escaped with `'`. */
const structuredName = (name: string) => name.replace(/['#[\]]/g, "'$&");

/** Display length of a value, for column widths. */
function displayLength(value: XlsxCell, type: XlsxColumnType): number {
  if (value === null || value === undefined) return 0;
  if (type === 'date' || value instanceof Date) return 10;
  if (typeof value === 'number') {
    if (type === 'money') return (value / 100).toFixed(2).length + Math.floor(String(Math.trunc(Math.abs(value / 100))).length / 3);
    if (type === 'percent') return (value * 100).toFixed(1).length + 1;
    return String(value).length;
  }
  return String(value).length;
}

interface BuiltSheet {
  name: string;
  xml: string;
  table: { xml: string } | null;
}

function buildSheet(sheet: XlsxSheet, name: string, sst: SharedStrings, tableId: number, tableNames: Set<string>): BuiltSheet {
  const intro = sheet.intro ?? [];
  const cols = sheet.columns;
  const headers = columnNames(cols.map((c) => escapeCell(c.header)));
  const headerRow = intro.length + 1;
  const rowsXml: string[] = [];
  let maxCol = cols.length - 1;

  intro.forEach((cells, i) => {
    maxCol = Math.max(maxCol, cells.length - 1);
    const r = i + 1;
    rowsXml.push(`<row r="${r}">${cells.map((v, c) => cellXml(ref(c, r), v, null, sst, i === 0)).join('')}</row>`);
  });

  if (cols.length)
    rowsXml.push(
      `<row r="${headerRow}">${headers.map((h, c) => `<c r="${ref(c, headerRow)}" s="${style(0, true)}" t="s"><v>${sst.add(h)}</v></c>`).join('')}</row>`,
    );
  sheet.rows.forEach((cells, i) => {
    const r = headerRow + 1 + i;
    // Cells beyond the declared columns are dropped: a table's rows are exactly its columns wide.
    rowsXml.push(`<row r="${r}">${cols.map((col, c) => cellXml(ref(c, r), cells[c], col.type, sst)).join('')}</row>`);
  });

  // A table needs at least one data row: an empty table keeps one blank row.
  const dataRows = Math.max(sheet.rows.length, 1);
  const lastData = headerRow + dataRows;
  const totals = sheet.table && cols.length ? cols.map((_, c) => sheet.table!.totals?.[c] === true) : [];
  const hasTotals = totals.some(Boolean);
  const totalsRow = lastData + 1;
  const tname = sheet.table && cols.length ? tableName(sheet.table.name, tableNames) : '';
  // Excel's "Sum" total: SUBTOTAL(109, ...) sums the visible rows, and a structured reference
  // follows the table as rows are added. Qualified with the table's name and in double brackets,
  // the form both Excel and LibreOffice read for any column name (LibreOffice 7.4 cannot read
  // the short `[Column]` form Excel shows inside the table).
  const formulas = totals.map((t, c) => (t ? `SUBTOTAL(109,${tname}[[${structuredName(headers[c]!)}]])` : null));
  const label = escapeCell(sheet.table?.totalsLabel ?? 'Total');
  if (hasTotals) {
    const cells = cols.map((col, c) => {
      const f = formulas[c];
      // No <v>: the spreadsheet computes the total (fullCalcOnLoad below).
      if (f) return `<c r="${ref(c, totalsRow)}" s="${style(FMT_OF[col.type], true)}"><f>${xmlEscape(f)}</f></c>`;
      if (c === 0) return `<c r="${ref(0, totalsRow)}" s="${style(0, true)}" t="s"><v>${sst.add(label)}</v></c>`;
      return '';
    });
    rowsXml.push(`<row r="${totalsRow}">${cells.join('')}</row>`);
  }

  const lastRow = cols.length ? (sheet.table ? (hasTotals ? totalsRow : lastData) : headerRow + sheet.rows.length) : intro.length;
  const widths = cols.map((col, c) => {
    if (col.width) return col.width;
    let w = headers[c]!.length + (sheet.table ? 3 : 1); // room for the filter button
    for (const row of sheet.rows) w = Math.max(w, displayLength(row[c], col.type) + 1);
    for (const row of intro) if (typeof row[c] === 'string' && c > 0) w = Math.max(w, (row[c] as string).length + 1);
    return Math.min(60, Math.max(8, w));
  });
  const colsXml = widths.length
    ? `<cols>${widths.map((w, c) => `<col min="${c + 1}" max="${c + 1}" width="${Math.round(w * 100) / 100}" customWidth="1"/>`).join('')}</cols>`
    : '';
  // Keep the header in view when it is the first row.
  const pane = cols.length && !intro.length ? `<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>` : '';
  const dimension = lastRow >= 1 && maxCol >= 0 ? `A1:${ref(maxCol, lastRow)}` : 'A1';

  let table: BuiltSheet['table'] = null;
  if (sheet.table && cols.length) {
    const tableRef = `A${headerRow}:${columnLetter(cols.length - 1)}${hasTotals ? totalsRow : lastData}`;
    const tcols = headers.map((h, c) => {
      const f = formulas[c];
      if (f) return `<tableColumn id="${c + 1}" name="${attrEscape(h)}" totalsRowFunction="sum"/>`;
      if (hasTotals && c === 0) return `<tableColumn id="${c + 1}" name="${attrEscape(h)}" totalsRowLabel="${attrEscape(label)}"/>`;
      return `<tableColumn id="${c + 1}" name="${attrEscape(h)}"/>`;
    });
    table = {
      xml:
        `${XML_HEADER}<table xmlns="${NS_MAIN}" id="${tableId}" name="${attrEscape(tname)}" displayName="${attrEscape(tname)}" ref="${tableRef}"${hasTotals ? ' totalsRowCount="1"' : ''}>` +
        `<autoFilter ref="A${headerRow}:${columnLetter(cols.length - 1)}${lastData}"/>` +
        `<tableColumns count="${cols.length}">${tcols.join('')}</tableColumns>` +
        `<tableStyleInfo name="${attrEscape(sheet.table.style ?? 'TableStyleMedium2')}" showFirstColumn="0" showLastColumn="0" showRowStripes="1" showColumnStripes="0"/>` +
        `</table>`,
    };
  }

  const xml =
    `${XML_HEADER}<worksheet xmlns="${NS_MAIN}" xmlns:r="${NS_R}">` +
    `<dimension ref="${dimension}"/>` +
    `<sheetViews><sheetView workbookViewId="0">${pane}</sheetView></sheetViews>` +
    `<sheetFormatPr defaultRowHeight="15"/>` +
    colsXml +
    `<sheetData>${rowsXml.join('')}</sheetData>` +
    `<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>` +
    (table ? `<tableParts count="1"><tablePart r:id="rId1"/></tableParts>` : '') +
    `</worksheet>`;
  return { name, xml, table };
}

function stylesXml(): string {
  const custom = FORMATS.filter((f) => f.code);
  const font = (bold: boolean) =>
    `<font>${bold ? '<b/>' : ''}<sz val="11"/><color theme="1"/><name val="Calibri"/><family val="2"/><scheme val="minor"/></font>`;
  const xfs = [false, true].flatMap((bold) =>
    FORMATS.map(
      (f) =>
        `<xf numFmtId="${f.id}" fontId="${bold ? 1 : 0}" fillId="0" borderId="0" xfId="0"${f.id ? ' applyNumberFormat="1"' : ''}${bold ? ' applyFont="1"' : ''}/>`,
    ),
  );
  return (
    `${XML_HEADER}<styleSheet xmlns="${NS_MAIN}">` +
    `<numFmts count="${custom.length}">${custom.map((f) => `<numFmt numFmtId="${f.id}" formatCode="${attrEscape(f.code!)}"/>`).join('')}</numFmts>` +
    `<fonts count="2">${font(false)}${font(true)}</fonts>` +
    `<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>` +
    `<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>` +
    `<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>` +
    `<cellXfs count="${xfs.length}">${xfs.join('')}</cellXfs>` +
    `<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>` +
    `<dxfs count="0"/><tableStyles count="0" defaultTableStyle="TableStyleMedium2" defaultPivotStyle="PivotStyleLight16"/>` +
    `</styleSheet>`
  );
}

const rels = (items: { id: string; type: string; target: string }[]) =>
  `${XML_HEADER}<Relationships xmlns="${NS_PKG_REL}">${items.map((r) => `<Relationship Id="${r.id}" Type="${r.type}" Target="${r.target}"/>`).join('')}</Relationships>`;

/** W3CDTF without milliseconds, as Office writes it. */
const w3c = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, 'Z');

/**
 * Writes a workbook as XLSX bytes.
 *
 * @example
 * const bytes = await writeXlsx({
 *   sheets: [{
 *     name: 'Won deals',
 *     columns: [
 *       { header: 'Client', type: 'text' },
 *       { header: 'Closed', type: 'date' },
 *       { header: 'Value', type: 'money' },
 *     ],
 *     rows: [['Алфа ООД', '2026-11-19', 120000], ['=cmd', '2026-11-20', 5050]], // '=cmd' is stored as "'=cmd"
 *     table: { name: 'WonDeals', totals: [false, false, true] }, // totals row: SUBTOTAL(109,WonDeals[[Value]])
 *   }],
 * });
 * // new Response(bytes, { headers: { 'content-type': XLSX_CONTENT_TYPE } })
 */
export async function writeXlsx(workbook: XlsxWorkbook): Promise<Uint8Array<ArrayBuffer>> {
  const created = workbook.created ?? new Date();
  const names = sheetNames(workbook.sheets.map((s) => s.name));
  const sst = new SharedStrings();
  const tableNames = new Set<string>();
  let tableCount = 0;
  const built = workbook.sheets.map((s, i) => buildSheet(s, names[i]!, sst, s.table && s.columns.length ? ++tableCount : 0, tableNames));
  if (!built.length) throw new RangeError('writeXlsx: a workbook needs at least one sheet');

  const enc = new TextEncoder();
  const entries: ZipEntry[] = [];
  const add = (path: string, xml: string) => entries.push({ path, data: enc.encode(xml) });

  const overrides: [string, string][] = [
    ['/xl/workbook.xml', `${CT}.sheet.main+xml`],
    ...built.map((_, i): [string, string] => [`/xl/worksheets/sheet${i + 1}.xml`, `${CT}.worksheet+xml`]),
    ...Array.from({ length: tableCount }, (_, i): [string, string] => [`/xl/tables/table${i + 1}.xml`, `${CT}.table+xml`]),
    ['/xl/styles.xml', `${CT}.styles+xml`],
    ['/xl/sharedStrings.xml', `${CT}.sharedStrings+xml`],
    ['/docProps/core.xml', 'application/vnd.openxmlformats-package.core-properties+xml'],
    ['/docProps/app.xml', 'application/vnd.openxmlformats-officedocument.extended-properties+xml'],
  ];
  add(
    '[Content_Types].xml',
    `${XML_HEADER}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
      `<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>` +
      overrides.map(([p, t]) => `<Override PartName="${p}" ContentType="${t}"/>`).join('') +
      `</Types>`,
  );
  add(
    '_rels/.rels',
    rels([
      { id: 'rId1', type: `${REL}/officeDocument`, target: 'xl/workbook.xml' },
      { id: 'rId2', type: `${NS_PKG_REL}/metadata/core-properties`, target: 'docProps/core.xml' },
      { id: 'rId3', type: `${REL}/extended-properties`, target: 'docProps/app.xml' },
    ]),
  );
  add(
    'docProps/core.xml',
    `${XML_HEADER}<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">` +
      (workbook.title ? `<dc:title>${xmlEscape(workbook.title)}</dc:title>` : '') +
      `<dc:creator>${xmlEscape(workbook.creator ?? 'Leadpane')}</dc:creator>` +
      `<dcterms:created xsi:type="dcterms:W3CDTF">${w3c(created)}</dcterms:created><dcterms:modified xsi:type="dcterms:W3CDTF">${w3c(created)}</dcterms:modified>` +
      `</cp:coreProperties>`,
  );
  add(
    'docProps/app.xml',
    `${XML_HEADER}<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"><Application>Leadpane</Application></Properties>`,
  );
  add(
    'xl/workbook.xml',
    `${XML_HEADER}<workbook xmlns="${NS_MAIN}" xmlns:r="${NS_R}">` +
      `<workbookPr/><bookViews><workbookView activeTab="0"/></bookViews>` +
      `<sheets>${built.map((s, i) => `<sheet name="${attrEscape(s.name)}" sheetId="${i + 1}" r:id="rId${i + 1}"/>`).join('')}</sheets>` +
      // Formulas carry no cached values: ask the application to compute everything on open.
      `<calcPr calcId="191029" fullCalcOnLoad="1"/>` +
      `</workbook>`,
  );
  add(
    'xl/_rels/workbook.xml.rels',
    rels([
      ...built.map((_, i) => ({ id: `rId${i + 1}`, type: `${REL}/worksheet`, target: `worksheets/sheet${i + 1}.xml` })),
      { id: `rId${built.length + 1}`, type: `${REL}/styles`, target: 'styles.xml' },
      { id: `rId${built.length + 2}`, type: `${REL}/sharedStrings`, target: 'sharedStrings.xml' },
    ]),
  );
  let t = 0;
  built.forEach((s, i) => {
    add(`xl/worksheets/sheet${i + 1}.xml`, s.xml);
    if (s.table) {
      t++;
      add(`xl/worksheets/_rels/sheet${i + 1}.xml.rels`, rels([{ id: 'rId1', type: `${REL}/table`, target: `../tables/table${t}.xml` }]));
      add(`xl/tables/table${t}.xml`, s.table.xml);
    }
  });
  add('xl/styles.xml', stylesXml());
  add('xl/sharedStrings.xml', sst.xml());
  return zip(entries, { date: created });
}

/** The media type of an XLSX file. */
export const XLSX_CONTENT_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

// The host capabilities the panes use. addin/office/ is the only code that touches Office.js;
// everything else receives one of these interfaces, implemented either over Office.js or, in a
// plain browser tab and in tests, over an opened file (.eml, .xlsx, .csv).

/** One cell as Excel answers it through `range.values`. */
export type CellValue = string | number | boolean | null;
/** A rectangular block of cells, row by row. */
export type Matrix = CellValue[][];

/** A block read from a sheet together with where it came from. */
export interface RangeRead {
  sheet: string;
  /** A1 address without the sheet name, e.g. "A1:L200"; "" when the sheet is empty. */
  address: string;
  values: Matrix;
}

export interface WriteOptions {
  /** Strings are escaped against formula injection unless this is true (formulas on purpose). */
  allowFormulas?: boolean;
  /** Called after each chunk with the rows written so far. */
  onProgress?: (rowsWritten: number, totalRows: number) => void;
}

export interface WriteResult {
  /** The address written, e.g. "A1:L10001". */
  address: string;
  /** How many chunks (and so how many syncs) the write took. */
  chunks: number;
}

export type ChartKind = 'column' | 'bar' | 'line' | 'pie';

/** Where a patch finds a table row: by the key in its key column, or (a row without a key yet) by its cells. */
export type RowTarget = { key: string } | { row: number; match: CellValue[] };

/**
 * A change to an Excel table made in one go (two or three syncs in Office whatever its size), safe
 * against the user typing meanwhile: rows are found by their key, not by where they were when
 * read, and a cell or row that no longer holds what the caller read is left alone and reported.
 */
export interface TablePatch {
  /** Column (0-based, within the table) holding each row's key, e.g. a hidden id column. */
  keyColumn: number;
  /**
   * Cells to set. `col` counts from the table's first column and may lie to the right of the
   * table (a column the caller keeps beside it). With `expect`, only when the cell still holds it.
   */
  set?: Array<{ at: RowTarget; col: number; value: CellValue; expect?: CellValue }>;
  /** Whole rows to delete; with `expect`, only when the row's first cells still hold those values. */
  remove?: Array<{ key: string; expect?: CellValue[] }>;
  /** Rows to add at the end of the table; cells past the table's last column go beside it, on the row's line. */
  append?: Matrix;
}

export interface TablePatchResult {
  /** Cells left alone because they changed since the caller read them (or their row is gone). */
  skippedCells: Array<{ at: RowTarget; col: number }>;
  /** Keys of rows left in place because they changed since the caller read them (or are gone). */
  skippedRows: string[];
}

export type SheetVisibility = 'visible' | 'hidden' | 'veryHidden';

export interface ExcelHost {
  readonly kind: 'office' | 'browser';
  listWorksheets(): Promise<string[]>;
  /** The sheet the user looks at. */
  activeWorksheet(): Promise<string>;
  /** A range by address on a sheet (the active sheet when `sheet` is null). */
  readRange(sheet: string | null, address: string): Promise<RangeRead>;
  /** The user's current selection. */
  readSelection(): Promise<RangeRead>;
  /** Everything that holds a value on a sheet (the active sheet when omitted). */
  readUsedRange(sheet?: string): Promise<RangeRead>;
  /**
   * An Excel table by name: its header row and body rows; with `beside`, that many columns to the
   * right of the table come along on each row (a column the caller keeps next to the table).
   */
  readTable(name: string, options?: { beside?: number }): Promise<{ sheet: string; headers: string[]; rows: Matrix }>;
  listTables(): Promise<Array<{ name: string; sheet: string }>>;
  /**
   * Writes a 2-D block whose top-left cell is `topLeft` (e.g. "A1"), in chunks under 2 MB
   * with one sync per chunk. Rows must all have the same length.
   */
  writeValues(sheet: string, topLeft: string, values: Matrix, options?: WriteOptions): Promise<WriteResult>;
  /** Adds a worksheet; with `replace`, an existing sheet of that name is replaced by an empty one. */
  addWorksheet(name: string, options?: { replace?: boolean; activate?: boolean }): Promise<void>;
  /** Turns `address` (headers in the first row) into an Excel table; answers the table's name. */
  createTable(sheet: string, address: string, options?: { name?: string; style?: string }): Promise<string>;
  addChart(sheet: string, sourceAddress: string, options: { kind: ChartKind; title?: string; name?: string }): Promise<void>;
  /** Hides or shows whole columns, e.g. "M:N". */
  setColumnsHidden(sheet: string, columns: string, hidden: boolean): Promise<void>;
  /** Sets cells, deletes and appends rows of a table by row key; see TablePatch. */
  patchTable(name: string, patch: TablePatch): Promise<TablePatchResult>;
  /** Shows or hides a worksheet; a very hidden sheet cannot be unhidden from Excel's menus. */
  setWorksheetVisibility(name: string, visibility: SheetVisibility): Promise<void>;
  /** An in-cell drop-down of allowed values on a range (Excel's list data validation). */
  setListValidation(sheet: string, address: string, values: string[]): Promise<void>;
}

export interface MailAddress {
  name: string;
  email: string;
}

export interface MailAttachmentInfo {
  id: string;
  name: string;
  contentType: string;
  size: number;
  isInline: boolean;
}

export interface MailItem {
  /** Outlook's item id (EWS format), or a synthetic id for a dropped .eml. */
  id: string | null;
  internetMessageId: string | null;
  conversationId: string | null;
  subject: string;
  from: MailAddress | null;
  to: MailAddress[];
  cc: MailAddress[];
  date: Date | null;
  attachments: MailAttachmentInfo[];
}

export type AttachmentContent =
  | { kind: 'file'; contentType: string; base64: string }
  | { kind: 'eml'; text: string }
  | { kind: 'icalendar'; text: string }
  | { kind: 'url'; url: string };

export interface MailHost {
  readonly kind: 'office' | 'browser';
  /** The message the user has open, or null when none is (pinned pane between items). */
  currentItem(): Promise<MailItem | null>;
  /** The current message's body as plain text or HTML (sanitise HTML before showing it). */
  getBody(format: 'text' | 'html'): Promise<string>;
  getAttachmentContent(id: string): Promise<AttachmentContent>;
  /** Calls `listener` whenever the open message changes; answers a function that unsubscribes. */
  onItemChanged(listener: () => void): Promise<() => void>;
}

/** A small string store; the Office implementation prefixes keys with `Office.context.partitionKey`. */
export interface KeyValueStorage {
  get(key: string): string | null;
  set(key: string, value: string): void;
  remove(key: string): void;
}

export type ThemeName = 'light' | 'dark';

export interface HostInfo {
  /** office: inside Excel/Outlook; browser: a plain tab; test: scripted hosts from a fixture. */
  readonly mode: 'office' | 'browser' | 'test';
  /** Office's host application, or null outside Office. */
  readonly application: 'excel' | 'outlook' | null;
  /** BCP 47 tag of the UI language (Office's display language inside Office). */
  displayLanguage(): string;
  theme(): ThemeName;
  /** Answers a function that unsubscribes. */
  onThemeChanged(listener: (theme: ThemeName) => void): () => void;
  /** The partition key Office gives add-ins on the web (per user and origin), if any. */
  readonly partitionKey: string | null;
  /** Storage partitioned by `partitionKey`. */
  readonly storage: KeyValueStorage;
  /** Why Office.js could not be used although the page looked like it ran inside Office. */
  readonly officeLoadError: string | null;
}

/** What a pane receives at start: host information and the host of its application. */
export interface HostBundle {
  info: HostInfo;
  excel?: ExcelHost;
  mail?: MailHost;
  /** Settles when a scripted host has loaded its fixture. */
  ready?: Promise<void>;
}

/**
 * A scripted host for tests, set on `window.__LEADPANE_TEST_HOST__` before the page loads.
 * The pane then runs on the browser-mode adapters loaded with this fixture, and exposes them on
 * `window.__leadpaneHost` so the test can read back what the pane wrote.
 */
export interface TestHostFixture {
  language?: string;
  theme?: ThemeName;
  partitionKey?: string;
  /** Seeds the stored personal token (skips the sign-in screen). */
  token?: string;
  /** Outlook: the raw RFC 822 text of the open message. */
  eml?: string;
  /** Excel: the workbook's sheets, in order; the first one is active. */
  workbook?: { sheets: Record<string, Matrix>; selection?: { sheet: string; address: string } };
}

/**
 * Reading the XML parts of an .xlsx (SpreadsheetML, ECMA-376 part 1 §18) as text arrives: the
 * worksheet's rows one at a time, the shared-strings table, the styles that make a number a date,
 * and the workbook's first sheet. Only what an import reads: values, not formats or formulas.
 * Pure and platform-free: the caller inflates the zip entries and feeds the text in pieces.
 */

export type SheetCell = string | number | boolean | Date | null;

const ENTITY: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/**
 * XML character data with its entities decoded.
 * @example xmlText('Smith &amp; Sons &#8212; Ltd') // 'Smith & Sons — Ltd'
 */
export function xmlText(raw: string): string {
  if (raw.indexOf('&') < 0) return raw;
  return raw.replace(/&(#x[0-9a-fA-F]+|#\d+|\w+);/g, (m, e: string) => {
    if (e[0] === '#') return String.fromCodePoint(e[1] === 'x' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10));
    return ENTITY[e] ?? m;
  });
}

/** An attribute's value in a start tag's text, or null. */
function attr(tag: string, name: string): string | null {
  return attrIn(tag, 0, tag.length, name);
}

/** An attribute's value in the start tag that runs from `from` to `to` in `text`: no copy of the tag is made. */
function attrIn(text: string, from: number, to: number, name: string): string | null {
  const at = text.indexOf(` ${name}="`, from);
  if (at < 0 || at >= to) return null;
  const start = at + name.length + 3;
  return text.slice(start, text.indexOf('"', start));
}

/**
 * The zero-based column of a cell reference.
 * @example columnIndex('AB12') // 27
 */
export function columnIndex(ref: string): number {
  let n = 0;
  for (let i = 0; i < ref.length; i++) {
    const c = ref.charCodeAt(i);
    if (c < 65 || c > 90) break;
    n = n * 26 + (c - 64);
  }
  return n - 1;
}

/** A string with its own characters (V8 keeps a long slice as a view of the string it was cut from). */
function copy(s: string): string {
  return s.length > 12 ? (JSON.parse(JSON.stringify(s)) as string) : s;
}

/** The text of every <t> inside a string item (<si> or <is>): runs of rich text joined. */
function runsText(xml: string): string {
  let out = '';
  for (let at = xml.indexOf('<t'); at >= 0; at = xml.indexOf('<t', at + 2)) {
    const next = xml.charCodeAt(at + 2);
    // <t> or <t xml:space="preserve">, not <tab/> or another element starting with t
    if (next !== 62 && next !== 32) continue;
    const open = xml.indexOf('>', at);
    if (xml.charCodeAt(open - 1) === 47) continue; // <t/>
    const close = xml.indexOf('</t>', open);
    out += xmlText(xml.slice(open + 1, close));
  }
  return out;
}

/** Excel's date serial (days since 1899-12-30, with its 1900 leap-year quirk) as a UTC date. */
export function serialToDate(serial: number): Date {
  return new Date(Math.round((serial - 25_569) * 86_400_000));
}

/** Built-in number formats that show a date or a time (ECMA-376 §18.8.30). */
const DATE_FORMAT_IDS = new Set([14, 15, 16, 17, 18, 19, 20, 21, 22, 27, 30, 36, 45, 46, 47, 50, 57]);

/** True when a custom number format shows a date or time: d, m, y, h or s outside quotes and brackets. */
function isDateFormat(code: string): boolean {
  const bare = code.replace(/"[^"]*"|\[[^\]]*\]|\\./g, '');
  return /[dmyhs]/i.test(bare) && !/^[#0.,%\s]*$/.test(bare);
}

/**
 * Which cell styles (the `s` of a cell: an index into cellXfs) format a number as a date.
 * @example dateStyles('<numFmts><numFmt numFmtId="164" formatCode="dd.mm.yyyy"/></numFmts><cellXfs><xf numFmtId="0"/><xf numFmtId="164"/></cellXfs>') // Set {1}
 */
export function dateStyles(stylesXml: string): Set<number> {
  const custom = new Map<number, string>();
  for (const m of stylesXml.matchAll(/<numFmt\b[^>]*>/g)) {
    const id = Number(attr(m[0], 'numFmtId'));
    const code = attr(m[0], 'formatCode');
    if (code !== null) custom.set(id, xmlText(code));
  }
  const out = new Set<number>();
  const xfs = /<cellXfs\b[^>]*>([\s\S]*?)<\/cellXfs>/.exec(stylesXml)?.[1] ?? '';
  let i = 0;
  for (const m of xfs.matchAll(/<xf\b[^>]*?(\/>|>)/g)) {
    const id = Number(attr(m[0], 'numFmtId') ?? 0);
    const code = custom.get(id);
    if (DATE_FORMAT_IDS.has(id) || (code !== undefined && isDateFormat(code))) out.add(i);
    i++;
  }
  return out;
}

/**
 * The path of the workbook's first sheet, from xl/workbook.xml and its relationships.
 * @example firstSheetPath('<sheets><sheet name="A" sheetId="1" r:id="rId1"/></sheets>', '<Relationship Id="rId1" Target="worksheets/sheet1.xml"/>') // 'xl/worksheets/sheet1.xml'
 */
export function firstSheetPath(workbookXml: string, relsXml: string): string | null {
  const sheet = /<sheet\b[^>]*>/.exec(workbookXml)?.[0];
  const id = sheet ? (attr(sheet, 'r:id') ?? /\br:id="([^"]+)"/.exec(sheet)?.[1] ?? null) : null;
  if (!id) return null;
  for (const m of relsXml.matchAll(/<Relationship\b[^>]*>/g)) {
    if (attr(m[0], 'Id') !== id) continue;
    const target = attr(m[0], 'Target')!;
    return target.startsWith('/') ? target.slice(1) : `xl/${target.replace(/^\.\//, '')}`;
  }
  return null;
}

// Strings with any code point above U+00FF are kept apart: V8 stores the rest at one byte a char.
const WIDE = /[\u0100-\uffff]/;

/**
 * Reads <si> items of xl/sharedStrings.xml from text pieces into a table. A big workbook's table
 * holds millions of strings: each piece's items are kept joined as one flat string with their
 * offsets, so no item holds on to the piece it was cut from and no string carries its own header.
 * The offsets are sized once from the table's own count (uniqueCount) when it gives one: 8 bytes an
 * item, where growing by doubling would hold up to three times that while it copies.
 * @example const t = new SharedStrings(); t.push('<sst><si><t>Иван</t></si>'); t.push('</sst>'); t.get(0) // 'Иван'
 */
export class SharedStrings {
  /** Two blocks a piece: its narrow items joined, then its wide ones. */
  private readonly blocks: string[] = [];
  /** The first item of each piece (ascending): an item's piece is found by binary search. */
  private readonly firsts: number[] = [];
  /** For item i: where it starts in its block, the top bit set when it is in the wide one... */
  private startOf = new Uint32Array(0);
  /** ...and where it ends there. */
  private endOf = new Uint32Array(0);
  private count = 0;
  private rest = '';
  private sized = false;

  push(text: string): void {
    const buf = this.rest + text;
    if (!this.sized) {
      const head = /<sst\b[^>]*>/.exec(buf);
      if (!head && buf.length < 4096) {
        this.rest = buf;
        return;
      }
      this.sized = true;
      const declared = head ? Number(/\buniqueCount="(\d+)"/.exec(head[0])?.[1] ?? /\bcount="(\d+)"/.exec(head[0])?.[1]) : NaN;
      // A declared count is a hint: a file that lies about it only costs a regrowth.
      if (Number.isSafeInteger(declared) && declared > 0 && declared < 2 ** 28) this.grow(declared);
    }
    const items: string[] = [];
    let at = 0;
    for (;;) {
      const open = buf.indexOf('<si', at);
      if (open < 0) break;
      const close = buf.indexOf('</si>', open);
      if (close < 0) {
        at = open;
        break;
      }
      items.push(runsText(buf.slice(open, close)));
      at = close + 5;
    }
    this.rest = buf.slice(at);
    if (!items.length) return;
    if (this.count + items.length > this.startOf.length)
      this.grow(Math.max(1024, Math.ceil(this.startOf.length * 1.5), this.count + items.length));
    // V8 keeps a string of Latin-1 characters at a byte a character, and one with any other
    // (Cyrillic) at two: an e-mail or a site beside Cyrillic names costs half.
    const narrow: string[] = [];
    const wide: string[] = [];
    let narrowAt = 0;
    let wideAt = 0;
    this.firsts.push(this.count);
    for (const item of items) {
      if (WIDE.test(item)) {
        this.startOf[this.count] = (wideAt | WIDE_BIT) >>> 0;
        wideAt += item.length;
        this.endOf[this.count++] = wideAt;
        wide.push(item);
      } else {
        this.startOf[this.count] = narrowAt;
        narrowAt += item.length;
        this.endOf[this.count++] = narrowAt;
        narrow.push(item);
      }
    }
    this.blocks.push(narrow.join(''), wide.join(''));
  }

  private grow(size: number): void {
    const startOf = new Uint32Array(size);
    startOf.set(this.startOf.subarray(0, this.count));
    const endOf = new Uint32Array(size);
    endOf.set(this.endOf.subarray(0, this.count));
    this.startOf = startOf;
    this.endOf = endOf;
  }

  get(i: number): string {
    if (!(i >= 0 && i < this.count)) return '';
    let lo = 0;
    let hi = this.firsts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.firsts[mid]! <= i) lo = mid;
      else hi = mid - 1;
    }
    const start = this.startOf[i]!;
    return this.blocks[2 * lo + (start >= WIDE_BIT ? 1 : 0)]!.slice(start & ~WIDE_BIT, this.endOf[i]!);
  }

  get size(): number {
    return this.count;
  }
}

/** The top bit of an item's start: the item is in its piece's wide block (a block stays under 2 GB). */
const WIDE_BIT = 0x80000000;

export interface SheetRowsOptions {
  /** The shared-strings table (cells of type "s" index it). */
  strings?: { get(i: number): string };
  /** Style indexes whose numbers are dates. */
  dates?: Set<number>;
}

/**
 * Turns a worksheet's XML, pushed in pieces, into rows of cells. Rows come with their sheet row
 * number (1-based), so a caller can keep gaps; a cell's column comes from its reference.
 * @example const p = new SheetRows(); p.push('<sheetData><row r="1"><c r="B1" t="inlineStr"><is><t>Име</t></is></c></row>', (n, cells) => console.log(n, cells)) // 1 [null, 'Име']
 */
export class SheetRows {
  private rest = '';
  private next = 1;
  constructor(private readonly opts: SheetRowsOptions = {}) {}

  push(text: string, emit: (rowNumber: number, cells: SheetCell[]) => void): void {
    const buf = this.rest + text;
    let at = 0;
    for (;;) {
      const open = buf.indexOf('<row', at);
      if (open < 0) {
        // The piece may end inside a "<row" tag's name: keep from its last "<".
        const lt = buf.lastIndexOf('<');
        at = lt >= at ? lt : buf.length;
        break;
      }
      const tagEnd = buf.indexOf('>', open);
      if (tagEnd < 0) {
        at = open;
        break;
      }
      const tag = buf.slice(open, tagEnd + 1);
      if (tag.charCodeAt(4) !== 32 && tag.charCodeAt(4) !== 62 && tag.charCodeAt(4) !== 47) {
        at = tagEnd; // <rowBreaks> and the like
        continue;
      }
      const numbered = attr(tag, 'r');
      const number = numbered === null ? this.next : Number(numbered);
      if (buf.charCodeAt(tagEnd - 1) === 47) {
        emit(number, []);
        this.next = number + 1;
        at = tagEnd + 1;
        continue;
      }
      const close = buf.indexOf('</row>', tagEnd);
      if (close < 0) {
        at = open;
        break;
      }
      emit(number, this.cells(buf, tagEnd + 1, close));
      this.next = number + 1;
      at = close + 6;
    }
    this.rest = buf.slice(at);
  }

  private cells(buf: string, from: number, to: number): SheetCell[] {
    const out: SheetCell[] = [];
    let at = from;
    for (;;) {
      const open = buf.indexOf('<c', at);
      if (open < 0 || open >= to) break;
      const tagEnd = buf.indexOf('>', open);
      const ref = attrIn(buf, open, tagEnd, 'r');
      const col = ref === null ? out.length : columnIndex(ref);
      let end: number;
      let value: SheetCell = null;
      if (buf.charCodeAt(tagEnd - 1) === 47) end = tagEnd + 1;
      else {
        end = buf.indexOf('</c>', tagEnd) + 4;
        value = this.value(buf, open, tagEnd, end - 4);
      }
      while (out.length < col) out.push(null);
      out[col] = value;
      at = end;
    }
    while (out.length && (out[out.length - 1] === null || out[out.length - 1] === '')) out.pop();
    return out;
  }

  /** The value of the cell whose start tag runs from `open` to `tagEnd` and whose content ends at `close`. */
  private value(buf: string, open: number, tagEnd: number, close: number): SheetCell {
    const type = attrIn(buf, open, tagEnd, 't');
    if (type === 'inlineStr') return copy(runsText(buf.slice(tagEnd + 1, close)));
    const vOpen = buf.indexOf('<v>', tagEnd);
    if (vOpen < 0 || vOpen > close) return null;
    const raw = buf.slice(vOpen + 3, buf.indexOf('</v>', vOpen));
    switch (type) {
      case 's':
        return this.opts.strings?.get(Number(raw)) ?? null;
      case 'str':
        // A copy: the cell must not keep the whole piece of text it was cut from alive.
        return copy(xmlText(raw));
      case 'b':
        return raw === '1';
      case 'e':
        return null;
      case 'd':
        return new Date(raw);
      default: {
        const n = Number(raw);
        if (!Number.isFinite(n)) return copy(xmlText(raw));
        const style = attrIn(buf, open, tagEnd, 's');
        return style !== null && this.opts.dates?.has(Number(style)) ? serialToDate(n) : n;
      }
    }
  }
}

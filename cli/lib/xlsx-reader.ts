/**
 * An .xlsx read as a stream from disk: the zip's central directory says where each part is, the
 * shared strings and styles are read first, and the first sheet's rows are then inflated, parsed
 * and handed out one at a time (shared/xlsx/sheet-xml.ts does the XML). Memory stays at the size of
 * the shared-strings table and one piece of the sheet, whatever the number of rows: Excel's
 * 1,048,576 rows read in seconds, where a whole-workbook reader holds them all.
 */
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { createInflateRaw } from 'node:zlib';
import { dateStyles, firstSheetPath, SharedStrings, SheetRows, type SheetCell } from '../../shared/xlsx/sheet-xml';
import { entryDataOffset, findCentralDirectory, readCentralDirectory } from '../../shared/xlsx/zip';

interface Entry {
  method: number;
  compressedSize: number;
  /** Where the entry's data starts. */
  localOffset: number;
}

/** The central directory of a zip file on disk: each entry's method, size and where its data starts. */
async function centralDirectory(path: string): Promise<Map<string, Entry>> {
  const file = await open(path, 'r');
  try {
    const { size } = await file.stat();
    // The end-of-central-directory record is in the last 22 bytes plus a comment of up to 64 KiB.
    const tailSize = Math.min(size, 22 + 65_535);
    const tail = Buffer.alloc(tailSize);
    await file.read(tail, 0, tailSize, size - tailSize);
    const where = findCentralDirectory(tail);
    const dir = Buffer.alloc(where.size);
    await file.read(dir, 0, where.size, where.offset);
    const entries = new Map<string, Entry>();
    const local = Buffer.alloc(30);
    for (const e of readCentralDirectory(dir, where.count)) {
      await file.read(local, 0, 30, e.headerOffset);
      entries.set(e.name, { method: e.method, compressedSize: e.compressedSize, localOffset: entryDataOffset(local, e.headerOffset) });
    }
    return entries;
  } finally {
    await file.close();
  }
}

/** An entry's text, piece by piece, inflated as it is read. */
async function* entryText(path: string, entry: Entry): AsyncGenerator<string> {
  if (entry.compressedSize === 0) return;
  const raw = createReadStream(path, {
    start: entry.localOffset,
    end: entry.localOffset + entry.compressedSize - 1,
    highWaterMark: 1 << 20,
  });
  const bytes = entry.method === 8 ? raw.pipe(createInflateRaw({ chunkSize: 1 << 20 })) : raw;
  if (entry.method !== 8 && entry.method !== 0) throw new Error(`zip method ${entry.method} is not read`);
  const decoder = new TextDecoder('utf-8');
  for await (const piece of bytes) yield decoder.decode(piece as Buffer, { stream: true });
  const last = decoder.decode();
  if (last) yield last;
}

async function wholeText(path: string, entry: Entry | undefined): Promise<string> {
  if (!entry) return '';
  let out = '';
  for await (const piece of entryText(path, entry)) out += piece;
  return out;
}

/**
 * The rows of an .xlsx file's first sheet, one at a time, with empty rows for the sheet's gaps so
 * that a row's index is its sheet row number minus one. Trailing empty cells are left off.
 * @example for await (const row of xlsxRows('clients.xlsx')) console.log(row);
 */
export async function* xlsxRows(path: string): AsyncGenerator<SheetCell[]> {
  const entries = await centralDirectory(path);
  const sheetPath = firstSheetPath(
    await wholeText(path, entries.get('xl/workbook.xml')),
    await wholeText(path, entries.get('xl/_rels/workbook.xml.rels')),
  );
  const sheet = sheetPath ? entries.get(sheetPath) : undefined;
  if (!sheet) throw new Error('the workbook has no worksheet');
  const strings = new SharedStrings();
  const sst = entries.get('xl/sharedStrings.xml');
  if (sst) for await (const piece of entryText(path, sst)) strings.push(piece);
  const parser = new SheetRows({ strings, dates: dateStyles(await wholeText(path, entries.get('xl/styles.xml'))) });
  let next = 1;
  const ready: SheetCell[][] = [];
  for await (const piece of entryText(path, sheet)) {
    parser.push(piece, (number, cells) => {
      for (; next < number; next++) ready.push([]);
      ready.push(cells);
      next = number + 1;
    });
    // Handed out before the next piece is inflated: no more than one piece's rows wait here.
    for (const row of ready) yield row;
    ready.length = 0;
  }
}

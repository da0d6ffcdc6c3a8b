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

interface Entry {
  method: number;
  compressedSize: number;
  localOffset: number;
}

/** The central directory of a zip file: each entry's name, method, size and where its data starts. */
async function centralDirectory(path: string): Promise<Map<string, Entry>> {
  const file = await open(path, 'r');
  try {
    const { size } = await file.stat();
    // The end-of-central-directory record is in the last 22 bytes plus a comment of up to 64 KiB.
    const tailSize = Math.min(size, 22 + 65_535);
    const tail = Buffer.alloc(tailSize);
    await file.read(tail, 0, tailSize, size - tailSize);
    let eocd = -1;
    for (let i = tailSize - 22; i >= 0; i--)
      if (tail.readUInt32LE(i) === 0x06054b50) {
        eocd = i;
        break;
      }
    if (eocd < 0) throw new Error('not a zip archive (no central directory)');
    const count = tail.readUInt16LE(eocd + 10);
    const dirSize = tail.readUInt32LE(eocd + 12);
    const dirOffset = tail.readUInt32LE(eocd + 16);
    if (dirOffset === 0xffffffff || count === 0xffff) throw new Error('ZIP64 workbooks (over 4 GiB) are not read');
    const dir = Buffer.alloc(dirSize);
    await file.read(dir, 0, dirSize, dirOffset);
    const entries = new Map<string, Entry>();
    for (let at = 0; at + 46 <= dir.length && dir.readUInt32LE(at) === 0x02014b50;) {
      const nameLength = dir.readUInt16LE(at + 28);
      const extraLength = dir.readUInt16LE(at + 30);
      const commentLength = dir.readUInt16LE(at + 32);
      const name = dir.toString('utf8', at + 46, at + 46 + nameLength);
      entries.set(name, {
        method: dir.readUInt16LE(at + 10),
        compressedSize: dir.readUInt32LE(at + 20),
        localOffset: dir.readUInt32LE(at + 42),
      });
      at += 46 + nameLength + extraLength + commentLength;
    }
    // Each entry's data follows its local header, whose name and extra field lengths may differ from the directory's.
    for (const entry of entries.values()) {
      const local = Buffer.alloc(30);
      await file.read(local, 0, 30, entry.localOffset);
      if (local.readUInt32LE(0) !== 0x04034b50) throw new Error('a damaged zip entry');
      entry.localOffset += 30 + local.readUInt16LE(26) + local.readUInt16LE(28);
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

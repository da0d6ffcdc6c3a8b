/**
 * A small ZIP writer and reader (PKWARE APPNOTE 6.3): enough for OOXML packages. Entries are
 * DEFLATE-compressed with the platform's `CompressionStream('deflate-raw')` (workerd, Node 20,
 * browsers) and stored when that is missing. No ZIP64: an OOXML report stays far below 4 GiB and
 * 65 535 entries. The reader's directory functions also serve the CLI's streaming .xlsx reader,
 * which reads them from disk instead of memory.
 */

export interface ZipEntry {
  /** Path inside the archive, forward slashes, no leading slash. */
  path: string;
  data: Uint8Array;
}

export interface ZipOptions {
  /** Modification time written on every entry; fixed input gives byte-identical archives. */
  date?: Date;
  /** `false` stores entries uncompressed (method 0). Default: deflate when the platform can. */
  compress?: boolean;
}

const CRC_TABLE = /* @__PURE__ */ (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    // 0xEDB88320: the reflected CRC-32 polynomial of ZIP, gzip and PNG.
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

/**
 * CRC-32 of bytes, as ZIP stores it.
 * @example crc32(new TextEncoder().encode('123456789')) // 0xcbf43926
 */
export function crc32(data: Uint8Array): number {
  let c = 0xffffffff;
  for (let i = 0; i < data.length; i++) c = CRC_TABLE[(c ^ data[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

async function deflateRaw(data: Uint8Array): Promise<Uint8Array | null> {
  if (typeof CompressionStream === 'undefined') return null;
  let stream: CompressionStream;
  try {
    stream = new CompressionStream('deflate-raw');
  } catch {
    return null; // an older runtime that knows only gzip/deflate
  }
  const out = new Blob([data as Uint8Array<ArrayBuffer>]).stream().pipeThrough(stream);
  return new Uint8Array(await new Response(out).arrayBuffer());
}

/** MS-DOS date and time (local fields; we write UTC so the archive does not depend on the server's zone). */
function dosDateTime(d: Date): { time: number; date: number } {
  const year = Math.min(Math.max(d.getUTCFullYear(), 1980), 2107);
  return {
    time: (d.getUTCHours() << 11) | (d.getUTCMinutes() << 5) | (d.getUTCSeconds() >> 1),
    date: ((year - 1980) << 9) | ((d.getUTCMonth() + 1) << 5) | d.getUTCDate(),
  };
}

/**
 * Packs entries into a ZIP archive.
 * @example await zip([{ path: 'hello.txt', data: new TextEncoder().encode('hi') }]) // Uint8Array starting with "PK\x03\x04"
 */
export async function zip(entries: ZipEntry[], opts: ZipOptions = {}): Promise<Uint8Array<ArrayBuffer>> {
  if (entries.length > 0xffff) throw new RangeError('zip: more than 65535 entries needs ZIP64');
  const { time, date } = dosDateTime(opts.date ?? new Date());
  const enc = new TextEncoder();
  const locals: Uint8Array[] = [];
  const centrals: Uint8Array[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = enc.encode(e.path);
    const crc = crc32(e.data);
    const deflated = opts.compress === false ? null : await deflateRaw(e.data);
    // Keep the smaller form: tiny XML parts can grow under DEFLATE.
    const useDeflate = deflated !== null && deflated.length < e.data.length;
    const body = useDeflate ? deflated : e.data;
    if (body.length > 0xfffffffe || e.data.length > 0xfffffffe || offset > 0xfffffffe)
      throw new RangeError('zip: entry too large without ZIP64');
    const method = useDeflate ? 8 : 0;
    // General purpose flag bit 11: the name is UTF-8.
    const flags = 0x0800;

    const local = new Uint8Array(30 + name.length);
    const lv = new DataView(local.buffer);
    lv.setUint32(0, 0x04034b50, true);
    lv.setUint16(4, 20, true); // version needed: 2.0 (deflate)
    lv.setUint16(6, flags, true);
    lv.setUint16(8, method, true);
    lv.setUint16(10, time, true);
    lv.setUint16(12, date, true);
    lv.setUint32(14, crc, true);
    lv.setUint32(18, body.length, true);
    lv.setUint32(22, e.data.length, true);
    lv.setUint16(26, name.length, true);
    lv.setUint16(28, 0, true);
    local.set(name, 30);

    const central = new Uint8Array(46 + name.length);
    const cv = new DataView(central.buffer);
    cv.setUint32(0, 0x02014b50, true);
    cv.setUint16(4, 20, true); // made by: MS-DOS, spec 2.0
    cv.setUint16(6, 20, true);
    cv.setUint16(8, flags, true);
    cv.setUint16(10, method, true);
    cv.setUint16(12, time, true);
    cv.setUint16(14, date, true);
    cv.setUint32(16, crc, true);
    cv.setUint32(20, body.length, true);
    cv.setUint32(24, e.data.length, true);
    cv.setUint16(28, name.length, true);
    // extra, comment, disk number, internal and external attributes: all zero
    cv.setUint32(42, offset, true);
    central.set(name, 46);

    locals.push(local, body);
    centrals.push(central);
    offset += local.length + body.length;
  }
  const centralSize = centrals.reduce((n, c) => n + c.length, 0);
  const end = new Uint8Array(22);
  const ev = new DataView(end.buffer);
  ev.setUint32(0, 0x06054b50, true);
  ev.setUint16(8, entries.length, true);
  ev.setUint16(10, entries.length, true);
  ev.setUint32(12, centralSize, true);
  ev.setUint32(16, offset, true);

  const out = new Uint8Array(offset + centralSize + end.length);
  let p = 0;
  for (const part of [...locals, ...centrals, end]) {
    out.set(part, p);
    p += part.length;
  }
  return out;
}

/** One entry of a ZIP's central directory. */
export interface ZipDirectoryEntry {
  name: string;
  /** 0 stored, 8 deflated. */
  method: number;
  crc: number;
  compressedSize: number;
  size: number;
  /** Where the entry's local header starts; its data follows that header (see `entryDataOffset`). */
  headerOffset: number;
}

/** An entry as `unzip` reads it. */
export interface UnzippedEntry {
  method: number;
  data: Uint8Array;
}

const view = (b: Uint8Array) => new DataView(b.buffer, b.byteOffset, b.byteLength);

/**
 * Where the central directory is, from the archive's last bytes: the end record is the last 22
 * bytes plus a comment of up to 65,535, so a tail of 22 + 65,535 bytes always holds it.
 * @example findCentralDirectory(bytes.subarray(-65_557)) // { count: 9, size: 540, offset: 12_345 }
 */
export function findCentralDirectory(tail: Uint8Array): { count: number; size: number; offset: number } {
  const v = view(tail);
  for (let p = tail.length - 22; p >= 0; p--) {
    if (v.getUint32(p, true) !== 0x06054b50) continue;
    const count = v.getUint16(p + 10, true);
    const offset = v.getUint32(p + 16, true);
    if (offset === 0xffffffff || count === 0xffff) throw new Error('ZIP64 archives (over 4 GiB or 65,535 entries) are not read');
    return { count, size: v.getUint32(p + 12, true), offset };
  }
  throw new Error('Not a ZIP archive: no end of central directory');
}

/**
 * The entries of a central directory (its bytes, `count` entries), in archive order.
 * @example readCentralDirectory(bytes.subarray(dir.offset, dir.offset + dir.size), dir.count)[0].name // '[Content_Types].xml'
 */
export function readCentralDirectory(dir: Uint8Array, count: number): ZipDirectoryEntry[] {
  const v = view(dir);
  const decoder = new TextDecoder();
  const out: ZipDirectoryEntry[] = [];
  for (let i = 0, p = 0; i < count; i++) {
    if (p + 46 > dir.length || v.getUint32(p, true) !== 0x02014b50) throw new Error(`Broken ZIP central directory at entry ${i + 1}`);
    const nameLength = v.getUint16(p + 28, true);
    out.push({
      name: decoder.decode(dir.subarray(p + 46, p + 46 + nameLength)),
      method: v.getUint16(p + 10, true),
      crc: v.getUint32(p + 16, true),
      compressedSize: v.getUint32(p + 20, true),
      size: v.getUint32(p + 24, true),
      headerOffset: v.getUint32(p + 42, true),
    });
    p += 46 + nameLength + v.getUint16(p + 30, true) + v.getUint16(p + 32, true);
  }
  return out;
}

/**
 * Where an entry's data starts, from its 30-byte local header: the local header's name and extra
 * field lengths may differ from the central directory's, so they are read here.
 */
export function entryDataOffset(localHeader: Uint8Array, headerOffset: number): number {
  const v = view(localHeader);
  if (localHeader.length < 30 || v.getUint32(0, true) !== 0x04034b50) throw new Error(`Broken ZIP entry at byte ${headerOffset}`);
  return headerOffset + 30 + v.getUint16(26, true) + v.getUint16(28, true);
}

async function inflateRaw(data: Uint8Array): Promise<Uint8Array> {
  const out = new Blob([data as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new DecompressionStream('deflate-raw'));
  return new Uint8Array(await new Response(out).arrayBuffer());
}

/**
 * Reads a whole ZIP archive held in memory (an .xlsx): every entry inflated with the platform's
 * `DecompressionStream('deflate-raw')`, its size and CRC-32 checked against the central
 * directory, so a damaged archive fails here instead of reading as garbage.
 * @example (await unzip(xlsxBytes)).get('xl/workbook.xml')?.data
 */
export async function unzip(bytes: Uint8Array): Promise<Map<string, UnzippedEntry>> {
  const dir = findCentralDirectory(bytes.subarray(Math.max(0, bytes.length - 22 - 0xffff)));
  const out = new Map<string, UnzippedEntry>();
  for (const e of readCentralDirectory(bytes.subarray(dir.offset, dir.offset + dir.size), dir.count)) {
    const start = entryDataOffset(bytes.subarray(e.headerOffset, e.headerOffset + 30), e.headerOffset);
    const raw = bytes.subarray(start, start + e.compressedSize);
    if (e.method !== 0 && e.method !== 8) throw new Error(`ZIP method ${e.method} of ${e.name} is not read`);
    const data = e.method === 8 ? await inflateRaw(raw) : raw.slice();
    if (data.length !== e.size) throw new Error(`ZIP entry ${e.name}: ${data.length} bytes where the directory says ${e.size}`);
    if (crc32(data) !== e.crc) throw new Error(`ZIP entry ${e.name}: CRC-32 mismatch`);
    out.set(e.name, { method: e.method, data });
  }
  return out;
}

/**
 * A small ZIP writer (PKWARE APPNOTE 6.3): enough for OOXML packages. Entries are DEFLATE-compressed
 * with the platform's `CompressionStream('deflate-raw')` (workerd, Node 20, browsers) and stored
 * when that is missing. No ZIP64: an OOXML report stays far below 4 GiB and 65 535 entries.
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

/** A tiny ZIP reader for workerd (DecompressionStream, no Node types): name -> bytes, as text via .toString('utf8'). */
export function unzip(bytes: Uint8Array): Map<string, { toString(enc: 'utf8'): string }> & { ready: Promise<void> } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let eocd = bytes.length - 22;
  while (eocd >= 0 && view.getUint32(eocd, true) !== 0x06054b50) eocd--;
  if (eocd < 0) throw new Error('no end of central directory');
  const count = view.getUint16(eocd + 10, true);
  let p = view.getUint32(eocd + 16, true);
  const out = new Map<string, { toString(enc: 'utf8'): string }>() as Map<string, { toString(enc: 'utf8'): string }> & {
    ready: Promise<void>;
  };
  const jobs: Promise<void>[] = [];
  for (let i = 0; i < count; i++) {
    const method = view.getUint16(p + 10, true);
    const size = view.getUint32(p + 20, true);
    const nameLen = view.getUint16(p + 28, true);
    const extraLen = view.getUint16(p + 30, true);
    const commentLen = view.getUint16(p + 32, true);
    const local = view.getUint32(p + 42, true);
    const name = new TextDecoder().decode(bytes.subarray(p + 46, p + 46 + nameLen));
    const start = local + 30 + view.getUint16(local + 26, true) + view.getUint16(local + 28, true);
    const raw = bytes.slice(start, start + size);
    jobs.push(
      (async () => {
        const data =
          method === 8
            ? new Uint8Array(await new Response(new Blob([raw]).stream().pipeThrough(new DecompressionStream('deflate-raw'))).arrayBuffer())
            : raw;
        const text = new TextDecoder().decode(data);
        out.set(name, { toString: () => text });
      })(),
    );
    p += 46 + nameLen + extraLen + commentLen;
  }
  out.ready = Promise.all(jobs).then(() => undefined);
  return out;
}

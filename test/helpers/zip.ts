/**
 * The tests' ZIP reader, in Node and in workerd alike: shared/xlsx/zip.ts `unzip` (every entry
 * inflated by the runtime, its size and CRC-32 checked against the central directory), with each
 * part's text at hand.
 */
import { unzip as unzipEntries } from '../../shared/xlsx/zip';

export interface ZipPart {
  /** 0 stored, 8 deflated. */
  method: number;
  bytes: Uint8Array;
  text: string;
}

/** The parts of a ZIP (an .xlsx) by name. */
export async function unzip(bytes: Uint8Array): Promise<Map<string, ZipPart>> {
  const decoder = new TextDecoder();
  const out = new Map<string, ZipPart>();
  for (const [name, { method, data }] of await unzipEntries(bytes)) out.set(name, { method, bytes: data, text: decoder.decode(data) });
  return out;
}

/** The parts of a ZIP as text, by name. */
export async function unzipText(bytes: Uint8Array): Promise<Map<string, string>> {
  return new Map([...(await unzip(bytes))].map(([name, p]) => [name, p.text]));
}

/** The text of a part, failing clearly when it is missing. */
export function part(files: ReadonlyMap<string, ZipPart>, path: string): string {
  const p = files.get(path);
  if (!p) throw new Error(`missing part ${path}; have ${[...files.keys()].join(', ')}`);
  return p.text;
}

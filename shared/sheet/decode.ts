/**
 * Bytes to text for CSV files saved by Excel and friends: UTF-8 with or without a BOM, UTF-16 with
 * a BOM ("Unicode text"), otherwise a Windows code page: Cyrillic (Bulgaria, Russia) or Western
 * (ISO-8859-1 / windows-1252: a Salesforce or Dynamics export with "Renée" in it).
 */

export type TextEncodingName = 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1251' | 'windows-1252';

export interface DecodedText {
  text: string;
  encoding: TextEncodingName;
}

// Created once: a fatal decoder throws on the first invalid sequence, which is the whole test.
const utf8Strict = new TextDecoder('utf-8', { fatal: true });

/**
 * Decodes a file's bytes: a BOM decides; otherwise valid UTF-8 is UTF-8 and anything else is
 * read as windows-1251 or windows-1252, whichever its letters fit (every byte is defined in
 * both, so this never fails). The BOM is dropped.
 * @example decodeBytes(new Uint8Array([0xc8, 0xec, 0xe5])) // { text: 'Име', encoding: 'windows-1251' }
 */
export function decodeBytes(bytes: Uint8Array): DecodedText {
  if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    return { text: new TextDecoder('utf-8').decode(bytes.subarray(3)), encoding: 'utf-8' };
  }
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) {
    return { text: new TextDecoder('utf-16le').decode(bytes.subarray(2)), encoding: 'utf-16le' };
  }
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) {
    return { text: new TextDecoder('utf-16be').decode(bytes.subarray(2)), encoding: 'utf-16be' };
  }
  try {
    return { text: utf8Strict.decode(bytes), encoding: 'utf-8' };
  } catch {
    const encoding = westernOrCyrillic(bytes);
    return { text: new TextDecoder(encoding).decode(bytes), encoding };
  }
}

/**
 * A single-byte code page from how its letters above ASCII sit: Cyrillic words are written
 * wholly in them, so they come in runs; Western text has an accented letter here and there
 * between plain Latin ones ("Renée", "Lefèvre", "Østergaard").
 */
function westernOrCyrillic(bytes: Uint8Array): 'windows-1251' | 'windows-1252' {
  const high = (b: number | undefined) => b !== undefined && b >= 0xc0;
  let letters = 0;
  let inRuns = 0;
  for (let i = 0; i < bytes.length; i++) {
    if (!high(bytes[i])) continue;
    letters++;
    if (high(bytes[i - 1]) || high(bytes[i + 1])) inRuns++;
  }
  return letters > 0 && inRuns / letters < 0.3 ? 'windows-1252' : 'windows-1251';
}

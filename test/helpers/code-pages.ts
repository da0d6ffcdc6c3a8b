/**
 * Text as windows-1251 bytes, as Excel saves a CSV in Bulgaria and Russia: Cyrillic А..я sit at
 * 0xC0..0xFF; ASCII stays. Enough for the tests (no Ё/ё or other letters of the page).
 */
export function cp1251(text: string): Uint8Array {
  return new Uint8Array([...text].map((ch) => (ch >= 'А' && ch <= 'я' ? ch.charCodeAt(0) - 0x410 + 0xc0 : ch.charCodeAt(0))));
}

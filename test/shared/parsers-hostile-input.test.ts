import { afterAll, describe, expect, it } from 'vitest';
import { extractLead, parseEml } from '../../shared/email';
import { convertRows, escapeCell, mapSheet, type Cell } from '../../shared/sheet';
import { newCounts, printCounts } from '../probes/counts';
import { FORMULA_PAYLOADS, FORMULA_START } from '../probes/payloads';

const counts = newCounts();
afterAll(() => printCounts('shared/parsers-hostile-input', counts));

const HEAD =
  'From: "Иван" <ivan@acme.bg>\r\nTo: sales@leadpane.dev\r\nSubject: =?windows-1251?B?wOHt7uzl7fI=?=\r\nMessage-ID: <x@acme.bg>\r\n';
const MALFORMED: [string, string][] = [
  [
    'truncated multipart',
    HEAD + 'Content-Type: multipart/mixed; boundary="b1"\r\n\r\n--b1\r\nContent-Type: text/plain\r\n\r\nHello, call me at +359 888 123 456',
  ],
  ['unknown charset', HEAD + 'Content-Type: text/plain; charset=x-klingon-42\r\n\r\nHi there'],
  [
    'wrong charset label',
    HEAD +
      'Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n' +
      String.fromCharCode(0xc0, 0xe1, 0xee, 0xed),
  ],
  ['broken base64', HEAD + 'Content-Type: text/plain\r\nContent-Transfer-Encoding: base64\r\n\r\n!!!not base64%%%'],
  ['headers only', HEAD],
  ['empty', ''],
  ['binary garbage', String.fromCharCode(...Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256))],
  ['nested attachments 50 deep', HEAD + nested(50)],
  [
    'lone surrogates and bidi',
    HEAD + 'Content-Type: text/plain; charset=utf-8\r\n\r\n\ud800 \u202eevil\u202c Maria Ivanova\r\n+359 888 111 222',
  ],
];

function nested(depth: number): string {
  let body = 'Content-Type: text/plain\r\n\r\nInnermost +359 888 123 456\r\n';
  for (let i = 0; i < depth; i++)
    body = `Content-Type: multipart/mixed; boundary="b${i}"\r\n\r\n--b${i}\r\n${body}\r\n--b${i}\r\nContent-Type: message/rfc822\r\n\r\n${HEAD}\r\nx\r\n--b${i}--\r\n`;
  return body;
}

async function parseWithin(raw: string, ms: number) {
  const t0 = performance.now();
  let error: unknown = null;
  let lead: ReturnType<typeof extractLead> | null = null;
  try {
    lead = extractLead(await parseEml(raw));
  } catch (e) {
    error = e;
  }
  const took = performance.now() - t0;
  counts.requests++;
  counts.bad_inputs++;
  expect(took, 'no hang').toBeLessThan(ms);
  // Either a clear error or a sane result.
  if (error) expect(error).toBeInstanceOf(Error);
  else expect(typeof lead).toBe('object');
  return { lead, error };
}

describe('malformed .eml through parseEml + extractLead', () => {
  for (const [label, raw] of MALFORMED)
    it(`${label}: a clear error or a sane result within 2 s`, async () => {
      await parseWithin(raw, 2000);
    });

  // A 10 MB body once took ~14 s: extraction now reads only the top of a body (MAX_TEXT_CHARS).
  it('a 10 MB body parses or fails clearly without hanging', { timeout: 60_000 }, async () => {
    const line = 'Lorem ipsum dolor sit amet, +359 888 123 456, ivan@acme.bg\r\n';
    await parseWithin(HEAD + 'Content-Type: text/plain\r\n\r\n' + line.repeat(Math.ceil(10_000_000 / line.length)), 25_000);
  });
});

describe('hostile sheets through mapSheet + convertRows', () => {
  it('16,384 columns, formula strings, #REF! and merged gaps give per-cell errors, never a throw', () => {
    const header: Cell[] = Array.from({ length: 16_384 }, (_, i) =>
      i === 0 ? 'Name' : i === 1 ? 'E-mail' : i === 2 ? 'Phone' : i === 3 ? 'Amount' : `Col ${i}`,
    );
    const rows: Cell[][] = [header];
    const nasty: Cell[] = ['#REF!', '#N/A', '#DIV/0!', ...FORMULA_PAYLOADS, null, undefined, '', '\u202e'];
    for (let r = 0; r < 50; r++) {
      const row: Cell[] = new Array(16_384).fill(null);
      row[0] = r % 5 === 0 ? null : nasty[r % nasty.length]!; // merged area: a null gap under a value
      row[1] = r % 2 ? `p${r}@acme.bg` : nasty[(r + 1) % nasty.length]!;
      row[2] = r % 3 ? '+359 888 123 456' : '#REF!';
      row[3] = r % 4 ? 1000 + r : '=SUM(A1:A9)';
      rows.push(row);
    }
    const mapping = mapSheet(rows);
    const out = convertRows(rows, mapping);
    counts.requests += rows.length;
    counts.bad_inputs += rows.length;
    expect(out.length).toBeGreaterThan(0);
    const errors = out.flatMap((r) => r.errors);
    expect(errors.length).toBeGreaterThan(0);
    for (const e of errors) expect(e).toMatchObject({ row: expect.any(Number), column: expect.any(String), reason: expect.any(String) });
  });

  it('escapeCell neutralises every OWASP payload and leaves numbers alone', () => {
    for (const p of FORMULA_PAYLOADS) expect(FORMULA_START.test(escapeCell(p))).toBe(false);
    expect(escapeCell(-2)).toBe(-2);
    counts.requests += FORMULA_PAYLOADS.length;
  });
});

import { describe, expect, it } from 'vitest';
import { decodeBytes, detectDelimiter, parseCsv } from '../../../shared/sheet';

const cp1251 = (text: string): Uint8Array => {
  // Cyrillic А..я sit at 0xC0..0xFF in windows-1251; enough for these tests.
  return new Uint8Array([...text].map((ch) => (ch >= 'А' && ch <= 'я' ? ch.charCodeAt(0) - 0x410 + 0xc0 : ch.charCodeAt(0))));
};

describe('decodeBytes', () => {
  it.each([
    ['UTF-8 with a BOM', new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode('Име;Град')]), 'utf-8'],
    ['UTF-8 without a BOM', new TextEncoder().encode('Име;Град'), 'utf-8'],
    ['windows-1251 (invalid as UTF-8)', cp1251('Име;Град'), 'windows-1251'],
  ])('reads %s', (_name, bytes, encoding) => {
    expect(decodeBytes(bytes)).toEqual({ text: 'Име;Град', encoding });
  });

  it('treats plain ASCII as UTF-8', () => {
    expect(decodeBytes(new TextEncoder().encode('Name,Phone')).encoding).toBe('utf-8');
  });
});

describe('detectDelimiter', () => {
  it.each([
    ['Име;Телефон;Сума\nИван;0888;"1,5"', ';'],
    ['Name,Phone\nJohn,"555; ext 2"', ','],
    ['Name\tPhone\nJohn\t555', '\t'],
    ['Title only;;;\n;;;\nИме;Град;ЕИК;Сума\nИван;София;123;"1,50"', ';'],
  ])('detects the delimiter of %j', (text, delimiter) => {
    expect(detectDelimiter(text)).toBe(delimiter);
  });
});

describe('parseCsv', () => {
  it('keeps delimiters, doubled quotes and line breaks inside quoted fields', () => {
    expect(parseCsv('a;"b;c";"say ""hi"""\r\n1;"two\nlines";3\r\n')).toEqual([
      ['a', 'b;c', 'say "hi"'],
      ['1', 'two\nlines', '3'],
    ]);
  });

  it('drops a leading BOM and keeps blank rows and trailing empty cells', () => {
    expect(parseCsv('\ufeffName,Phone,\n\nJohn,555,')).toEqual([['Name', 'Phone', ''], [''], ['John', '555', '']]);
  });

  it('accepts lone CR line ends and a given delimiter', () => {
    expect(parseCsv('a|b\rc|d', { delimiter: ',' })).toEqual([['a|b'], ['c|d']]);
  });
});

import { describe, expect, it } from 'vitest';
import { csvField, decodeBytes, detectDelimiter, parseCsv } from '../../../shared/sheet';
import { cp1251 } from '../../helpers/code-pages';

describe('decodeBytes', () => {
  it.each([
    ['UTF-8 with a BOM', new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode('Име;Град')]), 'utf-8'],
    ['UTF-8 without a BOM', new TextEncoder().encode('Име;Град'), 'utf-8'],
    ['windows-1251 (invalid as UTF-8)', cp1251('Име;Град'), 'windows-1251'],
  ])('reads %s', (_name, bytes, encoding) => {
    expect(decodeBytes(bytes)).toEqual({ text: 'Име;Град', encoding });
  });

  it('reads "Unicode text" (UTF-16 with a BOM), little- and big-endian', () => {
    const units = [...'Име\tГрад'].map((ch) => ch.charCodeAt(0));
    const le = new Uint8Array([0xff, 0xfe, ...units.flatMap((u) => [u & 0xff, u >> 8])]);
    const be = new Uint8Array([0xfe, 0xff, ...units.flatMap((u) => [u >> 8, u & 0xff])]);
    expect(decodeBytes(le)).toEqual({ text: 'Име\tГрад', encoding: 'utf-16le' });
    expect(decodeBytes(be)).toEqual({ text: 'Име\tГрад', encoding: 'utf-16be' });
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
    // a title line with a comma does not decide: the records below it are ";"-separated
    ['Продажби, 2024\nИме;Град;Сума\nИван;София;1\nМария;Варна;2', ';'],
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

  it('reads a windows-1251 export with quoted line breaks and doubled quotes', () => {
    const { text } = decodeBytes(cp1251('Име;Бележка\r\nИван;"ред 1\r\nред ""2"""\r\n'));
    expect(parseCsv(text)).toEqual([
      ['Име', 'Бележка'],
      ['Иван', 'ред 1\r\nред "2"'],
    ]);
  });

  it('reads UTF-8 with a BOM and leaves a short last row short', () => {
    const { text } = decodeBytes(new TextEncoder().encode('\uFEFFname,phone\nИван,+359\nМария'));
    expect(parseCsv(text)).toEqual([['name', 'phone'], ['Иван', '+359'], ['Мария']]);
  });

  it('accepts lone CR line ends and a given delimiter', () => {
    expect(parseCsv('a|b\rc|d', { delimiter: ',' })).toEqual([['a|b'], ['c|d']]);
  });
});

describe('csvField', () => {
  it('writes CSV that no spreadsheet runs as a formula', () => {
    expect(['=1+1', 'a,b', 5, null].map((v) => csvField(v)).join(',')).toBe(`'=1+1,"a,b",5,`);
  });

  it.each([
    ['+359 2 987 6543', ',', `'+359 2 987 6543`],
    ['\tcmd', ',', `'\tcmd`],
    ['say "hi"', ',', '"say ""hi"""'],
    ['two\nlines', ',', '"two\nlines"'],
    ['a;b', ';', '"a;b"'],
    ['a;b', ',', 'a;b'],
  ] as const)('writes %j with delimiter %j as %j', (value, delimiter, expected) => {
    expect(csvField(value, delimiter)).toBe(expected);
  });

  it('writes numbers and booleans as they print and null or undefined as empty', () => {
    expect([-12.5, true, null, undefined].map((v) => csvField(v))).toEqual(['-12.5', 'true', '', '']);
  });
});

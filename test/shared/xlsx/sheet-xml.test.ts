import { describe, expect, it } from 'vitest';
import { columnIndex, dateStyles, firstSheetPath, SharedStrings, SheetRows, type SheetCell } from '../../../shared/xlsx/sheet-xml';

const SST =
  '<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="4" uniqueCount="4">' +
  '<si><t>Име</t></si><si><t xml:space="preserve">Smith &amp; Sons </t></si>' +
  '<si><r><rPr><b/></rPr><t>Мария</t></r><r><t xml:space="preserve"> Иванова</t></r></si><si><t/></si></sst>';

const STYLES =
  '<styleSheet><numFmts count="2"><numFmt numFmtId="164" formatCode="dd.mm.yyyy"/><numFmt numFmtId="165" formatCode="#,##0.00&quot; лв.&quot;"/></numFmts>' +
  '<cellXfs count="4"><xf numFmtId="0" fontId="0"/><xf numFmtId="164" fontId="0" applyNumberFormat="1"/><xf numFmtId="165"/><xf numFmtId="14"/></cellXfs></styleSheet>';

const SHEET =
  '<worksheet><sheetData>' +
  '<row r="1" spans="1:3"><c r="A1" t="s"><v>0</v></c><c r="C1" t="inlineStr"><is><t>E-mail</t></is></c></row>' +
  '<row r="3"><c r="A3" t="s"><v>2</v></c><c r="B3" s="1"><v>46327</v></c><c r="C3" s="2"><v>1200.5</v></c><c r="D3" t="b"><v>1</v></c></row>' +
  '<row r="4"/>' +
  '<row r="5"><c r="B5" t="str"><f>A1&amp;"!"</f><v>Име!</v></c><c r="C5" t="e"><v>#N/A</v></c><c r="AB5"><v>7</v></c><c r="AC5" s="3"/></row>' +
  '</sheetData><mergeCells count="1"><mergeCell ref="A1:B1"/></mergeCells></worksheet>';

function readAll(pieces: string[]): Array<[number, SheetCell[]]> {
  const strings = new SharedStrings();
  strings.push(SST);
  const rows = new SheetRows({ strings, dates: dateStyles(STYLES) });
  const out: Array<[number, SheetCell[]]> = [];
  for (const p of pieces) rows.push(p, (n, cells) => out.push([n, cells]));
  return out;
}

describe('reading a worksheet as it streams', () => {
  const whole = readAll([SHEET]);

  it('reads shared, inline, formula and boolean cells, dates by their style, gaps and columns by reference', () => {
    expect(whole).toEqual([
      [1, ['Име', null, 'E-mail']],
      [3, ['Мария Иванова', new Date(Date.UTC(2026, 10, 1)), 1200.5, true]],
      [4, []],
      [5, [null, 'Име!', ...Array(25).fill(null), 7]],
    ]);
  });

  it('reads the same rows however the text is cut into pieces, at every position', () => {
    for (let k = 1; k < SHEET.length; k++) expect(readAll([SHEET.slice(0, k), SHEET.slice(k)]), `cut at ${k}`).toEqual(whole);
  });

  it('reads the same rows from pieces of three characters', () => {
    const pieces = SHEET.match(/[\s\S]{1,3}/g)!;
    expect(readAll(pieces)).toEqual(whole);
  });
});

describe('the shared strings table', () => {
  it('joins rich text runs, decodes entities and keeps spaces, cut anywhere', () => {
    for (let k = 1; k < SST.length; k++) {
      const t = new SharedStrings();
      t.push(SST.slice(0, k));
      t.push(SST.slice(k));
      expect([t.size, t.get(0), t.get(1), t.get(2), t.get(3), t.get(4)], `cut at ${k}`).toEqual([
        4,
        'Име',
        'Smith & Sons ',
        'Мария Иванова',
        '',
        '',
      ]);
    }
  });

  it('keeps items of many pieces apart', () => {
    const t = new SharedStrings();
    for (let i = 0; i < 3000; i++) t.push(`<si><t>item ${i}</t></si>`);
    expect([t.size, t.get(0), t.get(1234), t.get(2999)]).toEqual([3000, 'item 0', 'item 1234', 'item 2999']);
  });

  it('mixes Latin and Cyrillic items in order, whatever count the table declares', () => {
    for (const declared of ['uniqueCount="2"', 'count="5000" uniqueCount="5000"', '']) {
      const t = new SharedStrings();
      t.push(`<?xml version="1.0"?><sst xmlns="x" ${declared}>`);
      for (let i = 0; i < 5000; i += 2) t.push(`<si><t>Фирма ${i}</t></si><si><t>f${i + 1}@mail.bg</t></si>`);
      t.push('</sst>');
      expect([t.size, t.get(0), t.get(1), t.get(2500), t.get(4999), t.get(5000), t.get(-1)], declared).toEqual([
        5000,
        'Фирма 0',
        'f1@mail.bg',
        'Фирма 2500',
        'f4999@mail.bg',
        '',
        '',
      ]);
    }
  });
});

describe('workbook parts', () => {
  it('finds the first sheet through the workbook relationships', () => {
    const wb =
      '<workbook><sheets><sheet name="Клиенти" sheetId="3" r:id="rId7"/><sheet name="B" sheetId="1" r:id="rId1"/></sheets></workbook>';
    const rels =
      '<Relationships><Relationship Id="rId1" Target="worksheets/sheet1.xml"/><Relationship Id="rId7" Target="/xl/worksheets/sheet3.xml"/></Relationships>';
    expect(firstSheetPath(wb, rels)).toBe('xl/worksheets/sheet3.xml');
  });

  it('tells date styles from money and general ones', () => {
    expect([...dateStyles(STYLES)].sort()).toEqual([1, 3]);
  });

  it('numbers columns from A', () => {
    expect([columnIndex('A1'), columnIndex('Z9'), columnIndex('AA1'), columnIndex('XFD1048576')]).toEqual([0, 25, 26, 16383]);
  });
});

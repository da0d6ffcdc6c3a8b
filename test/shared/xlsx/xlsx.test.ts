import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { section, SECTION_KEYS, SECTIONS, type WeeklyReport } from '../../../shared/report/definitions';
import { reportToXlsx } from '../../../shared/report/xlsx';
import {
  columnNames,
  crc32,
  excelDateSerial,
  sheetNames,
  tableName,
  unzip as unzipZip,
  writeXlsx,
  zip,
  type XlsxSheet,
} from '../../../shared/xlsx';
import { crc32 as zlibCrc32 } from 'node:zlib';
import { part, unzip, type ZipPart } from '../../helpers/zip';

const enc = new TextEncoder();

/** A sheet of won deals: text, dates, money in minor units, a rate, a count. */
const wonSheet = (o: Partial<XlsxSheet> = {}): XlsxSheet => ({
  name: 'Won deals',
  columns: [
    { header: 'Client', type: 'text' },
    { header: 'Closed', type: 'date' },
    { header: 'Value', type: 'money' },
    { header: 'Rate', type: 'percent' },
    { header: 'Deals', type: 'int' },
  ],
  rows: [
    ['Алфа ООД', '2026-11-19', 120_000, 0.25, 3],
    ['Бета АД', '2026-11-20', 5_050, 0.5, 4],
  ],
  table: { name: 'WonDeals', totals: [false, false, true, false, true] },
  ...o,
});

async function load(bytes: Uint8Array): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(Buffer.from(bytes) as unknown as ArrayBuffer);
  return wb;
}

/** Cells of a sheet part as { ref: { attrs, inner } }, straight from the XML. */
function cells(xml: string): Map<string, { attrs: string; inner: string }> {
  const out = new Map<string, { attrs: string; inner: string }>();
  for (const m of xml.matchAll(/<c r="([A-Z]+\d+)"([^>]*?)(?:\/>|>(.*?)<\/c>)/g)) out.set(m[1]!, { attrs: m[2]!, inner: m[3] ?? '' });
  return out;
}

/** Shared strings in order, with the OOXML `_xHHHH_` escapes decoded. */
function sharedStrings(files: Map<string, ZipPart>): string[] {
  const xml = part(files, 'xl/sharedStrings.xml');
  const unxml = (s: string) =>
    s
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&quot;/g, '"')
      .replace(/&amp;/g, '&');
  return [...xml.matchAll(/<si><t[^>]*>(.*?)<\/t><\/si>/gs)].map((m) =>
    unxml(m[1]!).replace(/_x([0-9A-F]{4})_/g, (_, h: string) => String.fromCharCode(parseInt(h, 16))),
  );
}

describe('the zip container', () => {
  it('refuses to read an archive with a damaged entry or no central directory', async () => {
    const bytes = await zip([{ path: 'a.txt', data: enc.encode('hello') }], { compress: false });
    const damaged = bytes.slice();
    const at = 30 + 'a.txt'.length; // the first byte of the stored data
    damaged[at] = damaged[at]! ^ 0xff;
    await expect(unzipZip(damaged)).rejects.toThrow(/CRC-32/);
    await expect(unzipZip(bytes.subarray(0, bytes.length - 22))).rejects.toThrow(/central directory/);
    expect(new TextDecoder().decode((await unzipZip(bytes)).get('a.txt')!.data)).toBe('hello');
  });

  it('computes the standard CRC-32', () => {
    expect(crc32(enc.encode('123456789'))).toBe(0xcbf43926);
    expect(crc32(new Uint8Array())).toBe(0);
    // the reader checks entries against this CRC, so it is held to zlib's too
    const text = enc.encode('Лийдпейн '.repeat(100));
    expect(crc32(text)).toBe(zlibCrc32(text) >>> 0);
  });

  it('writes deflated and stored archives that a zip reader opens with matching CRCs', async () => {
    const big = enc.encode('Лийдпейн '.repeat(2000));
    const entries = [
      { path: 'a/big.txt', data: big },
      { path: 'tiny.txt', data: enc.encode('x') },
    ];
    for (const compress of [true, false]) {
      const bytes = await zip(entries, { compress, date: new Date('2026-11-23T10:00:00Z') });
      const files = await unzip(bytes);
      expect(files.get('a/big.txt')!.bytes).toEqual(big);
      expect(files.get('a/big.txt')!.method).toBe(compress ? 8 : 0);
      expect(files.get('tiny.txt')!.text).toBe('x');
      if (compress) expect(bytes.length).toBeLessThan(big.length / 10);
      else expect(bytes.length).toBeGreaterThan(big.length);
    }
  });

  it('gives byte-identical archives for the same input and date', async () => {
    const wb = { sheets: [wonSheet()], created: new Date('2026-11-23T10:00:00Z') };
    expect(Buffer.from(await writeXlsx(wb)).equals(Buffer.from(await writeXlsx(wb)))).toBe(true);
  });
});

describe('writeXlsx', () => {
  it('writes a complete package: every part has a content type and every relationship a target', async () => {
    const files = await unzip(await writeXlsx({ sheets: [wonSheet(), wonSheet({ name: 'Notes', table: undefined })] }));
    const types = part(files, '[Content_Types].xml');
    for (const name of files.keys()) {
      if (name.endsWith('.rels') || name === '[Content_Types].xml') continue;
      expect(types, name).toContain(`PartName="/${name}"`);
    }
    for (const [name, body] of files) {
      if (!name.endsWith('.rels')) continue;
      const base = name.replace(/_rels\/[^/]*\.rels$/, '');
      for (const m of body.toString().matchAll(/Target="([^"]+)"/g)) {
        const target = new URL(m[1]!, `http://x/${base}`).pathname.slice(1);
        expect(files.has(target), `${name} -> ${target}`).toBe(true);
      }
    }
    expect([...files.keys()].filter((k) => k.startsWith('xl/tables/'))).toEqual(['xl/tables/table1.xml']);
    expect(part(files, 'xl/worksheets/sheet1.xml')).toContain('<tablePart r:id="rId1"/>');
    expect(files.has('xl/worksheets/_rels/sheet2.xml.rels')).toBe(false);
    expect(part(files, 'xl/workbook.xml')).toContain('fullCalcOnLoad="1"');
  });

  it('opens in exceljs with typed values, number formats, widths and a real table', async () => {
    const wb = await load(await writeXlsx({ sheets: [wonSheet()] }));
    const ws = wb.getWorksheet('Won deals')!;
    expect(ws.getCell('A1').value).toBe('Client');
    expect(ws.getCell('A1').font?.bold).toBe(true);
    expect(ws.getCell('A2').value).toBe('Алфа ООД');
    expect(ws.getCell('B2').value).toEqual(new Date('2026-11-19T00:00:00Z'));
    expect(ws.getCell('B2').numFmt).toBe('yyyy-mm-dd');
    expect(ws.getCell('C2').value).toBe(1200);
    expect(ws.getCell('C3').value).toBe(50.5);
    expect(ws.getCell('C2').numFmt).toBe('#,##0.00');
    expect(ws.getCell('D2').value).toBe(0.25);
    expect(ws.getCell('D2').numFmt).toBe('0.0%');
    expect(ws.getCell('E2').numFmt).toBe('0');
    expect(ws.getColumn(1).width).toBeGreaterThanOrEqual('Алфа ООД'.length);

    const [table] = ws.getTables() as unknown as {
      table: {
        name: string;
        tableRef: string;
        totalsRow: boolean;
        columns: { name: string; totalsRowFunction?: string; totalsRowFormula?: string; totalsRowLabel?: string }[];
      };
    }[];
    expect(table!.table.name).toBe('WonDeals');
    expect(table!.table.tableRef).toBe('A1:E4');
    expect(table!.table.totalsRow).toBe(true);
    expect(table!.table.columns.map((c) => c.name)).toEqual(['Client', 'Closed', 'Value', 'Rate', 'Deals']);
    expect(table!.table.columns[0]!.totalsRowLabel).toBe('Total');
    expect(table!.table.columns[2]).toMatchObject({ totalsRowFunction: 'sum' });

    // Totals are formulas for the spreadsheet to compute: no cached result.
    expect(ws.getCell('C4').value).toEqual({ formula: 'SUBTOTAL(109,WonDeals[[Value]])' });
    expect(ws.getCell('E4').value).toEqual({ formula: 'SUBTOTAL(109,WonDeals[[Deals]])' });
    expect(ws.getCell('D4').value).toBeNull();
    expect(ws.getCell('A4').value).toBe('Total');
  });

  it('writes formula cells without a cached value and the table with its filter and style', async () => {
    const files = await unzip(await writeXlsx({ sheets: [wonSheet()] }));
    const c = cells(part(files, 'xl/worksheets/sheet1.xml'));
    expect(c.get('C4')!.inner).toBe('<f>SUBTOTAL(109,WonDeals[[Value]])</f>');
    expect(c.get('E4')!.inner).not.toContain('<v>');
    const formulas = [...c.values()].filter((x) => x.inner.includes('<f>'));
    expect(formulas).toHaveLength(2);
    const table = part(files, 'xl/tables/table1.xml');
    expect(table).toMatch(/<table [^>]*id="1" name="WonDeals" displayName="WonDeals" ref="A1:E4" totalsRowCount="1"/);
    expect(table).toContain('<autoFilter ref="A1:E3"/>');
    expect(table).toContain('<tableStyleInfo name="TableStyleMedium2"');
  });

  it('escapes column names inside the totals formulas', async () => {
    const files = await unzip(
      await writeXlsx({
        sheets: [
          {
            name: 'S',
            columns: [
              { header: "Won's [#1]", type: 'int' },
              { header: 'Сума (лв.)', type: 'money' },
            ],
            rows: [[1, 100]],
            table: { name: 'T', totals: [true, true] },
          },
        ],
      }),
    );
    const c = cells(part(files, 'xl/worksheets/sheet1.xml'));
    expect(c.get('A3')!.inner).toBe(`<f>SUBTOTAL(109,T[[Won''s '['#1']]])</f>`);
    expect(c.get('B3')!.inner).toBe('<f>SUBTOTAL(109,T[[Сума (лв.)]])</f>');
  });

  it('never writes text as a formula and escapes text a spreadsheet would evaluate', async () => {
    const evil = ['=HYPERLINK("http://x","click")', '+1+1', '-2+3', '@SUM(A1)', '\t=1', '\r=1', '=1'];
    const bytes = await writeXlsx({
      sheets: [
        {
          name: 'Evil',
          intro: [['=cmd|"/c calc"!A1']],
          columns: [
            { header: '=Header', type: 'text' },
            { header: 'Amount', type: 'money' },
          ],
          rows: evil.map((v) => [v, v]), // also as text in a money column
          table: { name: 'Evil' },
        },
      ],
    });
    const files = await unzip(bytes);
    const sheet = part(files, 'xl/worksheets/sheet1.xml');
    expect(sheet).not.toContain('<f>');
    const strings = sharedStrings(files);
    for (const v of evil) expect(strings).toContain(`'${v}`);
    expect(strings).toContain(`'=cmd|"/c calc"!A1`);
    expect(strings).toContain(`'=Header`);
    for (const s of strings) expect(s).not.toMatch(/^[=+\-@\t\r]/);
    // Every non-empty cell of the data is a string cell.
    const c = cells(sheet);
    for (let r = 3; r < 3 + evil.length; r++) for (const col of 'AB') expect(c.get(`${col}${r}`)!.attrs).toContain('t="s"');
    // And exceljs reads them as plain strings, the carriage return intact.
    const ws = (await load(bytes)).getWorksheet('Evil')!;
    expect(ws.getCell('A3').value).toBe(`'${evil[0]}`);
    expect(ws.getCell('A8').value).toBe(`'\r=1`);
    expect(ws.getCell('B2').value).toBe('Amount');
  });

  it('keeps Cyrillic, XML specials, OOXML escapes and control characters as text', async () => {
    const texts = [
      'Иван Петров — ООО «Ромашка»',
      'a < b && c > "d"',
      'literal _x0041_ stays',
      'tab\there',
      'line\nbreak',
      'bell\u0007',
      '  padded  ',
      '😀 emoji',
    ];
    const bytes = await writeXlsx({
      sheets: [{ name: 'Текст', columns: [{ header: 'Стойност', type: 'text' }], rows: texts.map((t) => [t]) }],
    });
    const files = await unzip(bytes);
    expect(sharedStrings(files)).toEqual(['Стойност', ...texts]);
    expect(part(files, 'xl/workbook.xml')).toContain('name="Текст"');
    const ws = (await load(bytes)).getWorksheet('Текст')!;
    expect(ws.getCell('A2').value).toBe(texts[0]);
    expect(ws.getCell('A3').value).toBe(texts[1]);
    expect(ws.getCell('A9').value).toBe(texts[7]);
  });

  it('gives an empty table one blank row so it stays a valid table, and totals of zero', async () => {
    const files = await unzip(await writeXlsx({ sheets: [wonSheet({ rows: [] })] }));
    expect(part(files, 'xl/tables/table1.xml')).toContain('ref="A1:E3"');
    expect(cells(part(files, 'xl/worksheets/sheet1.xml')).get('C3')!.inner).toBe('<f>SUBTOTAL(109,WonDeals[[Value]])</f>');
  });

  it('puts intro rows above the table and types their cells by value', async () => {
    const bytes = await writeXlsx({
      sheets: [wonSheet({ intro: [['Weekly'], ['From', new Date('2026-11-16T00:00:00Z')], ['Rows', 2], []] })],
    });
    const ws = (await load(bytes)).getWorksheet('Won deals')!;
    expect(ws.getCell('A1').value).toBe('Weekly');
    expect(ws.getCell('B2').value).toEqual(new Date('2026-11-16T00:00:00Z'));
    expect(ws.getCell('B3').value).toBe(2);
    expect(ws.getCell('A5').value).toBe('Client');
    expect(ws.getCell('C8').value).toEqual({ formula: 'SUBTOTAL(109,WonDeals[[Value]])' });
    expect((ws.getTables()[0] as unknown as { table: { tableRef: string } }).table.tableRef).toBe('A5:E8');
  });

  it('makes sheet and table names valid and unique across the workbook', async () => {
    const wanted = [
      'Pipeline at the start and end of the period',
      'Won/lost: [Q4]?',
      'won-lost- -Q4--',
      "'quoted'",
      'History',
      '',
      'Pipeline at the start and end of the period',
    ];
    const names = sheetNames(wanted);
    for (const n of names) {
      expect(n.length).toBeGreaterThan(0);
      expect(n.length).toBeLessThanOrEqual(31);
      expect(n).not.toMatch(/[:\\/?*[\]]|^'|'$/);
      expect(n.toLowerCase()).not.toBe('history');
    }
    expect(new Set(names.map((n) => n.toLowerCase())).size).toBe(names.length);
    expect(names[0]).toBe('Pipeline at the start and end');

    const taken = new Set<string>();
    expect(['Won & lost', 'won_lost', 'A1', 'R1C1', 'c', '2026 plan', 'Продажби', 'TRUE'].map((n) => tableName(n, taken))).toEqual([
      'Won_lost',
      'won_lost_2',
      '_A1',
      '_R1C1',
      '_c',
      '_2026_plan',
      'Продажби',
      '_TRUE',
    ]);
    expect(columnNames(['Deals', 'deals', '', 'a\nb', 'code _x0041_'])).toEqual(['Deals', 'deals2', 'Column3', 'a b', 'code _x0041']);

    const files = await unzip(await writeXlsx({ sheets: [wonSheet({ name: 'Same' }), wonSheet({ name: 'same' })] }));
    expect(part(files, 'xl/workbook.xml')).toMatch(/name="Same".*name="same \(2\)"/);
    expect(part(files, 'xl/tables/table1.xml')).toMatch(/id="1" name="WonDeals"/);
    expect(part(files, 'xl/tables/table2.xml')).toMatch(/id="2" name="WonDeals_2"/);
  });

  it('converts dates to serial numbers the way Excel counts them', () => {
    expect(excelDateSerial('1900-03-01')).toBe(61);
    expect(excelDateSerial('2026-11-23')).toBe(46349);
    expect(excelDateSerial('2026-11-23T18:00:00.000Z')).toBe(46349);
    expect(excelDateSerial(new Date('2026-11-23T18:00:00Z'))).toBe(46349.75);
    expect(excelDateSerial('2026-02-30')).toBeNull();
    expect(excelDateSerial('soon')).toBeNull();
  });
});

describe('reportToXlsx', () => {
  const report: WeeklyReport = {
    kind: 'weekly',
    period: { label: '2026-W47', from: '2026-11-16T00:00:00.000Z', to: '2026-11-23T00:00:00.000Z' },
    scope: { kind: 'org', id: null, name: 'Фирма ООД' },
    generatedAt: '2026-11-24T08:30:00.000Z',
    sections: SECTION_KEYS.map((k) => section(k, [], 'bg')),
  };
  const withRows = (key: string, rows: WeeklyReport['sections'][number]['rows']) => ({
    ...report,
    sections: report.sections.map((s) => (s.key === key ? { ...s, rows } : s)),
  });

  it('has a summary sheet and one table per section, labelled in the report language', async () => {
    const r = withRows('wonLost', [
      ['lost', 'BGN', 1, 50_000, 4],
      ['won', 'BGN', 2, 120_000, 17],
    ]);
    const wb = await load(await reportToXlsx(r));
    expect(wb.worksheets).toHaveLength(1 + SECTION_KEYS.length);
    const summary = wb.worksheets[0]!;
    expect(summary.name).toBe('Обобщение');
    expect(summary.getCell('B2').value).toBe('2026-W47');
    expect(summary.getCell('B3').value).toEqual(new Date('2026-11-16T00:00:00Z'));
    expect(summary.getCell('B4').value).toEqual(new Date('2026-11-22T00:00:00Z'));
    expect(summary.getCell('B5').value).toBe('Организация: Фирма ООД');
    const summaryRows = SECTION_KEYS.map((_, i) => [
      summary.getCell(`A${9 + i}`).value,
      summary.getCell(`B${9 + i}`).value,
      summary.getCell(`C${9 + i}`).value,
    ]);
    expect(summaryRows.map((x) => x[0])).toEqual(SECTION_KEYS.map((k) => SECTIONS[k].title.bg));
    expect(summaryRows.map((x) => x[1])).toEqual(wb.worksheets.slice(1).map((w) => w.name));
    expect(summaryRows.find((x) => x[0] === SECTIONS.wonLost.title.bg)![2]).toBe(2);

    const ws = wb.worksheets[1 + SECTION_KEYS.indexOf('wonLost')]!;
    expect(ws.getRow(1).values).toEqual([undefined, ...SECTIONS.wonLost.columns.map((c) => c.label.bg)]);
    expect(ws.getCell('D2').value).toBe(500); // minor units shown as major
    expect(ws.getCell('D2').numFmt).toBe('#,##0.00');
    expect(ws.getCell('A4').value).toBe('Общо');
    expect(ws.getCell('C4').value).toEqual({ formula: 'SUBTOTAL(109,wonLost[[Сделки]])' });
    expect(ws.getCell('D4').value).toEqual({ formula: 'SUBTOTAL(109,wonLost[[Стойност]])' });
    expect(ws.getCell('E4').value).toBeNull(); // average cycle is not a total column
  });

  it('gives a totals row exactly to the sections with total columns, one formula per total column', async () => {
    const files = await unzip(await reportToXlsx(report));
    SECTION_KEYS.forEach((key, i) => {
      const sheet = part(files, `xl/worksheets/sheet${i + 2}.xml`);
      const totals = SECTIONS[key].columns.filter((c) => c.total).length;
      expect((sheet.match(/<f>/g) ?? []).length, key).toBe(totals);
      expect(part(files, `xl/tables/table${i + 2}.xml`).includes('totalsRowCount="1"'), key).toBe(totals > 0);
      expect(part(files, `xl/tables/table${i + 2}.xml`), key).toContain(`name="${key}"`);
    });
  });

  it('escapes formula-like text coming from the data', async () => {
    const files = await unzip(await reportToXlsx(withRows('lostReasons', [['=HYPERLINK("http://evil")', 1]])));
    expect(sharedStrings(files)).toContain(`'=HYPERLINK("http://evil")`);
    for (const [name, body] of files) if (name.startsWith('xl/worksheets/sheet')) expect(body.toString()).not.toContain('HYPERLINK');
  });
});

// ExcelHost over an opened .xlsx/.csv (browser mode and the tests' scripted Excel).
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { createBrowserExcelHost } from '../../addin/office/excel-browser';
import { cp1251 } from '../helpers/code-pages';

const file = (name: string, bytes: Uint8Array | string, type = '') => new File([bytes as BlobPart], name, { type });

describe('ExcelHost over an in-memory workbook', () => {
  it('opens a .csv as one sheet and reads it back like Excel would', async () => {
    const host = createBrowserExcelHost();
    await host.openFile(file('leads.csv', 'Име;Телефон\nИван;+359 2 987 6543\n'));
    expect(await host.listWorksheets()).toEqual(['leads']);
    expect(await host.readUsedRange()).toEqual({
      sheet: 'leads',
      address: 'A1:B2',
      values: [
        ['Име', 'Телефон'],
        ['Иван', '+359 2 987 6543'],
      ],
    });
  });

  it('opens a windows-1251 .csv with a line break in a quoted field and pads its ragged rows', async () => {
    // As Excel saves it in Bulgaria: ";"-separated, windows-1251.
    const host = createBrowserExcelHost();
    await host.openFile(file('clients.csv', cp1251('Име;Бележка;Град\r\nИван;"ред 1\r\nред ""2"""\r\nМария\r\n')));
    expect((await host.readUsedRange()).values).toEqual([
      ['Име', 'Бележка', 'Град'],
      ['Иван', 'ред 1\r\nред "2"', ''],
      ['Мария', '', ''],
    ]);
  });

  it('reads only the part of a selection that holds values', async () => {
    const host = createBrowserExcelHost({
      sheets: {
        S: [
          ['a', 'b'],
          ['c', 'd'],
        ],
      },
      selection: { sheet: 'S', address: 'B1:B1048576' },
    });
    expect(await host.readSelection()).toEqual({ sheet: 'S', address: 'B1:B2', values: [['b'], ['d']] });
  });

  it('keeps what the pane wrote: sheets, escaped text, tables, charts and hidden columns', async () => {
    const host = createBrowserExcelHost({ sheets: { Sheet1: [] } });
    await host.addWorksheet('Report', { activate: true });
    const written = await host.writeValues('Report', 'A1', [
      ['manager', 'won', 'note'],
      ['Maria', 3, '=HYPERLINK("x")'],
    ]);
    const table = await host.createTable('Report', written.address, { name: 'Won' });
    await host.addChart('Report', 'A1:B2', { kind: 'column', title: 'Won' });
    await host.setColumnsHidden('Report', 'C:C', true);
    await host.addWorksheet('Report', { replace: false });

    expect(table).toBe('Won');
    const snapshot = host.snapshot();
    expect(snapshot.activeSheet).toBe('Report');
    expect(snapshot.sheets[1]).toEqual({
      name: 'Report',
      values: [
        ['manager', 'won', 'note'],
        ['Maria', 3, '=HYPERLINK("x")'],
      ],
      tables: [{ name: 'Won', address: 'A1:C2', style: 'TableStyleMedium2' }],
      charts: [{ kind: 'column', source: 'A1:B2', title: 'Won' }],
      hiddenColumns: [2],
    });
    expect(await host.readTable('won')).toEqual({
      sheet: 'Report',
      headers: ['manager', 'won', 'note'],
      rows: [['Maria', 3, '=HYPERLINK("x")']],
    });
  });

  it('replaces a sheet with an empty one on request', async () => {
    const host = createBrowserExcelHost({ sheets: { Report: [['old']] } });
    await host.addWorksheet('Report', { replace: true });
    expect(await host.readUsedRange('Report')).toEqual({ sheet: 'Report', address: '', values: [] });
  });

  it('says which worksheet is missing', async () => {
    const host = createBrowserExcelHost();
    await expect(host.readUsedRange('Nope')).rejects.toMatchObject({ code: 'ItemNotFound' });
  });

  it('downloads as a real .xlsx with the table and the text kept as text', async () => {
    const host = createBrowserExcelHost({ sheets: { Leads: [] } });
    await host.writeValues('Leads', 'A1', [
      ['name', 'phone'],
      ['Иван', '+359 2 987 6543'],
    ]);
    await host.createTable('Leads', 'A1:B2', { name: 'LeadsTable' });
    await host.setColumnsHidden('Leads', 'B:B', true);

    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load((await host.toXlsx()) as never);
    const sheet = workbook.getWorksheet('Leads')!;
    expect(sheet.getCell('A2').value).toBe('Иван');
    expect(sheet.getCell('B2').value).toBe('+359 2 987 6543');
    expect(sheet.getColumn(2).hidden).toBe(true);
    expect(Object.keys((sheet as unknown as { tables: Record<string, unknown> }).tables)).toEqual(['LeadsTable']);
  });

  it('opens an .xlsx, dates and formulas as Excel’s values', async () => {
    const source = new ExcelJS.Workbook();
    const sheet = source.addWorksheet('Deals');
    sheet.addRow(['title', 'amount', 'closes', 'double']);
    sheet.addRow(['Licences', 1200, new Date(Date.UTC(2026, 6, 1)), { formula: 'B2*2', result: 2400 }]);
    const bytes = new Uint8Array(await source.xlsx.writeBuffer());

    const host = createBrowserExcelHost();
    await host.openFile(file('deals.xlsx', bytes));
    expect(host.fileName()).toBe('deals.xlsx');
    expect((await host.readUsedRange('Deals')).values).toEqual([
      ['title', 'amount', 'closes', 'double'],
      ['Licences', 1200, 46204, 2400],
    ]);
  });
});

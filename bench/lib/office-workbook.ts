/// <reference types="office-js" />
// A scripted Excel workbook for the Office.js adapter: worksheets, ranges, tables, visibility and
// drop-downs as office-addin-mock objects, so a property read before load + sync fails as it does
// in Excel. Writes are queued and applied at context.sync(), in order, and every sync is counted:
// the figure the Office adapter is measured by (tests and the bench).
import { OfficeMockObject } from 'office-addin-mock';
import { parseRange, rangeAddress } from '../../addin/office/a1';
import type { ExcelRun } from '../../addin/office/excel-office';
import type { CellValue, Matrix } from '../../addin/office/types';

type Mock = OfficeMockObject & Record<string, any>;

export interface ScriptedTable {
  name: string;
  sheet: string;
  address: string;
}

export interface ScriptedWorkbook {
  run: ExcelRun;
  stats: { syncs: number; cellsWritten: number };
  sheets: Record<string, Matrix>;
  tables: ScriptedTable[];
  visibility: Record<string, string>;
  validations: Array<{ sheet: string; address: string; source: string }>;
}

const itemNotFound = (what: string) => Object.assign(new Error(`${what} was not found`), { code: 'ItemNotFound' });

/** Sets a loaded property's value as Excel would answer it at the next sync. */
function answer(mock: Mock, props: Record<string, unknown>) {
  for (const [k, v] of Object.entries(props)) {
    const p = (mock as unknown as { _properties: Map<string, { _valueBeforeLoaded: unknown }> })._properties.get(k);
    if (p) p._valueBeforeLoaded = v;
  }
}

export function scriptedWorkbook(
  initial: Record<string, Matrix> = {},
  tables: ScriptedTable[] = [],
  active = Object.keys(initial)[0] ?? 'Sheet1',
): ScriptedWorkbook {
  const wb: ScriptedWorkbook = {
    run: null as unknown as ExcelRun,
    stats: { syncs: 0, cellsWritten: 0 },
    sheets: Object.fromEntries(Object.entries(initial).map(([k, v]) => [k, v.map((r) => [...r])])),
    tables: tables.map((t) => ({ ...t })),
    visibility: {},
    validations: [],
  };
  const sheet = (name: string) => {
    const grid = wb.sheets[name];
    if (!grid) throw itemNotFound(`Worksheet ${name}`);
    return grid;
  };
  const queue: Array<() => void> = [];
  const live: Array<{ mock: Mock; refresh: () => void }> = [];
  const track = (mock: Mock, refresh: () => void = () => undefined) => (live.push({ mock, refresh }), mock);
  let syncing = false;

  const cellsOf = (name: string, box: { row: number; col: number; rows: number; cols: number }): Matrix =>
    Array.from({ length: box.rows }, (_, r) => Array.from({ length: box.cols }, (_, c) => sheet(name)[box.row + r]?.[box.col + c] ?? ''));

  const shiftTables = (name: string, from: number, by: number) => {
    for (const t of wb.tables.filter((x) => x.sheet === name)) {
      const box = parseRange(t.address);
      const end = box.row + box.rows - 1;
      if (end < from) continue;
      const start = box.row >= from ? Math.max(from, box.row + by) : box.row;
      t.address = rangeAddress(start, box.col, Math.max(1, end + by - start + 1), box.cols);
    }
  };

  const rangeOf = (name: string, address: string): Mock => {
    const rows = /^(\d+):(\d+)$/.exec(address);
    const cols = /^[A-Z]+:[A-Z]+$/i.test(address);
    const box = rows
      ? { row: Number(rows[1]) - 1, col: 0, rows: Number(rows[2]) - Number(rows[1]) + 1, cols: 1 }
      : cols
        ? { row: 0, col: 0, rows: 1, cols: 1 }
        : parseRange(address);
    const current = () => ({
      address: `${name}!${address}`,
      values: cellsOf(name, box),
      rowCount: box.rows,
      columnCount: box.cols,
    });
    const range = new OfficeMockObject({ ...current(), delete: () => undefined }) as Mock;
    let pending: Matrix | null = null;
    Object.defineProperty(range, 'values', {
      get: () => (range as unknown as { _properties: Map<string, { _value: unknown }> })._properties.get('values')!._value,
      set: (values: Matrix) => {
        if (syncing || !Array.isArray(values)) return;
        pending = values;
        queue.push(() => {
          const grid = sheet(name);
          pending!.forEach((row, r) =>
            row.forEach((v, c) => {
              const target = (grid[box.row + r] ??= []);
              while (target.length < box.col + c) target.push('');
              target[box.col + c] = typeof v === 'string' && v.startsWith("'") ? v.slice(1) : v;
              wb.stats.cellsWritten++;
            }),
          );
          pending = null;
        });
      },
    });
    Object.defineProperty(range, 'columnHidden', { set: () => undefined, get: () => false });
    range.delete = (shift: string) => {
      if (!rows || shift !== 'Up') throw new Error(`scripted workbook: only whole rows are deleted (${address}, ${shift})`);
      queue.push(() => {
        sheet(name).splice(box.row, box.rows);
        shiftTables(name, box.row, -box.rows);
      });
    };
    const validation = { rule: null as unknown, clear: () => undefined };
    Object.defineProperty(validation, 'rule', {
      set: (rule: { list?: { source: string } }) =>
        queue.push(() => wb.validations.push({ sheet: name, address, source: rule.list?.source ?? '' })),
    });
    range.dataValidation = validation;
    return track(range, () => answer(range, current()));
  };

  const tableMock = (t: ScriptedTable): Mock => {
    const ws = worksheet(t.sheet);
    const table = new OfficeMockObject({ name: t.name }) as Mock;
    Object.defineProperty(table, 'name', {
      get: () => t.name,
      set: (v: string) => {
        if (!syncing) queue.push(() => (t.name = v));
      },
    });
    Object.defineProperty(table, 'style', { set: () => undefined, get: () => 'TableStyleMedium2' });
    table.worksheet = ws;
    const box = () => parseRange(t.address);
    table.getHeaderRowRange = () => {
      const b = box();
      return rangeOf(t.sheet, rangeAddress(b.row, b.col, 1, b.cols));
    };
    table.getDataBodyRange = () => {
      const b = box();
      // An Excel table always has a body row, if only an empty one.
      const range = rangeOf(t.sheet, rangeAddress(b.row + 1, b.col, Math.max(1, b.rows - 1), b.cols));
      return range;
    };
    table.rows = {
      add: (_index: unknown, values: Matrix) =>
        queue.push(() => {
          const b = box();
          const at = b.row + b.rows;
          const grid = sheet(t.sheet);
          grid.splice(at, 0, ...values.map(() => [] as CellValue[]));
          shiftTables(t.sheet, at, values.length);
          values.forEach((row, r) =>
            row.forEach((v, c) => {
              const target = grid[at + r]!;
              while (target.length < b.col + c) target.push('');
              target[b.col + c] = typeof v === 'string' && v.startsWith("'") ? v.slice(1) : v;
              wb.stats.cellsWritten++;
            }),
          );
          t.address = rangeAddress(b.row, b.col, b.rows + values.length, b.cols);
        }),
    };
    return track(table);
  };

  const worksheet = (name: string, extra: Record<string, unknown> = {}): Mock => {
    sheet(name);
    const ws = new OfficeMockObject({ name, visibility: wb.visibility[name] ?? 'Visible', ...extra }) as Mock;
    Object.defineProperty(ws, 'visibility', {
      set: (v: string) => {
        if (!syncing) queue.push(() => (wb.visibility[name] = v));
      },
      get: () => wb.visibility[name] ?? 'Visible',
    });
    ws.getRange = (address: string) => rangeOf(name, address);
    ws.getUsedRangeOrNullObject = () => {
      const current = () => {
        const grid = sheet(name);
        let rows = 0;
        let cols = 0;
        grid.forEach((row, r) =>
          row.forEach((v, c) => {
            if (v !== '' && v !== null && v !== undefined) {
              rows = Math.max(rows, r + 1);
              cols = Math.max(cols, c + 1);
            }
          }),
        );
        return {
          address: `${name}!${rows ? rangeAddress(0, 0, rows, cols) : 'A1'}`,
          rowCount: rows,
          columnCount: cols,
          isNullObject: rows === 0,
        };
      };
      const used = new OfficeMockObject(current()) as Mock;
      return track(used, () => answer(used, current()));
    };
    ws.tables = {
      add: (address: string) => {
        const t: ScriptedTable = { name: `Table${wb.tables.length + 1}`, sheet: name, address: address.replace(/^.*!/, '') };
        queue.push(() => wb.tables.push(t));
        return tableMock(t);
      },
    };
    ws.charts = { add: () => ({ title: {}, name: '' }) };
    ws.activate = () => undefined;
    ws.delete = () => queue.push(() => delete wb.sheets[name]);
    return track(ws, () => answer(ws, { name }));
  };

  const context = new OfficeMockObject({}) as Mock;
  context.workbook = {
    worksheets: {
      getItem: (name: string) => worksheet(name),
      getActiveWorksheet: () => worksheet(active),
      getItemOrNullObject: (name: string) => {
        const exists = name in wb.sheets;
        return (exists ? worksheet(name, { isNullObject: false }) : track(new OfficeMockObject({ isNullObject: true }) as Mock)) as Mock;
      },
      add: (name: string) => {
        wb.sheets[name] ??= [];
        const ws = worksheet(name);
        Object.defineProperty(ws, 'name', {
          set: (v: string) =>
            queue.push(() => {
              wb.sheets[v] = wb.sheets[name]!;
              delete wb.sheets[name];
            }),
          get: () => name,
        });
        return ws;
      },
      load: () => ({ items: Object.keys(wb.sheets).map((n) => ({ name: n })) }),
    },
    tables: {
      getItem: (name: string) => {
        const t = wb.tables.find((x) => x.name.toLowerCase() === name.toLowerCase());
        if (!t) throw itemNotFound(`Table ${name}`);
        return tableMock(t);
      },
      load: () => {
        const out = { items: [] as Array<{ name: string; worksheet: { name: string } }> };
        // Answered at the next sync, as Excel does.
        queue.push(() => (out.items = wb.tables.map((t) => ({ name: t.name, worksheet: { name: t.sheet } }))));
        return out;
      },
    },
  };
  context.sync = async () => {
    wb.stats.syncs++;
    for (const op of queue.splice(0)) op();
    syncing = true;
    try {
      for (const { mock, refresh } of live) {
        refresh();
        await mock.sync();
      }
    } finally {
      syncing = false;
    }
  };
  wb.run = (batch) => batch(context as unknown as Excel.RequestContext);
  return wb;
}

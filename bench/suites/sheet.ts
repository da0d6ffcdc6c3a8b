import { convertRows, mapSheet, type Cell } from '../../shared/sheet';
import { round } from '../stats';
import type { Suite } from '../run';

/** `sheet.rows_per_s`: header mapping plus conversion of 100,000 rows x 12 columns in Node. */
export const suite: Suite = {
  name: 'sheet',
  async run(ctx) {
    const headers = ['Фирма', 'ЕИК', 'Лице за контакт', 'Длъжност', 'GSM', 'Имейл', 'Град', 'П.к.', 'Етап', 'Сума', 'Дата', 'Бележки'];
    const stages = ['Нова', 'Оферта', 'Преговори', 'Спечелена', 'Загубена'];
    const rows: Cell[][] = [headers];
    for (let i = 0; i < 100_000; i++)
      rows.push([
        `Фирма ${i} ООД`,
        '831642181',
        `Иван Петров ${i}`,
        'Управител',
        `0888 ${String(100000 + i).slice(-6, -3)} ${String(i % 1000).padStart(3, '0')}`,
        `user${i}@acme.bg`,
        'София',
        '1000',
        stages[i % 5]!,
        `${i % 9000},50 лв.`,
        `${(i % 28) + 1}.03.2026`,
        'бележка',
      ]);
    const t0 = performance.now();
    const results = convertRows(rows, mapSheet(rows));
    const seconds = (performance.now() - t0) / 1000;
    ctx.log(`${results.length} rows in ${round(seconds, 2)} s`);
    return { 'sheet.rows_per_s': Math.round(results.length / seconds) };
  },
};

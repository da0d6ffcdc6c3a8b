import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { convertRows, createRowConverter, decodeBytes, mapHeaders, mapSheet, parseCsv, type Cell } from '../../../shared/sheet';

const fixture = (name: string): Cell[][] =>
  parseCsv(decodeBytes(new Uint8Array(readFileSync(new URL(`../../fixtures/sheet/${name}`, import.meta.url)))).text);

describe('createRowConverter', () => {
  it('turns a Bulgarian row into typed fields', () => {
    const rows = fixture('bg-clients-cp1251.csv');
    const [first] = convertRows(rows, mapSheet(rows));
    expect(first!.row).toBe(3);
    expect(first!.errors).toEqual([]);
    expect(first!.record).toEqual({
      company: '„Акме Трейд“ ЕООД',
      eik: '203456783',
      fullName: 'Иван Петров Иванов',
      firstName: 'Иван',
      lastName: 'Иванов',
      title: 'Управител',
      phone: '+35929876543',
      mobile: '+359888123456',
      email: 'ivan@acme.bg',
      city: 'София',
      postalCode: '1000',
      address: 'ул. „Шипка“ 12; ет. 3',
      owner: 'Мария Георгиева',
      stage: 'proposal',
      amount: 1_250_000,
      currency: 'BGN',
      notes: 'Иска оферта до петък',
    });
  });

  it('reports each unreadable cell with its row, header as written, field and reason', () => {
    const rows = fixture('bg-clients-cp1251.csv');
    const results = convertRows(rows, mapSheet(rows));
    expect(results).toHaveLength(3);
    expect(results[2]!.errors).toEqual([
      { row: 5, column: 'ЕИК', field: 'eik', reason: 'invalid_eik', value: '121212122' },
      { row: 5, column: 'E-mail адрес', field: 'email', reason: 'invalid_email', value: 'stoyan(at)gama.bg' },
      { row: 5, column: 'Сума', field: 'amount', reason: 'invalid_amount', value: 'сто лева' },
    ]);
    expect(results[2]!.record).not.toHaveProperty('eik');
    expect(results[2]!.record.stage).toBe('negotiation');
  });

  it('reads Russian phones, roubles from the header and surname-first names', () => {
    const rows = fixture('ru-deals-bom.csv');
    const [first, second] = convertRows(rows, mapSheet(rows));
    expect(first!.record).toMatchObject({
      eik: '7707083893',
      firstName: 'Иван',
      lastName: 'Иванов',
      phone: '+74955407520',
      mobile: '+79161234567',
      stage: 'negotiation',
      amount: 125_000_000,
      currency: 'RUB',
      probability: 40,
      expectedCloseDate: '2026-04-15',
    });
    expect(second!.errors.map((e) => [e.column, e.reason])).toEqual([
      ['ИНН', 'invalid_eik'],
      ['Дата закрытия', 'invalid_date'],
    ]);
    expect(second!.record).toMatchObject({ stage: 'won', amount: 300_000, currency: 'RUB', phone: '+74967128199' });
  });

  it.each([
    ['Дата', 'сряда', 'invalid_date'],
    ['Имейл', 'ivan@', 'invalid_email'],
    ['Телефон', '12', 'invalid_phone'],
    ['Етап', 'по-късно', 'unknown_stage'],
    ['Статус', '???', 'unknown_status'],
    ['Вероятност', '250%', 'invalid_probability'],
    ['ДДС №', 'BG123', 'invalid_vat'],
    ['Сайт', 'не', 'invalid_website'],
    ['Валута', 'динари', 'invalid_currency'],
  ])('flags %s = %j as %s', (header, value, reason) => {
    const convert = createRowConverter(mapHeaders([header]));
    const { record, errors } = convert([value], 7);
    expect(errors).toEqual([{ row: 7, column: header, field: expect.any(String), reason, value }]);
    expect(Object.keys(record)).toHaveLength(0);
  });

  it('joins first and last name into the full name and skips blank rows', () => {
    const mapping = mapHeaders(['Име', 'Фамилия', 'Сума', 'Валута']);
    const rows: Cell[][] = [
      ['Име', 'Фамилия', 'Сума', 'Валута'],
      ['Мария', 'Петрова', 1500, 'EUR'],
      ['', ' ', null, ''],
    ];
    const results = convertRows(rows, { ...mapping, headerRow: 0 });
    expect(results).toHaveLength(1);
    expect(results[0]!.record).toEqual({
      firstName: 'Мария',
      lastName: 'Петрова',
      fullName: 'Мария Петрова',
      amount: 150_000,
      currency: 'EUR',
    });
  });

  it('converts every row of a large sheet without a false error (speed is measured in npm run bench)', () => {
    const headers = ['Фирма', 'ЕИК', 'Лице за контакт', 'Длъжност', 'GSM', 'Имейл', 'Град', 'П.к.', 'Етап', 'Сума', 'Дата', 'Бележки'];
    const stages = ['Нова', 'Оферта', 'Преговори', 'Спечелена', 'Загубена'];
    const rows: Cell[][] = [headers];
    for (let i = 0; i < 5_000; i++) {
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
    }
    const mapping = mapSheet(rows);
    const results = convertRows(rows, mapping);
    expect(results).toHaveLength(5_000);
    expect(results.filter((r) => r.errors.length > 0)).toHaveLength(0);
    expect(results[4_999]!.record).toMatchObject({ company: 'Фирма 4999 ООД', stage: 'lost', email: 'user4999@acme.bg' });
  }, 60_000);
});

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  decodeBytes,
  detectHeaderRow,
  detectLanguage,
  mapHeaders,
  mappingRecord,
  mapSheet,
  matchHeader,
  parseCsv,
  type CanonicalField,
  type Cell,
} from '../../../shared/sheet';

const fixture = (name: string): Cell[][] =>
  parseCsv(decodeBytes(new Uint8Array(readFileSync(new URL(`../../fixtures/sheet/${name}`, import.meta.url)))).text);

describe('matchHeader', () => {
  it.each<[string, CanonicalField | null]>([
    // Bulgarian
    ['Тел.', 'phone'],
    ['GSM', 'mobile'],
    ['Моб.', 'mobile'],
    ['Факс', 'fax'],
    ['Лице за контакт', 'fullName'],
    ['МОЛ', 'fullName'],
    ['Отг. търговец', 'owner'],
    ['Фирма', 'company'],
    ['Контрагент', 'company'],
    ['Булстат', 'eik'],
    ['ЕИК', 'eik'],
    ['ЕИК/Булстат', 'eik'],
    ['ДДС №', 'vatNumber'],
    ['ИН по ДДС', 'vatNumber'],
    ['Длъжност', 'title'],
    ['Град', 'city'],
    ['Адрес', 'address'],
    ['П.к.', 'postalCode'],
    ['Бележки', 'notes'],
    ['Етап', 'stage'],
    ['Източник', 'source'],
    ['Име на фирмата', 'company'],
    ['Рожден ден', null],
    // Russian
    ['ИНН', 'eik'],
    ['Этап', 'stage'],
    ['Сумма, руб.', 'amount'],
    ['Должность', 'title'],
    ['Примечание', 'notes'],
    ['Контактное лицо', 'fullName'],
    ['Номер сотового телефона', 'mobile'],
    ['Адрес электронной почты', 'email'],
    ['Почтовый индекс', 'postalCode'],
    ['Дата закрытия', 'expectedCloseDate'],
    ['Ответственный', 'owner'],
    ['Отчество', null],
    // English
    ['E-mail адрес', 'email'],
    ['E-mail 2 Address', 'email'],
    ['Company Main Phone', 'phone'],
    ['Mobile Phone', 'mobile'],
    ['Business Country/Region', 'country'],
    ['Mailing Zip/Postal Code', 'postalCode'],
    ['Probability (%)', 'probability'],
    ['Opportunity Name', 'dealTitle'],
    ['Lead Source', 'source'],
    ['Assigned To', 'owner'],
    ["Assistant's Phone", null],
    ['Date of Birth', null],
    ['Business State', null],
    ['Department', null],
    ['Favourite colour', null],
  ])('maps %j to %j', (header, field) => {
    expect(matchHeader(header)).toBe(field);
  });

  it.each<[string, CanonicalField]>([
    ['Emial', 'email'],
    ['Adress', 'address'],
    ['Compnay', 'company'],
    ['Citty', 'city'],
    ['Probabilty', 'probability'],
    ['Телфон', 'phone'],
    ['Длъжнст', 'title'],
    ['Фамилиа', 'lastName'],
    ['Telefon', 'phone'],
  ])('forgives the typo or spelling in %j (%s)', (header, field) => {
    expect(matchHeader(header)).toBe(field);
  });
});

describe('mapHeaders', () => {
  it('uses each field at most once, the better header winning', () => {
    const m = mapHeaders(['Телефон', 'Тел. 2', 'Лице за контакт', 'МОЛ']);
    expect(m.columns.map((c) => c.field)).toEqual(['phone', null, 'fullName', null]);
    expect(m.fields).toEqual({ phone: 0, fullName: 2 });
  });

  it('lets the values decide what an ambiguous header holds', () => {
    const rows: Cell[][] = [
      ['ivan@acme.bg', '0888 123 456', 'Иван Петров'],
      ['maria@beta.bg', '0899 765 432', 'Мария Иванова'],
      ['petar@gama.bg', '0877 111 222', 'Петър Колев'],
    ];
    const m = mapHeaders(['Контакт', 'Контакт 2', 'Контакт 3'], rows);
    expect(m.columns.map((c) => c.field)).toEqual(['email', 'mobile', 'fullName']);
    expect(m.columns[0]!.evidence).toBe('values');
  });

  it('names an unlabelled column from strongly typed values', () => {
    const m = mapHeaders(
      ['Фирма', ''],
      [
        ['Акме ООД', 'www.acme.bg'],
        ['Бета ЕООД', 'beta.bg'],
      ],
    );
    expect(m.columns[1]!.field).toBe('website');
  });

  it('drops a header whose values contradict it', () => {
    const m = mapHeaders(['Телефон'], [['ivan@acme.bg'], ['maria@beta.bg'], ['petar@gama.bg']]);
    expect(m.columns[0]!.field).toBe('email');
  });

  it('skips a Title column that holds salutations', () => {
    const m = mapHeaders(
      ['Title', 'Name'],
      [
        ['Mr.', 'John Smith'],
        ['Mrs', 'Jane Doe'],
        ['Dr.', 'Ann Lee'],
      ],
    );
    expect(m.columns.map((c) => c.field)).toEqual([null, 'fullName']);
  });

  it('reads the currency named in an amount header', () => {
    expect(mapHeaders(['Сумма, руб.']).columns[0]!.currency).toBe('RUB');
    expect(mapHeaders(['Стойност (лв.)']).columns[0]!.currency).toBe('BGN');
  });

  it('honours the columns the user fixed by hand', () => {
    const m = mapHeaders(['Клиент', 'Бележки'], [], { overrides: { 1: 'dealTitle' } });
    expect(m.columns.map((c) => c.field)).toEqual(['company', 'dealTitle']);
  });

  it('tells Russian, Bulgarian and English headers apart', () => {
    expect(detectLanguage(['Имя', 'Должность', 'Этап'])).toBe('ru');
    expect(detectLanguage(['Име', 'Длъжност', 'Етап'])).toBe('bg');
    expect(detectLanguage(['Name', 'Title'])).toBe('en');
  });
});

describe('detectHeaderRow', () => {
  it.each<[string, Cell[][], number]>([
    [
      'a plain header',
      [
        ['Name', 'Email'],
        ['John', 'john@x.com'],
      ],
      0,
    ],
    [
      'a title and a blank row above',
      [['Клиенти към 12.03.2026'], [], ['Фирма', 'Град', 'Телефон'], ['Акме ООД', 'София', '0888 123 456']],
      2,
    ],
    [
      'a merged banner repeated across the width',
      [
        ['Pipeline Q1', 'Pipeline Q1', 'Pipeline Q1'],
        [null, null, null],
        ['Deal', 'Amount', 'Stage'],
        ['Website', 1200, 'Won'],
      ],
      2,
    ],
    [
      'a period line with a date',
      [
        ['Отчет', '', '01.01.2026', ''],
        ['Контрагент', 'ИНН', 'Сумма', 'Этап'],
        ['ООО Ромашка', 7707083893, 1000, 'Переговоры'],
      ],
      1,
    ],
    ['a header with no data yet', [['Име', 'Телефон', 'Имейл']], 0],
  ])('finds the header row under %s', (_name, rows, expected) => {
    expect(detectHeaderRow(rows)).toBe(expected);
  });
});

describe('fixtures', () => {
  it('maps the Bulgarian windows-1251 sheet below its title and blank row', () => {
    const rows = fixture('bg-clients-cp1251.csv');
    const m = mapSheet(rows);
    expect(m.headerRow).toBe(2);
    expect(m.language).toBe('bg');
    expect(mappingRecord(m)).toEqual({
      Фирма: 'company',
      ЕИК: 'eik',
      МОЛ: null,
      'Лице за контакт': 'fullName',
      Длъжност: 'title',
      'Тел.': 'phone',
      GSM: 'mobile',
      'E-mail адрес': 'email',
      Град: 'city',
      'П.к.': 'postalCode',
      Адрес: 'address',
      'Отг. търговец': 'owner',
      Етап: 'stage',
      Сума: 'amount',
      Бележки: 'notes',
    });
  });

  it('maps the Russian sheet with a BOM and semicolons', () => {
    const m = mapSheet(fixture('ru-deals-bom.csv'));
    expect(m.headerRow).toBe(0);
    expect(m.language).toBe('ru');
    expect(mappingRecord(m)).toMatchObject({
      Контрагент: 'company',
      ИНН: 'eik',
      'Контактное лицо': 'fullName',
      Телефон: 'phone',
      'Моб.': 'mobile',
      'E-mail': 'email',
      Этап: 'stage',
      'Сумма, руб.': 'amount',
      Вероятность: 'probability',
      'Дата закрытия': 'expectedCloseDate',
      Ответственный: 'owner',
      Примечание: 'notes',
    });
  });

  it('maps a sheet whose headers are misspelt', () => {
    expect(mappingRecord(mapSheet(fixture('typos.csv')))).toEqual({
      Compnay: 'company',
      'Contcat Name': 'fullName',
      Emial: 'email',
      Telephon: 'phone',
      Adress: 'address',
      Citty: 'city',
      Probabilty: 'probability',
      Stgae: 'stage',
      Ammount: 'amount',
      'Expected Close Dat': 'expectedCloseDate',
    });
  });
});

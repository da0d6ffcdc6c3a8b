import { describe, expect, it } from 'vitest';
import {
  analyseSheet,
  cleanValueMaps,
  convertRows,
  detectSystem,
  distinctValues,
  inferSheetContext,
  mapSheet,
  mapSheetAuto,
  matchHeader,
  nonDataRows,
  resolveValue,
  type Cell,
} from '../../../shared/sheet';

const mapped = (rows: Cell[][]) => Object.fromEntries(mapSheetAuto(rows).mapping.columns.map((c) => [c.header, c.field]));

describe('the source system of an export', () => {
  it.each([
    [['Deal - ID', 'Deal - Title', 'Deal - Value', 'Deal - Stage', 'Person - Email'], [], 'pipedrive'],
    [['ID', 'Название сделки', 'Бюджет', 'Ответственный', 'Этап сделки', 'Воронка', 'Основной контакт'], [], 'amocrm'],
    [['ID', 'Название сделки', 'Стадия сделки', 'Направление', 'Сумма', 'Валюта'], [], 'bitrix24'],
    [['Record ID', 'Deal Name', 'Deal Stage', 'Amount', 'Associated Company IDs'], [], 'hubspot'],
    [['Opportunity Owner', 'Account Name', 'Opportunity Name', 'Stage', 'Close Date', 'Opportunity ID'], [], 'salesforce'],
    [['Record Id', 'Lead Owner', 'First Name', 'Last Name', 'Designation', 'Created Time'], ['zcrm_1', 'zcrm_2'], 'zoho'],
    [['(Do Not Modify) Opportunity', '(Do Not Modify) Row Checksum', 'Topic', 'Est. Revenue', 'Pipeline Phase'], [], 'dynamics'],
    [['Наименование', 'Код', 'ИНН', 'КПП', 'Полное наименование', 'Основной менеджер'], [], '1c'],
    [['Име', 'Фирма', 'Телефон', 'Етап', 'Сума'], [], null],
  ])('%j is %s', (headers, ids, system) => {
    expect(detectSystem(headers as string[], ids as string[])).toBe(system);
  });
});

describe('what a value means', () => {
  it('reads a system’s own defaults before the general vocabulary', () => {
    // amoCRM's "Переговоры" comes before "Принимают решение": a proposal there, a negotiation in a hand-kept sheet.
    expect(resolveValue('stage', 'Переговоры', { kind: 'deals', system: 'amocrm' })).toEqual({ value: 'proposal', from: 'system' });
    expect(resolveValue('stage', 'Переговоры', { kind: 'deals', system: null })).toEqual({ value: 'negotiation', from: 'vocabulary' });
    expect(resolveValue('stage', 'Принимают решение', { kind: 'deals', system: 'amocrm' })?.value).toBe('negotiation');
    expect(resolveValue('stage', 'Id. Decision Makers', { kind: 'deals', system: 'salesforce' })?.value).toBe('proposal');
    expect(resolveValue('stage', '3-Propose', { kind: 'deals', system: 'dynamics' })?.value).toBe('proposal');
    expect(resolveValue('stage', 'Сделка провалена', { kind: 'deals', system: 'bitrix24' })?.value).toBe('lost');
  });

  it('knows a default stage of a system the headers did not give away', () => {
    expect(resolveValue('stage', 'Закрыто и не реализовано', { kind: 'deals' })).toEqual({ value: 'lost', from: 'vocabulary' });
    expect(resolveValue('stage', 'Decision Maker Bought-In', { kind: 'deals' })?.value).toBe('negotiation');
  });

  it('reads a status as a lead’s status or as a deal’s outcome, by what the rows become', () => {
    expect(resolveValue('status', 'Won', { kind: 'deals', system: 'pipedrive' })?.value).toBe('won');
    expect(resolveValue('status', 'Open', { kind: 'deals', system: 'pipedrive' })?.value).toBe('open');
    expect(resolveValue('status', 'Lost', { kind: 'deals' })?.value).toBe('lost');
    expect(resolveValue('status', 'Open', { kind: 'leads' })?.value).toBe('new');
    expect(resolveValue('status', 'Качественный лид', { kind: 'leads', system: 'bitrix24' })?.value).toBe('converted');
    expect(resolveValue('status', 'Called - no answer', { kind: 'leads' })?.value).toBe('working');
    expect(resolveValue('status', 'Not a fit', { kind: 'leads' })?.value).toBe('disqualified');
    expect(resolveValue('status', 'Open - Not Contacted', { kind: 'leads', system: 'salesforce' })?.value).toBe('new');
  });

  it('takes the user’s choice first, whatever its case, and drops choices that mean nothing', () => {
    const maps = cleanValueMaps({ stage: { 'Pilot Running': 'negotiation', 'Board OK': 'approved' }, status: { Won: 'won' } }, 'deals');
    expect(maps).toEqual({ stage: { 'Pilot Running': 'negotiation' }, status: { Won: 'won' } });
    expect(resolveValue('stage', 'PILOT running', { kind: 'deals', maps })).toEqual({ value: 'negotiation', from: 'choice' });
    expect(resolveValue('stage', 'Legal Sign-off', { kind: 'deals', maps })).toBeNull();
  });

  it('lists each distinct value of the mapped columns once, with how many rows hold it', () => {
    const rows: Cell[][] = [
      ['Deal - Title', 'Deal - Stage', 'Deal - Status', 'Deal - Currency', 'Deal - Owner'],
      ['A', 'Qualified', 'Open', 'GBP', 'Ann'],
      ['B', 'Legal Sign-off', 'Won', 'gbp', 'Ann'],
      ['C', 'legal sign-off', 'Open', 'USD', 'Bo'],
    ];
    const a = analyseSheet(rows);
    const questions = distinctValues(rows, a.mapping, { kind: a.kind, system: a.system });
    expect(questions.map((q) => [q.field, q.raw, q.rows, q.value])).toEqual([
      ['stage', 'Qualified', 1, 'qualified'],
      ['stage', 'Legal Sign-off', 2, null],
      ['status', 'Open', 2, 'open'],
      ['status', 'Won', 1, 'won'],
      ['currency', 'GBP', 2, 'GBP'],
      ['currency', 'USD', 1, 'USD'],
      ['owner', 'Ann', 2, null],
      ['owner', 'Bo', 1, null],
    ]);
  });
});

describe('what a sheet holds', () => {
  it('a deals export is deals even with a contact person and an e-mail beside each deal', () => {
    expect(mapSheetAuto([['Deal - Title', 'Deal - Value', 'Deal - Stage', 'Person - Email', 'Deal - Contact person']]).kind).toBe('deals');
    expect(mapSheetAuto([['Название сделки', 'Бюджет', 'Этап сделки', 'Основной контакт', 'Рабочий email (контакт)']]).kind).toBe('deals');
  });

  it('a list of people is leads, with a stage or not, and so is a sheet that calls its rows leads', () => {
    expect(mapSheetAuto([['Име', 'Фирма', 'E-mail адрес', 'Етап', 'Сума']]).kind).toBe('leads');
    expect(mapSheetAuto([['ID', 'Название лида', 'Статус', 'Имя', 'Сумма', 'Валюта']]).kind).toBe('leads');
    expect(mapSheetAuto([['First Name', 'Last Name', 'Email', 'Lead Status']]).kind).toBe('leads');
  });

  it('a lead import has no pipeline stage: a contact list’s "Lifecycle Stage" is not imported', () => {
    expect(mapSheet([['First Name', 'Email', 'Stage']], { kind: 'leads' }).columns.map((c) => c.field)).toEqual([
      'firstName',
      'email',
      null,
    ]);
  });
});

describe('record IDs', () => {
  it('finds the source’s record ID by its header, never a row number nor a related record’s IDs', () => {
    const rows: Cell[][] = [
      ['№', 'Deal ID', 'Deal Name', 'Associated Company IDs', 'Amount'],
      ['1', '71003', 'A', '9981204411', '10'],
      ['2', '71019', 'B', '9981204622', '20'],
      ['3', '70550', 'C', '9981204622', '30'],
    ];
    expect(mapped(rows)).toEqual({
      '№': null,
      'Deal ID': 'externalId',
      'Deal Name': 'dealTitle',
      'Associated Company IDs': null,
      Amount: 'amount',
    });
  });

  it('takes a plain "ID" column of unique values, and leaves one counting 1, 2, 3', () => {
    const ids: Cell[][] = [
      ['ID', 'Company', 'Email'],
      ['4127', 'A Ltd', 'a@a.example'],
      ['1873', 'B Ltd', 'b@b.example'],
      ['4190', 'C Ltd', 'c@c.example'],
    ];
    expect(mapped(ids).ID).toBe('externalId');
    const counting = ids.map((r, i) => (i ? [String(i), ...r.slice(1)] : r));
    expect(mapped(counting).ID).toBeNull();
  });

  it.each([
    ['Record ID', 'externalId'],
    ['Record Id', 'externalId'],
    ['Opportunity ID', 'externalId'],
    ['(Do Not Modify) Opportunity', 'externalId'],
    ['Код', 'externalId'],
    ['Badge ID', 'externalId'],
    ['Organization - Address - Country of Address', 'country'],
    ['Organization - Address - ZIP/Postal code of Address', 'postalCode'],
    ['Phone 2 - Value', 'phone'],
    ['Deal - Weighted value', null],
    ['Pipeline Phase', 'stage'],
    ['Est. Revenue', 'amount'],
    ['Дата обращения', 'createdAt'],
    ['Дата след. контакта', null],
    ['ЄДРПОУ', 'eik'],
  ])('reads the header %j as %s', (header, field) => {
    expect(matchHeader(header)).toBe(field);
  });
});

describe('the sheet as a whole', () => {
  it('reads the country from the numbers written with a country code, and American dates month first', () => {
    const rows: Cell[][] = [
      ['Name', 'Phone', 'Created'],
      ['A', '+44 20 7946 0018', '3/14/2026'],
      ['B', '+44 117 496 0123', '11/2/2026'],
      ['C', '+1 212 555 0180', '1/5/2026'],
    ];
    const context = inferSheetContext(rows, mapSheet(rows));
    expect(context).toEqual({ country: 'GB', countries: ['GB', 'US'], dateOrder: 'MDY', currency: 'GBP' });
  });

  it('skips totals, folders of a 1C list and a report footer, and refuses nothing there', () => {
    const rows: Cell[][] = [
      ['Наименование', 'Код', 'ИНН', 'Телефон', 'Адрес электронной почты', 'Контактное лицо'],
      ['Покупатели', '00-000001', '', '', '', ''],
      ['Гранит ООО', '00-000117', '7707083893', '+7 (495) 241-37-31', 'info@granit.example', 'Лазарев Олег'],
      ['Невская АО', '00-000163', '', '8 (812) 457-17-13', 'snab@nevskaya.example', 'Корнилов Юрий'],
      ['Поставщики', '00-000002', '', '', '', ''],
      ['Волга ООО', '00-000170', '', '8 (843) 301-32-49 доб. 215', 'zakupki@volga.example', 'Гайнуллина Резеда'],
      [],
      ['Итого: 3 контрагента'],
    ];
    const mapping = mapSheet(rows);
    expect([...nonDataRows(rows, mapping)].sort()).toEqual([1, 4, 7]);
    const results = convertRows(rows, mapping, { defaultCountry: 'RU' });
    expect(results.map((r) => [r.row, r.errors.length])).toEqual([
      [2, 0],
      [3, 0],
      [5, 0],
    ]);
    expect(results[2]!.record).toMatchObject({ externalId: '00-000170', phone: '+78433013249', phoneExt: '215' });
  });

  it('a status column decides won and lost, and the stage keeps the last open one', () => {
    const rows: Cell[][] = [
      ['Deal - Title', 'Deal - Stage', 'Deal - Status'],
      ['A', 'Proposal Made', 'Won'],
      ['B', 'Qualified', 'Open'],
    ];
    const a = analyseSheet(rows);
    const [won, open] = convertRows(rows, a.mapping, { kind: a.kind, system: a.system });
    expect(won!.record).toMatchObject({ stage: 'won', dealStatus: 'won', openStage: 'proposal' });
    expect(open!.record).toMatchObject({ stage: 'qualified', dealStatus: 'open' });
  });
});

describe('exports laid out another way', () => {
  it('an English amoCRM export whose stage column is called "Status" is deals with that column as the stage', () => {
    const rows: Cell[][] = [
      ['ID', 'Name', 'Budget', 'Responsible user', 'Date created', 'Closed', 'Status', 'Pipeline', 'Main contact', 'Company'],
      ['501', 'Racks', '310000', 'Ann Lee', '12.10.2026 09:14:05', '', 'Initial contact', 'Sales', 'Dan Roe', 'Roe Ltd'],
      ['502', 'Forklift', '990000', 'Ann Lee', '02.09.2026 10:00:00', '', 'Negotiation', 'Sales', 'Kim Fox', 'Fox LLC'],
      ['503', 'Shelves', '120000', 'Ann Lee', '01.02.2023 10:00:00', '20.03.2023 16:00:00', 'Closed - won', 'Sales', 'Dan Roe', 'Roe Ltd'],
      ['504', 'Boxes', '45000', 'Ann Lee', '01.08.2026 10:00:00', '15.09.2026 10:00:00', 'Closed - lost', 'Sales', 'Eve Ash', 'Ash AG'],
      ['505', 'Lamps', '87000', 'Ann Lee', '11.06.2026 08:22:50', '', 'Decision making', 'Sales', 'Ola Sky', 'Sky Oy'],
    ];
    const a = analyseSheet(rows);
    expect([a.kind, a.system]).toEqual(['deals', 'amocrm']);
    const fields = Object.fromEntries(a.mapping.columns.map((c) => [c.header, c.field]));
    expect(fields).toMatchObject({
      ID: 'externalId',
      Name: 'dealTitle',
      Budget: 'amount',
      Status: 'stage',
      Closed: 'expectedCloseDate',
      Pipeline: null,
    });
    const results = convertRows(rows, a.mapping, { kind: a.kind, system: a.system, defaultCurrency: 'RUB' });
    expect(results.map((r) => [r.record.stage, r.errors.length])).toEqual([
      ['new', 0],
      ['proposal', 0],
      ['won', 0],
      ['lost', 0],
      ['negotiation', 0],
    ]);
    expect(results[2]!.record.expectedCloseDate).toBe('2023-03-20');
  });

  it('a Pipedrive export without the "Deal - " prefixes is still Pipedrive, its status deciding won and lost', () => {
    const rows: Cell[][] = [
      [
        'ID',
        'Title',
        'Value',
        'Currency of Value',
        'Organization',
        'Contact person',
        'Stage',
        'Status',
        'Deal created',
        'Expected close date',
        'Won time',
        'Lost time',
      ],
      [
        '7001',
        'Ashdown – rollout',
        '14000',
        'GBP',
        'Ashdown Ltd',
        'Nell Ashby',
        'Proposal Made',
        'Open',
        '2026-09-01 10:00:00',
        '2026-12-18',
        '',
        '',
      ],
      [
        '7002',
        'Corby – seats',
        '8800',
        'USD',
        'Corby Inc.',
        'Cody Vance',
        'Negotiations Started',
        'Won',
        '2021-02-01 10:00:00',
        '2021-03-31',
        '2021-03-30 12:00:00',
        '',
      ],
      [
        '7003',
        'Fennick – licence',
        '6100',
        'EUR',
        'Fennick GmbH',
        'Jonas Brandt',
        'Qualified',
        'Lost',
        '2025-02-01 10:00:00',
        '2025-03-31',
        '',
        '2025-03-02 09:00:00',
      ],
    ];
    const a = analyseSheet(rows);
    expect([a.kind, a.system]).toEqual(['deals', 'pipedrive']);
    const results = convertRows(rows, a.mapping, { kind: a.kind, system: a.system });
    expect(results.map((r) => [r.record.externalId, r.record.stage, r.record.currency, r.errors.length])).toEqual([
      ['7001', 'proposal', 'GBP', 0],
      ['7002', 'won', 'USD', 0],
      ['7003', 'lost', 'EUR', 0],
    ]);
  });
});

import { describe, expect, it } from 'vitest';
import {
  escapeCell,
  parseCompanyId,
  parseCurrency,
  parseDate,
  parseEmail,
  parseMoney,
  parsePhone,
  parseProbability,
  parseStage,
  parseStatus,
  parseVat,
  parseWebsite,
} from '../../../shared/sheet';
import { splitPersonName } from '../../../shared/person-name';

describe('parseDate', () => {
  it.each([
    ['12.03.2026', '2026-03-12'],
    ['1.3.26', '2026-03-01'],
    ['12/03/2026', '2026-03-12'],
    ['03/25/2026', '2026-03-25'],
    ['2026-03-12', '2026-03-12'],
    ['2026-03-12T09:30:00Z', '2026-03-12'],
    ['12.03.2026 г.', '2026-03-12'],
    ['12.03.2026 14:30', '2026-03-12'],
    ['12-03-2026', '2026-03-12'],
    ['12 март 2026', '2026-03-12'],
    ['12 марта 2026 г.', '2026-03-12'],
    ['March 12, 2026', '2026-03-12'],
    [46093, '2026-03-12'],
    [new Date(Date.UTC(2026, 2, 12)), '2026-03-12'],
    ['31.02.2026', null],
    ['next week', null],
    ['', null],
  ])('reads %j as %j', (input, expected) => {
    expect(parseDate(input)).toBe(expected);
  });

  it('reads an ambiguous slash date month-first when told the sheet is American', () => {
    expect(parseDate('03/04/2026', 'MDY')).toBe('2026-03-04');
    expect(parseDate('03/04/2026')).toBe('2026-04-03');
  });
});

describe('parseMoney', () => {
  it.each([
    ['12 500,00 лв.', 1_250_000, 'BGN'],
    ['1,234.50', 123_450, null],
    ['1.234,50 €', 123_450, 'EUR'],
    ['₽ 3 000', 300_000, 'RUB'],
    ['$1,200', 120_000, 'USD'],
    ['BGN 100', 10_000, 'BGN'],
    ['5 000 рублей', 500_000, 'RUB'],
    ['100 EUR', 10_000, 'EUR'],
    ['12,5', 1_250, null],
    ['0,125', 13, null],
    ['(100)', -10_000, null],
    [1234.5, 123_450, null],
    [1.005, 101, null],
  ])('reads %j as %i minor units in %s', (input, amountMinor, currency) => {
    const money = parseMoney(input);
    expect(money).toEqual({ amountMinor, currency });
    expect(Number.isInteger(money!.amountMinor)).toBe(true);
  });

  it.each(['сто лева', '1.2.3', '', 'N/A'])('answers null for %j', (input) => {
    expect(parseMoney(input)).toBeNull();
  });

  it('uses the default currency only when the value names none', () => {
    expect(parseMoney('100', 'EUR')).toEqual({ amountMinor: 10_000, currency: 'EUR' });
    expect(parseMoney('100 лв', 'EUR')).toEqual({ amountMinor: 10_000, currency: 'BGN' });
    expect(parseCurrency('Сумма: 5 руб.')).toBe('RUB');
  });
});

describe('parseProbability', () => {
  it.each([
    ['40%', 40],
    ['40 %', 40],
    ['0.4', 40],
    ['0,4', 40],
    ['40', 40],
    [0.4, 40],
    [75, 75],
    ['150%', null],
    ['high', null],
  ])('reads %j as %j', (input, expected) => {
    expect(parseProbability(input)).toBe(expected);
  });
});

describe('parsePhone', () => {
  it.each([
    ['0888 123 456', 'BG', '+359888123456'],
    ['02/987 65 43', 'BG', '+35929876543'],
    ['+359 2 987 6543', 'BG', '+35929876543'],
    ['00359888123456', 'BG', '+359888123456'],
    ['0888123456 доб. 12', 'BG', '+359888123456'],
    ['8 (495) 540-75-20', 'RU', '+74955407520'],
    ['(495) 540-75-20', 'BG', '+74955407520'],
    ['n/a; 0888 123 456', 'BG', '+359888123456'],
    ['123', 'BG', null],
    ['няма', 'BG', null],
  ] as const)('reads %j (default %s) as %j', (input, country, expected) => {
    expect(parsePhone(input, country)).toBe(expected);
  });
});

describe('e-mail, website and company identifiers', () => {
  it('normalises the first valid e-mail and rejects obfuscated ones', () => {
    expect(parseEmail('Ivan.Petrov@Acme.BG; office@acme.bg')).toBe('ivan.petrov@acme.bg');
    expect(parseEmail('ivan(at)acme.bg')).toBeNull();
  });

  it('accepts websites that name a host', () => {
    expect(parseWebsite('www.acme.bg')).toBe('www.acme.bg');
    expect(parseWebsite('https://acme.bg/contacts')).toBe('https://acme.bg/contacts');
    expect(parseWebsite('no site')).toBeNull();
  });

  it.each([
    ['831642181', '831642181'],
    ['BG 831 642 181', '831642181'],
    ['831642182', null],
    ['7707083893', '7707083893'],
    ['7707083894', null],
    [31642181, null],
  ] as const)('reads the company id %j as %j', (input, expected) => {
    expect(parseCompanyId(input)).toBe(expected);
  });

  it('restores the leading zero Excel drops from a numeric EIK', () => {
    expect(parseCompanyId(12345673)).toBe('012345673');
    expect(parseCompanyId('012345673')).toBe('012345673');
  });

  it('gives a bare EIK the BG prefix as a VAT number', () => {
    expect(parseVat('831642181')).toBe('BG831642181');
    expect(parseVat('bg 831642181')).toBe('BG831642181');
    expect(parseVat('BG831642182')).toBeNull();
  });
});

describe('stages and statuses', () => {
  it.each([
    ['Спечелена', 'won'],
    ['Выиграна', 'won'],
    ['Closed Won', 'won'],
    ['Оферта', 'proposal'],
    ['Предложение', 'proposal'],
    ['Proposal/Price Quote', 'proposal'],
    ['3. Оферта', 'proposal'],
    ['Преговори', 'negotiation'],
    ['Переговоры', 'negotiation'],
    ['Negotiation/Review', 'negotiation'],
    ['Загубена', 'lost'],
    ['Проиграна', 'lost'],
    ['Closed Lost', 'lost'],
    ['Квалифицирана', 'qualified'],
    ['Prospecting', 'new'],
    ['Нова', 'new'],
    ['Спечелнеа', 'won'],
    ['something else', null],
  ])('maps the stage %j to %j', (input, expected) => {
    expect(parseStage(input)).toBe(expected);
  });

  it.each([
    ['New', 'new'],
    ['В работе', 'working'],
    ['В процес', 'working'],
    ['Qualified', 'qualified'],
    ['Дисквалифициран', 'disqualified'],
    ['Junk', 'disqualified'],
    ['Конвертиран', 'converted'],
    ['???', null],
  ])('maps the lead status %j to %j', (input, expected) => {
    expect(parseStatus(input)).toBe(expected);
  });
});

describe("splitPersonName on a sheet's full-name column", () => {
  it.each([
    ['Иван Петров Иванов', 'Иван', 'Иванов'],
    ['Иванов Иван Иванович', 'Иван', 'Иванов'],
    ['Иван Иванович Иванов', 'Иван', 'Иванов'],
    ['Петрова Мария Сергеевна', 'Мария', 'Петрова'],
    ['Иван Петров', 'Иван', 'Петров'],
    ['Петров Иван', 'Иван', 'Петров'],
    ['Мария Петрова', 'Мария', 'Петрова'],
    ['John Smith', 'John', 'Smith'],
    ['Smith, John', 'John', 'Smith'],
    ['г-н Иван Петров', 'Иван', 'Петров'],
    ['Мадона', 'Мадона', null],
  ])('splits %j into first %j and last %j', (input, first, last) => {
    const parts = splitPersonName(input);
    expect(parts.firstName).toBe(first);
    expect(parts.lastName).toBe(last);
  });
});

describe('escapeCell', () => {
  it.each([
    ['=HYPERLINK("http://x","y")', `'=HYPERLINK("http://x","y")`],
    ['+359888123456', `'+359888123456`],
    ['-5', `'-5`],
    ['@SUM(A1)', `'@SUM(A1)`],
    ['\tcmd', `'\tcmd`],
    ['\rcmd', `'\rcmd`],
    ['Иван = Петър', 'Иван = Петър'],
    ['', ''],
  ])('escapes %j as %j', (input, expected) => {
    expect(escapeCell(input)).toBe(expected);
  });

  it('leaves numbers, booleans and null untouched', () => {
    expect(escapeCell(-12.5)).toBe(-12.5);
    expect(escapeCell(true)).toBe(true);
    expect(escapeCell(null)).toBeNull();
  });
});

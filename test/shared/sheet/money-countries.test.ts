import { describe, expect, it } from 'vitest';
import {
  ISO_4217_CODES,
  countryOf,
  currencyOf,
  decodeBytes,
  isCurrencyCode,
  localCurrency,
  minorDigits,
  parseMoney,
  readPhone,
} from '../../../shared/sheet';

describe('currencies', () => {
  it('knows every current ISO 4217 code and the withdrawn ones old sheets carry, with their minor units', () => {
    for (const code of ['GBP', 'KZT', 'BYN', 'UAH', 'PLN', 'RON', 'CHF', 'CAD', 'JPY', 'KWD', 'XOF', 'BGN', 'HRK'])
      expect(isCurrencyCode(code)).toBe(true);
    expect(isCurrencyCode('XXX')).toBe(false);
    expect(isCurrencyCode('gbp')).toBe(false);
    expect(ISO_4217_CODES.length).toBeGreaterThanOrEqual(170);
    expect([minorDigits('EUR'), minorDigits('JPY'), minorDigits('KWD'), minorDigits('CLF')]).toEqual([2, 0, 3, 4]);
  });

  it.each([
    ['GBP', 'GBP'],
    ['Российский рубль', 'RUB'],
    ['Казахстанский тенге', 'KZT'],
    ['Белорусский рубль', 'BYN'],
    ['Доллар США', 'USD'],
    ['Pound Sterling', 'GBP'],
    ['US Dollar', 'USD'],
    ['Euro', 'EUR'],
    ['руб.', 'RUB'],
    ['р.', 'RUB'],
    ['₽', 'RUB'],
    ['грн', 'UAH'],
    ['грн.', 'UAH'],
    ['zł', 'PLN'],
    ['Lei', 'RON'],
    ['lei', 'RON'],
    ['лв.', 'BGN'],
    ['€', 'EUR'],
    ['£', 'GBP'],
    ['CHF', 'CHF'],
    ['български лева', 'BGN'],
    ['złoty polski', 'PLN'],
    ['динари', null],
  ])('reads the currency cell %j as %j', (cell, code) => {
    expect(currencyOf(cell)).toBe(code);
  });

  it('settles a symbol several currencies share with the country', () => {
    expect(currencyOf('$')).toBe('USD');
    expect(currencyOf('$', 'CA')).toBe('CAD');
    expect(currencyOf('р.', 'BY')).toBe('BYN');
    expect(currencyOf('lei', 'MD')).toBe('MDL');
    expect(currencyOf('kr', 'SE')).toBe('SEK');
  });

  it.each([
    ['12 500,00 лв.', null, 1_250_000, 'BGN'],
    ['3 200,00 €', null, 320_000, 'EUR'],
    ['€ 15 000', null, 1_500_000, 'EUR'],
    ['4 250,50 EUR', null, 425_050, 'EUR'],
    ['£48,500.00', null, 4_850_000, 'GBP'],
    ['1 250 000', 'RUB', 125_000_000, 'RUB'],
    ['350 000,50', 'RUB', 35_000_050, 'RUB'],
    ['1200000', 'JPY', 1_200_000, 'JPY'],
    ['1 200 000 ¥', null, 1_200_000, 'JPY'],
    ['9 779,15 лв. / 5 000,00 €', 'EUR', 500_000, 'EUR'],
    ['9 779,15 лв. / 5 000,00 €', 'BGN', 977_915, 'BGN'],
  ])('reads the amount %j (default %s) as %d minor units of %s', (cell, fallback, minor, code) => {
    expect(parseMoney(cell, fallback)).toEqual({ amountMinor: minor, currency: code });
  });

  it('names the currency each country pays in today', () => {
    expect([localCurrency('GB'), localCurrency('BG'), localCurrency('RU'), localCurrency('UA'), localCurrency('KZ')]).toEqual([
      'GBP',
      'EUR',
      'RUB',
      'UAH',
      'KZT',
    ]);
    expect(localCurrency(null)).toBeNull();
  });
});

describe('countries', () => {
  it.each([
    ['United Kingdom', 'GB'],
    ['UK', 'GB'],
    ['England', 'GB'],
    ['USA', 'US'],
    ['United States', 'US'],
    ['Deutschland', 'DE'],
    ['Polska', 'PL'],
    ['România', 'RO'],
    ['Schweiz', 'CH'],
    ['Ελλάδα', 'GR'],
    ['РОССИЯ', 'RU'],
    ['БЕЛАРУСЬ', 'BY'],
    ['Казахстан', 'KZ'],
    ['Україна', 'UA'],
    ['България', 'BG'],
    ['DEU', 'DE'],
    ['ru', 'RU'],
    ['Bulgria', 'BG'],
    ['Swizerland', 'CH'],
    ['Moscow, Russia', 'RU'],
    ['Narnia', null],
  ])('reads %j as %j', (cell, code) => {
    expect(countryOf(cell)).toBe(code);
  });
});

describe('phones', () => {
  it.each([
    ['020 7946 0606', 'GB', '+442079460606', null],
    ['+44 (0)161 496 0479', 'BG', '+441614960479', null],
    ['(312) 555-0190', 'US', '+13125550190', null],
    ['030 37528095', 'DE', '+493037528095', null],
    ['8 (017) 949-33-58', 'BY', '+375179493358', null],
    ['8 343 788 84 47 доб. 114', 'RU', '+73437888447', '114'],
    ['+1 212 555 0180 ext. 12', 'GB', '+12125550180', '12'],
    ['79168363318', 'RU', '+79168363318', null],
    ['+7 912 301-96-10, +7 (343) 566-55-31', 'RU', '+79123019610', null],
    ['+44 20 7946 0403 ::: 0161 496 0019', 'GB', '+442079460403', null],
  ])('reads %j for %s as %s with extension %j', (cell, country, e164, ext) => {
    expect(readPhone(cell, country)).toEqual({ e164, ext });
  });

  it('tries the other countries a sheet shows when the row’s country does not fit', () => {
    expect(readPhone('(617) 555-0145', 'GB')).toBeNull();
    expect(readPhone('(617) 555-0145', 'GB', ['US'])).toEqual({ e164: '+16175550145', ext: null });
  });

  it('never reads digits that start with another country’s code as that country', () => {
    expect(readPhone('3125550190', 'GB')).toBeNull();
  });
});

describe('code pages', () => {
  it('tells a Western export (ISO-8859-1) from a Cyrillic one (windows-1251)', () => {
    const latin = new Uint8Array(
      [...'Ren'].map((c) => c.charCodeAt(0)).concat([0xe9, 0x65, 0x20, 0x4c, 0x65, 0x66, 0xe8, 0x76, 0x72, 0x65]),
    );
    expect(decodeBytes(latin)).toEqual({ text: 'Renée Lefèvre', encoding: 'windows-1252' });
    const cyrillic = new Uint8Array([0xc8, 0xe2, 0xe0, 0xed, 0x20, 0xcf, 0xe5, 0xf2, 0xf0, 0xee, 0xe2]);
    expect(decodeBytes(cyrillic)).toEqual({ text: 'Иван Петров', encoding: 'windows-1251' });
  });
});

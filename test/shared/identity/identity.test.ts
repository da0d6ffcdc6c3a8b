import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  companyKey,
  isFreeMail,
  isValidEgn,
  isValidEik,
  nameKey,
  normalizeDomain,
  normalizeEik,
  normalizeEmail,
  normalizeVat,
  phoneKind,
  toE164,
  transliterate,
} from '../../../shared/identity';
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';

describe('name keys', () => {
  it('transliterates by the official Bulgarian system, including -ия at a word end', () => {
    expect(transliterate('София')).toBe('Sofia');
    expect(transliterate('Щерев Жечев')).toBe('Shterev Zhechev');
    expect(transliterate('Юлия Цветкова')).toBe('Yulia Tsvetkova');
    expect(transliterate('Мария-Ана')).toBe('Maria-Ana');
    expect(transliterate('Ъглов')).toBe('Aglov');
  });

  it('lets Cyrillic and Latin spellings of one name meet', () => {
    expect(nameKey('Иван  Петров')).toBe(nameKey('ivan PETROV'));
    expect(nameKey('Георги Николов')).toBe('georgi nikolov');
    expect(nameKey('Сергей Смирнов')).toBe('sergey smirnov');
    expect(nameKey('Zoë  Müller')).toBe('zoe muller');
    expect(nameKey(null)).toBe('');
  });

  it('keys any text as the full transliteration path does (its fast paths change nothing)', () => {
    // The definition: transliterate, drop diacritics, fold case and punctuation.
    const reference = (t: string) =>
      transliterate(t.normalize('NFKC'))
        .normalize('NFKD')
        .replace(/\p{M}/gu, '')
        .toLowerCase()
        .replace(/[^\p{L}\p{N}]+/gu, ' ')
        .trim();
    const letters = fc.constantFrom(...'абвгдежзийклмнопрстуфхцчшщъьюяыэёАБВГДЕЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЬЮЯЁ aBzZ09-.,@_~\tïéÜ'.split(''));
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: letters, maxLength: 30 }), fc.string({ unit: 'grapheme', maxLength: 20 })), (t) => {
        expect(nameKey(t)).toBe(reference(t));
      }),
      { numRuns: 2000 },
    );
    expect(nameKey('Мария ИЯ Ия')).toBe('maria ia ia');
  });

  it('drops legal forms and quotes from company keys', () => {
    expect(companyKey('„Акме Трейд“ ЕООД')).toBe('akme treyd');
    expect(companyKey('Akme Treyd EOOD')).toBe('akme treyd');
    expect(companyKey('ООО "Ромашка"')).toBe('romashka');
    expect(companyKey('Globex Ltd.')).toBe('globex');
  });
});

describe('emails and domains', () => {
  it('normalises addresses with display names and rejects non-addresses', () => {
    expect(normalizeEmail(' Ivan <IVAN@Acme.BG> ')).toBe('ivan@acme.bg');
    expect(normalizeEmail('mailto:a.b@x.co')).toBe('a.b@x.co');
    expect(normalizeEmail('not an email')).toBeNull();
  });

  it('knows free mail providers', () => {
    expect(isFreeMail('someone@abv.bg')).toBe(true);
    expect(isFreeMail('mail.ru')).toBe(true);
    expect(isFreeMail('ivan@acme.bg')).toBe(false);
  });

  it('reduces websites to their host', () => {
    expect(normalizeDomain('https://www.Acme.bg/contacts')).toBe('acme.bg');
    expect(normalizeDomain('www.example.com')).toBe('example.com');
    expect(normalizeDomain('nonsense')).toBeNull();
  });
});

describe('phones', () => {
  it('normalises Bulgarian and Russian numbers to E.164', () => {
    expect(toE164('0888 123 456')).toBe('+359888123456');
    expect(toE164('00359 2 987 6543')).toBe('+35929876543');
    expect(toE164('+7 912 345-67-89')).toBe('+79123456789');
    expect(toE164('8 (912) 345-67-89', 'RU')).toBe('+79123456789');
    expect(toE164('12')).toBeNull();
  });

  it('reads Bulgarian mobile numbers exactly as the full parser does, however they are written', () => {
    const full = (text: string, country: CountryCode) => {
      const t = /^00[1-9]/.test(text.trim()) ? '+' + text.trim().slice(2) : text;
      const p = parsePhoneNumberFromString(t, country);
      return p && p.isValid() ? p.number : null;
    };
    const sep = fc.constantFrom('', ' ', '-', '.', ' - ');
    const number = fc.tuple(
      fc.constantFrom('87', '88', '89', '98', '86', '97', '99', '2'),
      fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 6, maxLength: 8 }),
    );
    fc.assert(
      fc.property(
        number,
        fc.constantFrom('0', '+359', '00359', '+359 ', '(0', '+3590', '8'),
        sep,
        sep,
        fc.constantFrom<CountryCode>('BG', 'RU'),
        ([head, digits], prefix, s1, s2, country) => {
          const d = head + digits.join('');
          const text = `${prefix}${prefix === '(0' ? d.slice(0, 3) + ')' : d.slice(0, 3)}${s1}${d.slice(3, 6)}${s2}${d.slice(6)}`;
          expect(toE164(text, country)).toBe(full(text, country));
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('tells mobiles from landlines', () => {
    expect(phoneKind('+359888123456')).toBe('mobile');
    expect(phoneKind('+35929876543')).toBe('landline');
  });
});

describe('EIK and VAT', () => {
  it('verifies check digits of 9- and 13-digit EIKs', () => {
    expect(isValidEik('831642181')).toBe(true);
    expect(isValidEik('831642182')).toBe(false);
    expect(isValidEik('12345')).toBe(false);
  });

  it('verifies EGN check digits', () => {
    expect(isValidEgn('7501010010')).toBe(true);
    expect(isValidEgn('7501010011')).toBe(false);
  });

  it('normalises EIK and VAT numbers', () => {
    expect(normalizeEik('BG 831 642 181')).toBe('831642181');
    expect(normalizeEik('831642182')).toBeNull();
    expect(normalizeVat('bg 831642181')).toBe('BG831642181');
    expect(normalizeVat('BG831642182')).toBeNull();
    expect(normalizeVat('DE123456789')).toBe('DE123456789');
  });
});

import { describe, expect, it } from 'vitest';
import { cleanCompany, findCompanyId, findVat, isValidGbVat, isValidInn } from '../../../shared/email';
import { isPersonName, splitPersonName } from '../../../shared/person-name';
import { cityFromAddress, isKnownCity, nominativeCity } from '../../../shared/places';

describe('person names', () => {
  it('puts the given name first whichever order the person wrote the words in', () => {
    expect(splitPersonName('Соколова Марина')).toEqual({
      fullName: 'Соколова Марина',
      firstName: 'Марина',
      middleName: null,
      lastName: 'Соколова',
    });
    expect(splitPersonName('Марина Соколова')).toMatchObject({ firstName: 'Марина', lastName: 'Соколова' });
    expect(splitPersonName('Оганесян Виталий')).toMatchObject({ firstName: 'Виталий', lastName: 'Оганесян' });
    expect(splitPersonName('Tsvetan Ivanov')).toMatchObject({ firstName: 'Tsvetan', lastName: 'Ivanov' });
  });

  it('recognises a patronymic in either position and a Bulgarian father name in the middle', () => {
    expect(splitPersonName('Нуриева Лейсан Рафаэлевна')).toMatchObject({
      firstName: 'Лейсан',
      middleName: 'Рафаэлевна',
      lastName: 'Нуриева',
    });
    expect(splitPersonName('Андрей Валерьевич Кузьмин')).toMatchObject({
      firstName: 'Андрей',
      middleName: 'Валерьевич',
      lastName: 'Кузьмин',
    });
    expect(splitPersonName('Иван Петров Иванов')).toMatchObject({ firstName: 'Иван', middleName: 'Петров', lastName: 'Иванов' });
  });

  it('reads initials after a surname as the given name and patronymic, and drops honorifics', () => {
    expect(splitPersonName('Савин Д.О.')).toMatchObject({ firstName: 'Д.', middleName: 'О.', lastName: 'Савин' });
    expect(splitPersonName('инж. Стоян Вълчев')).toMatchObject({ fullName: 'Стоян Вълчев', firstName: 'Стоян', lastName: 'Вълчев' });
  });

  it('reads "Surname, Given" as a list writes it, and writes the full name given name first', () => {
    expect(splitPersonName('Smith, Mary Ann')).toEqual({
      fullName: 'Mary Ann Smith',
      firstName: 'Mary',
      middleName: 'Ann',
      lastName: 'Smith',
    });
    expect(splitPersonName('Петрова, г-жа Мария')).toEqual({
      fullName: 'Мария Петрова',
      firstName: 'Мария',
      middleName: null,
      lastName: 'Петрова',
    });
  });

  it('does not take a degree after a comma for a given name', () => {
    expect(splitPersonName('Ivan Petrov, PhD')).toMatchObject({ firstName: 'Ivan', lastName: 'Petrov' });
    expect(splitPersonName('Petrov, PhD')).toMatchObject({ lastName: null });
  });

  it('tells a person from an organisation or a department by its words', () => {
    expect(isPersonName('Гусева Татьяна')).toBe(true);
    expect(isPersonName('Nikolay Stoev')).toBe(true);
    expect(isPersonName('Мандра Родина')).toBe(false);
    expect(isPersonName('Бухгалтерия Казаньтехснаб')).toBe(false);
  });
});

describe('cities', () => {
  it('reads the city of Bulgarian, Russian, British and American address lines', () => {
    expect(cityFromAddress('4003 Пловдив, бул. „Марица“ 154, ет. 2')).toBe('Пловдив');
    expect(cityFromAddress('Русе 7000, бул. „Тутракан“ 12А')).toBe('Русе');
    expect(cityFromAddress('5100 Горна Оряховица, ул. „Свети Княз Борис I“ 2')).toBe('Горна Оряховица');
    expect(cityFromAddress('с. Калитиново, общ. Стара Загора')).toBe('Калитиново');
    expect(cityFromAddress('344019, г. Ростов-на-Дону, ул. 1-я Майская, 15')).toBe('Ростов-на-Дону');
    expect(cityFromAddress('142100, Московская обл., г. Подольск, ул. Бронницкая, 9')).toBe('Подольск');
    expect(cityFromAddress('129085, Москва, пр-т Мира, д. 101В')).toBe('Москва');
    expect(cityFromAddress('Unit 7, Kirkstall Trade Park, Leeds LS5 3BT, United Kingdom')).toBe('Leeds');
    expect(cityFromAddress('400 W. Lake St., Suite 1200, Chicago, IL 60606')).toBe('Chicago');
  });

  it('takes a bare town in front of the street, and gives no city for a street or a region alone', () => {
    expect(cityFromAddress('Несебър, ул. „Еделвайс“ 14')).toBe('Несебър');
    expect(cityFromAddress('Тополи, ул. „Черно море“ 3')).toBe('Тополи');
    expect(cityFromAddress('ул. „Черно море“ 3')).toBeNull();
    expect(cityFromAddress('Вологодская обл.')).toBeNull();
  });

  it('puts a Russian city named in an oblique case back in the nominative', () => {
    expect(nominativeCity('Казани')).toBe('Казань');
    expect(nominativeCity('Екатеринбурга')).toBe('Екатеринбург');
    expect(nominativeCity('Нижнего Новгорода')).toBe('Нижний Новгород');
    expect(nominativeCity('Ростова-на-Дону')).toBe('Ростов-на-Дону');
    expect(nominativeCity('Набережных Челнов')).toBe('Набережные Челны');
    expect(nominativeCity('Вахитова')).toBeNull();
  });

  it('knows Bulgarian towns in Latin by their official transliteration', () => {
    expect(isKnownCity('Gorna Oryahovitsa')).toBe(true);
    expect(isKnownCity('Veliko Tarnovo')).toBe(true);
  });
});

describe('company names', () => {
  it('keeps the legal form and drops quote marks, nested ones too', () => {
    expect(cleanCompany('ООО «Молочный завод «Шексна»»')).toBe('ООО Молочный завод Шексна');
    expect(cleanCompany('„Тракия Билд Инженеринг“ ООД')).toBe('Тракия Билд Инженеринг ООД');
    expect(cleanCompany('ООО "ДальПромРесурс"')).toBe('ООО ДальПромРесурс');
  });

  it('takes the legal name out of a brand line, a bracketed note or a bilingual pair, and keeps commas that belong to the name', () => {
    expect(cleanCompany('Аптеки „Делфиния“ – „Делфиния Фарм“ ЕООД')).toBe('Делфиния Фарм ЕООД');
    expect(cleanCompany('ИП Хабибуллин Р.Р. (мастерская «Дубрава»)')).toBe('ИП Хабибуллин Р.Р.');
    expect(cleanCompany('ИП Галиев А.Ф., магазин «Бахча»')).toBe('ИП Галиев А.Ф.');
    expect(cleanCompany('Джи О Фрейт ЕООД – GO Freight EOOD')).toBe('Джи О Фрейт ЕООД');
    expect(cleanCompany('ЕТ „Мими – Мирослава Петрова“')).toBe('ЕТ Мими – Мирослава Петрова');
    expect(cleanCompany('Northfield MEP Group, Inc.')).toBe('Northfield MEP Group, Inc.');
    expect(cleanCompany('Luce, Forward, Hamilton & Scripps LLP')).toBe('Luce, Forward, Hamilton & Scripps LLP');
  });
});

describe('company identifiers', () => {
  it('checks the ИНН check digits of companies (10) and sole proprietors (12)', () => {
    expect(isValidInn('7707083893')).toBe(true);
    expect(isValidInn('7707083894')).toBe(false);
    expect(isValidInn('370215087100')).toBe(true);
    expect(isValidInn('370215087101')).toBe(false);
  });

  it('takes the ИНН from an ИНН/КПП pair and never an ОГРН or a КПП', () => {
    expect(findCompanyId('ИНН/КПП 5406912536/540601001\nОГРН 1155476031281')).toBe('5406912536');
    expect(findCompanyId('КПП 540601001\nОГРН 1155476031281')).toBeNull();
    expect(findCompanyId('ОГРНИП 317370200015432')).toBeNull();
  });

  it('takes a Bulgarian EIK or BULSTAT with valid check digits', () => {
    expect(findCompanyId('БУЛСТАТ 000291641')).toBe('000291641');
    expect(findCompanyId('UIC 205134788 | VAT BG205134788')).toBe('205134788');
    expect(findCompanyId('ЕИК 205134789')).toBeNull();
  });

  it('reads GB and BG VAT numbers as written, spaces removed, and rejects a wrong GB check', () => {
    expect(findVat('Registered in England and Wales, company no. 09817264. VAT Reg. No. GB 286 4719 17.')).toBe('GB286471917');
    expect(findVat('ЕИК 117582039, ИН по ЗДДС: BG117582039')).toBe('BG117582039');
    expect(isValidGbVat('GB286471918')).toBe(false);
    expect(findVat('company no. 09817264')).toBeNull();
  });
});

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { extractLead, parseTextMessage, toLeadJson, type Extraction } from '../../../shared/email';

// The mail conventions (whose lead it is, where each value may come from, how it is written),
// one small fixture written for the project per kind of mail that used to go wrong.
const dir = fileURLToPath(new URL('../../fixtures/email/conventions/', import.meta.url));
const read = (file: string): Extraction => extractLead(parseTextMessage(readFileSync(dir + file, 'utf8')));

const EMPTY = {
  fullName: null,
  firstName: null,
  middleName: null,
  lastName: null,
  email: null,
  company: null,
  title: null,
  phones: [],
  fax: [],
  website: null,
  city: null,
  eik: null,
  vat: null,
};
/** The lead as the CLI prints it, without the free-text address (not a convention field). */
function lead(x: Extraction): Record<string, unknown> {
  const { address: _address, ...rest } = toLeadJson(x);
  return rest;
}

describe('the signed name wins over the From header', () => {
  it('takes the Cyrillic name the sender signed with, patronymic included, over a Latin From display name', () => {
    const x = read('latin-from-cyrillic-signature.txt');
    expect(lead(x)).toEqual({
      ...EMPTY,
      fullName: 'Морозова Юлия Андреевна',
      firstName: 'Юлия',
      middleName: 'Андреевна',
      lastName: 'Морозова',
      email: 'y.morozova@volgatrans-nn.ru',
      company: 'ООО ВолгаТрансСервис',
      title: 'руководитель отдела логистики',
      phones: ['+78314331827', '+79200154483'],
      city: 'Нижний Новгород',
    });
    expect(x.lead.fullName?.source).toBe('signature');
  });
});

describe('a company is what the mail states, never a guess from the domain', () => {
  it('takes the signature company without its quote marks, not the mail domain', () => {
    const x = read('signature-company-not-domain.txt');
    expect(lead(x)).toEqual({
      ...EMPTY,
      fullName: 'Петр Лаптев',
      firstName: 'Петр',
      lastName: 'Лаптев',
      email: 'p.laptev@tehnomarket-m.ru',
      company: 'ООО ТехноМаркет-М',
      title: 'менеджер по закупкам',
      phones: ['+78632014577'],
      city: 'Ростов-на-Дону',
    });
    expect(x.lead.company?.source).toBe('signature');
    expect(x.suggestions.company).toBeUndefined();
  });

  it('leaves company and website empty when only the domain hints at them, and offers the domain as a suggestion', () => {
    const x = read('domain-only.txt');
    expect(x.lead.company).toBeNull();
    expect(x.lead.website).toBeNull();
    expect(x.suggestions.company).toMatchObject({ value: 'Tehnomarket-m', source: 'domain' });
    expect(x.suggestions.company!.confidence).toBeLessThan(0.5);
  });

  it("keeps a free-mail sender's company, title and city from the signature", () => {
    const x = read('freemail-signature.txt');
    expect(lead(x)).toEqual({
      ...EMPTY,
      fullName: 'Радослава Кирова',
      firstName: 'Радослава',
      lastName: 'Кирова',
      email: 'radi.kirova@abv.bg',
      company: 'Сладкарница Захарна приказка ЕООД',
      title: 'Собственик',
      phones: ['+359888452119'],
      city: 'Велико Търново',
    });
    expect(x.suggestions.company).toBeUndefined();
    expect(x.signature).toBe(
      'Радослава Кирова\nСобственик\nСладкарница „Захарна приказка“ ЕООД\nгр. Велико Търново, ул. „Независимост“ 14, ет. 1, вход от двора\nтел.: 0888 45 21 19',
    );
  });
});

describe('Russian and Bulgarian name order', () => {
  it('splits a Russian surname-first signature name by its first name', () => {
    const x = read('surname-first.txt');
    expect(lead(x)).toMatchObject({ fullName: 'Соколова Марина', firstName: 'Марина', middleName: null, lastName: 'Соколова' });
  });

  it('keeps the patronymic the signature adds to a surname-first From name', () => {
    const x = read('surname-first-patronymic.txt');
    expect(lead(x)).toEqual({
      ...EMPTY,
      fullName: 'Лебедев Игорь Викторович',
      firstName: 'Игорь',
      middleName: 'Викторович',
      lastName: 'Лебедев',
      email: 'i.lebedev@omsk-kotlomash.ru',
      company: 'АО Омсккотломаш',
      title: 'главный инженер',
      phones: ['+73812402218', '+79136051742'],
      city: 'Омск',
    });
  });
});

describe('a signature block without a "-- " line', () => {
  it('is found under the message, so the needs text stops above it and its fields are read', () => {
    const x = read('no-delimiter-signature.txt');
    expect(x.newMessage).toBe(
      'Hello,\n\nWe run a 40-bed care home in Manchester and are replacing all mattresses over the next two months. Could you quote for 40 pressure-relief mattresses with waterproof covers, delivered in two batches?',
    );
    expect(x.signature).toBe(
      'Hannah Price\nFacilities Coordinator\nBrightwater Care Homes Ltd\nRiverside House, 22 Mill Lane, Salford, Manchester M5 4WT\nTel: 0161 496 0725',
    );
    expect(lead(x)).toEqual({
      ...EMPTY,
      fullName: 'Hannah Price',
      firstName: 'Hannah',
      lastName: 'Price',
      email: 'h.price@brightwater-care.co.uk',
      company: 'Brightwater Care Homes Ltd',
      title: 'Facilities Coordinator',
      phones: ['+441614960725'],
      city: 'Manchester',
    });
  });
});

describe('an interleaved reply', () => {
  it("keeps the author's answers between the quoted questions, in order, and her signature after the quote", () => {
    const x = read('interleaved-reply.txt');
    expect(x.newMessage).toBe('Здравейте, отговарям по точки.\n\n2000 броя, на два пъти.\n\nДа, мат с мек ламинат.');
    expect(x.signature).toBe(
      'Поздрави,\nТеменужка Пашова\nУправител\nПирин Принт ЕООД\n2700 Благоевград, ул. „Иван Михайлов“ 20, ет. 2, офис 5\nмоб.: 0878 112 940',
    );
    expect(lead(x)).toEqual({
      ...EMPTY,
      fullName: 'Теменужка Пашова',
      firstName: 'Теменужка',
      lastName: 'Пашова',
      email: 't.pashova@pirin-print.bg',
      company: 'Пирин Принт ЕООД',
      title: 'Управител',
      phones: ['+359878112940'],
      city: 'Благоевград',
    });
  });
});

describe('a web form forwarded by a colleague', () => {
  it('makes the person in the form the lead, never the colleague who forwarded it', () => {
    const x = read('forwarded-webform.txt');
    expect(x.kind).toBe('webform');
    expect(lead(x)).toEqual({
      ...EMPTY,
      fullName: 'Семенов Олег Петрович',
      firstName: 'Олег',
      middleName: 'Петрович',
      lastName: 'Семенов',
      email: 'o.semenov@vologda-ts.ru',
      company: 'ООО ВологдаТеплоСеть',
      title: 'главный энергетик',
      phones: ['+78172724109'],
      city: 'Вологда',
    });
    expect(x.lead.email?.source).toBe('form');
    expect(x.newMessage).toBe('Оля, это твой регион, перезвони им до обеда.');
    expect(x.signature).toBe('Ларионов Д.');
  });
});

describe('cities', () => {
  it('keeps a hyphenated city whole', () => {
    expect(read('hyphenated-city.txt').lead.city?.value).toBe('Санкт-Петербург');
    expect(read('signature-company-not-domain.txt').lead.city?.value).toBe('Ростов-на-Дону');
  });

  it('takes the settlement after "п." and not the region in front of it', () => {
    expect(read('region-not-city.txt').lead.city?.value).toBe('Савино');
  });

  it('gives no city for a delivery or project site named in the body', () => {
    const x = read('delivery-site.txt');
    expect(x.lead.city).toBeNull();
    expect(lead(x)).toMatchObject({ company: 'Стройинвест БС ООД', title: 'Технически ръководител', phones: ['+35956820331'] });
  });

  it('reads a city from a statement such as "мастерская из Твери", in the nominative', () => {
    const x = read('sole-proprietor.txt');
    expect(x.lead.city).toMatchObject({ value: 'Тверь', source: 'body' });
  });
});

describe('company identifiers', () => {
  it('puts a Russian company ИНН in eik and never the КПП or ОГРН next to it; a "тел./факс" line is both', () => {
    expect(lead(read('company-ids.txt'))).toEqual({
      ...EMPTY,
      fullName: 'Жуков Виктор Сергеевич',
      firstName: 'Виктор',
      middleName: 'Сергеевич',
      lastName: 'Жуков',
      email: 'zhukov@ivtekstil.ru',
      company: 'АО Ивтекстиль',
      title: 'начальник отдела снабжения',
      phones: ['+74932412273'],
      fax: ['+74932412273'],
      city: 'Иваново',
      eik: '3702154328',
    });
  });

  it("puts a sole proprietor's 12-digit ИНН in eik, not the ОГРНИП, and takes the full name from the ИП line", () => {
    expect(lead(read('sole-proprietor.txt'))).toEqual({
      ...EMPTY,
      fullName: 'Жуков Сергей Александрович',
      firstName: 'Сергей',
      middleName: 'Александрович',
      lastName: 'Жуков',
      email: 's.zhukov.master@yandex.ru',
      company: 'ИП Жуков Сергей Александрович',
      phones: ['+79162204187'],
      city: 'Тверь',
      eik: '370215087100',
    });
  });

  it('keeps a spaced GB VAT number and ignores the Companies House number', () => {
    const x = read('gb-vat.txt');
    expect(lead(x)).toEqual({
      ...EMPTY,
      fullName: 'Owen Carter',
      firstName: 'Owen',
      lastName: 'Carter',
      email: 'owen.carter@carterjoinery.co.uk',
      company: 'Carter Joinery Ltd',
      title: 'Managing Director',
      phones: ['+441614960725'],
      fax: ['+441614960726'],
      city: 'Salford',
      vat: 'GB471826335',
    });
    expect(x.signature).toMatch(/^Kind regards,\n\nOwen Carter\n[\s\S]*VAT Reg\. No\. GB 471 8263 35\.$/);
  });
});

describe('whose values they are', () => {
  it("reads a first-name reply's details from the sender's own earlier message in the thread, never from our rep's", () => {
    const x = read('earlier-message.txt');
    expect(x.newMessage).toBe('Благодаря, очакваме фактурата.');
    expect(x.signature).toBe('Иван');
    expect(lead(x)).toEqual({
      ...EMPTY,
      fullName: 'Иван Петков',
      firstName: 'Иван',
      lastName: 'Петков',
      email: 'i.petkov@dobrudzha-agro.bg',
      company: 'Добруджа Агро ООД',
      title: 'Търговски директор',
      phones: ['+359897650118'],
      city: 'Добрич',
    });
    expect(x.lead.company?.source).toBe('history');
  });

  it("takes the phone the sender gives as hers in the body and not her colleague's", () => {
    const x = read('body-phone.txt');
    expect(x.signature).toBeNull();
    expect(lead(x)).toEqual({
      ...EMPTY,
      fullName: 'Nadezhda Ilieva',
      firstName: 'Nadezhda',
      lastName: 'Ilieva',
      email: 'nadia.ilieva@gmail.com',
      phones: ['+359897650118'],
    });
    expect(x.lead.phones[0]?.source).toBe('body');
  });
});

import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { describe, expect, it } from 'vitest';
import { displayName, extractLead, findPhones, htmlToText, splitReply } from '../../../shared/email';
import { splitPersonName as splitName } from '../../../shared/person-name';

describe('phones', () => {
  it('reads a Russian 8-prefixed mobile as one +7 number, not a Bulgarian number inside it', () => {
    expect(findPhones('Моб.: 8 912 345-67-89').map((p) => p.e164)).toEqual(['+79123456789']);
  });

  it('keeps Bulgarian "вътр." and Russian "доб." extensions apart from the number', () => {
    const [bg] = findPhones('тел. 02 981 23 45, вътр. 12');
    expect([bg?.e164, bg?.ext]).toEqual(['+35929812345', '12']);
    const [ru] = findPhones('8 (423) 202-25-11, доб. 100', ['RU']);
    expect([ru?.e164, ru?.ext]).toEqual(['+74232022511', '100']);
  });

  it('flags a number labelled "Факс" or "Fax" as a fax', () => {
    const found = findPhones('GSM: 0888 123 456\nФакс: 02 981 23 46');
    expect(found.map((p) => [p.e164, p.fax, p.kind])).toEqual([
      ['+359888123456', false, 'mobile'],
      ['+35929812346', true, 'landline'],
    ]);
  });

  it('ignores a file name made of digits', () => {
    expect(findPhones(' - 23052653.pdf', ['BG', 'RU', 'US'])).toEqual([]);
  });
});

// libphonenumber's own BG and RU ground truth, kept outside the repo (licence: test data only).
const casesPath = fileURLToPath(new URL('../../../../shared/corpora/libphonenumber-bg-ru/cases.json', import.meta.url));
const haveCases = existsSync(casesPath);
type Case = {
  kind: string;
  region?: string;
  e164?: string;
  input?: string;
  default_region?: string;
  expected_e164?: string;
  expected_extension?: string;
  a?: string;
  b?: string;
};
const cases: Case[] = haveCases ? (JSON.parse(readFileSync(casesPath, 'utf8')) as { cases: Case[] }).cases : [];

describe('libphonenumber BG and RU cases', () => {
  // Skipped when the shared corpora folder is not checked out next to the repo (it is never shipped).
  it.skipIf(!haveCases)('finds every BG and RU example number, written nationally and in E.164', () => {
    const examples = cases.filter((c) => c.kind === 'example_number' && (c.region === 'BG' || c.region === 'RU'));
    expect(examples.length).toBeGreaterThan(0);
    for (const c of examples) {
      const national = parsePhoneNumberFromString(c.e164!)!.formatNational();
      expect({ national, got: findPhones(`тел. ${national}`)[0]?.e164 }).toEqual({ national, got: c.e164 });
      expect(findPhones(`tel ${c.e164}`)[0]?.e164).toBe(c.e164);
    }
  });

  it.skipIf(!haveCases)('parses every Russian extension case to the right number and extension', () => {
    const parse = cases.filter((c) => c.kind === 'parse' && (c.default_region === 'BG' || c.default_region === 'RU'));
    expect(parse.length).toBeGreaterThan(0);
    for (const c of parse) {
      const m = findPhones(c.input!, [c.default_region as 'RU'])[0];
      expect({ input: c.input, e164: m?.e164, ext: m?.ext }).toEqual({
        input: c.input,
        e164: c.expected_e164,
        ext: c.expected_extension ?? null,
      });
    }
    for (const c of cases.filter((k) => k.kind === 'is_number_match')) {
      const a = findPhones(c.a!, ['RU'])[0];
      const b = findPhones(c.b!, ['RU'])[0];
      expect([a?.e164, a?.ext]).toEqual([b?.e164, b?.ext]);
    }
  });
});

describe('names', () => {
  it("keeps a Bulgarian father's name as the middle name", () => {
    expect(splitName('Иван Петров Иванов')).toMatchObject({ firstName: 'Иван', middleName: 'Петров', lastName: 'Иванов' });
  });

  it('reads a Russian patronymic in the middle or after a leading surname', () => {
    expect(splitName('Сергей Александрович Смирнов')).toMatchObject({
      firstName: 'Сергей',
      middleName: 'Александрович',
      lastName: 'Смирнов',
    });
    expect(splitName('Смирнов Сергей Александрович')).toMatchObject({
      firstName: 'Сергей',
      middleName: 'Александрович',
      lastName: 'Смирнов',
    });
  });

  it('turns a "Last, First" display name around and rejects role mailboxes', () => {
    expect(displayName('"Kaminski, Vince"')).toBe('Vince Kaminski');
    expect(displayName('Sales Team')).toBeNull();
  });
});

describe('reply split', () => {
  it('cuts at a Russian Outlook header block', () => {
    const text = 'Спасибо!\n\nОт: Иван <i@x.ru>\nОтправлено: 3 марта 2025 г. 10:15\nКому: Анна\nТема: Счёт\n\nстарый текст';
    expect(splitReply(text).lines).toEqual(['Спасибо!']);
  });

  it('cuts at "-----Original Message-----" and at "... пишет:"', () => {
    expect(splitReply('Ok\n\n-----Original Message-----\nFrom: a@b.c\nold').lines).toEqual(['Ok']);
    expect(splitReply('Да\n\n3 марта 2025 г., в 10:15, Иван Петров пишет:\n> старое').lines).toEqual(['Да']);
  });

  it('drops "Изпратено от моя iPhone" and "Отправлено с iPhone" lines', () => {
    expect(splitReply('Добре\n\nИзпратено от моя iPhone').lines).toEqual(['Добре']);
    expect(splitReply('Хорошо\n\nОтправлено с iPhone').lines).toEqual(['Хорошо']);
  });

  it('keeps a sentence that only starts like a device line', () => {
    expect(splitReply('Sent from my desk, is much easier then my mobile phone.').lines).toHaveLength(1);
  });
});

describe('html bodies', () => {
  it('keeps line breaks, decodes entities and marks blockquotes as quotes', () => {
    expect(htmlToText('<div>Hi&nbsp;there<br>Ivan &amp; Co</div><blockquote><p>old</p></blockquote>')).toBe('Hi there\nIvan & Co\n> old');
  });
});

describe('companies', () => {
  it('offers a company guessed from a business domain only as a low-confidence suggestion, never from free mail', () => {
    const biz = extractLead({ from: 'Ivan <ivan@acme-trade.bg>', text: 'Hello' });
    expect(biz.lead.company).toBeNull();
    expect(biz.suggestions.company).toMatchObject({ value: 'Acme-trade', source: 'domain' });
    expect(biz.suggestions.company!.confidence).toBeLessThan(0.5);
    const free = extractLead({ from: 'Ivan <ivan@abv.bg>', text: 'Hello' });
    expect([free.lead.company, free.suggestions.company]).toEqual([null, undefined]);
  });
});

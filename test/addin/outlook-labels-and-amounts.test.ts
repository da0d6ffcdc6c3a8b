// The Outlook pane's pure pieces: the identifier named for its country, amounts typed by users,
// and the server's rules and credit reasons said in the user's language.
import { describe, expect, it } from 'vitest';
import { scoreCredit } from '../../shared/credit/score';
import { DEFAULT_DOCUMENT_SLOTS } from '../../shared/schemas';
import { ApiError } from '../../addin/api/problem';
import { countryOfIdentifier, countryOfSender, countryOfUser, identifierCountry, identifierLabel } from '../../addin/outlook/company-id';
import { accessRules, creditReasons, DEFAULT_SLOT_LABELS, missingDocuments, slotLabel } from '../../addin/outlook/explain';
import { dateTimeInputToIso, decimalToMinor, minorToInput } from '../../addin/outlook/model';
import { createI18n } from '../../addin/ui/i18n';

const bg = createI18n('bg');
const ru = createI18n('ru');
const en = createI18n('en');
const enGb = createI18n('en-GB');

/** The label a user of `i18n` sees for an identifier `value` of a sender. */
const labelFor = (i18n: ReturnType<typeof createI18n>, value: string | null, sender: Parameters<typeof countryOfSender>[0] = {}) => {
  const user = countryOfUser(i18n.locale, i18n.lang);
  return identifierLabel(i18n, identifierCountry(value, sender, user), user);
};

describe('the company identifier, named for its country', () => {
  it('tells a Bulgarian ЕИК, a Russian ИНН and a UK company number by their digits', () => {
    expect(countryOfIdentifier('204512306')).toBe('BG');
    expect(countryOfIdentifier('BG 204512306')).toBe('BG');
    expect(countryOfIdentifier('7707083893')).toBe('RU');
    expect(countryOfIdentifier('500100732259')).toBe('RU');
    expect(countryOfIdentifier('SC123456')).toBe('GB');
    // Wrong check digits say nothing.
    expect(countryOfIdentifier('204512307')).toBeNull();
    expect(countryOfIdentifier('7707083894')).toBeNull();
    expect(countryOfIdentifier('')).toBeNull();
  });

  it('reads the sender’s country from the stored country, the mail domain, a phone’s code or the VAT prefix', () => {
    expect(countryOfSender({ country: 'RU', email: 'x@firm.bg' })).toBe('RU');
    expect(countryOfSender({ email: 'o.semenov@vologda-ts.ru' })).toBe('RU');
    expect(countryOfSender({ email: 'e.watson@northwind.co.uk' })).toBe('GB');
    expect(countryOfSender({ website: 'https://www.acme-trade.bg/contacts' })).toBe('BG');
    expect(countryOfSender({ email: 'someone@gmail.com', phones: ['+7 (8172) 72-41-09'] })).toBe('RU');
    expect(countryOfSender({ email: 'someone@gmail.com', phones: [null, '+359 888 123 456'] })).toBe('BG');
    expect(countryOfSender({ email: 'someone@gmail.com', vat: 'GB286471917' })).toBe('GB');
    expect(countryOfSender({ email: 'someone@gmail.com' })).toBeNull();
  });

  it('takes the user’s country from the locale’s region, else the UI language', () => {
    expect(countryOfUser('en-GB', 'en')).toBe('GB');
    expect(countryOfUser('ru-RU', 'ru')).toBe('RU');
    expect(countryOfUser('bg', 'bg')).toBe('BG');
    expect(countryOfUser('ru', 'ru')).toBe('RU');
    expect(countryOfUser('en', 'en')).toBeNull();
    expect(countryOfUser('de-DE', 'en')).toBeNull();
  });

  it('names the field ЕИК, ИНН or Company number, with the country when it is not the user’s', () => {
    // A Russian user with a Russian sender (or none known) sees ИНН, never ЕИК.
    expect(labelFor(ru, '7707083893')).toBe('ИНН');
    expect(labelFor(ru, null)).toBe('ИНН');
    expect(labelFor(ru, null, { email: 'a@firm.ru' })).toBe('ИНН');
    expect(labelFor(bg, '204512306')).toBe('ЕИК');
    expect(labelFor(bg, null)).toBe('ЕИК');
    expect(labelFor(enGb, null, { email: 'e.watson@northwind.co.uk' })).toBe('Company number');
    // Foreign identifiers say whose they are, in the user's language.
    expect(labelFor(bg, '7707083893')).toBe('ИНН (Русия)');
    expect(labelFor(ru, null, { email: 'g.ivanov@acme.bg' })).toBe('ЕИК (Болгария)');
    expect(labelFor(bg, null, { email: 'e.watson@northwind.co.uk' })).toBe('Фирмен номер (Companies House) (Обединеното кралство)');
    expect(labelFor(en, '204512306')).toBe('EIK, Bulgaria');
    // Nothing known at all: a neutral name.
    expect(labelFor(en, null, { email: 'someone@gmail.com' })).toBe('Company ID');
  });
});

describe('amounts typed by a user', () => {
  it.each([
    ['1234.50', 123_450],
    ['1 234,50', 123_450],
    ['12 345,6', 1_234_560],
    ['1,234.50', 123_450],
    ['1.234.567', 123_456_700],
    ['1234', 123_400],
    ['0,05', 5],
    ['\u00a05\u00a0000', 500_000],
  ])('%s is %i minor units', (text, minor) => {
    expect(decimalToMinor(text)).toBe(minor);
  });

  it.each(['', 'abc', '-5', '12.345.6x', '1.2345'])('“%s” is not an amount', (text) => {
    expect(decimalToMinor(text)).toBeNull();
  });

  it('writes minor units back for the field, and a date and time as the local instant', () => {
    expect(minorToInput(123_450)).toBe('1234.50');
    expect(minorToInput(5)).toBe('0.05');
    expect(minorToInput(null)).toBe('');
    const at = new Date(dateTimeInputToIso('2026-07-03', '14:30')!);
    expect([at.getFullYear(), at.getMonth(), at.getDate(), at.getHours(), at.getMinutes()]).toEqual([2026, 6, 3, 14, 30]);
    expect(dateTimeInputToIso('2026-07-03', '')).toBe(new Date(2026, 6, 3, 9, 0).toISOString());
    expect(dateTimeInputToIso('03.07.2026', '14:30')).toBeNull();
  });
});

describe('the server’s rules, in the user’s language', () => {
  const refused = new ApiError({
    code: 'validation_failed',
    status: 422,
    fieldErrors: [
      { path: '/documents/offer', code: 'document_missing', message: 'Offer is missing.' },
      { path: '/documents/contract', code: 'document_missing', message: 'Contract is requested but not received.' },
      { path: '/documents/nda', code: 'document_missing', message: 'NDA is missing.' },
    ],
    problem: { code: 'business_rule' },
  });

  it('names each missing document of a refused "won", the organisation’s own names as written', () => {
    const known = [{ slot: 'nda', label: 'Споразумение за конфиденциалност', status: 'missing' }];
    expect(missingDocuments(refused, bg, known)).toEqual([
      'липсва Оферта',
      'документът „Договор“ е поискан, но не е получен',
      'липсва Споразумение за конфиденциалност',
    ]);
    expect(missingDocuments(refused, ru)).toEqual([
      'нет документа «Коммерческое предложение»',
      'документ «Договор» запрошен, но не получен',
      'нет документа «nda»',
    ]);
    expect(missingDocuments(new ApiError({ code: 'validation_failed', status: 422 }), en)).toEqual([]);
  });

  it('translates the default documents only while the organisation keeps their default names', () => {
    expect(Object.fromEntries(DEFAULT_DOCUMENT_SLOTS.map((s) => [s.slot, s.label]))).toEqual(DEFAULT_SLOT_LABELS);
    expect(slotLabel(ru, 'offer', 'Offer')).toBe('Коммерческое предложение');
    expect(slotLabel(ru, 'offer', 'КП (подписанное)')).toBe('КП (подписанное)');
    expect(slotLabel(bg, 'nda', null)).toBe('nda');
  });

  it('says which access rule a 403 names', () => {
    const headOnly = new ApiError({
      code: 'forbidden',
      status: 403,
      fieldErrors: [
        { path: '/vipTier', code: 'head_only_field', message: '' },
        { path: '/creditLimitMinor', code: 'head_only_field', message: '' },
      ],
    });
    expect(accessRules(headOnly, ru)).toEqual(['VIP-уровень и кредитный лимит клиента задаёт только руководитель продаж.']);
    const colleague = new ApiError({ code: 'forbidden', status: 403, fieldErrors: [{ path: '/ownerId', code: 'not_owner', message: '' }] });
    expect(accessRules(colleague, bg)[0]).toMatch(/^Това е запис на колега/);
    expect(accessRules(new ApiError({ code: 'forbidden', status: 403 }), en)).toEqual([]);
  });

  it('gives the credit score’s reasons from their codes, with plurals', () => {
    const credit = scoreCredit({
      asOf: '2026-06-30',
      creditLimitMinor: 1_000_00,
      currency: 'BGN',
      invoices: [
        { amountMinor: 500_00, currency: 'BGN', issuedOn: '2026-01-01', dueOn: '2026-01-31', paidOn: '2026-03-17' },
        { amountMinor: 300_00, currency: 'BGN', issuedOn: '2026-02-01', dueOn: '2026-02-28', paidOn: '2026-04-10' },
        { amountMinor: 2_000_00, currency: 'BGN', issuedOn: '2026-05-01', dueOn: '2026-05-31', paidOn: null },
      ],
    });
    expect(credit.reasonCodes).toEqual(['paid_late', 'avg_days_late', 'overdue', 'overdue_over_limit']);
    const nbsp = (s: string) => s.replace(/[\u00a0\u202f]/g, ' ');
    expect(creditReasons(ru, credit).map(nbsp)).toEqual([
      '2 счёта оплачены с опозданием более 30 дней за 12 месяцев',
      'платит в среднем с опозданием 43 дн.',
      'просрочено 2 000,00 BGN, самый старый счёт на 30 дней',
      'просроченная сумма превышает кредитный лимит',
    ]);
    expect(creditReasons(en, credit)[0]).toBe('2 invoices paid more than 30 days late in 12 months');
  });
});

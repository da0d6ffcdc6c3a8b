import { describe, expect, it } from 'vitest';
import { convertRows, mapSheet, mapSheetAuto, matchHeader, mappingRecord } from '../../../shared/sheet';

// Accounting sheets as a bookkeeper keeps them, in the three languages, with the rows below.
const BG = [
  ['Вземания по клиенти към 30.11.2026'],
  [],
  ['Фактура №', 'Дата', 'Клиент', 'ЕИК', 'Сума', 'Валута', 'Падеж', 'Платена на'],
  ['0000001201', '02.03.2026', 'Акме ООД', '831642181', '1 200,50', 'EUR', '16.03.2026', '20.04.2026'],
  [1202, '05.03.2026', 'Бета ЕООД', '', '300', 'EUR', '19.03.2026', ''],
];
const RU = [
  ['Номер счёта', 'Дата счёта', 'Контрагент', 'ИНН', 'Сумма, руб.', 'Срок оплаты', 'Дата оплаты'],
  ['С-17', '01.02.2026', 'ООО Ромашка', '7707083893', '15 000', '15.02.2026', '14.02.2026'],
];
const EN = [
  ['Invoice #', 'Invoice Date', 'Customer', 'VAT', 'Amount', 'Currency', 'Due Date', 'Paid'],
  ['INV-9', '2026-04-01', 'Gamma Ltd', 'BG831642181', '99.90', 'USD', '2026-05-01', '2026-05-03'],
];

describe('accounting sheets (the payments import)', () => {
  it('maps Bulgarian invoice columns, finds the header under a title and reads every value', () => {
    const { kind, mapping } = mapSheetAuto(BG);
    expect(kind).toBe('payments');
    expect(mapping.headerRow).toBe(2);
    expect(mappingRecord(mapping)).toEqual({
      'Фактура №': 'invoiceNo',
      Дата: 'issuedOn',
      Клиент: 'company',
      ЕИК: 'eik',
      Сума: 'amount',
      Валута: 'currency',
      Падеж: 'dueOn',
      'Платена на': 'paidOn',
    });
    const [first, second] = convertRows(BG, mapping);
    expect(first!.errors).toEqual([]);
    expect(first!.record).toMatchObject({
      invoiceNo: '0000001201',
      issuedOn: '2026-03-02',
      dueOn: '2026-03-16',
      paidOn: '2026-04-20',
      amount: 120050,
      currency: 'EUR',
      company: 'Акме ООД',
      eik: '831642181',
    });
    // A number cell keeps its digits as the invoice number; an empty paid date is "not paid yet".
    expect(second!.record.invoiceNo).toBe('1202');
    expect(second!.record.paidOn).toBeUndefined();
  });

  it('maps Russian and English invoice columns, with the currency named in the amount header', () => {
    const ru = mapSheetAuto(RU);
    expect(ru.kind).toBe('payments');
    expect(mappingRecord(ru.mapping)).toMatchObject({
      'Номер счёта': 'invoiceNo',
      'Дата счёта': 'issuedOn',
      Контрагент: 'company',
      'Сумма, руб.': 'amount',
      'Срок оплаты': 'dueOn',
      'Дата оплаты': 'paidOn',
    });
    expect(convertRows(RU, ru.mapping)[0]!.record).toMatchObject({ amount: 1_500_000, currency: 'RUB', paidOn: '2026-02-14' });
    const en = mapSheetAuto(EN);
    expect(en.kind).toBe('payments');
    expect(mappingRecord(en.mapping)).toEqual({
      'Invoice #': 'invoiceNo',
      'Invoice Date': 'issuedOn',
      Customer: 'company',
      VAT: 'vatNumber',
      Amount: 'amount',
      Currency: 'currency',
      'Due Date': 'dueOn',
      Paid: 'paidOn',
    });
  });

  it('keeps invoice fields out of contact and deal sheets: there "Due date" is the close date', () => {
    const deals = [
      ['Deal', 'Company', 'Stage', 'Amount', 'Due date', 'Date'],
      ['ERP rollout', 'Acme Ltd', 'Proposal', '12000', '2026-12-20', '2026-11-01'],
    ];
    const auto = mapSheetAuto(deals);
    expect(auto.kind).toBe('deals');
    expect(mappingRecord(auto.mapping)).toMatchObject({ 'Due date': 'expectedCloseDate', Date: 'createdAt' });
    expect(
      mapSheetAuto([
        ['Име', 'Фирма', 'Имейл'],
        ['Иван Петров', 'Акме ООД', 'ivan@acme.bg'],
      ]).kind,
    ).toBe('leads');
    expect(matchHeader('Падеж')).toBeNull();
    expect(matchHeader('Падеж', 'payments')).toBe('dueOn');
    expect(matchHeader('Due date')).toBe('expectedCloseDate');
    // Asked for payments, a contact sheet maps only the columns an invoice has.
    const asPayments = mapSheet([['Име', 'Фирма', 'Имейл', 'Сума']], { kind: 'payments' });
    expect(mappingRecord(asPayments)).toEqual({ Име: null, Фирма: 'company', Имейл: null, Сума: 'amount' });
  });
});

import { describe, expect, it } from 'vitest';
import { call, makeOrg } from './harness';
import { importSheet, sheetOf } from './import-sheet';

const lead = async (who: Parameters<typeof call>[0], id: string | null) => (await call(who, 'GET', `/api/v1/leads/${id}`)).json;

describe('phone numbers from a sheet', () => {
  it("reads national numbers with the row's country column", async () => {
    const org = await makeOrg();
    const rows = sheetOf(
      ['Badge ID', 'First Name', 'Last Name', 'Company', 'Telephone', 'Country'],
      [
        {
          'Badge ID': 'B-1',
          'First Name': 'Nell',
          'Last Name': 'Ashby',
          Company: 'Ashby Foods',
          Telephone: '020 7946 0172',
          Country: 'England',
        },
        {
          'Badge ID': 'B-2',
          'First Name': 'Cody',
          'Last Name': 'Vance',
          Company: 'Vance Tools',
          Telephone: '(312) 555-0143',
          Country: 'USA',
        },
        {
          'Badge ID': 'B-3',
          'First Name': 'Jonas',
          'Last Name': 'Brandt',
          Company: 'Brandt GmbH',
          Telephone: '030 37528095',
          Country: 'Deutschland',
        },
        {
          'Badge ID': 'B-4',
          'First Name': 'Ewa',
          'Last Name': 'Nowak',
          Company: 'Nowak Sp. z o.o.',
          Telephone: '22 568 74 70',
          Country: 'Polska',
        },
      ],
    );
    const res = await importSheet(org.head, rows);
    expect(res.counts).toMatchObject({ created: 4, error: 0 });
    const phones = await Promise.all(res.rows.map(async (r) => (await lead(org.head, r.id)).phone));
    expect(phones).toEqual(['+442079460172', '+13125550143', '+493037528095', '+48225687470']);
  });

  it("reads them with the organisation's country when the row names none", async () => {
    const org = await makeOrg();
    const rows = sheetOf(['Name', 'Company', 'Phone'], [{ Name: 'Ruth Gale', Company: 'Gale Print', Phone: '0161 496 0479' }]);
    // Read as Bulgarian by default, the UK number is not valid: the row says so.
    const refused = await importSheet(org.head, rows);
    expect(refused.rows[0]).toMatchObject({
      status: 'error',
      errors: [{ column: 'Phone', field: 'phone', reason: 'invalid_phone', value: '0161 496 0479' }],
    });
    const res = await importSheet(org.head, rows, { country: 'GB' });
    expect((await lead(org.head, res.rows[0]!.id)).phone).toBe('+441614960479');
  });

  it('reads them with the country the organisation set once for its imports, which a head of sales sets', async () => {
    const org = await makeOrg();
    const put = (who: typeof org.head, body: unknown, version: number) =>
      call(who, 'PUT', '/api/v1/imports/defaults', { body, headers: { 'if-match': `"${version}"` } });
    expect((await put(org.manager, { country: 'GB', currency: 'GBP' }, 0)).status).toBe(403);
    expect((await put(org.head, { country: 'XX' }, 0)).json.errors[0]).toMatchObject({ path: '/country', code: 'unknown_country' });
    expect((await put(org.head, { country: 'GB', currency: 'GBP' }, 0)).json).toEqual({ country: 'GB', currency: 'GBP', version: 1 });
    expect((await put(org.head, { country: 'IE', currency: 'EUR' }, 0)).status).toBe(412);
    expect((await call(org.manager, 'GET', '/api/v1/imports/defaults')).json).toEqual({ country: 'GB', currency: 'GBP', version: 1 });
    const rows = sheetOf(['Name', 'Company', 'Phone'], [{ Name: 'Ruth Gale', Company: 'Gale Print', Phone: '0161 496 0479' }]);
    const res = await importSheet(org.head, rows);
    expect((await lead(org.head, res.rows[0]!.id)).phone).toBe('+441614960479');
    const deals = sheetOf(
      ['Deal Name', 'Deal Stage', 'Amount'],
      [{ 'Deal Name': 'Gale – presses', 'Deal Stage': 'Contract Sent', Amount: '1200' }],
    );
    const deal = await importSheet(org.head, deals);
    expect((await call(org.head, 'GET', `/api/v1/deals/${deal.rows[0]!.id}`)).json).toMatchObject({
      amountMinor: 120_000,
      currency: 'GBP',
    });
  });

  it('reads them with the country the sheet’s other numbers show when nothing else names one', async () => {
    const org = await makeOrg();
    const rows = sheetOf(
      ['Name', 'Company', 'Phone'],
      [
        { Name: 'Ada Marsh', Company: 'Marsh & Co', Phone: '+44 20 7946 0018' },
        { Name: 'Ben Tully', Company: 'Tully Ltd', Phone: '+44 (0)117 496 0123' },
        { Name: 'Cara Vey', Company: 'Vey Logistics', Phone: '0113 496 0600' },
      ],
    );
    const res = await importSheet(org.head, rows);
    expect(res.counts).toMatchObject({ created: 3, error: 0 });
    expect((await lead(org.head, res.rows[2]!.id)).phone).toBe('+441134960600');
    expect((await lead(org.head, res.rows[1]!.id)).phone).toBe('+441174960123');
  });

  it('keeps an extension apart from the number it is matched on, and takes the first of two numbers', async () => {
    const org = await makeOrg();
    const rows = sheetOf(
      ['ФИО', 'Компания', 'Телефон', 'Страна'],
      [
        { ФИО: 'Гайнуллина Резеда Ринатовна', Компания: 'АО «Хлебокомбинат»', Телефон: '8 (843) 301-32-49 доб. 215', Страна: 'РОССИЯ' },
        {
          ФИО: 'Жданович Виктор Степанович',
          Компания: 'ООО «Минскпромкомплект»',
          Телефон: '8 (017) 949-33-58, 8 (029) 611-20-44',
          Страна: 'БЕЛАРУСЬ',
        },
      ],
    );
    const res = await importSheet(org.head, rows);
    expect(res.counts).toMatchObject({ created: 2, error: 0 });
    expect((await lead(org.head, res.rows[0]!.id)).phone).toBe('+78433013249 ext. 215');
    expect((await lead(org.head, res.rows[1]!.id)).phone).toBe('+375179493358');
    const match = await call(org.head, 'GET', '/api/v1/match?phone=%2B78433013249');
    expect(match.json.leads.map((l: { lead: { id: string } }) => l.lead.id)).toEqual([res.rows[0]!.id]);
  });
});

describe('phone numbers of a deals export', () => {
  it("a contact's number that cannot be read costs the deal nothing: deals do not keep the contact's phone", async () => {
    const org = await makeOrg();
    const rows = sheetOf(
      ['Deal - ID', 'Deal - Title', 'Deal - Value', 'Deal - Currency', 'Deal - Stage', 'Deal - Status', 'Person - Phone'],
      [
        {
          'Deal - ID': '1',
          'Deal - Title': 'Brook – seats',
          'Deal - Value': '900',
          'Deal - Currency': 'GBP',
          'Deal - Stage': 'Qualified',
          'Deal - Status': 'Open',
          'Person - Phone': 'ask reception',
        },
      ],
    );
    const res = await importSheet(org.head, rows);
    expect(res.counts).toEqual({ created: 1, updated: 0, skipped: 0, error: 0 });
  });
});

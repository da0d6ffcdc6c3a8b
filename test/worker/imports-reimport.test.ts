import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { call, countRows, makeOrg } from './harness';
import { importSheet, sheetOf } from './import-sheet';

// An amoCRM deals export as the account's owners download it (their layout, our people).
const AMO = [
  'ID',
  'Название сделки',
  'Бюджет',
  'Ответственный',
  'Дата создания',
  'Кем создана',
  'Дата закрытия',
  'Теги',
  'Этап сделки',
  'Воронка',
  'Источник',
  'Основной контакт',
  'Компания',
  'Рабочий телефон (контакт)',
  'Рабочий email (контакт)',
  'Причина отказа',
];
const amoDeal = (id: string, title: string, budget: string, stage: string, o: Record<string, string> = {}) => ({
  ID: id,
  'Название сделки': title,
  Бюджет: budget,
  Ответственный: 'Семён Ларин',
  'Дата создания': '12.10.2026 09:14:05',
  'Кем создана': 'Семён Ларин',
  'Этап сделки': stage,
  Воронка: 'Продажи',
  Источник: 'Сайт',
  'Основной контакт': 'Дарья Кручинина',
  Компания: 'ООО «Ладья»',
  'Рабочий телефон (контакт)': '8 (812) 410-22-35',
  'Рабочий email (контакт)': 'd.kruchinina@ladya-spb.ru',
  ...o,
});
const amoFirst = () =>
  sheetOf(AMO, [
    amoDeal('70011', 'Стеллажи, 1 очередь', '310000', 'Переговоры'),
    amoDeal('70012', 'Заявка с сайта', '0', 'Неразобранное', { Компания: '' }),
    amoDeal('70013', 'Заявка с сайта', '0', 'Первичный контакт', { Компания: '' }),
    amoDeal('70014', 'Погрузчик', '1250000', 'Принимают решение', { Компания: 'АО «Северсталь-Логистик»' }),
    amoDeal('70015', 'Упаковка, 2023', '98000', 'Успешно реализовано', {
      'Дата создания': '02.02.2023 10:00:00',
      'Дата закрытия': '28.03.2023 16:20:00',
    }),
    amoDeal('70016', 'Мебель для офиса', '420000', 'Закрыто и не реализовано', {
      'Дата закрытия': '20.10.2026 11:00:00',
      'Причина отказа': 'Дорого',
    }),
  ]);

const dealCount = (orgId: string) => countRows('deals', orgId);

describe('re-importing an export', () => {
  it('a later export of the same amoCRM account updates the changed deal, skips the rest and never makes a deal twice', async () => {
    const org = await makeOrg();
    const first = await importSheet(org.head, amoFirst());
    expect(first).toMatchObject({ kind: 'deals', system: 'amocrm', counts: { created: 6, updated: 0, skipped: 0, error: 0 } });
    expect(await dealCount(org.orgId)).toBe(6);

    // A month later: rows in another order, a column dropped and one added, one budget changed, one new deal.
    const header = [...AMO.filter((h) => h !== 'Теги'), 'Дата следующей задачи'];
    const later = sheetOf(header, [
      amoDeal('70014', 'Погрузчик', '1190000', 'Принимают решение', { Компания: 'АО «Северсталь-Логистик»' }),
      amoDeal('70016', 'Мебель для офиса', '420000', 'Закрыто и не реализовано', {
        'Дата закрытия': '20.10.2026 11:00:00',
        'Причина отказа': 'Дорого',
      }),
      amoDeal('70011', 'Стеллажи, 1 очередь', '310000', 'Переговоры'),
      amoDeal('70013', 'Заявка с сайта', '0', 'Первичный контакт', { Компания: '' }),
      amoDeal('70012', 'Заявка с сайта', '0', 'Неразобранное', { Компания: '' }),
      amoDeal('70015', 'Упаковка, 2023', '98000', 'Успешно реализовано', {
        'Дата создания': '02.02.2023 10:00:00',
        'Дата закрытия': '28.03.2023 16:20:00',
      }),
      amoDeal('70020', 'Стеллажи, 2 очередь', '275000', 'Первичный контакт'),
    ]);
    const second = await importSheet(org.head, later);
    expect(second.counts).toEqual({ created: 1, updated: 1, skipped: 5, error: 0 });
    expect(second.rows.filter((r) => r.match === 'externalId')).toHaveLength(6);
    expect(await dealCount(org.orgId)).toBe(7);
    const changed = second.rows[0]!;
    const deal = (await call(org.head, 'GET', `/api/v1/deals/${changed.id}`)).json;
    expect(deal).toMatchObject({ title: 'Погрузчик', amountMinor: 119_000_000, currency: 'RUB', stage: 'negotiation', version: 2 });
    // The same file a third time changes nothing at all.
    const third = await importSheet(org.head, later);
    expect(third.counts).toEqual({ created: 0, updated: 0, skipped: 7, error: 0 });
    expect(await dealCount(org.orgId)).toBe(7);
  });

  it("a deal won since the last export is that system's history: accepted and audited; a deal matched only by its title still needs its documents", async () => {
    const org = await makeOrg();
    await importSheet(org.manager, amoFirst());
    // Won in amoCRM since: the later export says so, by the deal's amoCRM ID.
    const later = sheetOf(AMO, [
      amoDeal('70011', 'Стеллажи, 1 очередь', '310000', 'Успешно реализовано', { 'Дата закрытия': '01.12.2026 10:00:00' }),
    ]);
    const second = await importSheet(org.manager, later);
    expect(second.counts).toEqual({ created: 0, updated: 1, skipped: 0, error: 0 });
    expect((await call(org.manager, 'GET', `/api/v1/deals/${second.rows[0]!.id}`)).json).toMatchObject({ stage: 'won' });
    const audit = await env.DB.prepare(
      `SELECT details FROM audit_log WHERE org_id = ?1 AND action = 'override' AND entity = 'import' AND entity_id = ?2`,
    )
      .bind(org.orgId, second.id)
      .first<{ details: string }>();
    expect(JSON.parse(audit!.details)).toMatchObject({ rule: 'documents_required_to_win', deals: [second.rows[0]!.id] });
    // A sheet kept by hand (no IDs) matches a deal by company and title: moving it to won is a win made here.
    const byHand = sheetOf(
      ['Сделка', 'Компания', 'Этап', 'Сумма'],
      [{ Сделка: 'Погрузчик', Компания: 'АО «Северсталь-Логистик»', Этап: 'Успешно реализовано', Сумма: '1250000' }],
    );
    const third = await importSheet(org.manager, byHand, { kind: 'deals' });
    expect(third.rows[0]).toMatchObject({ status: 'error', match: 'name', errors: [{ reason: 'documents_missing' }] });
  });

  it('skips every known row in skip mode, and the dry run says which rows would match', async () => {
    const org = await makeOrg();
    await importSheet(org.head, amoFirst());
    const dry = await importSheet(org.head, amoFirst(), { mode: 'skip', dryRun: true });
    expect(dry.counts).toEqual({ created: 0, updated: 0, skipped: 6, error: 0 });
    expect(dry.rows.map((r) => r.match)).toEqual(Array(6).fill('externalId'));
    expect(await dealCount(org.orgId)).toBe(6);
  });

  it('the same record ID from another source system is another record', async () => {
    const org = await makeOrg();
    await importSheet(org.head, amoFirst());
    const pipedrive = sheetOf(
      [
        'Deal - ID',
        'Deal - Title',
        'Deal - Value',
        'Deal - Currency',
        'Deal - Stage',
        'Deal - Status',
        'Deal - Organization',
        'Deal - Deal created',
      ],
      [
        {
          'Deal - ID': '70011',
          'Deal - Title': 'Fleet dashboards',
          'Deal - Value': '8000',
          'Deal - Currency': 'GBP',
          'Deal - Stage': 'Qualified',
          'Deal - Status': 'Open',
          'Deal - Organization': 'Marlow Freight Ltd',
          'Deal - Deal created': '2026-10-01 10:00:00',
        },
      ],
    );
    const res = await importSheet(org.head, pipedrive);
    expect(res).toMatchObject({ system: 'pipedrive', counts: { created: 1, updated: 0, skipped: 0, error: 0 } });
    expect(await dealCount(org.orgId)).toBe(7);
    const keys = await env.DB.prepare('SELECT system, external_id FROM external_ids WHERE org_id = ?1 ORDER BY system, external_id')
      .bind(org.orgId)
      .all<{ system: string; external_id: string }>();
    expect(keys.results.filter((k) => k.external_id === '70011').map((k) => k.system)).toEqual(['amocrm', 'pipedrive']);
  });

  it('one ID twice in a sheet makes one deal; another organisation with the same ID gets its own', async () => {
    const org = await makeOrg();
    const other = await makeOrg();
    const rows = sheetOf(AMO, [
      amoDeal('71001', 'Кран-балка', '500000', 'Переговоры'),
      amoDeal('71001', 'Кран-балка', '500000', 'Переговоры'),
    ]);
    const res = await importSheet(org.head, rows);
    expect(res.counts).toEqual({ created: 1, updated: 0, skipped: 1, error: 0 });
    expect(res.rows[1]).toMatchObject({ status: 'skipped', id: res.rows[0]!.id, match: 'externalId' });
    expect((await importSheet(other.head, rows)).counts.created).toBe(1);
    expect(await dealCount(org.orgId)).toBe(1);
    expect(await dealCount(other.orgId)).toBe(1);
  });

  it('two imports of the same export at once make each deal once', async () => {
    const org = await makeOrg();
    const [a, b] = await Promise.all([importSheet(org.head, amoFirst()), importSheet(org.head, amoFirst())]);
    expect(a.counts.created + b.counts.created).toBe(6);
    expect(a.counts.error + b.counts.error).toBe(0);
    expect(await dealCount(org.orgId)).toBe(6);
  });

  it('without an ID column a deal matches the deal of the same company with the same title, and the dry run counts the matches', async () => {
    const org = await makeOrg();
    const header = ['№', 'Клиент', 'Лице за контакт', 'Продукт / услуга', 'Етап', 'Стойност', 'Дата на запитване', 'Очаквано приключване'];
    const rows = [
      ['ПРОДАЖБИ 2026'],
      [],
      ...sheetOf(header, [
        {
          '№': '1',
          Клиент: 'Хотел „Бряг“ ООД',
          'Лице за контакт': 'Нели Събева',
          'Продукт / услуга': 'Климатизация',
          Етап: 'Оферта изпратена',
          Стойност: '12 400,00 €',
          'Дата на запитване': '03.11.2026',
        },
        {
          '№': '2',
          Клиент: 'Хотел „Бряг“ ООД',
          'Лице за контакт': 'Нели Събева',
          'Продукт / услуга': 'Соларни панели',
          Етап: 'Среща',
          Стойност: '30 000,00 €',
          'Дата на запитване': '05.11.2026',
        },
        {
          '№': '3',
          Клиент: 'Стрела Транс ЕООД',
          'Лице за контакт': 'Иво Донев',
          'Продукт / услуга': 'Климатизация',
          Етап: 'Запитване',
          Стойност: '4 100 €',
          'Дата на запитване': '10.11.2026',
        },
      ]),
    ];
    const first = await importSheet(org.head, rows, { currency: 'EUR' });
    expect(first).toMatchObject({ kind: 'deals', system: null, counts: { created: 3, error: 0 } });
    // The same sheet again, the client written another way and one value changed.
    const again = rows.map((r) => [...r]);
    again[3]![1] = 'Хотел Бряг ООД';
    again[4]![5] = '31 500,00 €';
    const dry = await importSheet(org.head, again, { currency: 'EUR', dryRun: true });
    expect(dry.counts).toEqual({ created: 0, updated: 1, skipped: 2, error: 0 });
    expect(dry.rows.map((r) => r.match)).toEqual(['name', 'name', 'name']);
    const res = await importSheet(org.head, again, { currency: 'EUR' });
    expect(res.counts).toEqual({ created: 0, updated: 1, skipped: 2, error: 0 });
    expect(await dealCount(org.orgId)).toBe(3);
    expect((await call(org.head, 'GET', `/api/v1/deals/${res.rows[1]!.id}`)).json).toMatchObject({
      amountMinor: 3_150_000,
      currency: 'EUR',
    });
  });

  it('a lead keyed by its source ID is updated, not duplicated, when its e-mail changed in the source system', async () => {
    const org = await makeOrg();
    const header = [
      'Record Id',
      'Lead Owner',
      'First Name',
      'Last Name',
      'Company',
      'Email',
      'Phone',
      'Lead Status',
      'Country',
      'Created Time',
    ];
    const lead = (email: string, status: string) => ({
      'Record Id': 'zcrm_4410020001',
      'First Name': 'Tamsin',
      'Last Name': 'Rhodes',
      Company: 'Rhodes & Pike Ltd',
      Email: email,
      Phone: '0113 496 0311',
      'Lead Status': status,
      Country: 'United Kingdom',
      'Created Time': '2026-09-14 10:20:00',
    });
    const first = await importSheet(org.head, sheetOf(header, [lead('tamsin@rhodespike.co.uk', 'Not Contacted')]));
    expect(first).toMatchObject({ kind: 'leads', system: 'zoho', counts: { created: 1 } });
    const second = await importSheet(org.head, sheetOf(header, [lead('t.rhodes@rhodespike.co.uk', 'Contacted')]));
    expect(second.counts).toEqual({ created: 0, updated: 1, skipped: 0, error: 0 });
    expect(second.rows[0]).toMatchObject({ id: first.rows[0]!.id, match: 'externalId' });
    expect(await countRows('leads', org.orgId)).toBe(1);
    expect((await call(org.head, 'GET', `/api/v1/leads/${first.rows[0]!.id}`)).json).toMatchObject({
      email: 't.rhodes@rhodespike.co.uk',
      status: 'working',
      phone: '+441134960311',
    });
  });
});

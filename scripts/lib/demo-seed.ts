/**
 * The demo organisation "Demo": a head, two managers and an admin, about 30 companies with
 * contacts, 40 leads, 60 deals across stages, activities and tasks, with Bulgarian, Russian and
 * English names. Records go in through the API itself (so every derived column and identity key
 * is the product's own), each with a fixed Idempotency-Key, so a re-run never duplicates.
 */
import { nameKey } from '../../shared/identity';
import { executeSql, newToken, sha256, sqlString, ulid, type LocalOptions } from './local';

export const DEMO_ORG_ID = '01JDEM0000000000000000000G';
export const DEMO_USERS = [
  { id: '01JDEM00000000000000000HE1', email: 'elena.dimitrova@demo.leadpane.dev', name: 'Елена Димитрова', role: 'head', locale: 'bg' },
  { id: '01JDEM00000000000000000MA1', email: 'ivan.petrov@demo.leadpane.dev', name: 'Иван Петров', role: 'manager', locale: 'bg' },
  { id: '01JDEM00000000000000000MA2', email: 'olga.smirnova@demo.leadpane.dev', name: 'Ольга Смирнова', role: 'manager', locale: 'ru' },
  { id: '01JDEM00000000000000000AD1', email: 'admin@demo.leadpane.dev', name: 'Demo Admin', role: 'admin', locale: 'en' },
] as const;

export interface DemoTokens {
  [email: string]: string;
}

/** Creates the organisation, its users and one fresh token each (idempotent for org and users). */
export function bootstrapDemo(o: LocalOptions = {}): DemoTokens {
  const now = new Date().toISOString();
  const tokens: DemoTokens = {};
  const sql = [`INSERT OR IGNORE INTO orgs (id, name, created_at, updated_at) VALUES ('${DEMO_ORG_ID}', 'Demo', '${now}', '${now}');`];
  for (const u of DEMO_USERS) {
    const token = newToken();
    tokens[u.email] = token;
    sql.push(
      `INSERT OR IGNORE INTO users (id, org_id, email, email_norm, name, role, locale, created_at, updated_at) VALUES ('${u.id}', '${DEMO_ORG_ID}', ${sqlString(u.email)}, ${sqlString(u.email)}, ${sqlString(u.name)}, '${u.role}', '${u.locale}', '${now}', '${now}');`,
      `INSERT INTO api_tokens (id, org_id, user_id, name, prefix, hash, created_at) VALUES ('${ulid()}', '${DEMO_ORG_ID}', '${u.id}', 'demo', '${token.slice(0, 10)}', '${sha256(token)}', '${now}');`,
    );
  }
  executeSql(sql.join('\n'), o);
  return tokens;
}

function prng(seed: number) {
  let a = seed;
  return () => {
    a |= 0;
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const COMPANIES: [name: string, domain: string, city: string, eik: string | null][] = [
  ['Акме Трейд ЕООД', 'acme-trade.bg', 'София', '831642181'],
  ['Балкан Логистик ООД', 'balkanlogistic.bg', 'Пловдив', '175074752'],
  ['Витоша Софт АД', 'vitoshasoft.bg', 'София', '130460283'],
  ['Дунав Агро ЕТ', 'dunavagro.bg', 'Русе', null],
  ['Черно Море Хотели АД', 'chernomorehotels.bg', 'Варна', null],
  ['Родопа Мебел ООД', 'rodopamebel.bg', 'Смолян', null],
  ['Тракия Строй ЕАД', 'trakiastroy.bg', 'Стара Загора', null],
  ['Пирин Енерджи ООД', 'pirinenergy.bg', 'Благоевград', null],
  ['Марица Фууд ЕООД', 'maritsafood.bg', 'Пловдив', null],
  ['Стара Планина Транс ООД', 'stplanina.bg', 'Габрово', null],
  ['ООО «Ромашка»', 'romashka.ru', 'Москва', null],
  ['АО «СеверСталь Сервис»', 'severservice.ru', 'Санкт-Петербург', null],
  ['ООО «Вектор»', 'vector-it.ru', 'Казань', null],
  ['ИП Кузнецов', 'kuznetsov-ip.ru', 'Екатеринбург', null],
  ['ПАО «Волга Логистика»', 'volgalog.ru', 'Нижний Новгород', null],
  ['ООО «Альфа Строй»', 'alfastroy.ru', 'Новосибирск', null],
  ['ООО «Уральские Машины»', 'uralmash-service.ru', 'Челябинск', null],
  ['Globex Ltd', 'globex.co.uk', 'London', null],
  ['Initech LLC', 'initech.com', 'Austin', null],
  ['Umbrella GmbH', 'umbrella.de', 'Berlin', null],
  ['Northwind Traders Ltd', 'northwind.co.uk', 'Manchester', null],
  ['Contoso Inc', 'contoso.com', 'Seattle', null],
  ['Fabrikam Ltd', 'fabrikam.ie', 'Dublin', null],
  ['Tailspin Toys GmbH', 'tailspin.at', 'Vienna', null],
  ['Софийска Вода Сервиз ООД', 'sofvoda-service.bg', 'София', null],
  ['Бургас Порт Сървисис АД', 'burgasport.bg', 'Бургас', null],
  ['Плевен Фарма ЕООД', 'plevenpharma.bg', 'Плевен', null],
  ['Велико Търново Тур ООД', 'vttour.bg', 'Велико Търново', null],
  ['ООО «Байкал Тех»', 'baikaltech.ru', 'Иркутск', null],
  ['Adventure Works Ltd', 'adventure-works.com', 'Bristol', null],
];
const PEOPLE = [
  ['Георги', 'Иванов', 'Управител'],
  ['Мария', 'Николова', 'Търговски директор'],
  ['Петър', 'Стоянов', 'Мениджър доставки'],
  ['Десислава', 'Колева', 'Финансов директор'],
  ['Николай', 'Христов', 'Ръководител ИТ'],
  ['Светлана', 'Попова', 'Офис мениджър'],
  ['Алексей', 'Кузнецов', 'Генеральный директор'],
  ['Наталья', 'Морозова', 'Коммерческий директор'],
  ['Дмитрий', 'Волков', 'Менеджер по закупкам'],
  ['Екатерина', 'Соколова', 'Главный бухгалтер'],
  ['James', 'Carter', 'Managing Director'],
  ['Emily', 'Watson', 'Head of Procurement'],
  ['Oliver', 'Hughes', 'CFO'],
  ['Sophie', 'Turner', 'Operations Manager'],
  ['Klaus', 'Becker', 'Geschäftsführer'],
];
const STAGE_WALK = ['new', 'qualified', 'proposal', 'negotiation'] as const;
const SOURCES = ['email', 'excel', 'webform', 'manual', 'call'] as const;
const LEAD_STATUSES = ['new', 'new', 'working', 'working', 'qualified', 'disqualified'] as const;
const INTERESTS = [
  'CRM внедряване',
  'Годишен абонамент',
  'Поддръжка',
  'Обучение',
  'Внедрение CRM',
  'Лицензии',
  'Support contract',
  'Consulting',
];
const LOST_REASONS = ['Цена', 'Избраха конкурент', 'Нет бюджета', 'Timing'];
const COMPETITORS = ['Pipedrive', 'Bitrix24', 'HubSpot', 'Zoho CRM'];

interface Ctx {
  url: string;
  tokens: string[];
}

async function send(
  ctx: Ctx,
  token: string,
  method: string,
  path: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<any> {
  for (let attempt = 0; ; attempt++) {
    const res = await fetch(ctx.url + path, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (res.ok) return res.status === 204 ? null : res.json();
    if (attempt < 3 && (res.status >= 500 || res.status === 409 || res.status === 429)) {
      await new Promise((r) => setTimeout(r, 200 * (attempt + 1)));
      continue;
    }
    throw new Error(`${method} ${path} answered ${res.status}: ${await res.text()}`);
  }
}

async function pool<T>(items: T[], size: number, fn: (item: T, i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: size }, async () => {
      while (next < items.length) {
        const i = next++;
        await fn(items[i]!, i);
      }
    }),
  );
}

/** Fills the demo organisation through the API at `url`. `tokens` = head, manager 1, manager 2. */
export async function seedDemo(
  url: string,
  tokens: { head: string; managers: [string, string] },
): Promise<{ companies: number; contacts: number; leads: number; deals: number; activities: number; tasks: number }> {
  const rnd = prng(20261127);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)]!;
  const ctx: Ctx = { url, tokens: [tokens.head, ...tokens.managers] };
  const managerIds = [DEMO_USERS[1].id, DEMO_USERS[2].id];
  const day = 86_400_000;
  const now = Date.now();
  const idem = (k: string) => ({ 'idempotency-key': `demo-${k}` });

  const companies: { id: string; name: string; domain: string; owner: number }[] = [];
  await pool(COMPANIES, 6, async ([name, domain, city, eik], i) => {
    const owner = i % 2;
    const vipTier = i % 7 === 0 ? 3 : i % 5 === 0 ? 1 : 0;
    const c = await send(
      ctx,
      tokens.head,
      'POST',
      '/api/v1/companies',
      {
        name,
        website: `https://www.${domain}`,
        city,
        eik,
        vipTier,
        ownerId: managerIds[owner],
        country: domain.endsWith('.bg') ? 'BG' : domain.endsWith('.ru') ? 'RU' : null,
        phone: domain.endsWith('.ru') ? `+7 495 ${100 + i} ${10 + i}-${20 + i}` : `+359 2 ${900 + i} ${1000 + i * 7}`,
      },
      idem(`company-${i}`),
    );
    companies[i] = { id: c.id, name, domain, owner };
  });

  const contacts: { id: string; companyIdx: number }[] = [];
  const contactSpecs = companies.flatMap((co, ci) => Array.from({ length: 1 + (ci % 3 === 0 ? 1 : 0) }, (_, k) => ({ co, ci, k })));
  await pool(contactSpecs, 6, async ({ co, ci, k }, i) => {
    const lang = co.domain.endsWith('.ru') ? 6 : co.domain.endsWith('.bg') ? 0 : 10;
    const [first, last, title] = PEOPLE[lang + ((ci + k) % (lang === 6 ? 4 : lang === 0 ? 6 : 5))]!;
    const local = nameKey(`${first} ${last}`).replace(/ /g, '.');
    const c = await send(
      ctx,
      tokens.head,
      'POST',
      '/api/v1/contacts',
      {
        fullName: `${first} ${last}`,
        firstName: first,
        lastName: last,
        title,
        companyId: co.id,
        ownerId: managerIds[co.owner],
        emails: [`${local}${k || ''}@${co.domain}`],
        phones: [`+359 88${(ci * 7 + k) % 10} ${String(100000 + i * 7919).slice(-6)}`],
      },
      idem(`contact-${i}`),
    );
    contacts.push({ id: c.id, companyIdx: ci });
  });

  await pool(
    Array.from({ length: 40 }, (_, i) => i),
    6,
    async (i) => {
      const [first, last] = PEOPLE[i % PEOPLE.length]!;
      const m = i % 2;
      await send(
        ctx,
        tokens.managers[m as 0 | 1],
        'POST',
        '/api/v1/leads',
        {
          source: SOURCES[i % SOURCES.length],
          status: LEAD_STATUSES[i % LEAD_STATUSES.length],
          fullName: `${first} ${last}`,
          firstName: first,
          lastName: last,
          email: `lead${i}@prospect${i % 13}.example.com`,
          phone: `+359 87${i % 10} ${String(200000 + i * 3571).slice(-6)}`,
          companyName: i % 3 === 0 ? null : `Prospect ${i % 13} ${i % 2 ? 'ООД' : 'Ltd'}`,
          interest: pick(INTERESTS),
          needs: 'Търсят CRM за екип от 10 души; интеграция с Outlook.',
          ...(i % 5 === 0 ? { externalRef: `<lead-${i}@prospect.example.com>` } : {}),
        },
        idem(`lead-${i}`),
      );
    },
  );

  const dealIds: string[] = [];
  await pool(
    Array.from({ length: 60 }, (_, i) => i),
    6,
    async (i) => {
      const co = companies[i % companies.length]!;
      const m = co.owner as 0 | 1;
      const token = tokens.managers[m];
      const target = i < 10 ? 'won' : i < 17 ? 'lost' : STAGE_WALK[i % 4]!;
      const d = await send(
        ctx,
        token,
        'POST',
        '/api/v1/deals',
        {
          title: `${co.name} · ${pick(INTERESTS)}`,
          companyId: co.id,
          contactId: contacts.find((c) => c.companyIdx === i % companies.length)?.id ?? null,
          amountMinor: Math.round(1000 + rnd() * 60000) * 100,
          currency: co.domain.endsWith('.ru') ? 'RUB' : co.domain.endsWith('.bg') ? 'BGN' : 'EUR',
          expectedClose: new Date(now + (rnd() * 90 - 20) * day).toISOString().slice(0, 10),
          nextStep: 'Среща за демонстрация',
        },
        idem(`deal-${i}`),
      );
      let version = d.version as number;
      const walk =
        target === 'won' || target === 'lost' ? ['qualified', 'proposal', target] : STAGE_WALK.slice(1, STAGE_WALK.indexOf(target) + 1);
      for (const stage of walk) {
        const body: Record<string, unknown> = { stage };
        if (stage === 'lost') Object.assign(body, { lostReason: pick(LOST_REASONS), competitor: pick(COMPETITORS) });
        // The demo's won deals predate the document checklist: the head of sales says so, as a user would.
        if (stage === 'won') body.overrideReason = 'Demo data: documents kept outside Leadpane';
        const res = await fetch(`${url}/api/v1/deals/${d.id}`, {
          method: 'PATCH',
          headers: {
            authorization: `Bearer ${stage === 'won' ? tokens.head : token}`,
            'content-type': 'application/json',
            'if-match': `"${version}"`,
          },
          body: JSON.stringify(body),
        });
        if (res.status === 412) break; // already walked on an earlier run
        if (!res.ok) throw new Error(`PATCH deal answered ${res.status}: ${await res.text()}`);
        version++;
      }
      dealIds[i] = d.id;
    },
  );

  const types = ['email', 'call', 'meeting', 'note'] as const;
  await pool(
    Array.from({ length: 150 }, (_, i) => i),
    6,
    async (i) => {
      const dealIdx = i % 60;
      const co = companies[dealIdx % companies.length]!;
      const type = types[i % 4]!;
      await send(
        ctx,
        tokens.managers[co.owner as 0 | 1],
        'POST',
        '/api/v1/activities',
        {
          type,
          subject:
            type === 'email'
              ? 'Оферта и условия'
              : type === 'call'
                ? 'Разговор за бюджета'
                : type === 'meeting'
                  ? 'Демонстрация'
                  : 'Бележка',
          occurredAt: new Date(now - Math.floor(rnd() * 60) * day - i * 60_000).toISOString(),
          companyId: co.id,
          dealId: dealIds[dealIdx],
          direction: type === 'email' ? (i % 2 ? 'in' : 'out') : null,
          externalId: type === 'email' ? `<demo-${i}@demo.leadpane.dev>` : null,
        },
        idem(`activity-${i}`),
      );
    },
  );

  await pool(
    Array.from({ length: 40 }, (_, i) => i),
    6,
    async (i) => {
      const m = (i % 2) as 0 | 1;
      await send(
        ctx,
        tokens.managers[m],
        'POST',
        '/api/v1/tasks',
        {
          title: ['Обаждане за обратна връзка', 'Изпрати оферта', 'Перезвонить клиенту', 'Follow up on proposal'][i % 4],
          dueAt: new Date(now + ((i - 15) * day) / 2).toISOString(),
          done: i % 6 === 0,
          dealId: dealIds[(i * 3) % 60],
          assigneeId: managerIds[m],
        },
        idem(`task-${i}`),
      );
    },
  );

  return { companies: companies.length, contacts: contacts.length, leads: 40, deals: 60, activities: 150, tasks: 40 };
}

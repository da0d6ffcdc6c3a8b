/**
 * Measures header -> field mapping accuracy on third-party corpora (never shipped, never tuned to):
 *   roundcube-contacts/csv_header_maps.json     real export headers (en_US, ru_RU)
 *   roundcube-contacts/contact_field_labels.json translated field labels (en, ru, bg; uk as a control)
 *   crm-import-header-maps/suitecrm_import_maps.json  SuiteCRM import maps (Salesforce, Outlook, ACT!, Google)
 * Each corpus names its own target fields; the tables below translate them to Leadpane's canonical
 * fields (a field we do not import counts as "should be null"). Headers are mapped one at a time,
 * without values, so this measures the header words alone.
 *
 *   npx tsx scripts/eval-headers.ts [DIR] [--json] [--misses]
 */
import { readFileSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from '../cli/args';
import { matchHeader, type CanonicalField } from '../shared/sheet';

type Expected = CanonicalField | null;

/** Roundcube vCard field (before the ":type") -> canonical field. */
const ROUNDCUBE_FIELDS: Record<string, Expected> = {
  name: 'fullName',
  firstname: 'firstName',
  surname: 'lastName',
  middlename: null,
  prefix: null,
  suffix: null,
  nameprefix: null,
  namesuffix: null,
  nickname: null,
  maidenname: null,
  organization: 'company',
  department: null,
  jobtitle: 'title',
  email: 'email',
  phone: 'phone',
  address: 'address',
  street: 'address',
  locality: 'city',
  zipcode: 'postalCode',
  region: null,
  country: 'country',
  website: 'website',
  notes: 'notes',
  gender: null,
  birthday: null,
  'birthday-d': null,
  'birthday-m': null,
  'birthday-y': null,
  anniversary: null,
  assistant: null,
  // In a sales sheet the "Manager" column names the responsible sales manager: our owner.
  manager: 'owner',
  spouse: null,
  groups: null,
  photo: null,
  im: null,
  instantmessenger: null,
  contacts: null,
  contactproperties: null,
  personalinfo: null,
};

/** Roundcube phone types (`phone:<type>`, label keys `type<type>`). */
const ROUNDCUBE_PHONE_TYPES: Record<string, Expected> = {
  mobile: 'mobile',
  workfax: 'fax',
  homefax: 'fax',
  pager: null,
  assistant: null,
  video: 'phone',
  car: 'phone',
};

/** Roundcube label keys that are type words ("Home", "Mobile"), used alone as a header. */
const ROUNDCUBE_TYPE_LABELS: Record<string, Expected> = {
  typehome: null,
  typework: null,
  typeother: null,
  typemobile: 'mobile',
  typemain: null,
  typehomefax: 'fax',
  typeworkfax: 'fax',
  typecar: null,
  typepager: null,
  typevideo: null,
  typeassistant: null,
  typehomepage: 'website',
  typeblog: 'website',
  typeprofile: null,
};

function roundcubeField(field: string): Expected | undefined {
  const [base, type] = field.split(':') as [string, string | undefined];
  if (base === 'phone' && type && type in ROUNDCUBE_PHONE_TYPES) return ROUNDCUBE_PHONE_TYPES[type];
  if (base === 'im') return null;
  return base in ROUNDCUBE_FIELDS ? ROUNDCUBE_FIELDS[base] : undefined;
}

/** SuiteCRM field -> canonical field (`name` depends on the module). */
function suiteField(field: string, module: string): Expected | undefined {
  if (field === 'name') return module.startsWith('Opportunities') ? 'dealTitle' : 'company';
  if (/^(primary|alt|billing|shipping)_address_street/.test(field)) return 'address';
  if (/_address_city$/.test(field)) return 'city';
  if (/_address_postalcode$/.test(field)) return 'postalCode';
  if (/_address_country$/.test(field)) return 'country';
  if (/_address_state$/.test(field)) return null;
  const table: Record<string, Expected> = {
    full_name: 'fullName',
    first_name: 'firstName',
    last_name: 'lastName',
    salutation: null,
    company: 'company',
    account_name: 'company',
    title: 'title',
    department: null,
    birthdate: null,
    phone_home: 'phone',
    phone_work: 'phone',
    phone_other: 'phone',
    phone_office: 'phone',
    phone_mobile: 'mobile',
    phone_fax: 'fax',
    phone_work_ext: null,
    email1: 'email',
    email2: 'email',
    assistant: null,
    assistant_phone: null,
    description: 'notes',
    lead_source: 'source',
    email_opt_out: null,
    do_not_call: null,
    opportunity_type: null,
    amount: 'amount',
    date_entered: 'createdAt',
    date_closed: 'expectedCloseDate',
    next_step: null,
    sales_stage: 'stage',
    probability: 'probability',
    website: 'website',
    annual_revenue: null,
    employees: null,
    ownership: null,
    industry: null,
    rating: null,
    sic_code: null,
    ticker_symbol: null,
    account_type: null,
    assigned_user_name: 'owner',
    team_name: null,
  };
  return field in table ? table[field] : undefined;
}

interface Case {
  lang: string;
  source: string;
  header: string;
  expected: Expected;
}

function readJson<T>(path: string): T | null {
  if (!existsSync(path)) {
    process.stderr.write(`eval-headers: ${path} not found, skipped\n`);
    return null;
  }
  return JSON.parse(readFileSync(path, 'utf8')) as T;
}

function collect(dir: string): { cases: Case[]; skipped: string[] } {
  const cases: Case[] = [];
  const skipped: string[] = [];
  const seen = new Set<string>();
  const add = (c: Case): void => {
    const key = `${c.source}|${c.lang}|${c.header}|${c.expected}`;
    if (!seen.has(key)) {
      seen.add(key);
      cases.push(c);
    }
  };
  const LANGS: Record<string, string> = { en_US: 'en', ru_RU: 'ru', bg_BG: 'bg', uk_UA: 'uk*' };

  const maps = readJson<{ maps: Record<string, Array<{ header: string; field: string }>> }>(
    join(dir, 'roundcube-contacts', 'csv_header_maps.json'),
  );
  for (const [locale, rows] of Object.entries(maps?.maps ?? {})) {
    const lang = LANGS[locale];
    if (!lang) continue; // languages the product does not target
    for (const { header, field } of rows) {
      const expected = roundcubeField(field);
      if (expected === undefined) skipped.push(`roundcube ${locale}: ${header} -> ${field}`);
      else add({ lang, source: 'roundcube csv maps', header, expected });
    }
  }

  const labels = readJson<{ labels: Array<Record<string, string>> }>(join(dir, 'roundcube-contacts', 'contact_field_labels.json'));
  for (const row of labels?.labels ?? []) {
    const key = row.key!;
    const expected = key in ROUNDCUBE_TYPE_LABELS ? ROUNDCUBE_TYPE_LABELS[key] : roundcubeField(key);
    for (const [locale, lang] of Object.entries(LANGS)) {
      const header = row[locale];
      if (!header) continue;
      if (expected === undefined) skipped.push(`roundcube labels: ${key}`);
      else add({ lang, source: 'roundcube labels', header, expected });
    }
  }

  const suite = readJson<{ rows: Array<{ suitecrm_module: string; header: string; field: string }> }>(
    join(dir, 'crm-import-header-maps', 'suitecrm_import_maps.json'),
  );
  for (const { suitecrm_module: module, header, field } of suite?.rows ?? []) {
    const expected = suiteField(field, module);
    if (expected === undefined) skipped.push(`suitecrm: ${header} -> ${field}`);
    else add({ lang: 'en', source: 'suitecrm maps', header, expected });
  }
  return { cases, skipped };
}

interface Tally {
  cases: number;
  correct: number;
  nullCases: number;
  nullCorrect: number;
}

function main(): number {
  const parsed = parseArgs(process.argv.slice(2), ['json', 'misses']);
  const dir = resolve(parsed.positionals[0] ?? '../shared/corpora');
  const { cases, skipped } = collect(dir);
  if (cases.length === 0) {
    process.stderr.write(`eval-headers: no cases found under ${dir}\n`);
    return 1;
  }
  const byLang = new Map<string, Tally>();
  const bySource = new Map<string, Tally>();
  const misses: string[] = [];
  const bump = (m: Map<string, Tally>, key: string, ok: boolean, isNull: boolean): void => {
    const t = m.get(key) ?? { cases: 0, correct: 0, nullCases: 0, nullCorrect: 0 };
    t.cases++;
    if (ok) t.correct++;
    if (isNull) {
      t.nullCases++;
      if (ok) t.nullCorrect++;
    }
    m.set(key, t);
  };
  for (const c of cases) {
    const got = matchHeader(c.header);
    const ok = got === c.expected;
    bump(byLang, c.lang, ok, c.expected === null);
    bump(bySource, `${c.source} (${c.lang})`, ok, c.expected === null);
    if (!ok) misses.push(`${c.lang.padEnd(3)} ${c.source.padEnd(18)} ${JSON.stringify(c.header)}: expected ${c.expected}, got ${got}`);
  }
  const pct = (a: number, b: number): string => (b === 0 ? '   -  ' : `${((100 * a) / b).toFixed(1).padStart(5)}%`);
  const table = (title: string, m: Map<string, Tally>): void => {
    process.stdout.write(`\n${title.padEnd(34)} cases  correct  accuracy  | null cases  null correct\n`);
    for (const [key, t] of [...m].sort()) {
      process.stdout.write(
        `${key.padEnd(34)} ${String(t.cases).padStart(5)}  ${String(t.correct).padStart(7)}  ${pct(t.correct, t.cases).padStart(8)}  | ${String(t.nullCases).padStart(10)}  ${pct(t.nullCorrect, t.nullCases).padStart(12)}\n`,
      );
    }
  };
  process.stdout.write(`Header mapping accuracy (header words only, no values) on ${dir}\n`);
  table('language', byLang);
  table('source (language)', bySource);
  const total = [...byLang.values()].reduce((s, t) => ({ cases: s.cases + t.cases, correct: s.correct + t.correct }), {
    cases: 0,
    correct: 0,
  });
  process.stdout.write(
    `\noverall: ${total.correct}/${total.cases} = ${pct(total.correct, total.cases).trim()}  (uk* = Ukrainian, not a target language; shown as a control)\n`,
  );
  if (skipped.length) process.stdout.write(`skipped ${skipped.length} corpus rows with no translation: ${skipped.join('; ')}\n`);
  if (parsed.flags.misses) process.stdout.write(`\nmisses:\n${misses.join('\n')}\n`);
  if (parsed.flags.json) {
    const json: Record<string, { cases: number; correct: number; accuracy: number }> = {};
    for (const [lang, t] of byLang)
      json[lang] = { cases: t.cases, correct: t.correct, accuracy: Math.round((10000 * t.correct) / t.cases) / 10000 };
    process.stdout.write(JSON.stringify(json) + '\n');
  }
  return 0;
}

process.exitCode = main();

/**
 * Measures the importer on the project's own sheet corpus, file by file (leadpane-sheets-dev: header
 * row, columns, kind, values, parsed rows and which records are data; see scoreSheets below), and
 * header -> field mapping accuracy on third-party corpora (never shipped, never tuned to):
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
import {
  analyseSheet,
  convertRows,
  matchHeader,
  minorDigits,
  resolveValue,
  type CanonicalField,
  type Cell,
  type ImportRecord,
} from '../shared/sheet';
import { readSheetFile } from '../cli/lib/read-sheet';

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

// ------------------------------------------------------------------ leadpane-sheets-dev, per file

interface SheetLabel {
  file: string;
  headerRow: number;
  mapping: Record<string, string | null>;
  kind: string;
  values: Record<string, Record<string, string | null>>;
  rows: Array<Record<string, unknown> & { record: number }>;
}
interface SheetMeta {
  file: string;
  defaultCountry: string | null;
  defaultCurrency: string | null;
  headerRow: number;
  records: number;
  nonDataRecords: Record<string, string>;
  alternatives?: Record<string, Array<string | null>>;
  valueAlternatives?: Record<string, Record<string, Array<string | null>>>;
}

export interface SheetScore {
  file: string;
  system: string | null;
  kind: string;
  headerRow: number;
  columns: number;
  columnsStrict: number;
  kindOk: number;
  values: number;
  rows: number;
  dataRows: number;
  /** Data rows read without a single cell error (what an import saves at once). */
  accepted: number;
  misses: string[];
}

/** The corpus names a few things its own way; these are the product's names for the same things. */
const CORPUS_FIELD: Partial<Record<CanonicalField, string | null>> = {
  invoiceNo: 'externalId',
  issuedOn: 'createdAt',
  dueOn: 'expectedCloseDate',
  paidOn: null, // the corpus has no paid-on field: "Платена на" is null there
};
/** Lead statuses: the corpus says contacted and unqualified where Leadpane says working and disqualified. */
const CORPUS_STATUS: Record<string, string> = { working: 'contacted', disqualified: 'unqualified' };
/** Leadpane imports contacts as leads (a lead carries the person, the company and the IDs). */
const CORPUS_KIND: Record<string, string> = { contacts: 'leads' };

const ratio = (ok: number, all: number) => (all === 0 ? 1 : ok / all);

/** What a labelled row's key reads as in our record (amounts in major units, like the labels). */
function ours(rec: ImportRecord | undefined, key: string): unknown {
  if (!rec) return undefined;
  switch (key) {
    case 'externalId':
      return rec.externalId ?? rec.invoiceNo ?? null;
    case 'amount':
      return rec.amount === undefined ? null : rec.amount / 10 ** minorDigits(rec.currency ?? '');
    case 'createdAt':
      return rec.createdAt ?? rec.issuedOn ?? null;
    case 'expectedCloseDate':
      return rec.expectedCloseDate ?? rec.dueOn ?? null;
    default:
      return (rec as Record<string, unknown>)[key] ?? null;
  }
}

async function scoreSheets(dir: string): Promise<SheetScore[] | null> {
  const base = join(dir, 'leadpane-sheets-dev');
  const labels = readJson<SheetLabel[]>(join(base, 'labels.json'));
  const metas = readJson<SheetMeta[]>(join(base, 'meta.json'));
  if (!labels || !metas) return null;
  const out: SheetScore[] = [];
  for (const label of labels) {
    const meta = metas.find((m) => m.file === label.file)!;
    const misses: string[] = [];
    const { rows } = await readSheetFile(join(base, label.file));
    const a = analyseSheet(rows);
    const { mapping, kind, system } = a;
    const wantKind = CORPUS_KIND[label.kind] ?? label.kind;
    if (kind !== wantKind) misses.push(`kind: expected ${label.kind}, got ${kind}`);
    if (mapping.headerRow !== label.headerRow) misses.push(`header row: expected ${label.headerRow}, got ${mapping.headerRow}`);

    // Columns, in order: the product's field (in the corpus's names) against the label and, for the
    // lenient score, the label's accepted alternatives.
    let strict = 0;
    let lenient = 0;
    const headers = Object.keys(label.mapping);
    const fieldAt = (i: number): string | null => {
      const f = mapping.headerRow === label.headerRow ? (mapping.columns[i]?.field ?? null) : null;
      return f && f in CORPUS_FIELD ? CORPUS_FIELD[f]! : f;
    };
    headers.forEach((h, i) => {
      const got = fieldAt(i);
      const want = label.mapping[h] ?? null;
      const alts = meta.alternatives?.[h] ?? [];
      if (got === want) strict++;
      if (got === want || alts.includes(got) || (h === '' && got === null)) lenient++;
      else misses.push(`column ${JSON.stringify(h)}: expected ${want}, got ${got}`);
    });

    // Values: each distinct raw value of a stage, status or currency column, read as the import reads it.
    let valuesOk = 0;
    let valuesAll = 0;
    for (const [header, table] of Object.entries(label.values)) {
      const i = headers.indexOf(header);
      const field = fieldAt(i);
      for (const [raw, want] of Object.entries(table)) {
        valuesAll++;
        let got: string | null = null;
        if (field === 'stage' || field === 'status' || field === 'currency') {
          const v = resolveValue(field, raw, { kind, system, country: meta.defaultCountry })?.value ?? null;
          got = field === 'status' ? (kind === 'deals' ? (v === 'open' ? null : v) : v && (CORPUS_STATUS[v] ?? v)) : v;
          if (field === 'status' && kind === 'deals' && v === null) got = '?';
        } else got = `(column mapped to ${field})`;
        const alts = meta.valueAlternatives?.[header]?.[raw] ?? [];
        if (got === want || alts.includes(got)) valuesOk++;
        else misses.push(`value ${header} = ${JSON.stringify(raw)}: expected ${want}, got ${got}`);
      }
    }

    // Parsed rows: every labelled value of the first five data rows; a row the import would not
    // read as a record loses all of its values.
    const results = convertRows(rows as Cell[][], mapping, {
      kind,
      system,
      defaultCountry: meta.defaultCountry,
      defaultCurrency: meta.defaultCurrency,
    });
    const byRow = new Map(results.map((r) => [r.row, r]));
    let rowsOk = 0;
    let rowsAll = 0;
    for (const want of label.rows) {
      const got = byRow.get(want.record);
      for (const [key, value] of Object.entries(want)) {
        if (key === 'record') continue;
        rowsAll++;
        const mine = ours(got?.record, key);
        const same = typeof value === 'number' && typeof mine === 'number' ? Math.abs(value - mine) < 1e-9 : (mine ?? null) === value;
        if (same) rowsOk++;
        else
          misses.push(
            `record ${want.record} ${key}: expected ${JSON.stringify(value)}, got ${JSON.stringify(mine ?? null)}${got ? '' : ' (not read as a record)'}`,
          );
      }
    }

    // Data rows: the records the import reads as data against the corpus's.
    const truth = new Set<number>();
    for (let r = label.headerRow + 1; r < meta.records; r++) if (!(String(r) in meta.nonDataRecords)) truth.add(r);
    const mine = new Set(results.map((r) => r.row));
    const both = [...mine].filter((r) => truth.has(r)).length;
    for (const r of mine)
      if (!truth.has(r)) misses.push(`record ${r} read as data, it is ${meta.nonDataRecords[String(r)] ?? 'beyond the data'}`);
    for (const r of truth) if (!mine.has(r)) misses.push(`record ${r} not read as data`);

    const clean = results.filter((r) => truth.has(r.row) && r.errors.length === 0).length;
    for (const r of results)
      for (const e of r.errors)
        misses.push(`record ${r.row} refused: column ${JSON.stringify(e.column)} ${e.reason} (${JSON.stringify(e.value)})`);
    out.push({
      file: label.file,
      system,
      kind,
      headerRow: mapping.headerRow === label.headerRow ? 1 : 0,
      columns: ratio(lenient, headers.length),
      columnsStrict: ratio(strict, headers.length),
      kindOk: kind === wantKind ? 1 : 0,
      values: ratio(valuesOk, valuesAll),
      rows: ratio(rowsOk, rowsAll),
      dataRows: ratio(both, new Set([...mine, ...truth]).size),
      accepted: ratio(clean, truth.size),
      misses,
    });
  }
  return out;
}

function printSheetScores(scores: SheetScore[], showMisses: boolean): void {
  const f = (v: number) => v.toFixed(2).padStart(6);
  process.stdout.write(
    `\nleadpane-sheets-dev, per file (columns lenient / strict; values; parsed rows; records read as data; data rows without a cell error)\n`,
  );
  process.stdout.write(
    `${'file'.padEnd(34)} ${'system'.padEnd(10)} ${'kind'.padEnd(8)} header  columns  strict    kind  values    rows    data  accepted\n`,
  );
  for (const s of scores)
    process.stdout.write(
      `${s.file.padEnd(34)} ${(s.system ?? '-').padEnd(10)} ${s.kind.padEnd(8)} ${f(s.headerRow)}  ${f(s.columns)}  ${f(s.columnsStrict)}  ${f(s.kindOk)}  ${f(s.values)}  ${f(s.rows)}  ${f(s.dataRows)}  ${f(s.accepted)}\n`,
    );
  const mean = (k: keyof SheetScore) => scores.reduce((a, s) => a + (s[k] as number), 0) / scores.length;
  const min = (k: keyof SheetScore) => Math.min(...scores.map((s) => s[k] as number));
  process.stdout.write(
    `${'mean'.padEnd(54)} ${f(mean('headerRow'))}  ${f(mean('columns'))}  ${f(mean('columnsStrict'))}  ${f(mean('kindOk'))}  ${f(mean('values'))}  ${f(mean('rows'))}  ${f(mean('dataRows'))}  ${f(mean('accepted'))}\n`,
  );
  process.stdout.write(
    `${'lowest'.padEnd(54)} ${f(min('headerRow'))}  ${f(min('columns'))}  ${f(min('columnsStrict'))}  ${f(min('kindOk'))}  ${f(min('values'))}  ${f(min('rows'))}  ${f(min('dataRows'))}  ${f(min('accepted'))}\n`,
  );
  if (showMisses) for (const s of scores) if (s.misses.length) process.stdout.write(`\n${s.file}:\n  ${s.misses.join('\n  ')}\n`);
}

async function main(): Promise<number> {
  const parsed = parseArgs(process.argv.slice(2), ['json', 'misses']);
  const dir = resolve(parsed.positionals[0] ?? '../shared/corpora');
  const sheets = await scoreSheets(dir);
  if (sheets) printSheetScores(sheets, parsed.flags.misses === true);
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
  process.stdout.write(`\nHeader mapping accuracy (header words only, no values) on ${dir}\n`);
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
    const files = Object.fromEntries(
      (sheets ?? []).map(({ file, misses: _m, ...rest }) => [
        file,
        Object.fromEntries(Object.entries(rest).map(([k, v]) => [k, typeof v === 'number' ? Math.round(v * 10000) / 10000 : v])),
      ]),
    );
    process.stdout.write(JSON.stringify({ ...json, sheets: files }) + '\n');
  }
  return 0;
}

main().then(
  (code) => (process.exitCode = code),
  (err: unknown) => {
    process.stderr.write(`eval-headers: ${(err as Error).stack ?? String(err)}\n`);
    process.exitCode = 1;
  },
);

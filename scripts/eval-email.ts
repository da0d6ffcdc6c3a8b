/**
 * Scores the email engine on the corpora (never their held-out eval splits):
 *   npx tsx scripts/eval-email.ts [DIR] [--json]      DIR defaults to ../shared/corpora
 * DIR is the folder of corpora or one corpus folder; a DIR in which no mail is recognised is an error.
 * - leadpane-mail corpora (a folder with labels.json and .eml files, such as leadpane-mail-dev): per
 *   language, precision/recall/F1 of each lead field and their mean, and the shares of newMessage
 *   and signature within 90% similarity; notes.json `alternatives` are accepted values too
 * - lead fields vs Quagga Enron signature labels (train+test): precision/recall/F1
 * - reply split: newest message vs the gold per corpus (quagga-enron, quagga-asf, crisp, github, talon)
 * - signature lines vs mailgun-forge #sig# labels and talon's stripped signatures
 * - every BG and RU case of libphonenumber-bg-ru/cases.json
 * The public corpora label the newest message with its signature, so their reply cut is scored on
 * `topMessage` (the message as sent); leadpane-mail scores `newMessage` and `signature` apart.
 * Matching rules are loose where the labels are (span boundaries are sloppy): texts match when one's
 * word set contains the other's or they share half their words; phones compare as E.164.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import {
  extractLead,
  findPhones,
  isDeviceLine,
  parseEml,
  phoneCountries,
  toLeadJson,
  type EmailInput,
  type Extraction,
} from '../shared/email';

const args = process.argv.slice(2);
const asJson = args.includes('--json');
const given = resolve(args.find((a) => !a.startsWith('--')) ?? '../shared/corpora');
const THIRD_PARTY = [
  'quagga-enron',
  'quagga-asf',
  'crisp-email-reply-parser',
  'github-email-reply-parser',
  'mailgun-talon',
  'mailgun-forge',
  'libphonenumber-bg-ru',
];
// DIR is the folder of corpora, or one corpus folder: then only that corpus is scored
const only = THIRD_PARTY.includes(basename(given)) ? basename(given) : null;
const dir = only ? dirname(given) : given;
const has = (name: string, ...marker: string[]): boolean => (only === null || only === name) && existsSync(join(dir, name, ...marker));
const timings: number[] = [];
const inputs: EmailInput[] = [];

function run(input: EmailInput): Extraction {
  inputs.push(input);
  const t0 = performance.now();
  const x = extractLead(input);
  timings.push(performance.now() - t0);
  return x;
}
const read = (...p: string[]): string => readFileSync(join(dir, ...p), 'utf8');
const json = <T>(...p: string[]): T => JSON.parse(read(...p)) as T;
const words = (s: string): string[] =>
  s
    .toLowerCase()
    .normalize('NFKC')
    .replace(/[^\p{L}\p{N}@.]+/gu, ' ')
    .replace(/(?<!\w)\.|\.(?!\w)/g, ' ')
    .split(/\s+/)
    .filter(Boolean);
const nows = (s: string): string => s.replace(/\s+/g, '');

function textMatch(a: string, b: string): boolean {
  const x = new Set(words(a));
  const y = new Set(words(b));
  if (x.size === 0 || y.size === 0) return false;
  let inter = 0;
  for (const w of x) if (y.has(w)) inter++;
  return inter === x.size || inter === y.size || inter / (x.size + y.size - inter) >= 0.5;
}
function phoneKey(s: string): string | null {
  const m = findPhones(s, phoneCountries('x.com'))[0];
  if (m) return m.e164;
  const d = s.replace(/\D/g, '');
  return d.length >= 7 ? d.slice(-7) : null;
}
const phoneMatch = (pred: string, gold: string): boolean => {
  const g = phoneKey(gold);
  return g !== null && (g === pred || pred.replace(/\D/g, '').endsWith(g.replace(/\D/g, '').slice(-7)));
};

type Prf = { tp: number; fp: number; fn: number };
const prf = (): Prf => ({ tp: 0, fp: 0, fn: 0 });
const f1 = (s: Prf): { p: number; r: number; f1: number } => {
  const p = s.tp + s.fp ? s.tp / (s.tp + s.fp) : 0;
  const r = s.tp + s.fn ? s.tp / (s.tp + s.fn) : 0;
  return { p, r, f1: p + r ? (2 * p * r) / (p + r) : 0 };
};
function scoreList(s: Prf, pred: string[], gold: string[], eq: (p: string, g: string) => boolean, onlyWithGold: boolean): void {
  if (onlyWithGold && gold.length === 0) return;
  const used = new Set<number>();
  for (const p of pred) {
    const k = gold.findIndex((g, i) => !used.has(i) && eq(p, g));
    if (k >= 0) {
      used.add(k);
      s.tp++;
    } else s.fp++;
  }
  s.fn += gold.length - used.size;
}

const report: Record<string, unknown> = {};
const out: string[] = [];
const pct = (n: number, d: number): string => (d ? ((100 * n) / d).toFixed(1) + '%' : 'n/a');

// ---- leadpane-mail corpora: the project's own conventions, scored per language ----
type MailLabel = {
  file: string;
  lang: string;
  lead: Record<string, string | string[] | null>;
  newMessage: string | null;
  signature: string | null;
};
type MailNote = { alternatives?: Record<string, (string | null)[]> };
const LEAD_FIELDS = ['fullName', 'email', 'company', 'title', 'phones', 'fax', 'website', 'eik', 'vat', 'city'] as const;
const LIST_FIELDS = new Set(['phones', 'fax']);

/** Whitespace collapsed, NFC; the comparison of text values and of whole messages. */
const norm = (s: string): string => s.normalize('NFC').replace(/\s+/g, ' ').trim();

/** 1 - Levenshtein distance / longer length, on whitespace-collapsed text (null only matches null). */
function similarity(a: string | null, b: string | null): number {
  if (a === null || b === null) return a === b ? 1 : 0;
  const x = norm(a);
  const y = norm(b);
  if (x === y) return 1;
  const n = x.length;
  const m = y.length;
  if (n === 0 || m === 0) return 0;
  let prev = new Int32Array(m + 1);
  let cur = new Int32Array(m + 1);
  for (let j = 0; j <= m; j++) prev[j] = j;
  for (let i = 1; i <= n; i++) {
    cur[0] = i;
    const c = x.charCodeAt(i - 1);
    for (let j = 1; j <= m; j++) {
      const sub = prev[j - 1]! + (c === y.charCodeAt(j - 1) ? 0 : 1);
      cur[j] = Math.min(sub, prev[j]! + 1, cur[j - 1]! + 1);
    }
    [prev, cur] = [cur, prev];
  }
  return 1 - prev[m]! / Math.max(n, m);
}

/** Folders under DIR (or DIR itself) that hold a leadpane-mail labels.json. */
function mailCorpora(): string[] {
  const isMail = (d: string): boolean => {
    const p = join(d, 'labels.json');
    if (!existsSync(p)) return false;
    try {
      const l = JSON.parse(readFileSync(p, 'utf8')) as unknown;
      return (
        Array.isArray(l) && l.some((e: Partial<MailLabel>) => typeof e?.file === 'string' && e.lead !== undefined && 'newMessage' in e)
      );
    } catch {
      return false;
    }
  };
  if (only) return [];
  if (isMail(given)) return [given];
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .map((d) => join(dir, d))
    .filter((d) => statSync(d).isDirectory() && isMail(d))
    .sort();
}

type LangScore = { n: number; fields: Record<string, Prf>; newMessage: number; signature: number };
const mailMismatches: string[] = [];
for (const cdir of mailCorpora()) {
  const name = basename(cdir);
  const labels = JSON.parse(readFileSync(join(cdir, 'labels.json'), 'utf8')) as MailLabel[];
  const notes = existsSync(join(cdir, 'notes.json'))
    ? (JSON.parse(readFileSync(join(cdir, 'notes.json'), 'utf8')) as Record<string, MailNote>)
    : {};
  const langs: Record<string, LangScore> = {};
  for (const lab of labels) {
    const path = join(cdir, lab.file);
    if (!existsSync(path)) throw new Error(`${name}: labels.json names ${lab.file}, which is not in ${cdir}`);
    const x = run(await parseEml(new Uint8Array(readFileSync(path))));
    const alts = notes[lab.file]?.alternatives ?? {};
    const ours = toLeadJson(x) as unknown as Record<string, string | string[] | null>;
    const s = (langs[lab.lang] ??= { n: 0, fields: Object.fromEntries(LEAD_FIELDS.map((f) => [f, prf()])), newMessage: 0, signature: 0 });
    s.n++;
    const miss: string[] = [];
    for (const f of LEAD_FIELDS) {
      const acc = s.fields[f]!;
      const ci = f === 'email' || f === 'website';
      const eq = (a: string, b: string): boolean => (ci ? norm(a).toLowerCase() === norm(b).toLowerCase() : norm(a) === norm(b));
      if (LIST_FIELDS.has(f)) {
        const pred = (ours[f] as string[] | null) ?? [];
        const gold = (lab.lead[f] as string[] | null) ?? [];
        const before = { ...acc };
        scoreList(acc, pred, gold, eq, false);
        if (acc.fp !== before.fp || acc.fn !== before.fn) miss.push(`${f}: ours ${JSON.stringify(pred)} gold ${JSON.stringify(gold)}`);
        continue;
      }
      const pred = ours[f] as string | null;
      const gold = lab.lead[f] as string | null;
      const accepted = [gold, ...(alts[f] ?? [])];
      const ok = accepted.some((g) => (g === null ? pred === null : pred !== null && eq(pred, g)));
      if (pred !== null && ok) acc.tp++;
      else {
        if (pred !== null) acc.fp++;
        if (gold !== null && !ok) acc.fn++;
      }
      if (!ok) miss.push(`${f}: ours ${JSON.stringify(pred)} gold ${JSON.stringify(gold)}`);
    }
    const best = (pred: string | null, gold: string | null, alt: (string | null)[] | undefined): number =>
      Math.max(...[gold, ...(alt ?? [])].map((g) => similarity(pred, g)));
    const nm = best(x.newMessage || null, lab.newMessage, alts.newMessage);
    const sg = best(x.signature, lab.signature, alts.signature);
    if (nm >= 0.9) s.newMessage++;
    else miss.push(`newMessage ${nm.toFixed(2)}: ours ${JSON.stringify(x.newMessage)}\n      gold ${JSON.stringify(lab.newMessage)}`);
    if (sg >= 0.9) s.signature++;
    else miss.push(`signature ${sg.toFixed(2)}: ours ${JSON.stringify(x.signature)}\n      gold ${JSON.stringify(lab.signature)}`);
    if (miss.length) mailMismatches.push(`## ${name}/${lab.file}\n  ${miss.join('\n  ')}`);
  }
  const order = Object.keys(langs).sort((a, b) => ['bg', 'ru', 'en'].indexOf(a) - ['bg', 'ru', 'en'].indexOf(b));
  out.push(`${name}: ${labels.length} mails (${order.map((l) => `${l} ${langs[l]!.n}`).join(', ')})`);
  out.push(`lang  mean field F1  newMessage (>=90% similar)  signature (>=90% similar)`);
  const cr: Record<string, unknown> = {};
  for (const l of order) {
    const s = langs[l]!;
    const scored = LEAD_FIELDS.filter((f) => s.fields[f]!.tp + s.fields[f]!.fp + s.fields[f]!.fn > 0);
    const mean = scored.length ? scored.reduce((a, f) => a + f1(s.fields[f]!).f1, 0) / scored.length : 0;
    out.push(
      `${l.padEnd(4)}  ${mean.toFixed(3).padStart(13)}  ${(s.newMessage / s.n).toFixed(3).padStart(10)} (${s.newMessage}/${s.n})${''.padStart(
        10,
      )}  ${(s.signature / s.n).toFixed(3).padStart(9)} (${s.signature}/${s.n})`,
    );
    cr[l] = {
      n: s.n,
      meanFieldF1: mean,
      newMessage: s.newMessage / s.n,
      signature: s.signature / s.n,
      fields: Object.fromEntries(LEAD_FIELDS.map((f) => [f, { ...f1(s.fields[f]!), ...s.fields[f]! }])),
    };
  }
  out.push(`field      ${order.map((l) => `${l}: P     R     F1   `.padEnd(22)).join('')}`);
  for (const f of LEAD_FIELDS) {
    const cells = order.map((l) => {
      const s = langs[l]!.fields[f]!;
      if (s.tp + s.fp + s.fn === 0) return '    (none)'.padEnd(22);
      const m = f1(s);
      return `    ${m.p.toFixed(2)}  ${m.r.toFixed(2)}  ${m.f1.toFixed(3)}`.padEnd(22);
    });
    out.push(`${f.padEnd(10)} ${cells.join('')}`);
  }
  out.push('');
  report.mail ??= {} as Record<string, unknown>;
  (report.mail as Record<string, unknown>)[name] = cr;
}
if (process.env.EVAL_DEBUG === 'mail') console.error(mailMismatches.join('\n'));

// ---- Quagga Enron: fields and split ----
type QIndex = {
  file: string;
  ann: string;
  split: string;
  detailed?: boolean;
  zone_sequence: string[];
  top_message_signature_fields: Record<string, string[]>;
  first_quoted_header_offset: number | null;
};
type Ann = { text: string; denotations: { start: number; end: number; type: string }[] };
const splitScores: Record<string, { exact: number; cut: number; n: number }> = {};

function scoreSplit(corpus: string, ours: string, goldTop: string): void {
  const s = (splitScores[corpus] ??= { exact: 0, cut: 0, n: 0 });
  s.n++;
  // device lines are dropped by design; the gold keeps them
  const gold = goldTop
    .split('\n')
    .filter((l) => !isDeviceLine(l))
    .join('\n');
  if (nows(ours) === nows(gold)) s.exact++;
  // the cut is right when nothing quoted leaked in and nothing but trailing boilerplate is lost
  const o = nows(ours);
  const g = nows(gold);
  if (g.startsWith(o) && o.length >= g.length * 0.8) s.cut++;
}

if (has('quagga-enron')) {
  const idx = json<QIndex[]>('quagga-enron', 'index.json').filter((e) => e.split === 'train' || e.split === 'test');
  const fields: Record<string, Prf> = {
    name: prf(),
    organisation: prf(),
    title: prf(),
    phone: prf(),
    email: prf(),
    fax: prf(),
    address: prf(),
  };
  let scope = 0;
  for (const e of idx) {
    const raw = read('quagga-enron', 'annotated_all', e.file);
    const ann = json<Ann>('quagga-enron', 'annotated_all', e.ann);
    const x = run(await parseEml(raw));
    if (e.detailed) {
      const top = e.first_quoted_header_offset ?? ann.text.length;
      scoreSplit('quagga-enron', x.topMessage, ann.text.slice(0, top));
    }
    const firstHeader = e.zone_sequence.indexOf('Header');
    const topZones = firstHeader < 0 ? e.zone_sequence : e.zone_sequence.slice(0, firstHeader);
    if (!e.detailed || !topZones.includes('Body/Signature')) continue;
    scope++;
    const g = e.top_message_signature_fields;
    const l = x.lead;
    const one = (v: string | null | undefined): string[] => (v ? [v] : []);
    scoreList(fields.name!, one(l.fullName?.value), g.Name ?? [], textMatch, true);
    // the labels are signature readings: score the addresses read from the signature (the sender's
    // header address stands in only when the signature has none)
    const sigEmails = l.emails.filter((m) => m.source === 'signature').map((m) => m.value);
    scoreList(
      fields.email!,
      sigEmails.length ? sigEmails : one(l.email?.value),
      g.Mail ?? [],
      (p, q) => p === q.trim().toLowerCase(),
      true,
    );
    // a company guessed from the domain is shown as a low-confidence hint, not a signature reading
    scoreList(
      fields.organisation!,
      one(l.company && l.company.source !== 'domain' ? l.company.value : null),
      g.Organisation ?? [],
      textMatch,
      false,
    );
    scoreList(fields.title!, one(l.title?.value), g.Position ?? [], textMatch, false);
    scoreList(fields.address!, one(l.address?.value), g.Address ?? [], textMatch, false);
    scoreList(
      fields.phone!,
      l.phones.map((p) => p.value),
      g.Phone ?? [],
      phoneMatch,
      false,
    );
    scoreList(
      fields.fax!,
      l.fax.map((p) => p.value),
      g.Fax ?? [],
      phoneMatch,
      false,
    );
    if (process.env.EVAL_DEBUG === 'fields') {
      console.error(
        `\n## ${e.file}\n gold ${JSON.stringify(g)}\n ours name=${l.fullName?.value} org=${l.company?.value}(${l.company?.source}) title=${l.title?.value} phones=${l.phones.map((p) => p.raw)} fax=${l.fax.map((p) => p.raw)} emails=${l.emails.map((m) => m.value)} addr=${l.address?.value}\n sig=${JSON.stringify(x.signature)}`,
      );
    }
  }
  out.push(`Quagga Enron signature fields (train+test, ${scope} mails whose newest message has a signature)`);
  out.push('field         precision  recall   F1     (tp/fp/fn)');
  const fr: Record<string, unknown> = {};
  for (const [k, s] of Object.entries(fields)) {
    const m = f1(s);
    fr[k] = { ...m, ...s };
    out.push(`${k.padEnd(13)} ${m.p.toFixed(3).padStart(9)}  ${m.r.toFixed(3).padStart(6)}  ${m.f1.toFixed(3)}  (${s.tp}/${s.fp}/${s.fn})`);
  }
  report.fields = fr;
  report.fieldScope = scope;
}

// ---- Quagga ASF: split ----
if (has('quagga-asf')) {
  const idx = json<{ file: string; ann: string; split: string }[]>('quagga-asf', 'index.json').filter(
    (e) => e.split === 'train' || e.split === 'test',
  );
  for (const e of idx) {
    const ann = json<Ann>('quagga-asf', e.ann);
    const header = ann.denotations.filter((d) => d.type === 'Header').map((d) => d.start);
    const top = header.length ? Math.min(...header) : ann.text.length;
    const x = run({ text: ann.text });
    scoreSplit('quagga-asf', x.topMessage, ann.text.slice(0, top));
  }
}

// ---- crisp ----
type Crisp = {
  COMMON_FIRST_FRAGMENT: string;
  cases: {
    test: string;
    fixtures: string[];
    assertions: string[];
    expected_new_message_trimmed?: boolean;
    expected_fragment0_exact?: string;
    expected_visible_text?: string;
  }[];
};
const assertions = { pass: 0, n: 0 };
if (has('crisp-email-reply-parser')) {
  const c = json<Crisp>('crisp-email-reply-parser', 'expected.json');
  for (const k of c.cases) {
    const fx = k.fixtures[0];
    if (!fx) continue;
    const x = run({ text: read('crisp-email-reply-parser', 'fixtures', `${fx}.txt`) });
    const expected = k.expected_new_message_trimmed ? c.COMMON_FIRST_FRAGMENT : (k.expected_visible_text ?? k.expected_fragment0_exact);
    if (expected !== undefined) {
      const s = (splitScores.crisp ??= { exact: 0, cut: 0, n: 0 });
      s.n++;
      const ok = x.topMessage.trim() === expected.trim();
      if (ok) s.exact++;
      if (ok || nows(expected).startsWith(nows(x.topMessage))) s.cut++;
      if (!ok && process.env.EVAL_DEBUG) console.error('crisp', k.test, JSON.stringify(x.topMessage.slice(0, 300)));
      continue;
    }
    // regex assertions on the first fragment (the newest message)
    for (const a of k.assertions) {
      const m = /test\.equal\(true,\s*\/(.+)\/\.test\(fragments\[0\](?:\.toString\(\))?\)\)/.exec(a);
      if (!m) continue;
      assertions.n++;
      if (new RegExp(m[1]!).test(x.topMessage)) assertions.pass++;
      else if (process.env.EVAL_DEBUG) console.error('crisp assert', k.test, a);
    }
  }
}

// ---- github ----
if (has('github-email-reply-parser')) {
  const c = json<{ cases: { test: string; fixtures: string[]; expected_visible_text?: string }[] }>(
    'github-email-reply-parser',
    'expected.json',
  );
  for (const k of c.cases) {
    const fx = k.fixtures[0];
    if (!fx || k.expected_visible_text === undefined) continue;
    const x = run({ text: read('github-email-reply-parser', 'emails', `${fx}.txt`) });
    const s = (splitScores.github ??= { exact: 0, cut: 0, n: 0 });
    s.n++;
    const ok = x.topMessage.trim() === k.expected_visible_text.trim();
    if (ok) s.exact++;
    if (ok || nows(k.expected_visible_text).startsWith(nows(x.topMessage))) s.cut++;
    if (!ok && process.env.EVAL_DEBUG) console.error('github', k.test, JSON.stringify(x.topMessage.slice(0, 300)));
  }
}

// ---- talon ----
const sigScores = { lines: 0, linesOk: 0, mails: 0, mailsOk: 0 };
function scoreSignatureLines(body: string, goldSig: Set<number>, x: Extraction): void {
  const lines = body.split('\n');
  const sig = x.signature ? x.signature.split('\n').map((l) => l.trim()) : [];
  // our signature is the tail of the message: mark its lines from the bottom up
  const ours = new Set<number>();
  let k = sig.length - 1;
  for (let i = lines.length - 1; i >= 0 && k >= 0; i--) {
    if (lines[i]!.trim() === sig[k]) {
      ours.add(i);
      k--;
    } else if (lines[i]!.trim() === '') continue;
    else if (ours.size) break;
  }
  let all = true;
  for (let i = 0; i < lines.length; i++) {
    if (lines[i]!.trim() === '') continue;
    sigScores.lines++;
    if (ours.has(i) === goldSig.has(i)) sigScores.linesOk++;
    else all = false;
  }
  sigScores.mails++;
  if (all) sigScores.mailsOk++;
}
if (has('mailgun-talon')) {
  type T = { file: string; kind: string; expected_reply_text?: string; sender_file?: string; expected_signature?: string };
  const c = json<{ cases: T[] }>('mailgun-talon', 'expected.json');
  for (const k of c.cases) {
    if (k.kind.startsWith('text/plain reply') && k.expected_reply_text !== undefined) {
      const input = await parseEml(readFileSync(join(dir, 'mailgun-talon', k.file)));
      const x = run({ ...input, html: null });
      const s = (splitScores.talon ??= { exact: 0, cut: 0, n: 0 });
      s.n++;
      const exp = k.expected_reply_text
        .split('\n')
        .filter((l) => !isDeviceLine(l))
        .join('\n')
        .trim();
      const ok = x.topMessage.trim() === exp;
      if (ok) s.exact++;
      if (ok || nows(exp).startsWith(nows(x.topMessage))) s.cut++;
      if (!ok && process.env.EVAL_DEBUG) console.error('talon', k.file, JSON.stringify(x.topMessage.slice(0, 300)));
    } else if (k.kind === 'HTML reply extraction' && k.expected_reply_text !== undefined) {
      const x = run({ html: read('mailgun-talon', k.file) });
      const s = (splitScores.talon ??= { exact: 0, cut: 0, n: 0 });
      s.n++;
      const ok = nows(x.topMessage) === nows(k.expected_reply_text);
      if (ok) s.exact++;
      if (ok || nows(k.expected_reply_text).startsWith(nows(x.topMessage))) s.cut++;
      if (!ok && process.env.EVAL_DEBUG) console.error('talon', k.file, JSON.stringify(x.topMessage.slice(0, 300)));
    } else if (k.kind === 'signature extraction' && k.sender_file && k.expected_signature !== undefined) {
      const body = read('mailgun-talon', k.file).replace(/^#sig#/gm, '');
      const sender = read('mailgun-talon', k.sender_file).trim();
      const x = run({ from: sender, text: body });
      const gold = new Set<number>();
      const goldLines = k.expected_signature
        .replace(/^#sig#/gm, '')
        .split('\n')
        .map((l) => l.trim())
        .filter(Boolean);
      const lines = body.split('\n');
      // the gold signature is the body's tail
      let g = goldLines.length - 1;
      for (let i = lines.length - 1; i >= 0 && g >= 0; i--) {
        if (lines[i]!.trim() === '') continue;
        if (lines[i]!.trim() === goldLines[g]) {
          gold.add(i);
          g--;
        } else break;
      }
      scoreSignatureLines(body, gold, x);
    }
  }
}

// ---- mailgun-forge: signature lines ----
if (has('mailgun-forge')) {
  for (const cls of ['P', 'N']) {
    const d = join(dir, 'mailgun-forge', 'dataset', cls);
    for (const f of readdirSync(d).filter((n) => n.endsWith('_body'))) {
      const rawBody = readFileSync(join(d, f), 'utf8');
      const sender = existsSync(join(d, f.replace(/_body$/, '_sender')))
        ? readFileSync(join(d, f.replace(/_body$/, '_sender')), 'utf8').trim()
        : null;
      const lines = rawBody.split('\n');
      const gold = new Set<number>();
      lines.forEach((l, i) => l.startsWith('#sig#') && gold.add(i));
      const body = lines.map((l) => l.replace(/^#sig#/, '')).join('\n');
      const from = sender ? (sender.includes('<') ? sender : { name: sender, address: 'unknown@enron.com' }) : null;
      scoreSignatureLines(body, gold, run({ from, text: body }));
    }
  }
}

if (inputs.length === 0) {
  process.stderr.write(
    `eval-email: no mail recognised in ${given}: give the folder of corpora or one corpus folder (labels.json with .eml files, quagga-enron, mailgun-talon, ...)\n`,
  );
  process.exit(1);
}

out.push('');
out.push('Reply split (newest message vs gold)   exact    cut-ok   cases');
const sr: Record<string, unknown> = {};
for (const [k, s] of Object.entries(splitScores)) {
  sr[k] = { exact: s.n ? s.exact / s.n : 0, cut: s.n ? s.cut / s.n : 0, n: s.n };
  out.push(`${k.padEnd(38)} ${pct(s.exact, s.n).padStart(6)}  ${pct(s.cut, s.n).padStart(7)}  ${s.n}`);
}
const multi = ['crisp', 'github', 'talon'].map((k) => splitScores[k]).filter((s): s is { exact: number; cut: number; n: number } => !!s);
const mEx = multi.reduce((a, s) => a + s.exact, 0);
const mN = multi.reduce((a, s) => a + s.n, 0);
out.push(`${'multilingual reply corpora (pooled)'.padEnd(38)} ${pct(mEx, mN).padStart(6)}           ${mN}`);
out.push(`crisp regex assertions on the newest message: ${assertions.pass}/${assertions.n}`);
report.split = sr;
report.splitMultilingual = mN ? mEx / mN : 0;
report.crispAssertions = assertions;

out.push('');
out.push(
  `Signature lines (forge + talon): line accuracy ${pct(sigScores.linesOk, sigScores.lines)} of ${sigScores.lines}; mails all-lines-right ${pct(sigScores.mailsOk, sigScores.mails)} of ${sigScores.mails}`,
);
report.signature = {
  lineAccuracy: sigScores.lines ? sigScores.linesOk / sigScores.lines : 0,
  mailAccuracy: sigScores.mails ? sigScores.mailsOk / sigScores.mails : 0,
  ...sigScores,
};

// ---- libphonenumber BG/RU cases ----
if (has('libphonenumber-bg-ru', 'cases.json')) {
  type C = {
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
  const cases = json<{ cases: C[] }>('libphonenumber-bg-ru', 'cases.json').cases;
  let ok = 0;
  let n = 0;
  const failed: string[] = [];
  for (const c of cases) {
    if (c.kind === 'example_number' && (c.region === 'BG' || c.region === 'RU')) {
      n++;
      const national = parsePhoneNumberFromString(c.e164!)!.formatNational();
      const got = findPhones(`тел. ${national}`)[0]?.e164;
      const intl = findPhones(`tel ${c.e164}`)[0]?.e164;
      if (got === c.e164 && intl === c.e164) ok++;
      else failed.push(`${c.e164} (${national}) -> ${got}/${intl}`);
    } else if (c.kind === 'parse' && (c.default_region === 'BG' || c.default_region === 'RU')) {
      n++;
      const m = findPhones(c.input!, [c.default_region])[0];
      if (m?.e164 === c.expected_e164 && m?.ext === (c.expected_extension ?? null)) ok++;
      else failed.push(`${c.input} -> ${m?.e164} ext ${m?.ext}`);
    } else if (c.kind === 'is_number_match') {
      n++;
      const a = findPhones(c.a!, ['RU'])[0];
      const b = findPhones(c.b!, ['RU'])[0];
      if (a && b && a.e164 === b.e164 && a.ext === b.ext) ok++;
      else failed.push(`${c.a} vs ${c.b}`);
    }
  }
  out.push(`libphonenumber BG/RU cases: ${ok}/${n} parse to the right E.164${failed.length ? ' — failed: ' + failed.join('; ') : ''}`);
  report.phones = { ok, n, failed };
}

// speed: the first (cold) pass above, then the best of three warm runs per mail, which leaves out
// garbage-collection pauses and other processes on the machine
const warm = inputs.map((input) => {
  let best = Infinity;
  for (let k = 0; k < 3; k++) {
    const t0 = performance.now();
    extractLead(input);
    best = Math.min(best, performance.now() - t0);
  }
  return best;
});
const q = (xs: number[], at: number): number => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(at * xs.length))] ?? 0;
out.push(
  `Speed: ${timings.length} mails; cold pass p50 ${q(timings, 0.5).toFixed(2)} ms, p99 ${q(timings, 0.99).toFixed(2)} ms; warm (best of 3) p50 ${q(warm, 0.5).toFixed(2)} ms, p99 ${q(warm, 0.99).toFixed(2)} ms, max ${q(warm, 1).toFixed(2)} ms`,
);
report.speed = {
  n: timings.length,
  coldP50: q(timings, 0.5),
  coldP99: q(timings, 0.99),
  warmP50: q(warm, 0.5),
  warmP99: q(warm, 0.99),
  warmMax: q(warm, 1),
};

process.stdout.write(out.join('\n') + '\n');
if (asJson) process.stdout.write(JSON.stringify(report) + '\n');

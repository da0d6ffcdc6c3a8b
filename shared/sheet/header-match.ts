/**
 * Scores one header against the vocabulary: every canonical field gets a score in 0..1 from its
 * best synonym (exact, inflected, abbreviated or misspelt words) and how much of the header the
 * field's synonyms explain. Compiled once at module load; token matches are memoised.
 */
import { tokenize, editDistance, type Token } from './text';
import { FIELD_SYNONYMS, HEADER_CURRENCY_WORDS, IGNORED_CONCEPTS, NOISE_WORDS, PLACE_CONCEPTS, QUALIFIER_WORDS } from './vocabulary';
import { CANONICAL_FIELDS, fieldsOf, type CanonicalField, type Currency, type ImportKind } from './types';

/** Pseudo-fields: known concepts Leadpane does not import. */
const IGNORE = 'ignore';
const PLACE = 'place';
type Target = CanonicalField | typeof IGNORE | typeof PLACE;

interface CompiledSynonym {
  target: Target;
  tokens: string[];
  compact: string;
  weight: number;
}

// Match qualities: how sure a word match is, by kind.
const Q_EXACT = 1;
const Q_COMPACT = 0.98; // "веб страница" vs "веб-страница"
const Q_STEM = 0.95; // inflection or plural: "телефона", "notes"
const Q_ABBR = 0.9; // dotted abbreviation: "отг." for "отговорен"
const Q_FUZZY = 0.85; // a typo: "adress", "телфон"
const Q_PREFIX = 0.8; // undotted truncation: "probab"

const normWord = (w: string): string =>
  tokenize(w)
    .map((t) => t.text)
    .join(' ');
const NOISE = new Set(NOISE_WORDS.map(normWord));
const QUALIFIERS = new Set(QUALIFIER_WORDS.map(normWord));
const CURRENCY_BY_TOKEN = new Map<string, Currency>(Object.entries(HEADER_CURRENCY_WORDS).map(([w, c]) => [normWord(w), c]));
const isNoise = (t: Token): boolean => NOISE.has(t.text) || /^\d+$/.test(t.text);

export const SYNONYMS: CompiledSynonym[] = [];
function addSynonyms(target: Target, list: readonly string[]): void {
  for (const entry of list) {
    const at = entry.lastIndexOf('@');
    const phrase = at > 0 ? entry.slice(0, at) : entry;
    const weight = at > 0 ? Number(entry.slice(at + 1)) : 1;
    const tokens = tokenize(phrase)
      .filter((t) => !isNoise(t))
      .map((t) => t.text);
    if (tokens.length === 0) continue;
    SYNONYMS.push({ target, tokens, compact: tokens.join(''), weight });
  }
}
for (const field of CANONICAL_FIELDS) addSynonyms(field, FIELD_SYNONYMS[field]);
addSynonyms(IGNORE, IGNORED_CONCEPTS);
addSynonyms(PLACE, PLACE_CONCEPTS);

/** Vocabulary word -> ids of the synonyms that contain it. */
const BY_TOKEN = new Map<string, number[]>();
const BY_COMPACT = new Map<string, number[]>();
SYNONYMS.forEach((s, id) => {
  for (const t of new Set(s.tokens)) BY_TOKEN.set(t, [...(BY_TOKEN.get(t) ?? []), id]);
  BY_COMPACT.set(s.compact, [...(BY_COMPACT.get(s.compact) ?? []), id]);
});
const VOCAB = [...BY_TOKEN.keys()];

function commonPrefix(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  let i = 0;
  while (i < n && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  return i;
}

/** How well a header word matches a vocabulary word (0 = not at all). */
function wordQuality(h: Token, v: string): number {
  const w = h.text;
  if (w === v) return Q_EXACT;
  const p = commonPrefix(w, v);
  if (h.cyrillic) {
    // Slavic endings: a shared stem of 4+ letters and at most 3 differing letters on each side.
    if (p >= 4 && w.length - p <= 3 && v.length - p <= 3) return Q_STEM;
  } else if ((w === v + 's' || v === w + 's' || w === v + 'es') && p >= 3) return Q_STEM;
  // A known short form ("тел.", "моб.") is not expanded into other words ("телефакс").
  if (p === w.length && v.length > w.length && !BY_TOKEN.has(w)) {
    if (h.abbr && w.length >= 2) return Q_ABBR;
    if (w.length >= 5 && v.length >= w.length + 2) return Q_PREFIX;
  }
  // One typo in a word of five letters or more ("adress", "citty"), two from nine; a four-letter
  // word only loses or gains a letter against a five-letter one ("phne" / "phone").
  const len = Math.min(w.length, v.length);
  if (len >= 5 || (len === 4 && Math.max(w.length, v.length) === 5)) {
    const max = len >= 9 ? 2 : 1;
    if (editDistance(w, v, max) <= max) return Q_FUZZY;
  }
  return 0;
}

const MATCH_CACHE = new Map<string, Map<string, number>>();
const MATCH_CACHE_LIMIT = 20_000;

/** All vocabulary words a header word matches, with their quality; memoised. */
function matchesOf(h: Token): Map<string, number> {
  const key = `${h.text}|${h.abbr ? 1 : 0}${h.cyrillic ? 1 : 0}`;
  const cached = MATCH_CACHE.get(key);
  if (cached) return cached;
  const out = new Map<string, number>();
  for (const v of VOCAB) {
    const q = wordQuality(h, v);
    if (q > 0) out.set(v, q);
  }
  if (MATCH_CACHE.size >= MATCH_CACHE_LIMIT) MATCH_CACHE.clear();
  MATCH_CACHE.set(key, out);
  return out;
}

export interface HeaderScores {
  /** Score per canonical field that matched at all, 0..1 (a little above 1 for long exact phrases). */
  fields: Map<CanonicalField, number>;
  /** Score of the best "known but not imported" concept (department, birthday, state...). */
  ignored: number;
  /** Currency named in the header ("Сумма, руб." -> RUB). */
  currency: Currency | null;
  /** Whether the header is written in Cyrillic. */
  cyrillic: boolean;
}

interface TargetHit {
  /** The synonyms' matches merged: the lowest weight among them, the words they cover together. */
  base: number;
  covered: Set<number>;
  longest: number;
  /** Each synonym's own match, so a weak synonym never lends its words to a strong one's weight. */
  singles: Array<{ base: number; covered: number[]; length: number }>;
}

/** Words naming an organisation or a deal: a header's "Name" beside them is not a person's name. */
const NOT_A_PERSON = new Set(
  [
    'company',
    'account',
    'organization',
    'organisation',
    'business',
    'firm',
    'employer',
    'deal',
    'opportunity',
    'project',
    'фирма',
    'фирмата',
    'фирмы',
    'компания',
    'компании',
    'компанії',
    'организация',
    'организации',
    'организацията',
    'дружество',
    'контрагент',
    'контрагента',
    'сделка',
    'сделки',
    'сделката',
    'угоди',
    'проект',
  ].map(normWord),
);
const PERSON_FIELDS = new Set<Target>(['fullName', 'firstName', 'lastName']);

function scorePart(tokens: Token[], into: Map<Target, number>): void {
  if (tokens.length === 0) return;
  const matches = tokens.map(matchesOf);
  const hits = new Map<Target, TargetHit>();
  const record = (target: Target, base: number, covered: number[], length: number): void => {
    const hit = hits.get(target);
    if (!hit) hits.set(target, { base, covered: new Set(covered), longest: length, singles: [{ base, covered, length }] });
    else {
      hit.base = Math.min(hit.base, base);
      hit.longest = Math.max(hit.longest, length);
      for (const c of covered) hit.covered.add(c);
      hit.singles.push({ base, covered, length });
    }
  };

  // Candidate synonyms: those sharing at least one matched vocabulary word.
  const candidates = new Set<number>();
  for (const m of matches) for (const v of m.keys()) for (const id of BY_TOKEN.get(v) ?? []) candidates.add(id);
  for (const id of candidates) {
    const syn = SYNONYMS[id]!;
    // Concepts we skip must be named plainly: a typo of "country" is not "county".
    const minQuality = syn.target === IGNORE || syn.target === PLACE ? Q_STEM : 0;
    const used: number[] = [];
    let sum = 0;
    for (const st of syn.tokens) {
      let best = 0;
      let bestAt = -1;
      for (let i = 0; i < tokens.length; i++) {
        if (used.includes(i)) continue;
        const q = matches[i]!.get(st) ?? 0;
        if (q > best && q >= minQuality) {
          best = q;
          bestAt = i;
        }
      }
      if (bestAt < 0) break;
      used.push(bestAt);
      sum += best;
    }
    if (used.length === syn.tokens.length) record(syn.target, (syn.weight * sum) / used.length, used, used.length);
  }
  // Spacing and hyphenation variants: "Веб страница" = "веб-страница", "Zip Code" = "zipcode".
  const compact = tokens.map((t) => t.text).join('');
  for (const id of BY_COMPACT.get(compact) ?? []) {
    const syn = SYNONYMS[id]!;
    record(
      syn.target,
      syn.weight * Q_COMPACT,
      tokens.map((_, i) => i),
      syn.tokens.length,
    );
  }

  // The head word decides between two fields named in one header: English puts it last
  // ("Company Phone"), Bulgarian and Russian first ("Телефон на фирмата"); a possessive owns it.
  const possessive = tokens.findIndex((t) => t.possessive);
  const last = tokens[tokens.length - 1]!;
  const head = possessive >= 0 ? possessive : last.cyrillic ? 0 : tokens.length - 1;

  const scoreOf = (target: Target, base: number, covered: Set<number>, longest: number): number => {
    let penalty = 0;
    let organisation = false;
    tokens.forEach((t, i) => {
      if (covered.has(i)) return;
      penalty += QUALIFIERS.has(t.text) || CURRENCY_BY_TOKEN.has(t.text) ? 0.25 : 1;
      if (NOT_A_PERSON.has(t.text)) organisation = true;
    });
    const coverage = covered.size / (covered.size + penalty);
    let score = base * (0.55 + 0.45 * coverage) + 0.01 * (longest - 1);
    if (penalty > 0 && covered.has(head)) score += 0.05;
    // "Company Name", "Account Name", "Име на фирмата": the name of an organisation, not a person's.
    if (organisation && PERSON_FIELDS.has(target)) score -= 0.3;
    return score;
  };

  for (const [target, hit] of hits) {
    let score: number;
    if (target === IGNORE) score = Math.max(...hit.singles.map((x) => x.base));
    else {
      score = scoreOf(target, hit.base, hit.covered, hit.longest);
      for (const single of hit.singles) score = Math.max(score, scoreOf(target, single.base, new Set(single.covered), single.length));
    }
    if (score > (into.get(target) ?? 0)) into.set(target, score);
  }
}

const SCORE_CACHE = new Map<string, HeaderScores>();
const ALTERNATIVES = /\s*[/|\\]\s*/;
const PATH = /\s+[-–—]\s+/;
const PATH_STEP = 0.97;
const VALUE_STEP = /^\s*(?:value|values|значение|стойност|значення)\s*$/i;
const OF = /^(.+?)\s+of\s+(.+)$/i;

/** English puts the head word before "of": "Country of Address" is read as "Address Country". */
const headOfFirst = (text: string): string => {
  if (/[\u0400-\u04ff]/.test(text)) return text;
  const m = OF.exec(text);
  return m ? `${m[2]} ${m[1]}` : text;
};

/**
 * Scores a header (or a step of one), and each of its alternatives ("Country/Region") on its own;
 * answers the known-but-not-imported score of the whole text (a place word counts only alone).
 */
function scoreText(text: string, into: Map<Target, number>): number {
  const tokens = tokenize(text).filter((t) => !isNoise(t));
  scorePart(tokens, into);
  const ignored = Math.max(into.get(IGNORE) ?? 0, into.get(PLACE) ?? 0);
  // "Country/Region", "ЕИК/Булстат": each alternative may name the field on its own. A field
  // Leadpane imports in one alternative is a valid reading, so parts only add real fields.
  const parts = text.split(ALTERNATIVES);
  if (parts.length > 1) {
    for (const part of parts) {
      const partTokens = tokenize(part).filter((t) => !isNoise(t));
      if (partTokens.length < tokens.length) scorePart(partTokens, into);
    }
  }
  return ignored;
}

/**
 * Scores a header against every canonical field.
 * @example scoreHeader('Тел.').fields.get('phone') // 0.9
 */
export function scoreHeader(header: string): HeaderScores {
  const cached = SCORE_CACHE.get(header);
  if (cached) return cached;
  const all = tokenize(header);
  const into = new Map<Target, number>();
  let ignored = scoreText(headOfFirst(header), into);
  // "Organization - Address - Country of Address", "Deal - Title": an export's path to a field;
  // its last step names the field (a little below the whole header, which may name it exactly).
  const path = header.split(PATH);
  // "Phone 1 - Value": the value of a numbered field is that field ("Deal - Value" is a deal's value).
  const steps = path.length;
  if (path.length > 1 && VALUE_STEP.test(path[path.length - 1]!) && /\d/.test(path[path.length - 2]!)) path.pop();
  if (steps > 1) {
    const last = new Map<Target, number>();
    ignored = Math.max(ignored, PATH_STEP * scoreText(headOfFirst(path[path.length - 1]!), last));
    for (const [target, score] of last) if (score * PATH_STEP > (into.get(target) ?? 0)) into.set(target, score * PATH_STEP);
  }
  const fields = new Map<CanonicalField, number>();
  for (const [target, score] of into) {
    if (target !== IGNORE && target !== PLACE) fields.set(target, score);
  }
  // The dominant "not imported" concepts ("Assistant's", "Birthday") still count from any part.
  ignored = Math.max(ignored, into.get(IGNORE) ?? 0);
  let currency: Currency | null = null;
  for (const t of all) currency ??= CURRENCY_BY_TOKEN.get(t.text) ?? null;
  const result: HeaderScores = { fields, ignored, currency, cyrillic: all.some((t) => t.cyrillic) };
  if (SCORE_CACHE.size >= MATCH_CACHE_LIMIT) SCORE_CACHE.clear();
  SCORE_CACHE.set(header, result);
  return result;
}

/** The lowest score at which a header alone names a field. */
export const HEADER_THRESHOLD = 0.6;

/**
 * The single best field for a header on its own (no column values), or null.
 * @example matchHeader('Лице за контакт') // 'fullName'
 * @example matchHeader('Date of Birth') // null (known, not imported)
 */
export function matchHeader(header: string, kind?: ImportKind): CanonicalField | null {
  const { fields, ignored } = scoreHeader(header);
  // Without a kind, every field but an invoice's.
  const allowed = fieldsOf(kind ?? 'deals');
  let best: CanonicalField | null = null;
  let bestScore = HEADER_THRESHOLD;
  for (const [field, score] of fields) {
    if (!allowed.includes(field)) continue;
    if (score > bestScore || (score === bestScore && best === null)) {
      best = field;
      bestScore = score;
    }
  }
  return best !== null && ignored > bestScore ? null : best;
}

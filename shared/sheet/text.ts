/**
 * Label normalisation for matching headers: lower case, Cyrillic transliterated (so "Telefon" and
 * "Телефон" meet), punctuation folded, dotted abbreviations kept as a flag ("Тел." -> tel, abbr).
 */
import { transliterate } from '../identity';

export interface Token {
  /** Lower-case Latin form. */
  text: string;
  /** Written with a trailing dot ("тел.", "моб."), so a prefix of a longer word may match. */
  abbr: boolean;
  /** Written in Cyrillic (inflected endings may differ: "телефона", "почты"). */
  cyrillic: boolean;
  /** Written as a possessive ("Manager's"): the column belongs to that other person. */
  possessive: boolean;
}

const CYRILLIC = /[\u0400-\u04ff]/;
// Initialisms written with dots: "п.к.", "Ф.И.О", "т.н." -> one token.
const INITIALISM = /(^|[^\p{L}])(\p{L})\.(\p{L})(?:\.(\p{L}))?\.?(?![\p{L}])/gu;
const SYMBOLS = /[%$€₽№#]/g;
const SYMBOL_WORDS: Record<string, string> = { '%': ' percent ', $: ' usd ', '€': ' eur ', '₽': ' rub ', '№': ' no ', '#': ' no ' };
const WORD = /[\p{L}\p{N}]+(?:[-'’`ʼ][\p{L}\p{N}]+)*\.?/gu;
const JOINERS = /[-'’`ʼ]/g;
const POSSESSIVE = /['’ʼ]s$/;

/**
 * Splits a label into normalised tokens.
 * @example tokenize('Тел. (раб.)').map((t) => t.text) // ['tel', 'rab']
 */
export function tokenize(label: string): Token[] {
  let text = label.normalize('NFKC').toLowerCase().replace(/ё/g, 'е');
  text = text.replace(SYMBOLS, (s) => SYMBOL_WORDS[s] ?? ' ');
  text = text.replace(INITIALISM, (_m, pre: string, a: string, b: string, c: string | undefined) => `${pre}${a}${b}${c ?? ''} `);
  const tokens: Token[] = [];
  for (const m of text.matchAll(WORD)) {
    let word = m[0];
    const abbr = word.endsWith('.');
    if (abbr) word = word.slice(0, -1);
    const possessive = POSSESSIVE.test(word);
    if (possessive) word = word.slice(0, -2);
    const cyrillic = CYRILLIC.test(word);
    word = word.replace(JOINERS, '');
    if (cyrillic) word = transliterate(word).toLowerCase();
    if (word) tokens.push({ text: word, abbr, cyrillic, possessive });
  }
  return tokens;
}

/** Folds a value for vocabulary lookup: lower case, ё -> е, punctuation to single spaces. */
export function foldWord(value: string): string {
  return value
    .normalize('NFKC')
    .toLowerCase()
    .replace(/ё/g, 'е')
    .replace(/[^\p{L}\p{N}%]+/gu, ' ')
    .trim();
}

/**
 * Folds a name for lookup in a table of names (countries, currencies): as `foldWord`, but a "%"
 * is punctuation here too.
 * @example foldName('Bulgaria (България)') // 'bulgaria българия'
 */
export function foldName(value: string): string {
  return value
    .normalize('NFKC')
    .toLowerCase()
    .replace(/ё/g, 'е')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/**
 * Damerau-Levenshtein distance (optimal string alignment), stopping early above `max`.
 * @example editDistance('adress', 'address', 2) // 1
 */
export function editDistance(a: string, b: string, max: number): number {
  const la = a.length;
  const lb = b.length;
  if (Math.abs(la - lb) > max) return max + 1;
  let prev2 = new Array<number>(lb + 1).fill(0);
  let prev = new Array<number>(lb + 1);
  let cur = new Array<number>(lb + 1);
  for (let j = 0; j <= lb; j++) prev[j] = j;
  for (let i = 1; i <= la; i++) {
    cur[0] = i;
    let rowMin = i;
    const ca = a.charCodeAt(i - 1);
    for (let j = 1; j <= lb; j++) {
      const cb = b.charCodeAt(j - 1);
      let v = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (ca === cb ? 0 : 1));
      if (i > 1 && j > 1 && ca === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === cb) v = Math.min(v, prev2[j - 2]! + 1);
      cur[j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > max) return max + 1;
    [prev2, prev, cur] = [prev, cur, prev2];
  }
  return prev[lb]!;
}

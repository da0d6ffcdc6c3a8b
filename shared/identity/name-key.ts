/**
 * Name keys let "Иван Петров" and "Ivan Petrov" meet: Cyrillic is transliterated with the
 * official Bulgarian system (Transliteration Act, 2009), Russian-only letters get their
 * closest Latin spelling, diacritics go, case and punctuation fold.
 */

const BG: Record<string, string> = {
  а: 'a',
  б: 'b',
  в: 'v',
  г: 'g',
  д: 'd',
  е: 'e',
  ж: 'zh',
  з: 'z',
  и: 'i',
  й: 'y',
  к: 'k',
  л: 'l',
  м: 'm',
  н: 'n',
  о: 'o',
  п: 'p',
  р: 'r',
  с: 's',
  т: 't',
  у: 'u',
  ф: 'f',
  х: 'h',
  ц: 'ts',
  ч: 'ch',
  ш: 'sh',
  щ: 'sht',
  ъ: 'a',
  ь: 'y',
  ю: 'yu',
  я: 'ya',
  // Russian and Ukrainian letters outside the Bulgarian alphabet
  ы: 'y',
  э: 'e',
  ё: 'yo',
  і: 'i',
  ї: 'yi',
  є: 'ye',
  ґ: 'g',
};

/**
 * Transliterates Cyrillic to Latin by the official Bulgarian system; other characters pass.
 * A word ending in "ия" becomes "ia" (София -> Sofia), as the law prescribes.
 * @example transliterate('Щерев') // 'Shterev'
 */
export function transliterate(text: string): string {
  let out = '';
  const chars = [...text];
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i]!;
    const lower = ch.toLowerCase();
    const next = chars[i + 1]?.toLowerCase();
    const after = chars[i + 2];
    let latin = BG[lower];
    if (latin === undefined) {
      out += ch;
      continue;
    }
    if (lower === 'и' && next === 'я' && (after === undefined || !/\p{L}/u.test(after))) {
      latin = 'ia';
      i++;
    }
    const upper = ch !== lower;
    if (upper) {
      const nextIsUpper = chars[i + 1] !== undefined && chars[i + 1] !== chars[i + 1]!.toLowerCase();
      latin = nextIsUpper ? latin.toUpperCase() : latin[0]!.toUpperCase() + latin.slice(1);
    }
    out += latin;
  }
  return out;
}

/**
 * The stored, indexed key of a person's or company's name.
 * @example nameKey('Иван  Петров') === nameKey('ivan petrov') // true
 */
export function nameKey(text: string | null | undefined): string {
  if (!text) return '';
  // Plain ASCII and the Russian and Bulgarian alphabets (most names in a sheet) have nothing to
  // decompose: one pass over the text, no intermediate strings.
  const key = simpleKey(text);
  if (key !== null) return key;
  // Lower case first: the key is lower case, so transliterate's capitalisation is not needed.
  return transliterateLower(text.normalize('NFKC').toLowerCase())
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

const LETTER = /\p{L}/u;

/** transliterate() for text already in lower case: one pass, no per-letter case checks. */
function transliterateLower(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    const latin = BG[ch];
    if (latin === undefined) out += ch;
    else if (ch === 'и' && text[i + 1] === 'я' && (i + 2 >= text.length || !LETTER.test(text[i + 2]!))) {
      out += 'ia';
      i++;
    } else out += latin;
  }
  return out;
}

/** Latin for the lower-case Russian and Bulgarian letters (а-я, ё), by char code - 0x430. */
const CYRILLIC_LATIN: string[] = Array.from({ length: 0x22 }, (_, i) => BG[String.fromCharCode(0x430 + i)] ?? '');

/**
 * The key of text made only of printable ASCII and Russian/Bulgarian letters, in one pass: case
 * folded, Cyrillic transliterated, every run of other characters one space, trimmed. Null for any
 * other character, which takes the full Unicode path.
 */
function simpleKey(text: string): string | null {
  let out = '';
  let gap = false;
  for (let i = 0; i < text.length; i++) {
    let c = text.charCodeAt(i);
    let piece: string;
    if ((c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39)) piece = text[i]!;
    else if (c >= 0x41 && c <= 0x5a) piece = String.fromCharCode(c + 0x20);
    else if (c >= 0x20 && c < 0x7f) {
      gap = true;
      continue;
    } else {
      c = cyrillicLower(c);
      if (c < 0) return null;
      // A word ending in "ия" is "ia" (София -> sofia).
      if (c === 0x438 && cyrillicLower(text.charCodeAt(i + 1)) === 0x44f && !isLetter(text.charCodeAt(i + 2))) {
        piece = 'ia';
        i++;
      } else piece = c === 0x451 ? 'yo' : CYRILLIC_LATIN[c - 0x430]!;
    }
    if (gap && out) out += ' ';
    gap = false;
    out += piece;
  }
  return out;
}

/** The lower-case code of a Russian/Bulgarian letter (а-я, ё), or -1. */
function cyrillicLower(c: number): number {
  if (c >= 0x430 && c <= 0x44f) return c;
  if (c >= 0x410 && c <= 0x42f) return c + 0x20;
  if (c === 0x451 || c === 0x401) return 0x451;
  return -1;
}

/** A letter, for the "ия" rule; NaN (past the end) is not one. Only called within simpleKey's alphabet. */
function isLetter(c: number): boolean {
  return ((c | 0x20) >= 0x61 && (c | 0x20) <= 0x7a) || cyrillicLower(c) >= 0 || (c > 0x7f && LETTER.test(String.fromCharCode(c)));
}

/** Legal forms, Bulgarian, Russian and international, as written and as transliterated keys. */
const LEGAL_FORMS = [
  'еоод',
  'оод',
  'ад',
  'еад',
  'ет',
  'кд',
  'сд',
  'кда',
  'ооо',
  'оао',
  'зао',
  'пао',
  'ао',
  'ип',
  'ltd',
  'limited',
  'llc',
  'inc',
  'gmbh',
  'ag',
  'sa',
  'srl',
  'bv',
  'plc',
  'corp',
  'co',
  'oy',
  'eood',
  'ood',
  'ead',
  'et',
  'ooo',
  'zao',
  'oao',
  'pao',
  'ip',
];
const LEGAL_FORM_KEYS = new Set(LEGAL_FORMS.map((f) => nameKey(f)));

/**
 * A company's name key without its legal form and quotes, so "Акме ООД" and "„Акме“ OOD" meet.
 * @example companyKey('„Акме Трейд“ ЕООД') // 'akme treyd'
 */
export function companyKey(name: string | null | undefined): string {
  const words = nameKey(name).split(' ').filter(Boolean);
  while (words.length > 1 && LEGAL_FORM_KEYS.has(words[words.length - 1]!)) words.pop();
  while (words.length > 1 && LEGAL_FORM_KEYS.has(words[0]!)) words.shift();
  return words.join(' ');
}

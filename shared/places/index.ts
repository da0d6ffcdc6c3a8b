/**
 * Places in text: the city of an address line ("4003 Пловдив, бул. ...", "630049, г. Новосибирск",
 * "Leeds LS5 3BT", "Chicago, IL 60606", "с. Калитиново, общ. Стара Загора") and a Russian city in
 * an oblique case put back in the nominative ("из Казани" -> "Казань"). Rules first (prefixes,
 * postcodes, the shape of an address); the product's own city list (cities.ts) tells a city from
 * a street or a region and confirms a declined form. Pure, no I/O.
 */
import { nameKey } from '../identity';
import { BG_LATIN_VARIANTS, BG_TOWNS, OTHER_CITIES, RU_CITIES } from './cities';

const list = (s: string): string[] =>
  s
    .split(/\s+/)
    .filter(Boolean)
    .map((w) => w.replace(/_/g, ' '));
const cityKey = (name: string): string => nameKey(name.replace(/ё/g, 'е').replace(/Ё/g, 'Е'));
const KNOWN: ReadonlySet<string> = new Set(
  [...list(BG_TOWNS), ...list(RU_CITIES), ...list(OTHER_CITIES), ...list(BG_LATIN_VARIANTS)].map(cityKey),
);

/**
 * True for a city or town on the product's list, in Cyrillic or Latin ("Горна Оряховица", "Sofia").
 * @example isKnownCity('Ростов-на-Дону') // true
 */
export function isKnownCity(name: string): boolean {
  return KNOWN.has(cityKey(name));
}

/** Words that open the second word of a two-word settlement name ("Горна Оряховица", "Нижний Новгород"). */
const LEADING_ADJECTIVE =
  /^(?:Горна|Горно|Горни|Долна|Долно|Долни|Горна|Голяма|Голямо|Малка|Малко|Нова|Ново|Нови|Стара|Старо|Велико|Велики|Бяла|Бели|Черна|Черни|Червен|Червена|Златна|Нижний|Нижняя|Нижние|Верхний|Верхняя|Верхние|Великий|Великие|Новый|Новая|Новые|Старый|Старая|Большой|Большая|Малый|Малая|Красный|Красная|Набережные|Южно|Северо|Сергиев|Павловский|Вышний|Минеральные|Горячий|Сосновый|Лодейное|Белая|Каменск|New|San|Santa|Los|Las|Saint|St\.?|Sankt|Fort|Salt|Milton|Long|Colorado|Oklahoma|Kansas|Jersey|Virginia|Corpus|Abu|Tel|Hong|El)$/u;

const NAME = /\p{Lu}[\p{L}'’]*(?:-\p{L}[\p{L}'’]*)*/u;
const NAME_AT = new RegExp(`^(${NAME.source})(?:\\s+(${NAME.source}|[\\p{Ll}]+))?`, 'u');

/** The city name starting at the beginning of `text`: one word, or two when the pair is a city. */
function nameAt(text: string): string | null {
  const m = NAME_AT.exec(text);
  if (!m) return null;
  const one = m[1]!;
  if (m[2]) {
    const two = `${one} ${m[2]}`;
    if (isKnownCity(two) || (/^\p{Lu}/u.test(m[2]) && LEADING_ADJECTIVE.test(one))) return two;
  }
  return one;
}

/** A segment of an address that names an area, not a settlement. */
const REGION =
  /(?:^|\s)(?:обл\.?|област|областта|область|край|р-н|район|община|общ\.|республика|респ\.|округ|АО|municipality|county|region|province|district|state)(?=$|[\s,.])|(?:ская|ский|ской)\s+(?:обл|край|р-н)/iu;
const COUNTRY =
  /^(?:България|Bulgaria|Россия|Российская Федерация|Russia|РФ|United Kingdom|UK|U\.K\.|England|Scotland|Wales|Northern Ireland|Great Britain|USA|U\.S\.A\.|United States|Germany|Deutschland|Austria|France|Italy|Spain|Greece|Romania|Serbia|Turkey|Ireland|Netherlands|Belgium|Poland|Ukraine|Украина|Беларусь|Казахстан|Kazakhstan)$/iu;
/** Street, building and area markers; a segment with one is not a city. */
const STREET =
  /(?:^|[\s,(])(?:ул\.?|улица|бул\.?|булевард|бульвар|пл\.|площад|площадь|ж\.к\.|жк|к\.к\.|кв\.|к-с|бл\.|вх\.|ет\.|ап\.|офис|оф\.|пр-т|пр\.|проспект|пер\.|переулок|ш\.|шоссе|наб\.|набережная|д\.|дом|стр\.|корп\.|лит\.|пом\.|пр\.|промзона|индустриална|промишлена|зона|street|st\.|road|rd\.|avenue|ave\.?|lane|way|close|drive|boulevard|blvd\.?|suite|ste\.|floor|unit|house|park|court|place|square|building|estate|trade)(?=$|[\s,.\d])/iu;

const PREFIX = /(?:^|[\s,(|])(?:гр\.|град|г\.|с\.|село|п\.|пос\.|посёлок|поселок|пгт|рп|ст-ца|станица|town of|village of)\s*(?=\p{Lu})/giu;
/** "4003 Пловдив", "Русе 7000" (BG), "630049, Москва" (RU), "Leeds LS5 3BT" (UK), "Chicago, IL 60606" (US). */
const BG_POST_BEFORE = /(?:^|[\s,])\d{4}\s+(?=\p{Lu})/gu;
const BG_POST_AFTER = new RegExp(`(${NAME.source}(?:\\s+${NAME.source})?)\\s+\\d{4}(?=$|[\\s,.])`, 'u');
const RU_POST = /(?:^|[\s,])\d{6}\s*,?\s*/gu;
const UK_POST = new RegExp(
  `(${NAME.source}(?:[\\s-]+(?:upon|on|under|le|in)?[\\s-]*${NAME.source})?)\\s+[A-Z]{1,2}\\d[A-Z\\d]?\\s?\\d[A-Z]{2}\\b`,
  'u',
);
const US_POST = new RegExp(`(${NAME.source}(?:\\s+${NAME.source}){0,2}),?\\s+[A-Z]{2}\\.?\\s+\\d{5}(?:-\\d{4})?\\b`, 'u');

function splitSegments(line: string): string[] {
  return line
    .split(/\s*[,;|]\s*/)
    .map((s) => s.trim())
    .filter(Boolean);
}

/** A segment that could be the city on its own: capitalised words, no digits, no street or region. */
function bareCity(segment: string): string | null {
  const s = segment.replace(/[.]$/, '').trim();
  if (!s || /\d/.test(s) || STREET.test(` ${s}`) || REGION.test(s) || COUNTRY.test(s)) return null;
  const name = nameAt(s);
  return name && name.length === s.length ? name : null;
}

/**
 * The city of one address line, or null.
 * @example cityFromAddress('630049, г. Новосибирск, Красный проспект, д. 220') // 'Новосибирск'
 * @example cityFromAddress('162560, Вологодская обл., п. Шексна, ул. Железнодорожная, 12') // 'Шексна'
 * @example cityFromAddress('Unit 7, Kirkstall Trade Park, Leeds LS5 3BT, United Kingdom') // 'Leeds'
 */
export function cityFromAddress(line: string): string | null {
  // a settlement prefix names it outright: "гр. София", "г. Ростов-на-Дону", "с. Калитиново"
  for (const m of line.matchAll(PREFIX)) {
    const name = nameAt(line.slice(m.index + m[0].length));
    if (name && !REGION.test(name)) return name;
  }
  const us = US_POST.exec(line);
  if (us && !STREET.test(` ${us[1]}`)) return lastName(us[1]!);
  const uk = UK_POST.exec(line);
  if (uk && !STREET.test(` ${uk[1]}`)) return lastName(uk[1]!);
  for (const m of line.matchAll(RU_POST)) {
    // "142100, Московская обл., г. Подольск": regions after the postcode are skipped
    for (const seg of splitSegments(line.slice(m.index + m[0].length))) {
      if (REGION.test(seg) || COUNTRY.test(seg)) continue;
      const name = bareCity(seg);
      if (name) return name;
      break;
    }
  }
  for (const m of line.matchAll(BG_POST_BEFORE)) {
    const name = nameAt(line.slice(m.index + m[0].length));
    if (name && name.length > 2 && !STREET.test(` ${name}`)) return name;
  }
  const bgAfter = BG_POST_AFTER.exec(line);
  if (bgAfter && !STREET.test(` ${bgAfter[1]}`)) return bgAfter[1]!;
  const segments = splitSegments(line);
  // a listed city on its own in the line ("Варна, бул. ...", "Edinburgh")
  for (const seg of segments) {
    const name = bareCity(seg);
    if (name && isKnownCity(name)) return name;
  }
  // "Несебър, ул. „Еделвайс“ 14": a bare first segment in front of the street
  if (segments.length >= 2 && STREET.test(` ${segments[1]}`)) return bareCity(segments[0]!);
  return null;
}

/** "Kirkstall Trade Park Leeds" -> "Leeds": a postcode's town is the last name before it. */
function lastName(text: string): string {
  const words = text.split(/\s+/);
  for (let k = Math.min(3, words.length); k >= 1; k--) {
    const tail = words.slice(-k).join(' ');
    if (isKnownCity(tail)) return tail;
  }
  // "Newcastle upon Tyne", "Stoke on Trent": a connector keeps the name whole
  return words.length <= 2 || /\s(?:upon|on|under|le|in)\s/.test(text) ? text : words[words.length - 1]!;
}

/** Oblique-case endings of Russian city names and their nominative: "Казани" -> "Казань". */
const ENDINGS: [RegExp, string[]][] = [
  [/его$/u, ['ий']],
  [/ого$/u, ['ый', 'ой', 'ий']],
  [/ем$/u, ['ий']],
  [/ом$/u, ['', 'ый', 'ой']],
  [/ых$/u, ['ые']],
  [/их$/u, ['ие']],
  [/ой$/u, ['ая', 'а']],
  [/ей$/u, ['ая', 'ь', 'и']],
  [/ов$/u, ['ы']],
  [/ев$/u, ['и']],
  [/ля$/u, ['ль']],
  [/я$/u, ['ь', 'й', 'я']],
  [/ы$/u, ['а']],
  [/и$/u, ['ь', 'а', 'и', 'я']],
  [/е$/u, ['а', '', 'ь', 'е', 'я']],
  [/у$/u, ['', 'а']],
  [/а$/u, ['', 'а', 'о']],
];

function wordForms(word: string): string[] {
  const out = new Set<string>([word]);
  for (const [re, subs] of ENDINGS) if (re.test(word)) for (const s of subs) out.add(word.replace(re, s));
  return [...out];
}

/**
 * A Russian city named in an oblique case, in the nominative when the product knows the city.
 * @example nominativeCity('Казани') // 'Казань'
 * @example nominativeCity('Нижнего Новгорода') // 'Нижний Новгород'
 * @example nominativeCity('Ростова-на-Дону') // 'Ростов-на-Дону'
 */
export function nominativeCity(text: string): string | null {
  const name = text.trim();
  if (isKnownCity(name)) return name;
  const words = name.split(/\s+/);
  if (words.length > 3) return null;
  // only the first part of a hyphenated name declines ("Ростова-на-Дону", "Комсомольска-на-Амуре")
  const parts = words.map((w) => {
    const dash = w.indexOf('-');
    return dash > 0 && /-на-|-Уральск|-Сибирск/u.test(w)
      ? wordForms(w.slice(0, dash)).map((f) => f + w.slice(dash))
      : dash > 0
        ? combine(w.split('-').map(wordForms)).map((p) => p.join('-'))
        : wordForms(w);
  });
  for (const combo of combine(parts)) {
    const candidate = combo.join(' ');
    if (isKnownCity(candidate)) return candidate;
  }
  return null;
}

function combine(parts: string[][]): string[][] {
  return parts.reduce<string[][]>((acc, forms) => acc.flatMap((a) => forms.map((f) => [...a, f])), [[]]);
}

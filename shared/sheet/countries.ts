/**
 * Countries as sheets write them: ISO codes ("GB", "DEU"), names in ten languages and the
 * country's own ("Deutschland", "Polska", "БЕЛАРУСЬ"), everyday aliases ("UK", "England", "USA",
 * "РФ") and misspellings one or two letters off ("Bulgria", "Swizerland"). The phone reader uses
 * the answer to read national numbers.
 */
import { editDistance, foldName } from './text';
import { COUNTRY_NAMES } from './country-names';

/** Names CLDR does not give, or gives only in a form too short to trust alone. */
const ALIASES: Record<string, string> = {
  uk: 'GB',
  'u k': 'GB',
  england: 'GB',
  scotland: 'GB',
  wales: 'GB',
  'northern ireland': 'GB',
  'great britain': 'GB',
  britain: 'GB',
  англия: 'GB',
  шотландия: 'GB',
  англія: 'GB',
  gb: 'GB',
  usa: 'US',
  'u s a': 'US',
  'u s': 'US',
  us: 'US',
  america: 'US',
  'united states of america': 'US',
  сша: 'US',
  сащ: 'US',
  'russian federation': 'RU',
  рф: 'RU',
  'российская федерация': 'RU',
  'россия рф': 'RU',
  holland: 'NL',
  'the netherlands': 'NL',
  'czech republic': 'CZ',
  'чешская республика': 'CZ',
  turkey: 'TR',
  турция: 'TR',
  uae: 'AE',
  оаэ: 'AE',
  'south korea': 'KR',
  korea: 'KR',
  macedonia: 'MK',
  македония: 'MK',
  'ivory coast': 'CI',
  eire: 'IE',
  'republic of ireland': 'IE',
  swiss: 'CH',
  moldavia: 'MD',
  молдавия: 'MD',
  byelorussia: 'BY',
  белоруссия: 'BY',
  'republic of belarus': 'BY',
  'республика беларусь': 'BY',
  рб: 'BY',
  рк: 'KZ',
  'республика казахстан': 'KZ',
  киргизия: 'KG',
  kirghizia: 'KG',
  'the uk': 'GB',
  'the usa': 'US',
  'the us': 'US',
  britania: 'GB',
  'vereinigte staaten': 'US',
};

/** ISO 3166 alpha-3 codes of the countries sheets name most (alpha-2 codes are read as they are). */
const ALPHA3: Record<string, string> = {
  BGR: 'BG',
  RUS: 'RU',
  UKR: 'UA',
  BLR: 'BY',
  KAZ: 'KZ',
  GBR: 'GB',
  USA: 'US',
  CAN: 'CA',
  IRL: 'IE',
  DEU: 'DE',
  AUT: 'AT',
  CHE: 'CH',
  FRA: 'FR',
  ITA: 'IT',
  ESP: 'ES',
  PRT: 'PT',
  NLD: 'NL',
  BEL: 'BE',
  LUX: 'LU',
  POL: 'PL',
  ROU: 'RO',
  GRC: 'GR',
  TUR: 'TR',
  SRB: 'RS',
  MKD: 'MK',
  CZE: 'CZ',
  SVK: 'SK',
  HUN: 'HU',
  HRV: 'HR',
  SVN: 'SI',
  MDA: 'MD',
  GEO: 'GE',
  ARM: 'AM',
  AZE: 'AZ',
  UZB: 'UZ',
  KGZ: 'KG',
  LTU: 'LT',
  LVA: 'LV',
  EST: 'EE',
  FIN: 'FI',
  SWE: 'SE',
  NOR: 'NO',
  DNK: 'DK',
  AUS: 'AU',
  NZL: 'NZ',
  CHN: 'CN',
  JPN: 'JP',
  IND: 'IN',
  ISR: 'IL',
  ARE: 'AE',
  CYP: 'CY',
  MLT: 'MT',
  ALB: 'AL',
  BIH: 'BA',
  MNE: 'ME',
};

let byName: Map<string, string> | null = null;
let fuzzy: Array<[string, string]> | null = null;
function names(): Map<string, string> {
  if (byName) return byName;
  byName = new Map(Object.entries(ALIASES).map(([n, c]) => [foldName(n), c]));
  for (const [code, list] of Object.entries(COUNTRY_NAMES)) for (const n of list.split('|')) if (!byName.has(n)) byName.set(n, code);
  fuzzy = [...byName].filter(([n]) => n.length >= 5);
  return byName;
}

const CODE2 = /^[A-Z]{2}$/;
const CACHE = new Map<string, string | null>();

/**
 * The ISO 3166 alpha-2 code of a country as written, or null.
 * @example countryOf('Deutschland') // 'DE'
 * @example countryOf('Великобритания') // 'GB'
 * @example countryOf('Bulgria') // 'BG'
 */
export function countryOf(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const text = value.trim();
  if (!text) return null;
  const hit = CACHE.get(text);
  if (hit !== undefined) return hit;
  const found = lookup(text);
  if (CACHE.size > 2000) CACHE.clear();
  CACHE.set(text, found);
  return found;
}

function lookup(text: string): string | null {
  const upper = text.toUpperCase();
  if (CODE2.test(upper) && (upper in COUNTRY_NAMES || upper === 'UK')) return upper === 'UK' ? 'GB' : upper;
  if (ALPHA3[upper]) return ALPHA3[upper]!;
  const map = names();
  const folded = foldName(text);
  if (!folded) return null;
  const direct = map.get(folded);
  if (direct) return direct;
  // "Москва, Россия", "London, UK": the last part of an address-like cell.
  const parts = text
    .split(/[,;/]/)
    .map((p) => foldName(p))
    .filter(Boolean);
  if (parts.length > 1) {
    const last = map.get(parts[parts.length - 1]!);
    if (last) return last;
  }
  // A misspelling: one letter off in five or more, two in nine or more, and only one country that close.
  if (folded.length < 5) return null;
  const max = folded.length >= 9 ? 2 : 1;
  let best: string | null = null;
  let bestDistance = max + 1;
  let tie = false;
  for (const [name, code] of fuzzy!) {
    if (Math.abs(name.length - folded.length) > max) continue;
    const d = editDistance(folded, name, max);
    if (d < bestDistance) {
      best = code;
      bestDistance = d;
      tie = false;
    } else if (d === bestDistance && code !== best) tie = true;
  }
  return best && !tie ? best : null;
}

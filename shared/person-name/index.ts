/**
 * Person names in Bulgarian, Russian and English: which word is the given name, the patronymic
 * and the surname, in whatever order the person wrote them ("Соколова Марина",
 * "Кузьмин Андрей Валерьевич", "Иван Петров Иванов", "Mary Ann Smith"). Pure, no I/O: the mail
 * engine and the sheet import can both split names with it.
 */
import { nameKey } from '../identity';
import { CYRILLIC_FIRST_NAMES, LATIN_FIRST_NAMES } from './first-names';

export interface PersonName {
  /** the name as written, tidied: honorifics and degrees dropped, single spaces */
  fullName: string;
  firstName: string | null;
  /** a Russian patronymic, a Bulgarian father's name or an English middle name */
  middleName: string | null;
  lastName: string | null;
}

const words = (list: string): string[] => list.split(/\s+/).filter(Boolean);
/** Keys of given names, Cyrillic ones also by their Latin spelling ("Николай" and "Nikolay"). */
const FIRST_KEYS: ReadonlySet<string> = new Set([...words(CYRILLIC_FIRST_NAMES), ...words(LATIN_FIRST_NAMES)].map((w) => nameKey(w)));

/** Russian patronymics, also in Latin ("Валерьевич", "Sergeevna", "Ильинична"). */
const PATRONYMIC = /^(?:\p{Lu}\p{Ll}+(?:ович|евич|ёвич|ьич|ич|овна|евна|ёвна|ична|инична)|[A-Z][a-z]+(?:ovich|evich|ovna|evna|ichna))$/u;
/** Surname endings of Bulgarian, Russian, Ukrainian, Armenian and Georgian surnames. */
const SURNAME =
  /(?:ов|ев|ёв|ова|ева|ёва|ин|ина|ын|ына|ский|ская|цкий|цкая|ски|ска|енко|ко|ук|юк|чук|ян|янц|дзе|швили|ых|их|ой|ий|ев|ова|ski|ska|sky|skaya|ov|ev|ova|eva|in|ina|enko|yan|dze|shvili)$/u;
/** Honorifics and titles written before a name. */
export const HONORIFIC = /^(?:mr|mrs|ms|miss|dr|prof|sir|eng|ing|г-н|г-жа|г-ца|инж|д-р|проф|доц|акад|адв|арх|господин|госпожа)\.?$/iu;
/** Degrees and suffixes written after a name. */
export const DEGREE =
  /^(?:ph\.?\s?d\.?|m\.?d\.?|mba|msc|bsc|ma|ba|cpa|cfa|pmp|esq\.?|jr\.?|sr\.?|ii|iii|iv|к\.т\.н\.?|д\.т\.н\.?|к\.э\.н\.?)$/iu;
const INITIALS = /^(?:\p{Lu}\.){1,3}$/u;

/** True for a known given name in either script ("Марина", "Nikolay", "Oliver"). */
export function isFirstName(word: string): boolean {
  return FIRST_KEYS.has(nameKey(word));
}

/** True for a Russian patronymic ("Андреевна", "Sergeevich"). */
export function isPatronymic(word: string): boolean {
  return PATRONYMIC.test(word);
}

/** True for a word with a surname ending ("Петрова", "Оганесян", "Bondarenko"). */
export function hasSurnameEnding(word: string): boolean {
  return word.length >= 4 && SURNAME.test(word.toLowerCase());
}

/** The words of a name without honorifics, degrees, quotes and trailing commas. */
export function nameWords(full: string): string[] {
  const tokens = full
    .replace(/[“”"«»„()]/g, ' ')
    .split(/\s+/)
    .map((t) => t.replace(/,$/, ''))
    .filter(Boolean);
  while (tokens.length > 1 && HONORIFIC.test(tokens[0]!)) tokens.shift();
  while (tokens.length > 1 && DEGREE.test(tokens[tokens.length - 1]!)) tokens.pop();
  return tokens;
}

/** How likely a word is the given name: a known given name beats a surname ending. */
function givenScore(word: string): number {
  if (INITIALS.test(word)) return 0.5;
  let s = 0;
  if (isFirstName(word)) s += 2;
  if (hasSurnameEnding(word)) s -= 1;
  if (isPatronymic(word)) s -= 3;
  return s;
}

/**
 * Splits a full name into given name, middle name (patronymic or father's name) and surname,
 * in the order the person wrote it; "Surname, Given" with a comma is honoured. The one splitter
 * of the mail engine and the sheet import alike.
 * @example splitPersonName('Соколова Марина') // { firstName: 'Марина', middleName: null, lastName: 'Соколова', ... }
 * @example splitPersonName('Кузьмин Андрей Валерьевич') // { firstName: 'Андрей', middleName: 'Валерьевич', lastName: 'Кузьмин', ... }
 * @example splitPersonName('Иван Петров Иванов') // { firstName: 'Иван', middleName: 'Петров', lastName: 'Иванов', ... }
 * @example splitPersonName('Smith, Mary Ann') // { fullName: 'Mary Ann Smith', firstName: 'Mary', middleName: 'Ann', lastName: 'Smith' }
 */
export function splitPersonName(full: string): PersonName {
  const listed = surnameCommaGiven(full);
  if (listed) return listed;
  const t = nameWords(full);
  const fullName = t.join(' ');
  const none = { fullName, firstName: null, middleName: null, lastName: null };
  if (t.length === 0) return none;
  if (t.length === 1) return { ...none, firstName: t[0]! };
  if (t.length === 2) {
    const [a, b] = t as [string, string];
    // "Савин Д.О.", "В. Стоянов": initials are the given name's
    if (INITIALS.test(b) && !INITIALS.test(a)) return splitInitials(fullName, a, b);
    if (isPatronymic(b)) return { fullName, firstName: a, middleName: b, lastName: null };
    const surnameFirst = givenScore(b) > givenScore(a);
    return surnameFirst
      ? { fullName, firstName: b, middleName: null, lastName: a }
      : { fullName, firstName: a, middleName: null, lastName: b };
  }
  if (t.length === 3) {
    const [a, b, c] = t as [string, string, string];
    // surname, given name, patronymic
    if (isPatronymic(c) && !isPatronymic(b)) return { fullName, firstName: b, middleName: c, lastName: a };
    // given name, patronymic, surname
    if (isPatronymic(b)) return { fullName, firstName: a, middleName: b, lastName: c };
  }
  return { fullName, firstName: t[0]!, middleName: t.slice(1, -1).join(' '), lastName: t[t.length - 1]! };
}

/** A capitalised word or an initial: what stands after the comma of "Petrov, Ivan", unlike "CEO". */
const GIVEN_WORD = /^(?:\p{Lu}[\p{Ll}'’-]|\p{Lu}\.$)/u;

/**
 * "Petrov, Ivan" and "Smith, Mary Ann", the surname-first form of lists and address books: one
 * word before the only comma, given names after it. Not "Ivan Petrov, PhD" (a degree) nor
 * "Petrov, CEO" (not a name). The full name is written given name first.
 */
function surnameCommaGiven(full: string): PersonName | null {
  const m = /^([^,]+),([^,]+)$/.exec(full.trim());
  if (!m) return null;
  const surname = nameWords(m[1]!);
  const given = nameWords(m[2]!);
  if (surname.length !== 1 || given.length === 0 || DEGREE.test(given[0]!) || !given.every((w) => GIVEN_WORD.test(w))) return null;
  return {
    fullName: [...given, surname[0]!].join(' '),
    firstName: given[0]!,
    middleName: given.length > 1 ? given.slice(1).join(' ') : null,
    lastName: surname[0]!,
  };
}

function splitInitials(fullName: string, surname: string, initials: string): PersonName {
  const parts = initials.match(/\p{Lu}\./gu) ?? [initials];
  return { fullName, firstName: parts[0]!, middleName: parts.length > 1 ? parts.slice(1).join('') : null, lastName: surname };
}

/**
 * True when the words look like a person's name rather than an organisation or a role: a known
 * given name, a patronymic or initials among one to four capitalised words. A surname ending alone
 * does not count ("Мандра Родина" is a dairy).
 * @example isPersonName('Мандра Родина') // false
 * @example isPersonName('Гусева Татьяна') // true
 */
export function isPersonName(text: string): boolean {
  const t = nameWords(text);
  if (t.length < 1 || t.length > 4) return false;
  if (!t.every((w) => /^\p{Lu}/u.test(w))) return false;
  return t.some((w) => isFirstName(w) || isPatronymic(w)) || (t.length >= 2 && t.some((w) => INITIALS.test(w)));
}

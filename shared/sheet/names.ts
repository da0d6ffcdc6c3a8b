/**
 * Splitting a person's full name into first and last name. Bulgarian names run first, father's
 * name, family name ("Иван Петров Иванов"); Russian lists often put the surname first with a
 * patronymic at the end ("Иванов Иван Иванович", the ФИО order).
 */

export interface NameParts {
  firstName: string | null;
  middleName: string | null;
  lastName: string | null;
}

const HONORIFICS = new Set([
  'mr',
  'mrs',
  'ms',
  'miss',
  'dr',
  'prof',
  'sir',
  'г-н',
  'г-жа',
  'г-ца',
  'госпожа',
  'господин',
  'д-р',
  'инж',
  'проф',
  'доц',
  'арх',
  'адв',
  'ing',
  'eng',
]);
// Russian patronymics: -ович/-евич/-ич (men), -овна/-евна/-ична/-инична (women).
const PATRONYMIC = /(?:ович|евич|ьич|ич|овна|евна|ична|инична)$/iu;
// Surname endings for the two-word surname-first order ("Петрова Мария"); not -ин, which many
// Bulgarian first names share (Калин, Мартин).
const SURNAME = /(?:ов|ев|ова|ева|ский|ская|цкий|цкая|ская)$/iu;
const SPACES = /\s+/;

/**
 * Splits a full name. "Last, First" with a comma is honoured; honorifics are dropped.
 * @example splitFullName('Иван Петров Иванов') // { firstName: 'Иван', middleName: 'Петров', lastName: 'Иванов' }
 * @example splitFullName('Иванов Иван Иванович') // { firstName: 'Иван', middleName: 'Иванович', lastName: 'Иванов' }
 */
export function splitFullName(fullName: string): NameParts {
  const text = fullName.trim();
  const comma = text.indexOf(',');
  if (comma > 0) {
    const last = text.slice(0, comma).trim();
    const rest = splitFullName(text.slice(comma + 1));
    if (last && rest.firstName) {
      const middle = [rest.middleName, rest.lastName].filter(Boolean).join(' ');
      return { firstName: rest.firstName, middleName: middle || null, lastName: last };
    }
  }
  const words = text.split(SPACES).filter((w) => w && !HONORIFICS.has(w.toLowerCase().replace(/\.$/, '')));
  if (words.length === 0) return { firstName: null, middleName: null, lastName: null };
  if (words.length === 1) return { firstName: words[0]!, middleName: null, lastName: null };
  const first = words[0]!;
  const second = words[1]!;
  const last = words[words.length - 1]!;
  if (words.length === 3 && PATRONYMIC.test(last) && !PATRONYMIC.test(second)) {
    return { firstName: second, middleName: last, lastName: first };
  }
  if (words.length === 2 && SURNAME.test(first) && !SURNAME.test(second) && !PATRONYMIC.test(second)) {
    return { firstName: second, middleName: null, lastName: first };
  }
  const middle = words.slice(1, -1).join(' ');
  return { firstName: first, middleName: middle || null, lastName: last };
}

/**
 * Person names in mail: tidying a header display name, and telling whether a signature line is a
 * name and whether it is the sender's. Splitting a name is shared/person-name, as in the sheet import.
 */
import { nameKey } from '../identity';
import { nameWords } from '../person-name';
import { CLOSING, LEGAL_FORM, ORG_WORD, TITLE_WORD } from './lexicon';

/** Words of a mailbox that is a function, not a person. */
const ROLE_WORD =
  /(?:^|\s)(?:announcements?|newsletter|notifications?|team|support|service|services|desk|office|info|sales|admin|noreply|no-reply|mailer|alerts?|news|helpdesk|customer|екип|отдел|офис|продажби|поддръжка|команда|служба|поддержка|отдел продаж|снабдяване|снабжение|бухгалтерия|счетоводство|заявки|закупки|поръчки|заказы|склад|логистика|доставки|приемная|канцелярия|reception|accounts|billing|purchasing|procurement|orders|careers|jobs)(?=$|\s)/iu;

const NAME_WORD =
  /^(?:\p{Lu}[\p{Ll}'’]+(?:-\p{Lu}?[\p{Ll}'’]+)?|\p{Lu}\.|\p{Lu}{2,}|(?:van|von|de|der|da|di|del|la|le|bin|al)|(?:Mac|Mc|De|Di|Da|La|Le|Van|Von|Fitz)\p{Lu}\p{Ll}+|O['’]\p{Lu}\p{Ll}+)$/u;

/**
 * True when a line looks like a person's name: two to four capitalised words, no digits.
 * @example looksLikeName('Ivan Petrov') // true
 */
export function looksLikeName(line: string): boolean {
  const text = line
    .trim()
    .replace(/^[-–—~*\s]+/, '')
    .replace(/[,\s]+$/, '');
  if (text.length < 3 || text.length > 48 || /[\d@:/|+=_<>]/.test(text)) return false;
  if (LEGAL_FORM.test(text) || ORG_WORD.test(text) || TITLE_WORD.test(text) || CLOSING.test(text) || ROLE_WORD.test(text)) return false;
  const tokens = nameWords(text);
  if (tokens.length < 2 || tokens.length > 4) return false;
  if (!tokens.every((t) => NAME_WORD.test(t))) return false;
  // an all-caps line is a name only when short ("IVAN PETROV"), not an acronym soup
  const caps = tokens.filter((t) => /^\p{Lu}{2,}$/u.test(t)).length;
  if (caps > 0 && caps < tokens.length) return false;
  return tokens.filter((t) => t.length > 2).length >= 1 && /\p{Ll}|^\p{Lu}+(?:\s\p{Lu}+){1,2}$/u.test(text);
}

function titleCase(word: string): string {
  return word.charAt(0).toLocaleUpperCase() + word.slice(1).toLocaleLowerCase();
}

/**
 * A header display name as a person would write it: quotes and "[mailto:]" gone, "Petrov, Ivan"
 * turned around, all-caps tidied; null when it is an address or a role ("Sales", "noreply").
 * @example displayName('"Kaminski, Vince"') // 'Vince Kaminski'
 */
export function displayName(name: string | null | undefined): string | null {
  if (!name) return null;
  let n = name
    .replace(/["'“”«»]/g, '')
    .replace(/\[mailto:[^\]]*\]|<[^>]*>|\([^)]*\)/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  if (!n || n.includes('@')) return null;
  // "Мандра Родина - Снабдяване", "Acme | Sales": an organisation and its department
  if (/\s[-–—|]\s/.test(n)) return null;
  // "Cook  Diane H." / "Vickers, Frank" (Enron) and "Petrov, Ivan"
  const comma = /^([^,]+),\s*([^,]+)$/.exec(n);
  if (comma) n = `${comma[2]!.trim()} ${comma[1]!.trim()}`;
  if (/^[\p{Lu}\s.-]+$/u.test(n) && /\p{Lu}{3}/u.test(n)) n = n.split(' ').map(titleCase).join(' ');
  if (/\d/.test(n) || n.split(' ').length > 5) return null;
  if (ROLE_WORD.test(n) || ORG_WORD.test(n) || LEGAL_FORM.test(n) || /^(?:marketing|contact|do not reply|mailer-daemon)$/i.test(n))
    return null;
  return n;
}

/**
 * A name guessed from an address's local part ("ivan.petrov" -> "Ivan Petrov"), or null.
 * @example nameFromEmail('ivan.petrov@acme.bg') // 'Ivan Petrov'
 */
export function nameFromEmail(email: string | null | undefined): string | null {
  if (!email) return null;
  const local = email.slice(0, email.indexOf('@'));
  const parts = local.split(/[._-]/).filter((p) => /^[a-z]{2,}$/i.test(p));
  if (parts.length < 2 || parts.length > 3 || parts.join('').length !== local.replace(/[._-]/g, '').length) return null;
  return parts.map(titleCase).join(' ');
}

/** Keys of the words of a name, transliterated ("Иван" and "Ivan" meet). */
export function nameTokens(text: string | null | undefined): string[] {
  return nameKey(text)
    .split(' ')
    .filter((t) => t.length >= 2);
}

/**
 * True when a signature name belongs to the sender: it shares a word (or a four-letter prefix,
 * "Vince"/"Vincent") with the display name, or a word of it appears in the address.
 */
export function matchesSender(candidate: string, senderName: string | null, senderEmail: string | null): boolean {
  const cand = nameTokens(candidate).filter((t) => t.length >= 3);
  if (cand.length === 0) return false;
  const sender = nameTokens(senderName);
  for (const t of cand) {
    for (const s of sender) {
      if (s === t || (s.length >= 4 && t.length >= 4 && s.slice(0, 4) === t.slice(0, 4))) return true;
    }
  }
  if (senderEmail) {
    const local = nameKey(senderEmail.slice(0, senderEmail.indexOf('@'))).replace(/ /g, '');
    for (const t of cand) if (t.length >= 3 && local.includes(t.slice(0, Math.min(t.length, 6)))) return true;
  }
  return false;
}

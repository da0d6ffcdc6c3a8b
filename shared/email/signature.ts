/**
 * Finding the signature block at the end of the newest message: after a "-- " delimiter, from a
 * closing ("Best regards,", "С уважение,", "С уважением,"), or as a trailing block of short lines
 * that carries the sender's name or contact details.
 */
import { ADDRESS_WORD, CLOSING, LEGAL_FORM, TITLE_WORD } from './lexicon';
import { looksLikeName, matchesSender } from './names';

const DELIMITER = /^\s*(?:--|-- |—|–|-{2,3}\s*|_{2,}|\*{3,})\s*$/;
const EMAIL = /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)+/u;
const URL = /(?:https?:\/\/|www\.)\S+|\b[a-z0-9-]+\.(?:bg|ru|com|net|org|eu|de|uk|io|biz|info)\b/i;
const PHONEISH = /(?:\+|\(|\b)\d[\d\s()./-]{5,}\d/;
const LABELLED =
  /^\s*(?:tel|phone|mob|mobile|cell|gsm|fax|email|e-mail|web|skype|viber|whatsapp|тел|телефон|моб|факс|имейл|адрес|сайт|ел\. поща|почта|t|m|f|p|e|w)\s*\.?\s*:/iu;
const WORDS = /\S+/g;

/** A line that carries contact details. */
export function hasContactSignal(line: string): boolean {
  return EMAIL.test(line) || PHONEISH.test(line) || URL.test(line) || LABELLED.test(line);
}

function isProse(line: string): boolean {
  const t = line.trim();
  if (hasContactSignal(t) && t.length < 100) return false;
  const words = t.match(WORDS)?.length ?? 0;
  if (t.length > 90) return true;
  if (words >= 9) return true;
  return /[.?!]$/.test(t) && words >= 5 && !LEGAL_FORM.test(t) && !ADDRESS_WORD.test(t);
}

export interface Sender {
  name: string | null;
  email: string | null;
}

/**
 * The index of the first signature line in the message lines, or -1 when there is none.
 * @example findSignatureStart(['Hi,', 'see you.', '', 'Best regards,', 'Ivan Petrov'], { name: 'Ivan Petrov', email: null }) // 3
 */
export function findSignatureStart(lines: readonly string[], sender: Sender): number {
  let end = lines.length - 1;
  while (end >= 0 && lines[end]!.trim() === '') end--;
  if (end < 0) return -1;
  // the trailing block of short, non-prose lines (blank lines allowed), at most 20 lines up
  let top = end;
  let blanks = 0;
  for (let i = end; i >= 0 && end - i <= 20; i--) {
    const line = lines[i]!;
    if (line.trim() === '') {
      if (++blanks > 3) break;
      continue;
    }
    blanks = 0;
    if (CLOSING.test(line)) {
      top = i;
      break;
    }
    if (isProse(line)) break;
    top = i;
  }
  const block: number[] = [];
  for (let i = top; i <= end; i++) if (lines[i]!.trim() !== '') block.push(i);
  if (block.length === 0) return -1;

  const closing = block.find((i) => CLOSING.test(lines[i]!));
  if (closing !== undefined) return closing < end ? closing : -1;
  const delim = block.find((i) => DELIMITER.test(lines[i]!));
  if (delim !== undefined && delim < end) return delim + 1;

  // a block headed by the sender's name, or a name with contact details under it
  for (const i of block) {
    const line = lines[i]!.trim().replace(/^[-–—~]\s*/, '');
    const first = line.split(/\s*[|,]\s*/)[0] ?? line;
    const nameLike = looksLikeName(first) || (/^\p{Lu}\p{Ll}+$/u.test(first) && first.length >= 3);
    if (nameLike && matchesSender(first, sender.name, sender.email)) return i;
    if (nameLike && looksLikeName(first)) {
      const rest = block.filter((k) => k > i);
      if (rest.some((k) => hasContactSignal(lines[k]!) || TITLE_WORD.test(lines[k]!) || LEGAL_FORM.test(lines[k]!))) return i;
    }
  }
  // contact lines alone (no name): two or more, or one labelled
  const contact = block.filter((i) => hasContactSignal(lines[i]!));
  if (contact.length >= 2 || (contact.length === 1 && LABELLED.test(lines[contact[0]!]!))) {
    const first = contact[0]!;
    // take the name/title lines right above the contacts
    let start = first;
    for (let k = block.indexOf(first) - 1; k >= 0 && first - block[k]! <= 3; k--) {
      const l = lines[block[k]!]!;
      if (looksLikeName(l) || TITLE_WORD.test(l) || LEGAL_FORM.test(l)) start = block[k]!;
      else break;
    }
    return start;
  }
  return -1;
}

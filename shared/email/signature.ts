/**
 * Finding the signature block at the end of the author's message: after a "-- " delimiter, from a
 * closing ("Best regards,", "С уважение,", "С уважением,"), or as a trailing block of short lines
 * that carries the sender's name or contact details. Device lines ("Sent from my iPhone"),
 * disclaimers and opt-out footers under it belong to the signature.
 */
import { ADDRESS_WORD, FOOTER, ID_LINE, LEGAL_FORM, POSTAL, TITLE_WORD, isClosing } from './lexicon';
import { looksLikeName, matchesSender } from './names';
import { isDeviceLine } from './split';

const DELIMITER = /^\s*(?:--|-- |—|–|-{2,3}\s*|_{2,}|\*{3,})\s*$/;
/** A rule between the contact block and a footer ("------------"). */
const RULE = /^\s*(?:-{4,}|_{4,}|={4,}|\*{4,})\s*$/;
/** Plain-text artefacts of a signature's images, links and attachments ("[cid:...]", "<<file.pdf>>", " - file.pdf"). */
const ARTEFACT =
  /^\s*(?:\[cid:[^\]]*\]|<https?:[^>]*>|\[(?:image|logo)[^\]]*\]|<<[^<>]{1,120}>>|-\s+\S[^\s]*\.(?:pdf|docx?|xlsx?|pptx?|zip|jpe?g|png|gif|tiff?|txt|csv|rtf|msg|eml))\s*$/i;
const EMAIL = /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)+/u;
const URL = /(?:https?:\/\/|www\.)\S+|\b[a-z0-9-]+\.(?:bg|ru|com|net|org|eu|de|uk|io|biz|info)\b/i;
const PHONEISH = /(?:\+|\(|\b)\d[\d\s()./-]{5,}\d/;
const LABELLED =
  /^\s*(?:tel|phone|mob|mobile|cell|gsm|fax|email|e-mail|web|skype|viber|whatsapp|тел|телефон|моб|факс|имейл|адрес|сайт|ел\. поща|почта|t|m|f|p|e|w|т|м|ф)\s*\.?\s*:/iu;
const WORDS = /\S+/g;
/** "с. Хърсово", "гр. Сливен", "Вологодская обл.": an address line may have no digit. */
const SETTLEMENT = /(?:^|[\s,])(?:гр|г|с|п|обл|общ)\.\s?\p{Lu}/u;

/** A line that carries contact details. */
export function hasContactSignal(line: string): boolean {
  return EMAIL.test(line) || PHONEISH.test(line) || URL.test(line) || LABELLED.test(line);
}

/** A line of an address or of company identifiers: long, but not prose. */
function isAddressOrIds(line: string): boolean {
  return ADDRESS_WORD.test(line) || POSTAL.test(line) || ID_LINE.test(line);
}

function isProse(line: string): boolean {
  const t = line.trim();
  if (hasContactSignal(t) && t.length < 100) return false;
  // an address, an ID or a company line is long but not a sentence (it may end in an abbreviation: "Ltd.")
  const lineLike = (isAddressOrIds(t) && (/\d/.test(t) || SETTLEMENT.test(t))) || LEGAL_FORM.test(t);
  if (lineLike && t.length < 200 && (!/[.?!]$/.test(t) || /(?:^|[\s,])(?:\p{Lu}\p{Ll}{0,3}|\d+)\.$/u.test(t))) return false;
  const words = t.match(WORDS)?.length ?? 0;
  if (t.length > 90) return true;
  if (words >= 9) return true;
  return /[.?!]$/.test(t) && words >= 5 && !LEGAL_FORM.test(t) && !ADDRESS_WORD.test(t);
}

export interface Sender {
  name: string | null;
  email: string | null;
}

/** Where the signature sits in the author's lines. */
export interface SignatureSpan {
  /** first line of the signature (the closing, the name or the device line) */
  start: number;
  /** first line of the footer under the contact block (disclaimer, opt-out, device line), or the line count */
  footer: number;
}

const blank = (line: string | undefined): boolean => line === undefined || line.trim() === '';

/**
 * The boilerplate at the bottom of the lines: device lines, image artefacts, rules, disclaimers,
 * opt-out and registration notes. Returns the index of its first line (the line count when none)
 * and of a device line in it (-1 when none).
 */
function footerOf(lines: readonly string[], end: number): { top: number; device: number } {
  let top = end + 1;
  let device = -1;
  let k = end;
  while (k >= 0) {
    const line = lines[k]!;
    if (blank(line)) {
      k--;
      continue;
    }
    if (isDeviceLine(line)) {
      device = k;
      top = k--;
      continue;
    }
    if (ARTEFACT.test(line) || RULE.test(line)) {
      top = k--;
      continue;
    }
    // the paragraph ending at k: a footer when it stands apart and reads as boilerplate, or when it
    // is the translation under one that does (a bilingual disclaimer)
    const p = paragraphStart(lines, k);
    if (isFooter(lines, p, k)) {
      top = p;
      k = p - 1;
      continue;
    }
    let q = p - 1;
    while (q >= 0 && (blank(lines[q]) || RULE.test(lines[q]!))) q--;
    if (q >= 0 && lines.slice(p, k + 1).join(' ').length > 150) {
      const pq = paragraphStart(lines, q);
      if (isFooter(lines, pq, q)) {
        top = pq;
        k = pq - 1;
        continue;
      }
    }
    break;
  }
  return { top, device };
}

function paragraphStart(lines: readonly string[], k: number): number {
  let p = k;
  while (p > 0 && !blank(lines[p - 1]) && k - p < 12) p--;
  return p;
}

/** A boilerplate paragraph set apart from the text above it (a blank line or a rule). */
function isFooter(lines: readonly string[], p: number, k: number): boolean {
  if (p === 0 || !(blank(lines[p - 1]) || RULE.test(lines[p - 1]!))) return false;
  const para = lines.slice(p, k + 1).join(' ');
  if (para.length <= 40 || !FOOTER.test(para)) return false;
  // a contact block with a "VAT Reg No" line is still the contact block
  const contacts = lines.slice(p, k + 1).filter((l) => hasContactSignal(l) && l.length < 80 && !FOOTER.test(l)).length;
  return contacts < 2;
}

/**
 * The signature of the author's lines, or null when the message is not signed.
 * @example findSignature(['Hi,', 'see you.', '', 'Best regards,', 'Ivan Petrov'], { name: 'Ivan Petrov', email: null }) // { start: 3, footer: 5 }
 */
export function findSignature(lines: readonly string[], sender: Sender): SignatureSpan | null {
  let end = lines.length - 1;
  while (end >= 0 && blank(lines[end])) end--;
  if (end < 0) return null;
  const foot = footerOf(lines, end);
  let contentEnd = foot.top - 1;
  while (contentEnd >= 0 && blank(lines[contentEnd])) contentEnd--;
  const start = contentEnd >= 0 ? findSignatureStart(lines.slice(0, contentEnd + 1), sender) : -1;
  if (start >= 0) return { start, footer: foot.top };
  // a device line is the only sign-off
  if (foot.device >= 0) return { start: foot.device, footer: foot.device };
  return null;
}

/** "Начальник отдела снабжения" written right above the name belongs to the signature. */
function withTitleAbove(lines: readonly string[], i: number, block: readonly number[]): number {
  const above = i - 1;
  if (
    above >= 0 &&
    block.includes(above) &&
    TITLE_WORD.test(lines[above]!) &&
    !/[.?!:]\s*$/.test(lines[above]!) &&
    lines[above]!.length <= 60
  )
    return above;
  return i;
}

/**
 * The index of the first signature line in the message lines, or -1 when there is none.
 * @example findSignatureStart(['Hi,', 'see you.', '', 'Best regards,', 'Ivan Petrov'], { name: 'Ivan Petrov', email: null }) // 3
 */
export function findSignatureStart(lines: readonly string[], sender: Sender): number {
  let end = lines.length - 1;
  while (end >= 0 && blank(lines[end])) end--;
  if (end < 0) return -1;
  // the trailing block of short, non-prose lines (blank lines allowed), at most 20 lines up
  let top = end;
  let blanks = 0;
  let delim = -1;
  for (let i = end; i >= 0 && end - i <= 20; i--) {
    const line = lines[i]!;
    if (blank(line)) {
      if (++blanks > 3) break;
      continue;
    }
    blanks = 0;
    if (isClosing(line)) {
      top = i;
      break;
    }
    // "-- " ends the message: what is above it is the author's text, even a "Thanks!"
    if (DELIMITER.test(line)) {
      delim = i;
      break;
    }
    if (isProse(line)) break;
    top = i;
  }
  const block: number[] = [];
  for (let i = top; i <= end; i++) if (!blank(lines[i])) block.push(i);
  if (block.length === 0) return -1;

  const closing = block.find((i) => isClosing(lines[i]!));
  if (closing !== undefined) return closing < end ? closing : -1;
  if (delim >= 0 && delim < end) return block[0]!;

  // a block headed by the sender's name, or a name with contact details under it
  for (const i of block) {
    const line = lines[i]!.trim().replace(/^[-–—~]\s*/, '');
    const first = line.split(/\s*[|,]\s*|\s+[–—-]\s+/)[0] ?? line;
    const nameLike = looksLikeName(first) || (/^\p{Lu}\p{Ll}+$/u.test(first) && first.length >= 3);
    if (nameLike && matchesSender(first, sender.name, sender.email)) return withTitleAbove(lines, i, block);
    if (nameLike && looksLikeName(first)) {
      const rest = block.filter((k) => k > i);
      if (rest.some((k) => hasContactSignal(lines[k]!) || TITLE_WORD.test(lines[k]!) || LEGAL_FORM.test(lines[k]!)))
        return withTitleAbove(lines, i, block);
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

/**
 * Splitting a message body into the newest message and its quoted history, line by line. Each
 * pattern is anchored to one line and free of nested quantifiers, so the cost is linear in the
 * body length.
 */

const FROM_LABELS = 'from|от|от кого|від|de|von|da|van|od|fra|från|lähettäjä|afzender|absender|feladó|kimden|remitente|expéditeur|mittente';
const DATE_LABELS =
  "sent|date|dato|sent at|изпратено|изпратено на|дата|отправлено|envoyé|gesendet|datum|inviato|data|verzonden|wysłano|sendt|skickat|lähetetty|enviado|enviada|fecha|date d'envoi";
const OTHER_LABELS = [
  DATE_LABELS,
  // to / cc
  'to|до|кому|à|a|an|aan|do|til|till|vastaanottaja|para|per|destinatario|címzett|cc|копие|копия|kopie|copie à|kopio|bcc',
  // subject
  'subject|тема|относно|objet|sujet|betreff|oggetto|onderwerp|temat|emne|ämne|aihe|assunto|asunto|tárgy|re',
].join('|');

/** "From: ..." in any of the languages above; markdown bold as Outlook-for-iOS writes it. */
export const FROM_LINE = new RegExp(`^\\s*\\*{0,2}(?:${FROM_LABELS})\\*{0,2}\\s?:\\*{0,2}(?:\\s|$)`, 'iu');
const OTHER_LINE = new RegExp(`^\\s*\\*{0,2}(?:${OTHER_LABELS})\\*{0,2}\\s?:\\*{0,2}(?:\\s|$)`, 'iu');
const SEPARATOR = /^\s*(?:_{5,}|-{5,}|={4,}|\*{5,})\s*$/;

const ORIGINAL =
  /^\s*[-=_*]{2,}\s*(?:original message|original e-?mail|оригинално (?:съобщение|писмо)|исходное сообщение|исходное письмо|message d'origine|ursprüngliche nachricht|originalnachricht|messaggio originale|mensaje original|mensagem original|oorspronkelijk bericht|alkuperäinen viesti|originalmeddelelse|opprinnelig melding|originalmeddelande|wiadomość oryginalna|původní zpráva|eredeti üzenet)\s*[-=_*]{0,}\s*$/iu;
const FORWARD =
  /^\s*(?:[-=_*>]{2,}\s*(?:forwarded message|forwarded by\b.*|препратено съобщение|препратено писмо|пересылаемое сообщение|переадресованное сообщение|пересланное сообщение|weitergeleitete nachricht|message transféré|messaggio inoltrato|mensaje reenviado|doorgestuurd bericht|wiadomość przekazana)\s*[-=_*]*\s*|begin forwarded message:|начало переадресованного сообщения:|beginning of forwarded message:)\s*$/iu;
/** "On Tue, 3 May 2022, Ivan wrote:" and its translations, ending the line. */
const ATTR_VERB =
  /(?:wrote|writes|schrieb|a écrit|ha scritto|escribió|escreveu|schreef|skrev|kirjoitti|írta|yazdı|napisał\(a\)|napisała|napisał|написа|пишет|написал\(а\)|написала|написал)\s*:\s*$/iu;
const ATTR_OPEN = /^\s*(?:>\s*)?(?:on|le|am|el|il|op|em|den|dne|w dniu|dnia|на|в|pe|la|\d|\p{L}{2,3},)\s/iu;
/** "12.03.2015, 10:15, "Alex" <alex@yandex.ru>:" (Yandex, mail.ru, Russian Gmail). */
const ATTR_ADDR = /@[^\s>]*\s*>?\]?\)?\s*:\s*$/u;
/** The Bat!'s template: "Вы писали 27 мая 2024 г., 18:12:" ("You wrote ..."). */
const ATTR_YOU = /^\s*(?:вы писали|ты писал|вие писахте|ти писа|you wrote)(?=\s).{0,80}:\s*$/iu;
/** A quoted line: "> text", or The Bat!'s initials quoting "ДС> text". */
const QUOTED = /^\s*(?:\p{Lu}{1,4})?>/u;
/** The end of a forwarded message as Yandex and mail.ru write it. */
export const FORWARD_END =
  /^\s*[-=_*]{2,}\s*(?:конец пересылаемого сообщения|край на препратеното (?:съобщение|писмо)|end of forwarded message)\s*[-=_*]*\s*$/iu;
/** Zoho and some webmails: "---- On ... wrote ----", no colon. */
const ATTR_NOCOLON = /^\s*-*\s*(?:on|le|am|el|il|op|em|на)\s.*\b(?:wrote|a écrit|schrieb|написа|пишет|написал)\s*-*\s*$/iu;
/** A dashed title line ("-------- Oprindelig besked --------"), a quote when a header field follows. */
const DASHED_TITLE = /^\s*[-=]{3,}\s*[\p{L}][\p{L} ]{2,40}\s*[-=]{3,}\s*$/u;
const HAS_TIME_OR_YEAR = /\b(?:\d{1,2}:\d{2}|(?:19|20)\d{2})\b/;
/** Lotus Notes (Enron era): "Name <addr> on 03/27/2001 01:23:04 AM" or a bare date line above "To:". */
const NOTES_DATE = /\b\d{1,2}\/\d{1,2}\/\d{2,4}\s+\d{1,2}:\d{2}(?::\d{2})?\s*(?:AM|PM)?\s*$/i;
const TO_LINE = /^\s*(?:to|cc)\s*:/i;

/**
 * "Sent from my iPhone" and its kin: a short line of its own. A sentence that merely starts that
 * way ("Sent from my desk, is much easier...") has a comma or too many words and stays.
 */
const DEVICE =
  /^\s*(?:sent from my [\p{L}\p{N} .'-]{1,40}|sent from (?:mail|outlook|yahoo mail|samsung mobile|my mobile device)\b[^,]{0,40}|sent from \p{L}+|gesendet von [\p{L} ]{1,30} für (?:android|ios)|sent from \p{L}+ for (?:ios|android|windows(?: 10)?)|get outlook for (?:ios|android)|sent via blackberry[^,]{0,40}|sent (?:on the go )?from (?:my )?blackberry[^,]{0,60}|sent with blackberry[^,]{0,40}|изпратено от (?:моя |моят |мобилния )?[\p{L}\p{N} .'-]{1,40}|отправлено (?:с|из|со) [\p{L}\p{N} .'-]{1,40}|послано с [\p{L}\p{N} .'-]{1,40}|envoyé de mon [\p{L}\p{N} .'-]{1,40}|envoyé à partir de [\p{L}\p{N} .'-]{1,40}|von meinem [\p{L}\p{N} .'-]{1,40} gesendet|enviado desde mi [\p{L}\p{N} .'-]{1,40}|inviato da(?:l mio)? [\p{L}\p{N} .'-]{1,40}|verstuurd vanaf mijn [\p{L}\p{N} .'-]{1,40}|wysłane z (?:mojego )?[\p{L}\p{N} .'-]{1,40})\s*$/iu;

/** A confidentiality notice or similar boilerplate paragraph. */
export const DISCLAIMER =
  /(?:confidential|privileged|intended (?:only )?(?:solely )?for the (?:use|addressee)|intended recipient|if you (?:have )?received this (?:e-?mail|message|communication) in error|this (?:e-?mail|message) (?:and any attachments )?(?:is|are|may) (?:strictly )?(?:confidential|privileged)|disclaimer|поверителн|конфиденциальн|предназначен[оа]? (?:единствено|само|исключительно)|если вы получили (?:это|данное) (?:сообщение|письмо) по ошибке|ако сте получили (?:това|настоящото) (?:съобщение|писмо) по грешка|please consider the environment before printing|моля, помислете за околната среда)/iu;

export interface SplitResult {
  /**
   * The newest message as its author sent it (signature included), device lines and disclaimers
   * removed: the reply cut that the public reply-parsing corpora measure.
   */
  lines: string[];
  /**
   * The author's own lines, device lines and disclaimers kept (they belong to the signature). For
   * an interleaved reply, the author's paragraphs between and after the quoted blocks, in order,
   * one blank line apart.
   */
  author: string[];
  /** true when the author answered inline, between quoted blocks */
  interleaved: boolean;
  /** index of the first quoted line in the input, or -1 */
  quoteStart: number;
  /** the quoted/forwarded history as it was written (after the marker), or '' */
  quoted: string;
  /** true when the history is a forwarded message rather than a replied one */
  forwarded: boolean;
}

function isBlank(line: string | undefined): boolean {
  return line === undefined || line.trim() === '';
}

/** A header block: a From-like line and another header label within the next lines. */
function headerBlockAt(lines: readonly string[], i: number): boolean {
  const line = lines[i]!;
  const fromFirst = FROM_LINE.test(line);
  if (!fromFirst && !OTHER_LINE.test(line)) return false;
  let seenFrom = fromFirst;
  let others = fromFirst ? 0 : 1;
  for (let j = i + 1; j < Math.min(lines.length, i + 6); j++) {
    const l = lines[j]!;
    if (FROM_LINE.test(l)) seenFrom = true;
    else if (OTHER_LINE.test(l)) others++;
    else if (isBlank(l)) continue;
    if (seenFrom && others >= 1) return fromFirst || j - i <= 3;
  }
  return false;
}

type Marker = { index: number; forward: boolean; attribution: boolean };

function findMarker(lines: readonly string[]): Marker | null {
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.length > 400) continue;
    if (FORWARD.test(line)) return { index: i, forward: true, attribution: false };
    if (ORIGINAL.test(line)) return { index: i, forward: false, attribution: false };
    if (QUOTED.test(line)) {
      // an attribution just above a ">" block starts the quote
      if (i > 0 && !isBlank(lines[i - 1]) && /:\s*$/.test(lines[i - 1]!) && !QUOTED.test(lines[i - 1]!)) {
        return { index: startOfAttribution(lines, i - 1), forward: false, attribution: true };
      }
      return { index: i, forward: false, attribution: false };
    }
    if (headerBlockAt(lines, i)) {
      let start = i;
      // a date line above the block ("Message du : 12/12/2016 13:20"), then separators and blanks
      for (
        let k = 0;
        k < 2 && start > 0 && lines[start - 1]!.length < 100 && /:/.test(lines[start - 1]!) && HAS_TIME_OR_YEAR.test(lines[start - 1]!);
        k++
      )
        start--;
      let k = start;
      while (k > 0 && (isBlank(lines[k - 1]) || SEPARATOR.test(lines[k - 1]!) || DASHED_TITLE.test(lines[k - 1]!))) {
        k--;
        if (SEPARATOR.test(lines[k]!) || DASHED_TITLE.test(lines[k]!)) start = k;
      }
      return { index: start, forward: false, attribution: false };
    }
    if (DASHED_TITLE.test(line) && (FROM_LINE.test(lines[i + 1] ?? '') || OTHER_LINE.test(lines[i + 1] ?? ''))) {
      return { index: i, forward: false, attribution: false };
    }
    if (ATTR_YOU.test(line)) return { index: i, forward: false, attribution: true };
    if (isAttribution(line) || ATTR_NOCOLON.test(line)) {
      const start = startOfAttribution(lines, i);
      const head = lines.slice(start, i + 1).join(' ');
      if (ATTR_OPEN.test(head) || /@/.test(head) || HAS_TIME_OR_YEAR.test(head)) return { index: start, forward: false, attribution: true };
    }
    // an attribution wrapped before its address: "... schreef Name <\nname@x.com>:"
    const next = lines[i + 1];
    if (
      next !== undefined &&
      next.length < 80 &&
      /:\s*$/.test(next) &&
      !isBlank(line) &&
      isAttribution(line + ' ' + next.trim()) &&
      !OTHER_LINE.test(next) &&
      !FROM_LINE.test(next) &&
      !isAttribution(next) &&
      !/^\s*>/.test(next)
    ) {
      const start = startOfAttribution(lines, i);
      if (HAS_TIME_OR_YEAR.test(lines.slice(start, i + 2).join(' '))) return { index: start, forward: false, attribution: true };
    }
    if (TO_LINE.test(line) && i > 0) {
      // Lotus Notes: the sender and date on the one or two lines above "To:"
      for (let k = i - 1; k >= Math.max(0, i - 2); k--) {
        if (NOTES_DATE.test(lines[k]!)) {
          const start =
            k > 0 && !isBlank(lines[k - 1]) && lines[k - 1]!.length < 80 && !NOTES_DATE.test(lines[k - 1]!) && k === i - 1 ? k - 1 : k;
          return { index: start, forward: false, attribution: false };
        }
      }
    }
  }
  return null;
}

function isAttribution(text: string): boolean {
  return ATTR_VERB.test(text) || (ATTR_ADDR.test(text) && HAS_TIME_OR_YEAR.test(text));
}

/** An attribution may wrap onto two or three lines; start at the line that opens it. */
function startOfAttribution(lines: readonly string[], end: number): number {
  if (ATTR_OPEN.test(lines[end]!)) return end;
  for (let k = end - 1; k >= Math.max(0, end - 2); k--) {
    if (isBlank(lines[k])) break;
    if (ATTR_OPEN.test(lines[k]!)) return k;
  }
  return end;
}

/** True for a device line such as "Sent from my iPhone". */
export function isDeviceLine(line: string): boolean {
  const bare = line.replace(/<https?:[^>]*>\s*$/, '');
  return bare.length < 80 && DEVICE.test(bare);
}

/** A line of a quote's own header: the attribution, a From/Date/Subject field, a title or a rule. */
function isHeaderLine(line: string): boolean {
  return (
    FROM_LINE.test(line) ||
    OTHER_LINE.test(line) ||
    ORIGINAL.test(line) ||
    FORWARD.test(line) ||
    SEPARATOR.test(line) ||
    DASHED_TITLE.test(line) ||
    ATTR_YOU.test(line) ||
    isAttribution(line) ||
    /:\s*$/.test(line)
  );
}

/**
 * The author's paragraphs under a quote she answered inline ("> question" / answer / "> question" /
 * answer), or null when the quote is plain history. Only a short greeting may stand above the
 * quote, so a top-posted reply whose quote ends in a list footer stays a top-posted reply.
 */
function inlineAnswers(all: readonly string[], marker: Marker): string[][] | null {
  const top = all.slice(0, marker.index).filter((l) => !isBlank(l));
  if (top.length > 3 || top.some((l) => l.length > 160)) return null;
  // the quote's own header runs from the marker to the first quoted line
  let q = marker.index;
  while (q < all.length && !QUOTED.test(all[q]!)) {
    if (q > marker.index && !isBlank(all[q]) && !isHeaderLine(all[q]!)) return null;
    if (++q - marker.index > 10) return null;
  }
  if (q >= all.length) return null;
  const rest = all.slice(q);
  const next = findMarker(rest.map((l) => (QUOTED.test(l) ? '' : l)));
  const upto = next ? next.index : rest.length;
  const segments: string[][] = [];
  let cur: string[] = [];
  const close = () => {
    while (cur.length && isBlank(cur[0])) cur.shift();
    while (cur.length && isBlank(cur[cur.length - 1])) cur.pop();
    if (cur.length) segments.push(cur);
    cur = [];
  };
  for (let i = 0; i < upto; i++) {
    const l = rest[i]!;
    if (QUOTED.test(l)) close();
    else cur.push(l);
  }
  close();
  // an answer is the author's own text, not a mailing-list or legal footer under the quote
  const own = segments.filter((seg) => {
    const text = seg.join(' ');
    return !DISCLAIMER.test(text) && !/mailing list|unsubscribe|^_+$/i.test(text);
  });
  return own.length ? segments : null;
}

/**
 * Splits a plain-text body into the newest message and the quoted history.
 * @example splitReply('Thanks!\n\nOn Mon, 1 Jan 2024, Ivan <i@x.bg> wrote:\n> hi').lines // ['Thanks!']
 */
export function splitReply(text: string): SplitResult {
  const all = text.replace(/\r\n?/g, '\n').split('\n');
  const marker = findMarker(all);
  let lines: string[];
  let author: string[];
  let interleaved = false;
  let quoteStart = -1;
  let quoted = '';
  if (marker) {
    quoteStart = marker.index;
    lines = all.slice(0, marker.index);
    author = lines;
    quoted = all.slice(marker.index).join('\n');
    if (lines.every(isBlank) && marker.attribution) {
      // inline reply: the answers sit between ">" blocks under the attribution
      const rest = all.slice(marker.index + 1);
      const next = findMarker(rest.map((l) => (/^\s*>/.test(l) ? '' : l)));
      const upto = next ? next.index : rest.length;
      lines = rest.slice(0, upto).filter((l) => !/^\s*>/.test(l));
    }
    const answers = marker.forward ? null : inlineAnswers(all, marker);
    if (answers) {
      interleaved = true;
      const top = trimBlank(all.slice(0, marker.index));
      author = [...top];
      for (const seg of answers) author.push(...(author.length ? [''] : []), ...seg);
    }
  } else {
    lines = all;
    author = all;
  }

  // device lines end the message; what follows is an unmarked quote
  const dev = lines.findIndex((l) => isDeviceLine(l));
  if (dev >= 0) {
    if (quoteStart < 0 && lines.slice(dev + 1).some((l) => !isBlank(l))) {
      quoteStart = dev + 1;
      quoted = lines.slice(dev + 1).join('\n');
    }
    lines = lines.slice(0, dev);
  }
  if (!interleaved) {
    const adev = author.findIndex((l) => isDeviceLine(l));
    if (adev >= 0) author = author.slice(0, adev + 1);
  }
  lines = dropDisclaimer(lines);
  while (lines.length && (isBlank(lines[lines.length - 1]) || SEPARATOR.test(lines[lines.length - 1]!))) lines.pop();
  while (lines.length && isBlank(lines[0])) lines.shift();
  return { lines, author: trimBlank(author), interleaved, quoteStart, quoted, forwarded: marker?.forward ?? false };
}

function trimBlank(lines: readonly string[]): string[] {
  let a = 0;
  let b = lines.length;
  while (a < b && isBlank(lines[a])) a++;
  while (b > a && isBlank(lines[b - 1])) b--;
  return lines.slice(a, b);
}

/** Removes a trailing confidentiality notice (and what follows it) from the message lines. */
function dropDisclaimer(lines: string[]): string[] {
  for (let i = 1; i < lines.length; i++) {
    // a Mailman footer: "__" then "<list> mailing list"
    if (/^\s*_{2,}\s*$/.test(lines[i - 1]!) && /^\s*[\p{L}\p{N}._-]+ mailing list\s*$/iu.test(lines[i]!)) {
      if (lines.slice(0, i - 1).some((l) => !isBlank(l))) return lines.slice(0, i - 1);
    }
    const paraStart = isBlank(lines[i - 1]) || SEPARATOR.test(lines[i - 1]!);
    if (!paraStart || isBlank(lines[i])) continue;
    let j = i;
    let para = '';
    while (j < lines.length && !isBlank(lines[j]) && j - i < 12) para += ' ' + lines[j++];
    if (para.length > 60 && DISCLAIMER.test(para)) {
      let cut = i;
      while (cut > 0 && (isBlank(lines[cut - 1]) || SEPARATOR.test(lines[cut - 1]!))) cut--;
      if (lines.slice(0, cut).some((l) => !isBlank(l))) return lines.slice(0, cut);
    }
  }
  return lines;
}

/** A quoted or forwarded header block parsed into its fields. */
export interface QuotedHeader {
  from: string | null;
  date: string | null;
  subject: string | null;
  /** index (in the given lines) of the first line after the header block */
  bodyStart: number;
}

const LABEL_VALUE = /^\s*\*{0,2}([\p{L} ']{1,20}?)\*{0,2}\s?:\*{0,2}\s*(.*)$/u;
const FROM_KEYS = new Set(FROM_LABELS.split('|'));
const DATE_KEYS = new Set(DATE_LABELS.split('|'));
const SUBJECT_KEYS = new Set([
  'subject',
  'тема',
  'относно',
  'objet',
  'sujet',
  'betreff',
  'oggetto',
  'onderwerp',
  'temat',
  'emne',
  'ämne',
  'aihe',
  'assunto',
  'asunto',
  'tárgy',
]);

/**
 * Reads the "From:/Date:/Subject:" block at the top of a forwarded or quoted message.
 * @example parseQuotedHeader(['From: Ivan <i@x.bg>', 'Subject: Offer', '', 'Hi']).from // 'Ivan <i@x.bg>'
 */
export function parseQuotedHeader(lines: readonly string[]): QuotedHeader {
  const h: QuotedHeader = { from: null, date: null, subject: null, bodyStart: 0 };
  let i = 0;
  while (i < lines.length && (isBlank(lines[i]) || SEPARATOR.test(lines[i]!) || FORWARD.test(lines[i]!) || ORIGINAL.test(lines[i]!))) i++;
  // Yandex and mail.ru forwards open with an attribution instead of a field block:
  // '05.06.2024, 09:41, "site.ru" <noreply@site.ru>:'
  const first = (lines[i] ?? '').replace(/^\s*>\s?/, '');
  if (first.length < 200 && (isAttribution(first) || ATTR_YOU.test(first))) {
    h.from = attributionAuthor(first);
    h.bodyStart = i + 1;
    return h;
  }
  let seen = 0;
  for (; i < lines.length && i < 40; i++) {
    const line = lines[i]!.replace(/^\s*>\s?/, '');
    if (isBlank(line)) {
      if (seen > 0) break;
      continue;
    }
    const m = LABEL_VALUE.exec(line);
    const key = m?.[1]?.trim().toLowerCase();
    if (!m || !key || !(FROM_KEYS.has(key) || OTHER_LINE.test(line))) {
      // a wrapped value ("From: Human Resources\n<addr@x.com>")
      if (seen > 0 && h.from && !h.from.includes('@') && /@/.test(line) && line.length < 120) {
        h.from += ' ' + line.trim();
        continue;
      }
      if (seen > 0) break;
      continue;
    }
    seen++;
    const value = m[2]!.trim();
    if (FROM_KEYS.has(key) && !h.from) h.from = value;
    else if (DATE_KEYS.has(key) && !h.date) h.date = value;
    else if (SUBJECT_KEYS.has(key) && !h.subject) h.subject = value;
  }
  h.bodyStart = i;
  return h;
}

const ADDRESS_IN = /<?([\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)+)>?/u;

/**
 * Who wrote the quoted message, from its attribution line, as "Name <address>" (or either part).
 * @example attributionAuthor('На 16.05.2024 г. в 17:08, Калин Русев <k.rusev@x.bg> написа:') // 'Калин Русев <k.rusev@x.bg>'
 */
export function attributionAuthor(line: string): string | null {
  const l = line.replace(/^\s*(?:\p{Lu}{0,4}>\s?)+/u, '').trim();
  const email = ADDRESS_IN.exec(l);
  const head = email ? l.slice(0, email.index) : l.replace(ATTR_VERB, '').replace(/:\s*$/, '');
  const part = head.split(',').pop() ?? '';
  const name = part
    .replace(/^.*\d{1,2}:\d{2}(?::\d{2})?\s*(?:ч\.|h|am|pm)?\s*(?:[+-]\d{2}:?\d{2})?/iu, '')
    .replace(/^\s*(?:от|from|de|von|at)\s+/iu, '')
    .replace(ATTR_VERB, '')
    .replace(/["“”„«»]/g, '')
    .trim();
  const who = /\p{L}/u.test(name) && name.length <= 60 ? name : null;
  if (email) return who ? `${who} <${email[1]}>` : email[1]!;
  return who;
}

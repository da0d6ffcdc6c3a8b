/**
 * From an email to a lead draft: split the author's newest message from its history, find the
 * lead (the web-form person, also in a form a colleague forwarded; the original sender of a
 * forwarded mail; or the sender), read the signature and fill each field from the best source:
 * the signature, then a statement in the body, then the sender's own earlier message in the
 * thread, then the From header. Nothing comes from other people (our reps in the quote, a
 * colleague, a driver named in the body), and a guess from the mail domain is only a suggestion.
 */
import type { CountryCode } from 'libphonenumber-js/max';
import { emailDomain, isFreeMail, nameKey, normalizeDomain, normalizeEmail, normalizeVat } from '../identity';
import { isPatronymic, isPersonName, nameWords, splitPersonName } from '../person-name';
import { cityFromAddress, isKnownCity, nominativeCity } from '../places';
import { htmlToText } from './html';
import { companyIdValue, findCompanyId, findVat } from './ids';
import { ADDRESS_WORD, FORM_LABELS, ID_LINE, formField, LEGAL_FORM, ORG_WORD, POSTAL, TITLE_WORD, isClosing } from './lexicon';
import { displayName, looksLikeName, matchesSender, nameFromEmail } from './names';
import { findPhones, phoneCountries, toPhoneField, type PhoneMatch } from './phones';
import { findSignature, hasContactSignal, type Sender } from './signature';
import { FORWARD_END, parseQuotedHeader, splitReply } from './split';
import type { EmailInput, Extraction, Field, FieldSource, LeadDraft, LeadKind, MailAddress, PhoneField, Suggestions } from './types';

const EMAIL_G = /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)+/gu;
const URL_G =
  /(?:https?:\/\/|www\.)[^\s<>()"'|,]+|(?<![@\p{L}\p{N}.-])[a-z0-9-]{2,}(?:\.[a-z0-9-]{2,})*\.(?:bg|ru|com|net|org|eu|de|uk|io|biz|info|co)(?![\p{L}\p{N}@-])/giu;
const SOCIAL =
  /(?:^|\.)(?:linkedin|facebook|fb|twitter|x|instagram|youtube|youtu|t|vk|ok|google|goo|bit|aka|apple|microsoft|office|outlook|skype|wa|whatsapp|viber|telegram|tiktok|sparrowmailapp|mailchimp|zoom)\.[a-z.]+$/i;
const LABEL_LINE = /^\s*([\p{L}][\p{L} ./-]{0,40}?)\s*[:：]\s*(.*)$/u;
const FWD_SUBJECT = /^\s*(?:fwd?|fw|пр|препр|пересл|tr|wg|rv|i)\s*:/i;
const QUOTE_PREFIX = /^\s*(?:\p{Lu}{0,4}>\s?)/u;
/** Words before a Bulgarian/Russian settlement name, dropped from a form's city field. */
const SETTLEMENT_PREFIX = /^\s*(?:гр\.|град|г\.|с\.|село|п\.|пос\.|town of|city of)\s*/iu;
/** The text left of a prefix-form company ("главный инженер АО «Волгоагромаш»"). */
/** A name ahead of a comma or a dash: "Иван Петров, управител". */
const NAME_HEAD = /^([^,–—]+?)(?:,\s+|\s+[–—-]\s+)/u;
/** Regions written after a title ("Account Executive, EMEA"), not companies. */
const REGION_ACRONYM = /^(?:EMEA|APAC|APJ|AMER|AMERICAS|LATAM|NA|NAM|EU|EEA|UK|US|USA|CEE|SEE|CIS|DACH|MENA|ANZ|NORDICS|BENELUX|EE)$/;
const PREFIX_FORM = /(?:^|\s)(?:ООО|ОАО|ЗАО|ПАО|НАО|АО|ИП|ЕТ|ГК|НПО|ФГУП|ГУП|МУП|АНО)\s+\S/u;

function field<T>(value: T, confidence: number, source: FieldSource): Field<T> {
  return { value, confidence: Math.round(confidence * 100) / 100, source };
}

function toAddress(v: MailAddress | string | null | undefined): MailAddress | null {
  if (!v) return null;
  if (typeof v !== 'string') return v.address ? { name: v.name || null, address: v.address } : null;
  const m = /^\s*"?([^"<]*?)"?\s*(?:<|\[mailto:)\s*([^>\]\s]+)\s*[>\]]/.exec(v);
  if (m) return { name: m[1]!.trim() || null, address: m[2]! };
  const e = normalizeEmail(v);
  return e ? { name: null, address: e } : null;
}

/** Splits a signature line into parts: "Ivan Petrov | Manager | Acme Ltd", "Технолог / Oenologist". */
function segments(line: string): string[] {
  return line
    .split(/\s+[|•·/]\s+|\s{3,}|\t+/)
    .map((s) =>
      s
        .trim()
        .replace(/^[-–—~*]+\s*/, '')
        .replace(/\s*[,;]$/, ''),
    )
    .filter(Boolean);
}

/** Splits at a separator that stands outside quote marks („…“, «…», "…"). */
function splitOutsideQuotes(text: string, sep: RegExp): string[] {
  const parts: string[] = [];
  let depth = 0;
  let from = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '„' || c === '«') depth++;
    else if (c === '»' || c === '”') depth = Math.max(0, depth - 1);
    else if (c === '“') depth = depth > 0 ? depth - 1 : depth + 1;
    else if (c === '"') depth = depth > 0 ? depth - 1 : depth + 1;
    else if (depth === 0) {
      const m = sep.exec(text.slice(i));
      if (m && m.index === 0) {
        parts.push(text.slice(from, i));
        i += m[0].length - 1;
        from = i + 1;
      }
    }
  }
  parts.push(text.slice(from));
  return parts.map((p) => p.trim()).filter(Boolean);
}

const ONLY_LEGAL_FORM = new RegExp(`^\\s*${LEGAL_FORM.source.replace(/^\(\?:\^\|\[[^\]]*\]\)/, '')}\\s*\\.?\\s*$`, 'u');

/**
 * A company as the convention writes it: legal form kept, quote marks gone (nested ones too), a
 * note in brackets or a brand in front of the legal name left out.
 * @example cleanCompany('Аптеки „Делфиния“ – „Делфиния Фарм“ ЕООД') // 'Делфиния Фарм ЕООД'
 */
export function cleanCompany(raw: string): string {
  let s = raw.trim().replace(/\s*\([^()]*\)\s*$/, '');
  // "Brand – Legal name ЕООД", "Джи О Фрейт ЕООД – GO Freight EOOD": the first part with a legal form
  const dashed = splitOutsideQuotes(s, /^\s+[–—-]\s+/);
  const legal = dashed.find((p) => LEGAL_FORM.test(p) && !ONLY_LEGAL_FORM.test(p));
  if (dashed.length > 1 && legal) s = legal;
  // "ИП Галиев А.Ф., магазин «Бахча»": the entity, then what it runs; "Acme, Inc." and
  // "Luce, Forward, Hamilton & Scripps LLP" stay whole
  const commas = splitOutsideQuotes(s, /^,\s+/);
  if (commas.length > 1 && LEGAL_FORM.test(commas[0]!) && !ONLY_LEGAL_FORM.test(commas[0]!)) s = commas[0]!;
  return s
    .replace(/[„“”"«»]/g, '')
    .replace(/\s+/g, ' ')
    .replace(/\s+([,.])/g, '$1')
    .replace(/[,;:]$/, '')
    .trim();
}

interface Form {
  fields: Record<string, string>;
  phones: string[];
}

/** Reads "Label: value" web-form fields; null unless it looks like a form. */
function readForm(lines: readonly string[]): Form | null {
  const out: Record<string, string> = {};
  const phones: string[] = [];
  let hits = 0;
  for (let i = 0; i < lines.length; i++) {
    const m = LABEL_LINE.exec(lines[i]!.replace(/^\s*[*>-]+\s*/, '').replace(/\*+/g, ''));
    if (!m) continue;
    const key = formField(m[1]!);
    if (!key) continue;
    let value = m[2]!.trim();
    if (key !== 'phone' && out[key] !== undefined) continue;
    if (!value && i + 1 < lines.length && !LABEL_LINE.test(lines[i + 1]!)) {
      // a value on the next lines (a free-text message runs to the next blank line)
      const more: string[] = [];
      for (let j = i + 1; j < lines.length && lines[j]!.trim() && (key === 'message' || j === i + 1); j++) more.push(lines[j]!.trim());
      value = more.join('\n');
    }
    if (!value) continue;
    if (key === 'phone') {
      if (phones.length === 0) hits++;
      phones.push(value);
    } else {
      out[key] = value;
      hits++;
    }
  }
  if (out.firstName && out.lastName && !out.name) out.name = `${out.firstName} ${out.lastName}`;
  // "Име: Мартин" and "Фамилия: Колев" as two fields
  else if (out.name && out.lastName && !out.name.includes(' ')) out.name = `${out.name} ${out.lastName}`;
  const person = out.name !== undefined;
  const contact = phones.length > 0 || out.email !== undefined;
  return hits >= 2 && person && contact ? { fields: out, phones } : null;
}

interface Person {
  /** the display name the header (or the forward's header) gives, or the form's name */
  name: string | null;
  email: string | null;
  kind: LeadKind;
  headerSource: FieldSource;
  /** the person's signature: its contact block, and the footer under it */
  sig: string[];
  footer: string[];
  /** the person's own text without the signature (statements about themselves) */
  body: string[];
  /** the quoted history under the person's message (their own earlier mail may be there) */
  quoted: string;
  form: Form | null;
}

/** The business-domain company guess ("acme-trade.bg" -> "Acme-trade"), never for free mail. */
function domainCompany(domain: string | null): string | null {
  if (!domain || isFreeMail(domain)) return null;
  const labels = domain.split('.');
  let i = labels.length - 2;
  while (i > 0 && /^(?:co|com|net|org|gov|edu|ac)$/.test(labels[i]!)) i--;
  const label = labels[Math.max(0, i)];
  if (!label || label.length < 2) return null;
  return label.charAt(0).toUpperCase() + label.slice(1);
}

/**
 * How much of a body extraction reads (256 KiB of text, 1 MiB of HTML): the newest message, its
 * signature and the quoted header above older history all sit at the top, and a 10 MB body would
 * otherwise take seconds.
 */
export const MAX_TEXT_CHARS = 256 * 1024;
export const MAX_HTML_CHARS = 1024 * 1024;

const trimLines = (lines: readonly string[]): string => lines.join('\n').trim();

/** The author's lines split at the signature: the message above it (without "-- ") and the signature. */
function cut(author: readonly string[], sender: Sender): { message: string[]; sig: string[]; footer: string[]; text: string | null } {
  const span = findSignature(author, sender);
  if (!span) return { message: [...author], sig: [], footer: [], text: null };
  const message = author.slice(0, span.start);
  while (
    message.length &&
    (!message[message.length - 1]!.trim() || /^\s*(?:--|-- |—|–|-{2,3}|_{2,})\s*$/.test(message[message.length - 1]!))
  )
    message.pop();
  return {
    message,
    sig: author.slice(span.start, span.footer),
    footer: author.slice(span.footer),
    text: trimLines(author.slice(span.start)) || null,
  };
}

/**
 * Extracts a lead draft from one email. Synchronous and pure; under a millisecond for a typical mail.
 * @example
 * const x = extractLead({ from: 'Иван Петров <ivan@acme.bg>', text: 'Здравейте,\n...\n\nС уважение,\nИван Петров\nАкме ООД\nтел. 0888 123 456' });
 * x.lead.company?.value // 'Акме ООД'
 * x.lead.phones[0]?.value // '+359888123456'
 */
export function extractLead(input: EmailInput): Extraction {
  const body =
    input.text && input.text.trim()
      ? input.text.slice(0, MAX_TEXT_CHARS)
      : input.html
        ? htmlToText(input.html.slice(0, MAX_HTML_CHARS)).slice(0, MAX_TEXT_CHARS)
        : '';
  const split = splitReply(body);
  const from = toAddress(input.from ?? null);
  const senderEmail = normalizeEmail(from?.address ?? null);
  const senderName = displayName(from?.name ?? null);
  const sender: Sender = { name: senderName, email: senderEmail };
  const author = split.author;

  // a form notification: the whole dump is the message, and nobody signed it
  const form = readForm(author);
  if (form) {
    const person: Person = {
      name: form.fields.name ?? null,
      email: normalizeEmail(form.fields.email),
      kind: 'webform',
      headerSource: 'form',
      sig: [],
      footer: [],
      body: author,
      quoted: '',
      form,
    };
    return finish(person, 'webform', trimLines(author), null, split.lines);
  }

  const own = cut(author, sender);
  const newMessage = trimLines(own.message);
  const forwarded = split.forwarded || (split.quoteStart >= 0 && FWD_SUBJECT.test(input.subject ?? ''));
  if (forwarded && split.quoted) {
    const qLines = split.quoted.split('\n');
    const header = parseQuotedHeader(qLines);
    const fwdFrom = toAddress(header.from);
    const fwdEmail = normalizeEmail(fwdFrom?.address ?? null);
    const end = qLines.findIndex((l, i) => i >= header.bodyStart && FORWARD_END.test(l));
    const inner = splitReply(qLines.slice(header.bodyStart, end >= 0 ? end : undefined).join('\n'));
    const innerForm = readForm(inner.author);
    if (innerForm) {
      // a form forwarded by a colleague: the person in the form is the lead, the colleague is not
      const person: Person = {
        name: innerForm.fields.name ?? null,
        email: normalizeEmail(innerForm.fields.email),
        kind: 'webform',
        headerSource: 'form',
        sig: [],
        footer: [],
        body: inner.author,
        quoted: '',
        form: innerForm,
      };
      return finish(person, 'webform', newMessage, own.text, split.lines);
    }
    if (fwdFrom && fwdEmail !== senderEmail) {
      const name = displayName(fwdFrom.name);
      const theirs = cut(inner.author, { name, email: fwdEmail });
      const person: Person = {
        name,
        email: fwdEmail,
        kind: 'forwarded',
        headerSource: 'forwarded',
        sig: theirs.sig,
        footer: theirs.footer,
        body: theirs.message,
        quoted: inner.quoted,
        form: null,
      };
      return finish(person, 'forwarded', newMessage, own.text, split.lines);
    }
  }
  const person: Person = {
    name: senderName,
    email: senderEmail,
    kind: 'direct',
    headerSource: 'header',
    sig: own.sig,
    footer: own.footer,
    body: own.message,
    quoted: split.quoted,
    form: null,
  };
  return finish(person, 'direct', newMessage, own.text, split.lines);
}

function finish(person: Person, kind: LeadKind, newMessage: string, signature: string | null, top: readonly string[]): Extraction {
  const lead = person.form ? readFormLead(person) : readLead(person);
  const suggestions: Suggestions = {};
  if (!lead.company) {
    const guess = domainCompany(emailDomain(lead.email?.value ?? person.email));
    if (guess) suggestions.company = field(guess, 0.3, 'domain');
  }
  return { lead, kind, newMessage, signature, topMessage: top.join('\n'), suggestions };
}

function emptyLead(): LeadDraft {
  return {
    fullName: null,
    firstName: null,
    middleName: null,
    lastName: null,
    email: null,
    emails: [],
    company: null,
    title: null,
    phones: [],
    fax: [],
    website: null,
    address: null,
    city: null,
    eik: null,
    vat: null,
  };
}

function readFormLead(p: Person): LeadDraft {
  const lead = emptyLead();
  const f = p.form!.fields;
  const countries = phoneCountries(emailDomain(normalizeEmail(f.email)));
  if (f.name) setName(lead, f.name, 0.95, 'form');
  const email = normalizeEmail(f.email);
  if (email) {
    lead.email = field(email, 0.95, 'form');
    lead.emails.push(lead.email);
  }
  if (f.company) lead.company = field(cleanCompany(f.company), 0.9, 'form');
  if (f.title) lead.title = field(f.title, 0.9, 'form');
  const seen = new Set<string>();
  const addPhones = (matches: PhoneMatch[], conf: number, source: FieldSource) => {
    for (const m of matches) {
      if (seen.has(m.e164)) continue;
      seen.add(m.e164);
      if (m.fax && !m.alsoFax) lead.fax.push(toPhoneField(m, conf, source));
      else lead.phones.push(toPhoneField(m, conf, source));
      if (m.alsoFax) lead.fax.push(toPhoneField(m, conf, source));
    }
  };
  for (const raw of p.form!.phones) addPhones(findPhones(raw, countries), 0.95, 'form');
  // the person's own number in the free-text message ("търсите ме и на мобилен 0876 ...")
  if (f.message) addPhones(ownPhones(f.message, p, countries), 0.8, 'form');
  if (f.website) {
    const d = normalizeDomain(f.website);
    if (d) lead.website = field(d, 0.9, 'form');
  }
  if (f.address) lead.address = field(f.address, 0.85, 'form');
  const city = f.city ? f.city.replace(SETTLEMENT_PREFIX, '').trim() : f.address ? cityFromAddress(f.address) : null;
  if (city) lead.city = field(city, 0.9, 'form');
  else if (f.message) {
    const c = messageCity(f.message);
    if (c) lead.city = field(c, 0.7, 'form');
  }
  if (f.eik) {
    const e = companyIdValue(f.eik);
    if (e) lead.eik = field(e, 0.95, 'form');
  }
  if (f.vat) {
    const v = normalizeVat(f.vat);
    if (v) lead.vat = field(v, 0.95, 'form');
  }
  return lead;
}

/** A city a form's free text names on its own ("Дизайнер интерьеров, Сочи.") or in a statement. */
function messageCity(text: string): string | null {
  for (const seg of text.split(/[,.;!?\n]+/)) {
    const s = seg.trim();
    if (s && isKnownCity(s)) return s;
  }
  return statementCity(text);
}

/** What a signature says, read line by line. */
interface SigInfo {
  source: FieldSource;
  /** name lines, best first; a sole proprietor's full name from the "ИП ..." line too */
  names: string[];
  company: Field<string> | null;
  title: Field<string> | null;
  address: string[];
  city: string | null;
  website: string | null;
  emails: string[];
  phones: PhoneMatch[];
  eik: string | null;
  vat: string | null;
}

function readSignature(
  sig: readonly string[],
  footer: readonly string[],
  p: Person,
  countries: CountryCode[],
  source: FieldSource,
): SigInfo {
  const info: SigInfo = {
    source,
    names: [],
    company: null,
    title: null,
    address: [],
    city: null,
    website: null,
    emails: [],
    phones: [],
    eik: null,
    vat: null,
  };
  const sigText = sig.join('\n');
  const senderIsPerson = p.name !== null && isPersonName(p.name);
  const domain = emailDomain(p.email);
  const domainLabel = domain ? (domain.split('.').slice(-2, -1)[0] ?? null) : null;

  // the name: a name line of the block's head that is the sender's (or plainly a person's)
  let nameLine = -1;
  let nameRest: { seg: string; rest: string } | null = null;
  let firstContent = -1;
  for (let i = 0; i < sig.length && i < 7 && nameLine < 0; i++) {
    if (!sig[i]!.trim() || isClosing(sig[i]!)) continue;
    if (firstContent < 0) firstContent = i;
    for (const seg of segments(sig[i]!)) {
      // the name alone, or ahead of a title: "Иван Петров, управител", "Ivan Petrov - Sales Manager"
      const head = NAME_HEAD.exec(seg);
      const rest = head ? seg.slice(head[0].length) : '';
      const titled = head !== null && (TITLE_WORD.test(rest) || /^\p{Ll}/u.test(rest) || LEGAL_FORM.test(rest)) && !POSTAL.test(seg);
      for (const cand of titled ? [seg, head[1]!] : [seg]) {
        const s = cand.replace(/,$/, '');
        if (!looksLikeName(s)) continue;
        if (matchesSender(s, p.name, p.email) || !senderIsPerson || (i === firstContent && isPersonName(s))) {
          info.names.push(s);
          nameLine = i;
          if (cand !== seg) nameRest = { seg, rest: seg.slice(head![0].length).trim() };
          break;
        }
      }
      if (nameLine >= 0) break;
    }
  }
  if (nameLine < 0) {
    // a first name alone ("Tom", "Иван") under the closing
    const i = firstContent;
    const only = i >= 0 ? sig[i]!.trim().replace(/,$/, '') : '';
    if (/^\p{Lu}\p{Ll}{2,}$/u.test(only) && matchesSender(only, p.name, p.email)) {
      info.names.push(only);
      nameLine = i;
    }
  }

  const addressLines: number[] = [];
  const titleAt = (seg: string, conf: number) => {
    info.title ??= field(seg, conf, source);
  };
  for (let i = 0; i < sig.length; i++) {
    const line = sig[i]!;
    if (!line.trim() || isClosing(line)) continue;
    const segs = segments(line)
      .map((seg) => (i === nameLine && nameRest && seg === nameRest.seg ? nameRest.rest : seg))
      .filter(Boolean);
    if (i === nameLine && segs.length === 1 && !nameRest) continue;
    let segIndex = -1;
    for (const seg of segs) {
      segIndex++;
      const labelled = LABEL_LINE.exec(seg);
      const label = labelled?.[1]?.toLowerCase() ?? '';
      const value = labelled ? labelled[2]!.trim() : seg;
      if (labelled && FORM_LABELS.company!.test(label) && value) {
        info.company ??= field(cleanCompany(value), 0.9, source);
        continue;
      }
      if (labelled && FORM_LABELS.title!.test(label) && value) {
        info.title ??= field(value, 0.9, source);
        continue;
      }
      if (labelled && FORM_LABELS.address!.test(label) && value) {
        info.address.push(value);
        addressLines.push(i);
        continue;
      }
      if (EMAIL_G.test(seg)) {
        EMAIL_G.lastIndex = 0;
        continue;
      }
      EMAIL_G.lastIndex = 0;
      // a city needs a postcode, a prefix, a comma or the name alone: most segments are neither
      const cityHere = segIndex === 0 && (/[\d,.]/.test(seg) || isKnownCity(seg)) ? cityFromAddress(seg) : null;
      const isAddress =
        ((ADDRESS_WORD.test(seg) || POSTAL.test(seg)) && /\d|ул\.|бул\.|гр\.|г\.|с\.|п\./u.test(seg)) ||
        (cityHere !== null && !LEGAL_FORM.test(seg) && seg.split(/\s+/).length <= 6 && (isKnownCity(cityHere) || /\d|\.\s/u.test(seg)));
      if (hasContactSignal(seg) && !isAddress) continue;
      if (ID_LINE.test(seg) && !isAddress) continue;
      if (info.names[0] && seg === info.names[0]) continue;
      const quoted = /[„«"“][^„«"“”»]{2,}[“”"»]/.test(seg) && !ADDRESS_WORD.test(seg);
      const isCompany =
        LEGAL_FORM.test(seg) ||
        quoted ||
        (domainLabel !== null &&
          domainLabel.length >= 3 &&
          seg
            .toLowerCase()
            .replace(/[^a-z]/g, '')
            .startsWith(domainLabel.replace(/-/g, '')) &&
          seg.length < 60);
      const isTitle = TITLE_WORD.test(seg);
      if (isCompany && !isAddress) {
        // a sole proprietor's line names the person in full: "ИП Кравец Артём Игоревич"
        const ip = /^(?:ИП|ЕТ)\s+(.+)$/u.exec(seg.trim());
        if (ip && looksLikeName(ip[1]!) && nameWords(ip[1]!).every((w) => /^\p{Lu}\p{Ll}+$/u.test(w))) info.names.push(ip[1]!);
        // title and company on one line: "Собственик, „Пенчеви Турс“ ЕООД", "главный инженер АО «Волгоагромаш»"
        if (!info.company) {
          const parts = splitOutsideQuotes(seg, /^(?:,\s*|\s+at\s+|\s+[-–—]\s+)/);
          const c = parts.find((x) => LEGAL_FORM.test(x) || /[„«"]/.test(x));
          const t = parts.find((x) => x !== c && (TITLE_WORD.test(x) || /^\p{Ll}/u.test(x)) && !LEGAL_FORM.test(x) && !/[„«"“]/.test(x));
          if (c && t && parts.length >= 2) {
            info.company = field(cleanCompany(c), 0.8, source);
            titleAt(t, 0.75);
            continue;
          }
          const prefix = PREFIX_FORM.exec(seg);
          if (prefix && prefix.index > 0) {
            const before = seg.slice(0, prefix.index).trim();
            if (before && (TITLE_WORD.test(before) || /^\p{Ll}/u.test(before)) && !/\d/.test(before)) {
              info.company = field(cleanCompany(seg.slice(prefix.index)), 0.8, source);
              titleAt(before.replace(/,$/, ''), 0.75);
              continue;
            }
          }
          info.company = field(cleanCompany(seg), 0.85, source);
        }
        continue;
      }
      if (isAddress) {
        if (addressLines.length === 0 || i - addressLines[addressLines.length - 1]! <= 1) {
          info.address.push(seg);
          addressLines.push(i);
          if (!info.city && segIndex === 0 && cityHere) info.city = cityHere;
        }
        continue;
      }
      // "Senior Counsel, ENA": a title and an acronym company
      const acronym = /^(.+?),\s*(\p{Lu}[\p{Lu}&]{1,5})$/u.exec(seg);
      if (isTitle && !info.title && acronym && TITLE_WORD.test(acronym[1]!) && !REGION_ACRONYM.test(acronym[2]!)) {
        info.title = field(acronym[1]!, 0.75, source);
        info.company ??= field(acronym[2]!, 0.6, source);
        continue;
      }
      if (isTitle && !info.title && seg.length <= 80 && !looksLikeName(seg)) {
        info.title = field(seg, 0.75, source);
        continue;
      }
      // a title right under the name, in the signature's own words ("Технолог", "управляющая")
      if (
        !info.title &&
        segIndex === 0 &&
        nameLine >= 0 &&
        i === nextContent(sig, nameLine) &&
        !/\d/.test(seg) &&
        seg.split(/\s+/).length <= 6 &&
        (/^\p{Ll}/u.test(seg) || /\p{Script=Cyrillic}/u.test(seg) || companyLine(sig[nextContent(sig, i)])) &&
        !looksLikeName(seg)
      ) {
        info.title = field(seg, 0.65, source);
        continue;
      }
      if (!info.company && ORG_WORD.test(seg) && seg.length <= 80) {
        info.company = field(cleanCompany(seg), 0.65, source);
        continue;
      }
    }
  }
  if (nameLine < 0) nameLine = sig.findIndex((l, i) => i < 4 && looksLikeName(segments(l)[0] ?? ''));
  if (!info.company && nameLine >= 0) {
    // Name / Title / Company: the first plain capitalised line under the name
    for (let i = nameLine + 1; i < Math.min(sig.length, nameLine + 4); i++) {
      const line = segments(sig[i]!)[0] ?? '';
      if (!line || line === info.title?.value) continue;
      if (hasContactSignal(line) || /\d/.test(line) || TITLE_WORD.test(line) || ADDRESS_WORD.test(line) || line.length > 60) {
        if (hasContactSignal(line)) break;
        continue;
      }
      const ws = line.split(/\s+/);
      if (ws.filter((w) => /^[\p{Lu}&]/u.test(w)).length >= Math.ceil(ws.length * 0.6) && !matchesSender(line, p.name, p.email)) {
        info.company = field(cleanCompany(line), 0.5, source);
        break;
      }
    }
  }
  if (!info.city) {
    for (const a of info.address) {
      const c = cityFromAddress(a);
      if (c) {
        info.city = c;
        break;
      }
    }
  }

  for (const m of sigText.matchAll(EMAIL_G)) {
    const e = normalizeEmail(m[0].replace(/^mailto:/i, ''));
    if (e && !info.emails.includes(e)) info.emails.push(e);
  }
  const all = [...sig, ...footer].join('\n');
  for (const m of all.matchAll(URL_G)) {
    const d = normalizeDomain(m[0]);
    if (!d || SOCIAL.test(d) || isFreeMail(d) || /@/.test(all.slice(Math.max(0, m.index - 1), m.index))) continue;
    info.website = d;
    break;
  }
  info.phones = findPhones(sigText, countries);
  info.eik = findCompanyId(all);
  info.vat = findVat(all);
  return info;
}

/** A line that names a company by its legal form ("Acme Ltd", "ООО «Ромашка»"). */
function companyLine(line: string | undefined): boolean {
  return line !== undefined && LEGAL_FORM.test(line) && !hasContactSignal(line) && !/\d/.test(line);
}

function nextContent(lines: readonly string[], i: number): number {
  let k = i + 1;
  while (k < lines.length && !lines[k]!.trim()) k++;
  return k;
}

/** Signs that a sentence is about somebody else: a colleague, a driver, a stand-in, their address. */
const OTHER_PERSON =
  /(?:колег|колежк|шофьор|шофьора|водител|прораб|майстор|монтажник|техник|заместни|замества|асистент|секретар|управител(?:я|ят) на обекта|driver|colleague|site manager|foreman|assistant|secretary|deputy|his |her |him |негов|нейн|него |неё |нея |его |её |ее |обращайтесь к|свържете се с|contact my|обратитесь к)/iu;
/** A sentence in which the author gives her own contact. */
const OWN_CONTACT =
  /(?:мо(?:й|ят|я|е)\s+(?:телефон|номер|мобилен|мобильный|gsm|тел)|моят номер|my (?:phone|number|mobile|cell|direct line)|reach me|call me|text me|обадете ми се|звъннете ми|ми се обади|ме търсите|ме намерите|позвоните мне|звоните мне|наберите меня|мне можно|свяжитесь со мной|со мной можно|contact me|i can be reached|можете да ме|можете ми|мой телефон|перезвоните|позвоните|звоните|обадете се|звъннете|call (?:me |us )?(?:on|at)|ring me)/iu;
const PHONE_WORD = /(?:tel|phone|mob|cell|gsm|fax|whatsapp|viber|тел|моб|факс|номер|number|ватсап|вайбър|(?:^|\s)[tfmpdoтмф]\s*[.:])/iu;
/** First person in a sentence: statements about the author's own company or city. */
const FIRST_PERSON =
  /(?:^|[\s,(–—-])(?:мы|я|нас|наша|наш|нашей|нашего|наше|ние|аз|сме|съм|нашата|нашият|нашия|нашите|ни|we|we're|i|i'm|our)(?=$|[\s,.!?:;)–—-])/iu;

function sentencesOf(text: string): string[] {
  return text.split(/(?<=[.!?])\s+(?=\p{Lu})|\n+/u).filter((s) => s.trim());
}

/** Phones the author gives as her own in free text, never one beside another person. */
function ownPhones(text: string, p: Person, countries: CountryCode[]): PhoneMatch[] {
  const out: PhoneMatch[] = [];
  for (const s of sentencesOf(text)) {
    // a label or a first-person phrase first: most sentences with digits are dates, sums, order numbers
    if (!/\d{3}/.test(s) || !(PHONE_WORD.test(s) || OWN_CONTACT.test(s))) continue;
    const matches = findPhones(s, countries);
    if (matches.length === 0) continue;
    if (OTHER_PERSON.test(s) || mentionsOther(s, p)) continue;
    for (const m of matches) if (m.labelled || OWN_CONTACT.test(s)) out.push(m);
  }
  return out;
}

/** True when a sentence names someone else: another address, a patronymic, another person's name. */
function mentionsOther(s: string, p: Person): boolean {
  for (const m of s.matchAll(EMAIL_G)) if (normalizeEmail(m[0]) !== p.email) return true;
  return s.split(/[\s,.:;()–—-]+/).some((w) => isPatronymic(w));
}

const CYR_NAME = '\\p{Lu}[\\p{Ll}]+(?:-\\p{Lu}?[\\p{Ll}]+)*';
const CITY_AT = `(?:г\\.\\s*|гр\\.\\s*)?(${CYR_NAME}(?:\\s+${CYR_NAME})?)`;
/** Who the author is, then where from: "мы ... из Казани", "мастерская из Твери". */
const SELF_RU =
  '(?:мы|я|компания|организация|фирма|мастерская|предприятие|завод|производитель|дилер|дистрибьютор|магазин|студия|агентство|бюро|ателье|цех|хозяйство)';
const SELF_BG =
  '(?:сме|съм|фирма|компания|дружество|производител|търговец|дистрибутор|магазин|хотел|ресторант|ферма|агенция|студио|ателие|цех|кантора)';
const RU_FROM = new RegExp(`(?:^|[\\s,(–—])${SELF_RU}(?:\\s+\\S+){0,4}?\\s+из\\s+${CITY_AT}`, 'giu');
const RU_IN = new RegExp(`(?:находимся|базируемся|расположены|наш офис|наш склад и офис)\\s+в\\s+${CITY_AT}`, 'giu');
const BG_FROM = new RegExp(`(?:^|[\\s,(–—])${SELF_BG}(?:\\s+\\S+){0,4}?\\s+от\\s+${CITY_AT}`, 'giu');
const BG_IN = new RegExp(
  `(?:базирани|базирана|намираме се|намира се|със седалище|седалището ни е|офисът ни е|офисите ни са)\\s+в(?:ъв)?\\s+${CITY_AT}`,
  'giu',
);
const EN_FROM =
  /(?:\b(?:[Ww]e are|[Ww]e['’]re|I am|I['’]m)(?:\s+\S+){0,5}?\s+(?:from|based in|located in)|\b(?:based|located|headquartered)\s+in)\s+([A-Z][a-z]+(?:[\s-][A-Z][a-z]+)?)/g;
/** Goods on the move: a city in such a sentence is where they go or come from, not the author's. */
const SHIPPING = /(?:отгру|достав|везе|вози|отправ|самовывоз|превоз|пратк|ship|deliver|courier|dispatch)/iu;

/** The sentence around a position: from the previous sentence end (or line break) to the next. */
function sentenceAt(text: string, at: number): string {
  let a = at;
  while (a > 0 && !/[.!?\n]/.test(text[a - 1]!)) a--;
  let b = at;
  while (b < text.length && !/[.!?\n]/.test(text[b]!)) b++;
  return text.slice(a, b + 1);
}

/** A city the author states as her own: "мы из Казани", "ние сме фирма от Русе", "we are based in Leeds". */
function statementCity(text: string): string | null {
  const own = (at: number): boolean => {
    const s = sentenceAt(text, at);
    return (FIRST_PERSON.test(s) || /(?:мастерская|организация|фирма|компания|based|located)/iu.test(s)) && !SHIPPING.test(s);
  };
  for (const re of [RU_FROM, RU_IN]) {
    for (const m of text.matchAll(re)) {
      const two = m[1]!;
      const c = nominativeCity(two) ?? (two.includes(' ') ? nominativeCity(two.split(/\s+/)[0]!) : null);
      if (c && own(m.index + m[0].length - 1)) return c;
    }
  }
  for (const re of [BG_FROM, BG_IN]) {
    for (const m of text.matchAll(re)) {
      const two = m[1]!;
      const one = two.split(/\s+/)[0]!;
      const c = isKnownCity(two) ? two : isKnownCity(one) ? one : null;
      if (c && own(m.index + m[0].length - 1)) return c;
    }
  }
  for (const m of text.matchAll(EN_FROM)) {
    const name = m[1]!;
    const one = name.split(/[\s-]/)[0]!;
    const c = isKnownCity(name) ? name : isKnownCity(one) ? one : null;
    if (c && own(m.index + m[0].length - 1)) return c;
  }
  return null;
}

const NAME_STATEMENT =
  /(?:казвам се|моето име е|името ми е|меня зовут|моё имя|мое имя|my name is|this is)\s+(\p{Lu}\p{Ll}+(?:\s+\p{Lu}\p{Ll}+){1,2})/u;

/** What the author says about herself in the body: her name, and (read when asked) her phone and city. */
function readStatements(
  p: Person,
  countries: CountryCode[],
): { name: string | null; phones: () => PhoneMatch[]; city: () => string | null } {
  // what a person says about herself sits in the first lines; a pasted log or a long quote is not read
  const text = p.body.join('\n').slice(0, 16 * 1024);
  const named = NAME_STATEMENT.exec(text)?.[1] ?? null;
  const name = named && (matchesSender(named, p.name, p.email) || !(p.name && isPersonName(p.name))) ? named : null;
  return { name, phones: () => ownPhones(text, p, countries), city: () => statementCity(text) };
}

/** The sender's own earlier message quoted in the thread, read like a signature. */
function earlierSignature(p: Person, countries: CountryCode[]): SigInfo | null {
  if (!p.quoted || !p.email) return null;
  let text = p.quoted.slice(0, 32 * 1024);
  // their message is found by their address in its header: without it there is nothing to read
  if (!text.toLowerCase().includes(p.email)) return null;
  for (let depth = 0; depth < 6 && text.trim(); depth++) {
    const lines = text.split('\n');
    const header = parseQuotedHeader(lines);
    const quotedLines = lines.slice(header.bodyStart);
    const unquoted = quotedLines.every((l) => !l.trim() || QUOTE_PREFIX.test(l))
      ? quotedLines.map((l) => l.replace(QUOTE_PREFIX, ''))
      : quotedLines;
    const msg = splitReply(unquoted.join('\n'));
    const who = toAddress(header.from ?? null);
    if (who && normalizeEmail(who.address) === p.email) {
      const theirs = cut(msg.author, { name: p.name, email: p.email });
      if (theirs.sig.length) return readSignature(theirs.sig, theirs.footer, p, countries, 'history');
    }
    if (!msg.quoted || msg.quoted === text) break;
    text = msg.quoted;
  }
  return null;
}

const INITIAL = /^\p{Lu}\.?$/u;

/** Words of a name compared by key, an initial ("В.") matching any word with that letter. */
function sameWord(a: string, b: string): boolean {
  const ka = nameKey(a);
  const kb = nameKey(b);
  if (!ka || !kb) return false;
  if (INITIAL.test(a)) return kb.startsWith(ka);
  if (INITIAL.test(b)) return ka.startsWith(kb);
  return ka === kb || (ka.length >= 4 && kb.length >= 4 && ka.slice(0, 4) === kb.slice(0, 4));
}

/** True when `b` names the same person as `a` and says more: more words, or a word where `a` has an initial. */
function moreComplete(a: string, b: string): boolean {
  const wa = nameWords(a);
  const wb = nameWords(b);
  if (!wa.every((x) => wb.some((y) => sameWord(x, y)))) return false;
  const full = (ws: string[]) => ws.filter((w) => !/^(?:\p{Lu}\.?){1,3}$/u.test(w)).length;
  return full(wb) > full(wa);
}

function readLead(p: Person): LeadDraft {
  const lead = emptyLead();
  const countries = phoneCountries(emailDomain(p.email));
  if (p.email) {
    lead.email = field(p.email, 0.95, p.headerSource);
    lead.emails.push(lead.email);
  }
  const sig = readSignature(p.sig, p.footer, p, countries, 'signature');
  const said = readStatements(p, countries);
  const thin = !sig.company && sig.phones.length === 0 && !sig.title;
  const hist = thin ? earlierSignature(p, countries) : null;

  // name: the signature's, unless another source names the same person more completely
  type Cand = { name: string; conf: number; source: FieldSource };
  const cands: Cand[] = [
    ...sig.names.map((n) => ({ name: n, conf: 0.9, source: sig.source })),
    ...(said.name ? [{ name: said.name, conf: 0.75, source: 'body' as FieldSource }] : []),
    ...(hist?.names ?? []).map((n) => ({ name: n, conf: 0.7, source: 'history' as FieldSource })),
    ...(p.name ? [{ name: p.name, conf: 0.85, source: p.headerSource }] : []),
  ];
  let best: Cand | null = cands.find((c) => nameWords(c.name).length >= 2) ?? cands[0] ?? null;
  if (best) for (const c of cands) if (c !== best && moreComplete(best.name, c.name)) best = c;
  if (best) setName(lead, best.name, best.conf, best.source);
  else {
    const guess = nameFromEmail(p.email);
    if (guess) setName(lead, guess, 0.4, p.headerSource);
  }

  for (const [list, source] of [
    [sig.emails, sig.source],
    [hist?.emails ?? [], 'history'],
  ] as const) {
    for (const e of list) if (!lead.emails.some((x) => x.value === e)) lead.emails.push(field(e, 0.8, source));
  }
  if (!lead.email && lead.emails[0]) lead.email = lead.emails[0];

  // phones: the signature's; else the ones the author gives as hers; else her earlier signature's
  const phoneSets: [() => PhoneMatch[], number, FieldSource][] = [
    [() => sig.phones, 0.9, sig.source],
    [said.phones, 0.6, 'body'],
    [() => hist?.phones ?? [], 0.7, 'history'],
  ];
  let chosen: [PhoneMatch[], number, FieldSource] | undefined;
  for (const [get, conf, source] of phoneSets) {
    const m = get();
    if (m.length) {
      chosen = [m, conf, source];
      break;
    }
  }
  if (chosen) {
    const [matches, conf, source] = chosen;
    for (const m of matches) {
      const f: PhoneField = toPhoneField(m, conf, source);
      if (m.alsoFax) {
        lead.phones.push(f);
        lead.fax.push(toPhoneField(m, conf, source));
      } else (m.fax ? lead.fax : lead.phones).push(f);
    }
  }

  lead.company = sig.company ?? hist?.company ?? null;
  lead.title = sig.title ?? hist?.title ?? null;
  const address = sig.address.length ? sig.address : (hist?.address ?? []);
  if (address.length) lead.address = field(address.join(', '), 0.75, sig.address.length ? sig.source : 'history');
  const stated = sig.city ? null : said.city();
  if (sig.city) lead.city = field(sig.city, 0.8, sig.source);
  else if (stated) lead.city = field(stated, 0.6, 'body');
  else if (hist?.city) lead.city = field(hist.city, 0.65, 'history');
  const website = sig.website ?? hist?.website ?? null;
  if (website) lead.website = field(website, 0.85, sig.website ? sig.source : 'history');
  const eik = sig.eik ?? hist?.eik ?? null;
  if (eik) lead.eik = field(eik, 0.95, sig.eik ? sig.source : 'history');
  const vat = sig.vat ?? hist?.vat ?? null;
  if (vat) lead.vat = field(vat, 0.9, sig.vat ? sig.source : 'history');
  return lead;
}

function setName(lead: LeadDraft, full: string, confidence: number, source: FieldSource): void {
  const parts = splitPersonName(full);
  if (!parts.fullName) return;
  lead.fullName = field(parts.fullName, confidence, source);
  lead.firstName = parts.firstName ? field(parts.firstName, confidence, source) : null;
  lead.middleName = parts.middleName ? field(parts.middleName, confidence * 0.9, source) : null;
  lead.lastName = parts.lastName ? field(parts.lastName, confidence, source) : null;
}

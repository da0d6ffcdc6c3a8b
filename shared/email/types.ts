/** A mailbox as the headers name it. */
export interface MailAddress {
  name: string | null;
  address: string;
}

/**
 * What the engine reads: the headers it needs and a text and/or HTML body. The Outlook pane
 * builds it from Office.js, the Worker and the CLI from a raw .eml through `parseEml`.
 */
export interface EmailInput {
  from?: MailAddress | string | null;
  to?: (MailAddress | string)[] | null;
  cc?: (MailAddress | string)[] | null;
  date?: string | null;
  subject?: string | null;
  messageId?: string | null;
  text?: string | null;
  html?: string | null;
}

/**
 * Where a value came from; it explains the confidence. The sources rank signature, then a
 * statement in the body, then the From header; 'history' is the sender's own earlier message
 * quoted in the thread; 'domain' is a guess from the mail domain, offered only as a suggestion.
 */
export type FieldSource = 'form' | 'signature' | 'header' | 'body' | 'forwarded' | 'history' | 'domain';

/** One extracted value with its confidence (0..1) and origin. */
export interface Field<T> {
  value: T;
  confidence: number;
  source: FieldSource;
}

export interface PhoneField extends Field<string> {
  /** 'mobile' | 'landline' | null (unknown), from the numbering plan */
  kind: 'mobile' | 'landline' | null;
  /** extension ("доб.", "вътр.", "ext.", "x"), digits only */
  ext: string | null;
  /** the text as written */
  raw: string;
}

/** The lead draft: every field null (or empty) when absent. */
export interface LeadDraft {
  fullName: Field<string> | null;
  firstName: Field<string> | null;
  middleName: Field<string> | null;
  lastName: Field<string> | null;
  email: Field<string> | null;
  /** every address that belongs to the lead: the sender's first, then the signature's */
  emails: Field<string>[];
  company: Field<string> | null;
  title: Field<string> | null;
  phones: PhoneField[];
  fax: PhoneField[];
  website: Field<string> | null;
  address: Field<string> | null;
  city: Field<string> | null;
  eik: Field<string> | null;
  vat: Field<string> | null;
}

/** How the lead was found: a reply, a forwarded message or a web-form notification. */
export type LeadKind = 'direct' | 'forwarded' | 'webform';

/** Guesses that are not values: shown apart, marked as guesses, never saved unless the user takes them. */
export interface Suggestions {
  /** the company guessed from a business mail domain ("acme-trade.bg" -> "Acme-trade") */
  company?: Field<string>;
}

export interface Extraction {
  lead: LeadDraft;
  kind: LeadKind;
  /**
   * What the author wrote in the newest message, without quoted, forwarded or earlier history and
   * without the signature block; an interleaved reply's own paragraphs joined by a blank line; a
   * web-form notification's whole dump; for a form forwarded by a colleague, the colleague's note.
   */
  newMessage: string;
  /**
   * The newest message's signature block, from the closing ("Best regards,") or the first name or
   * contact line, through device lines and disclaimers; without the "-- " line; null when unsigned.
   * For a form forwarded by a colleague it is the colleague's (never a source for the lead).
   */
  signature: string | null;
  /** the newest message as sent, signature included (device lines and disclaimers removed) */
  topMessage: string;
  suggestions: Suggestions;
}

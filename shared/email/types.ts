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

/** Where a value came from; it explains the confidence. */
export type FieldSource = 'form' | 'signature' | 'header' | 'body' | 'forwarded' | 'domain';

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

export interface Extraction {
  lead: LeadDraft;
  kind: LeadKind;
  /** the newest message: quoted history, device lines ("Sent from my iPhone") and disclaimers removed; its signature stays */
  newMessage: string;
  /** the signature block of the lead's message (closing line included), or null */
  signature: string | null;
}

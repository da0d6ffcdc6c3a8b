/**
 * Email-to-lead extraction, shared by the Outlook pane and the Worker.
 *
 * @example
 * import { parseEml, extractLead } from '../email';
 * const x = extractLead(await parseEml(raw));
 * x.lead.fullName?.value; x.lead.phones.map((p) => p.value); x.newMessage; x.signature;
 */
export { extractLead, cleanCompany } from './extract';
export { parseEml } from './eml';
export { htmlToText, decodeEntities } from './html';
export { splitReply, parseQuotedHeader, isDeviceLine } from './split';
export type { SplitResult, QuotedHeader } from './split';
export { findSignature, findSignatureStart } from './signature';
export type { SignatureSpan } from './signature';
export { findCompanyId, findVat, isValidInn, isValidGbVat } from './ids';
export { findPhones, phoneCountries } from './phones';
export type { PhoneMatch } from './phones';
export { displayName, nameFromEmail, looksLikeName } from './names';
export { toLeadJson } from './json';
export { parseTextMessage } from './text';
export type { LeadJson } from './json';
export type { EmailInput, Extraction, Field, FieldSource, LeadDraft, LeadKind, MailAddress, PhoneField, Suggestions } from './types';

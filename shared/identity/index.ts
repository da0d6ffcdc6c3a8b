export { transliterate, nameKey, companyKey } from './name-key';
export { normalizeEmail, emailDomain, isFreeMail, normalizeDomain, FREE_MAIL_DOMAINS } from './email';
export { toE164, phoneKind } from './phone';
export { isValidEik, isValidEgn, isValidInn, normalizeCompanyId, normalizeEik, normalizeVat } from './eik';

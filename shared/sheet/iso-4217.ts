/**
 * ISO 4217: the codes Leadpane stores and how many minor units each has. Apart from the currency
 * names, so the API schemas can check a code without carrying the names.
 */

/** Current ISO 4217 codes (SIX list, 2025), funds and precious metals included, test codes not. */
const ACTIVE =
  'AED AFN ALL AMD AOA ARS AUD AWG AZN BAM BBD BDT BHD BIF BMD BND BOB BOV BRL BSD BTN BWP BYN BZD CAD CDF CHE CHF CHW CLF CLP CNY COP COU ' +
  'CRC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS GIP GMD GNF GTQ GYD HKD HNL HTG HUF IDR ILS INR IQD IRR ISK JMD JOD ' +
  'JPY KES KGS KHR KMF KPW KRW KWD KYD KZT LAK LBP LKR LRD LSL LYD MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MXV MYR MZN NAD NGN NIO ' +
  'NOK NPR NZD OMR PAB PEN PGK PHP PKR PLN PYG QAR RON RSD RUB RWF SAR SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP STN SVC SYP SZL THB TJS TMT ' +
  'TND TOP TRY TTD TWD TZS UAH UGX USD USN UYI UYU UYW UZS VED VES VND VUV WST XAF XAG XAU XBA XBB XBC XBD XCD XCG XDR XOF XPD XPF XPT XSU ' +
  'XUA YER ZAR ZMW ZWG';
/** Withdrawn codes that old sheets still carry (the lev until the euro, the kuna, the guilder...). */
const WITHDRAWN = 'ANG BGN BYR CUC CYP EEK HRK LTL LVL MRO MTL RUR SIT SKK SLL STD VEF ZWL';

/** Every ISO 4217 code Leadpane accepts, sorted. */
export const ISO_4217_CODES: readonly string[] = [...ACTIVE.split(' '), ...WITHDRAWN.split(' ')].sort();
const CODES = new Set(ISO_4217_CODES);

// ISO 4217 minor units where they are not 2 (precious metals and units of account have none).
const MINOR_DIGITS: Record<string, number> = {
  ...Object.fromEntries('BIF BYR CLP DJF GNF ISK JPY KMF KRW PYG RWF UGX UYI VND VUV XAF XOF XPF'.split(' ').map((c) => [c, 0])),
  ...Object.fromEntries('XAG XAU XBA XBB XBC XBD XDR XPD XPT XSU XUA'.split(' ').map((c) => [c, 0])),
  ...Object.fromEntries('BHD IQD JOD KWD LYD OMR TND'.split(' ').map((c) => [c, 3])),
  CLF: 4,
  UYW: 4,
};

/**
 * Whether a text is an ISO 4217 code Leadpane accepts (upper case, as stored).
 * @example isCurrencyCode('KZT') // true
 */
export function isCurrencyCode(code: unknown): code is string {
  return typeof code === 'string' && CODES.has(code);
}

/**
 * How many minor units a currency has (2 for most, 0 for the yen, 3 for the Kuwaiti dinar).
 * @example minorDigits('JPY') // 0
 */
export function minorDigits(code: string): number {
  return MINOR_DIGITS[code] ?? 2;
}

import { isSupportedCountry, parsePhoneNumberFromString } from "libphonenumber-js/max";
import { DomainError } from "../errors.ts";

export interface NormalisedPhone {
  /** E.164, e.g. +862161234567: the stored identity value and what caller ID presents. */
  e164: string;
  /** The number as dialled at home, digits only (02161234567, 13800138000), for search. */
  nationalDigits: string;
  /** What the person typed, trimmed: shown back to agents. */
  display: string;
}

// Chinese address books write an extension as 转 or 分机; the parser knows "ext".
const EXTENSION_WORDS = /\s*(?:转|分机|轉)\s*/u;
// a tel: link (RFC 3966) as click-to-call pages and some trunks present a number
const TEL_URI = /^tel:/iu;

/**
 * Normalises a phone number as people type it and as trunks present it: national forms with
 * area codes (021-6123 4567, (021)61234567), mobiles, 400/800 numbers, +86 and 0086 prefixes,
 * and the country code without a plus (8613800138000). Numbers without a country are read in
 * the tenant's default country. An extension is not part of the line's identity: it is kept in
 * the display form only. The whole text must be the number: letters or other words around it
 * (13800138000abc) are INVALID_PHONE, as is anything that is not a valid number.
 */
export function normalisePhone(raw: string, defaultCountry: string): NormalisedPhone {
  const display = raw.trim();
  const country = isSupportedCountry(defaultCountry) ? defaultCountry : undefined;
  const parsed = parsePhoneNumberFromString(display.replace(TEL_URI, "").replace(EXTENSION_WORDS, " ext "), { defaultCountry: country, extract: false });
  if (!parsed || !parsed.isValid()) {
    throw new DomainError("INVALID_PHONE", `"${display.slice(0, 64)}" is not a valid phone number`);
  }
  return {
    e164: parsed.number,
    nationalDigits: parsed.formatNational().replace(/\s*ext\..*$/u, "").replace(/\D/g, ""),
    display,
  };
}

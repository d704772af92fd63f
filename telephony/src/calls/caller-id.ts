import { getHeader, getHeaders, parseNameAddr, SipParseError, unescapeUri, type SipRequest, type Uri } from "../sip/index.ts";

/** Who is calling, as the trunk presents it. */
export interface CallerId {
  /** The number (user part of a sip: URI, or a tel: number), unnormalised; null when withheld. */
  number: string | null;
  /** The display name the trunk sent, if any. */
  name: string | null;
}

const ANONYMOUS_USERS = new Set(["anonymous", "unknown", "unavailable", "restricted", "private", "withheld"]);

function numberOf(uri: Uri): string | null {
  let raw: string | undefined;
  if (uri.kind === "sip") {
    if (uri.host.toLowerCase() === "anonymous.invalid") return null;
    raw = uri.user === undefined ? undefined : unescapeUri(uri.user);
  } else if (uri.scheme === "tel") raw = uri.opaque.split(";")[0];
  if (!raw) return null;
  const user = raw.trim();
  if (!user || ANONYMOUS_USERS.has(user.toLowerCase())) return null;
  // a number: digits with an optional +, visual separators allowed (RFC 3966)
  return /^\+?[\d\-.()\s]{2,32}$/.test(user) ? user : null;
}

function parsed(value: string, header: string) {
  try {
    return parseNameAddr(value, header);
  } catch (err) {
    if (err instanceof SipParseError) return null;
    throw err;
  }
}

/**
 * The caller's number from P-Asserted-Identity (the trunk's word, RFC 3325), else From. A
 * `Privacy: id` request, an anonymous URI (RFC 3323: `anonymous@anonymous.invalid`), a user such
 * as "unknown" or "restricted", or a user part that is not a number: withheld (null).
 */
export function callerIdOf(request: SipRequest): CallerId {
  const privacy = (getHeader(request, "Privacy") ?? "").toLowerCase().split(/[;,\s]+/);
  const asserted = getHeaders(request, "P-Asserted-Identity")
    .flatMap((h) => h.split(/,(?=\s*(?:"|<|sips?:|tel:))/))
    .map((v) => parsed(v.trim(), "P-Asserted-Identity"))
    .filter((v) => v !== null);
  const source = asserted.find((a) => numberOf(a.uri) !== null) ?? request.from;
  const name = source.displayName?.trim() || null;
  if (privacy.includes("id") || privacy.includes("user")) return { number: null, name: null };
  return { number: numberOf(source.uri), name: name && !ANONYMOUS_USERS.has(name.toLowerCase()) ? name : null };
}

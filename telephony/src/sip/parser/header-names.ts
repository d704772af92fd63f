/** Header names: compact forms (RFC 3261 §7.3.3 and later RFCs) and the canonical spelling we write. */

const CANONICAL = [
  "Accept", "Accept-Encoding", "Accept-Language", "Alert-Info", "Allow", "Allow-Events", "Authentication-Info",
  "Authorization", "Call-ID", "Call-Info", "Contact", "Content-Disposition", "Content-Encoding",
  "Content-Language", "Content-Length", "Content-Type", "CSeq", "Date", "Error-Info", "Event", "Expires",
  "From", "In-Reply-To", "Max-Forwards", "Min-Expires", "MIME-Version", "Organization", "P-Asserted-Identity",
  "Path", "Priority", "Proxy-Authenticate", "Proxy-Authorization", "Proxy-Require", "Reason", "Record-Route",
  "Refer-To", "Referred-By", "Reply-To", "Require", "Retry-After", "Route", "RSeq", "RAck", "Server",
  "Service-Route", "Session-Expires", "Subject", "Subscription-State", "Supported", "Timestamp", "To",
  "Unsupported", "User-Agent", "Via", "Warning", "WWW-Authenticate",
];

const COMPACT: Record<string, string> = {
  i: "Call-ID", m: "Contact", e: "Content-Encoding", l: "Content-Length", c: "Content-Type", f: "From",
  s: "Subject", k: "Supported", t: "To", v: "Via", o: "Event", u: "Allow-Events", r: "Refer-To",
  b: "Referred-By", x: "Session-Expires", a: "Accept-Contact", j: "Reject-Contact", d: "Request-Disposition",
  y: "Identity", n: "Identity-Info",
};

const BY_LOWER = new Map<string, string>(CANONICAL.map((name) => [name.toLowerCase(), name]));
for (const [short, long] of Object.entries(COMPACT)) BY_LOWER.set(short, long);

/** The spelling we keep and write: compact forms expanded, known names in their usual case, others as received. */
export function canonicalName(name: string): string {
  return BY_LOWER.get(name.toLowerCase()) ?? name;
}

/** Headers whose comma-separated values are separate values (each its own entry once parsed). */
const LISTS = new Set(
  [
    "Accept", "Accept-Encoding", "Accept-Language", "Allow", "Allow-Events", "Contact", "Content-Encoding",
    "Content-Language", "In-Reply-To", "Path", "Proxy-Require", "Record-Route", "Require", "Route",
    "Service-Route", "Supported", "Unsupported", "Via", "P-Asserted-Identity",
  ].map((n) => n.toLowerCase()),
);

export function isListHeader(canonical: string): boolean {
  return LISTS.has(canonical.toLowerCase());
}

/** Headers that may appear once only. */
const SINGLE = new Set(["call-id", "cseq", "from", "to", "max-forwards", "content-type", "expires", "min-expires"]);

export function isSingleHeader(canonical: string): boolean {
  return SINGLE.has(canonical.toLowerCase());
}

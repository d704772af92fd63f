/** The headers every message must carry, checked and parsed once (RFC 3261 §8.1.1, §20). */
import type { CSeq, SipHeader } from "../message.ts";
import { fail } from "./errors.ts";
import { clip, isToken, parseParams, WORD } from "./grammar.ts";
import { isSingleHeader } from "./header-names.ts";
import { parseContact, parseNameAddr, type NameAddr } from "./name-addr.ts";
import type { StartLine } from "./start-line.ts";
import { parseVia, type Via } from "./via.ts";

export interface CoreHeaders {
  via: Via[];
  from: NameAddr;
  to: NameAddr;
  callId: string;
  cseq: CSeq;
}

const MAX_CSEQ = 2 ** 31 - 1;
const DATE = /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} GMT$/;
const MEDIA_TYPE = /^([A-Za-z0-9\-.!%*_+`'~]+)\s*\/\s*([A-Za-z0-9\-.!%*_+`'~]+)\s*(;.*)?$/s;

export function parseCSeq(value: string): CSeq {
  const m = /^(\d{1,10})\s+(\S+)$/.exec(value);
  if (!m) return fail("BAD_HEADER", `bad CSeq: ${clip(value)}`, "CSeq");
  const seq = Number(m[1]);
  const method = m[2] ?? "";
  if (seq > MAX_CSEQ) fail("BAD_HEADER", "CSeq number over 2^31-1", "CSeq");
  if (!isToken(method)) fail("BAD_HEADER", "bad CSeq method", "CSeq");
  return { seq, method };
}

export function parseCallId(value: string): string {
  const [local = "", host, ...more] = value.split("@");
  if (more.length > 0 || !WORD.test(local) || (host !== undefined && !WORD.test(host))) fail("BAD_HEADER", `bad Call-ID: ${clip(value)}`, "Call-ID");
  return value;
}

function checkDigits(value: string, name: string, max?: number): number {
  if (!/^\d+$/.test(value)) fail("BAD_HEADER", `${name} must be digits`, name);
  const n = value.length > 12 ? Number.POSITIVE_INFINITY : Number(value);
  if (max !== undefined && n > max) fail("BAD_HEADER", `${name} over ${max}`, name);
  return n;
}

/** Checks one header of a known kind; unknown headers are left as text. */
function checkHeader(h: SipHeader): void {
  switch (h.name) {
    case "Contact":
      parseContact(h.value);
      return;
    case "Route":
    case "Record-Route":
      parseNameAddr(h.value, h.name, { requireBrackets: true });
      return;
    case "Max-Forwards":
      checkDigits(h.value, h.name, 255);
      return;
    case "Expires":
    case "Min-Expires":
      checkDigits(h.value, h.name);
      return;
    case "Date":
      if (!DATE.test(h.value)) fail("BAD_HEADER", `Date must be an RFC 1123 date in GMT: ${clip(h.value)}`, h.name);
      return;
    case "Content-Type": {
      const m = MEDIA_TYPE.exec(h.value);
      if (!m) fail("BAD_HEADER", `bad Content-Type: ${clip(h.value)}`, h.name);
      parseParams(m[3] ?? "", h.name);
      return;
    }
    default:
      return;
  }
}

function only(headers: SipHeader[], name: string): string {
  const found = headers.filter((h) => h.name === name);
  if (found.length === 0) fail("MISSING_HEADER", `missing ${name}`, name);
  return found[0]?.value ?? "";
}

/**
 * Takes Via, From, To, Call-ID, CSeq and Content-Length out of `all` (parsed), checks the other known
 * headers, and answers the rest in order.
 */
export function extractCore(all: SipHeader[], startLine: StartLine): { core: CoreHeaders; headers: SipHeader[]; contentLength: number | undefined } {
  const counts = new Map<string, number>();
  for (const h of all) counts.set(h.name, (counts.get(h.name) ?? 0) + 1);
  for (const [name, count] of counts) if (count > 1 && isSingleHeader(name)) fail("DUPLICATE_HEADER", `${name} appears ${count} times`, name);

  const vias = all.filter((h) => h.name === "Via").map((h) => parseVia(h.value));
  if (vias.length === 0) fail("MISSING_HEADER", "missing Via", "Via");
  const cseq = parseCSeq(only(all, "CSeq"));
  if (startLine.kind === "request" && cseq.method !== startLine.method) fail("CSEQ_METHOD", `CSeq method ${clip(cseq.method)} is not the request's ${clip(startLine.method)}`, "CSeq");
  const core: CoreHeaders = {
    via: vias,
    from: parseNameAddr(only(all, "From"), "From"),
    to: parseNameAddr(only(all, "To"), "To"),
    callId: parseCallId(only(all, "Call-ID")),
    cseq,
  };

  const lengths = all.filter((h) => h.name === "Content-Length").map((h) => h.value);
  if (lengths.length > 1) fail("CONTENT_LENGTH", "more than one Content-Length");
  let contentLength: number | undefined;
  if (lengths[0] !== undefined) {
    if (!/^\d{1,10}$/.test(lengths[0])) fail("CONTENT_LENGTH", `bad Content-Length: ${clip(lengths[0])}`);
    contentLength = Number(lengths[0]);
  }

  const headers: SipHeader[] = [];
  for (const h of all) {
    if (h.name === "Via" || h.name === "From" || h.name === "To" || h.name === "Call-ID" || h.name === "CSeq" || h.name === "Content-Length") continue;
    checkHeader(h);
    headers.push(h);
  }
  return { core, headers, contentLength };
}

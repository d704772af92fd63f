/**
 * The answer to a request that could not be parsed (RFC 3261 §8.2, §16.3): built from the raw header lines
 * that could be read, so a broken message still gets its 400 (or 505, 513) on the flow it came from.
 */
import { randomBytes } from "node:crypto";
import type { SipParseError } from "./errors.ts";
import { canonicalName } from "./header-names.ts";
import { findHeadEnd, skipLeadingNewlines } from "./parse-message.ts";

const REQUEST_LINE = /^([A-Za-z0-9\-.!%*_+`'~]+) +\S/;
const REASONS: Record<number, string> = { 400: "Bad Request", 505: "Version Not Supported", 513: "Message Too Large" };
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\x00-\x1f\x7f]/g;

/** A response to send back, or undefined when none is due (a response, an ACK, or nothing readable). */
export function errorResponseFor(data: Buffer, error: SipParseError): Buffer | undefined {
  const start = skipLeadingNewlines(data);
  const end = findHeadEnd(data, start);
  const text = data.toString("utf8", start, end ? end.at : Math.min(data.length, start + 65_535));
  const head = parseHeadLoosely(text);
  const m = REQUEST_LINE.exec(head.startLine);
  if (!m || /^SIP\//i.test(head.startLine) || m[1] === "ACK") return undefined;
  const pick = (name: string) => head.headers.filter((h) => h.name === name).map((h) => h.value.replace(UNSAFE, ""));
  const vias = pick("Via");
  if (vias.length === 0) return undefined;
  const status = error.status;
  let out = `SIP/2.0 ${status} ${REASONS[status] ?? "Bad Request"}\r\n`;
  for (const via of vias) out += `Via: ${via}\r\n`;
  for (const name of ["From", "Call-ID", "CSeq"]) for (const value of pick(name).slice(0, 1)) out += `${name}: ${value}\r\n`;
  for (const to of pick("To").slice(0, 1)) out += `To: ${/;\s*tag\s*=/i.test(to) ? to : `${to};tag=${randomBytes(6).toString("hex")}`}\r\n`;
  out += `Warning: 399 yixian "${error.message.replace(UNSAFE, "").replace(/["\\]/g, "'").slice(0, 120)}"\r\n`;
  out += "Content-Length: 0\r\n\r\n";
  return Buffer.from(out, "utf8");
}

/** Line by line, unfolded, nothing checked: enough to copy Via, From, To, Call-ID and CSeq back. */
function parseHeadLoosely(text: string): { startLine: string; headers: { name: string; value: string }[] } {
  const lines = text.split(/\r?\n/);
  const headers: { name: string; value: string }[] = [];
  for (const line of lines.slice(1)) {
    const last = headers[headers.length - 1];
    if ((line.startsWith(" ") || line.startsWith("\t")) && last) {
      last.value += ` ${line.trim()}`;
      continue;
    }
    const colon = line.indexOf(":");
    if (colon > 0) headers.push({ name: canonicalName(line.slice(0, colon).trim()), value: line.slice(colon + 1).trim() });
  }
  return { startLine: lines[0] ?? "", headers };
}

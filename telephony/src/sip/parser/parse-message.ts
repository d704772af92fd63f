/** Bytes → SipMessage (RFC 3261 §7). Throws SipParseError, and nothing else, on anything it refuses. */
import type { SipHeader, SipMessage } from "../message.ts";
import { fail, SipParseError } from "./errors.ts";
import { clip, isToken, splitTopLevel } from "./grammar.ts";
import { canonicalName, isListHeader } from "./header-names.ts";
import { extractCore } from "./core-headers.ts";
import { parseStartLine } from "./start-line.ts";

export interface ParseOptions {
  /** UDP and WebSocket: one message per packet, Content-Length optional. Streams (TCP) need it. */
  datagram: boolean;
  /** Refuse anything larger (default 65,535 bytes). */
  maxBytes?: number;
}

export const DEFAULT_MAX_BYTES = 65_535;

/** Where the header block ends: the index of the blank line and its length, or undefined if not there yet. */
export function findHeadEnd(data: Buffer, from = 0): { at: number; length: number } | undefined {
  const crlf = data.indexOf("\r\n\r\n", from);
  const lf = data.indexOf("\n\n", from);
  if (crlf < 0 && lf < 0) return undefined;
  if (lf >= 0 && (crlf < 0 || lf < crlf)) return { at: lf, length: 2 };
  return { at: crlf, length: 4 };
}

/** Leading CRLFs (keep-alives, RFC 3261 §7.5) before the start line. */
export function skipLeadingNewlines(data: Buffer, from = 0): number {
  let i = from;
  while (i < data.length && (data[i] === 0x0d || data[i] === 0x0a)) i++;
  return i;
}

export interface ParsedHead {
  startLine: string;
  headers: SipHeader[];
}

/** Splits and unfolds the header block; one entry per value for list headers. */
export function parseHead(text: string): ParsedHead {
  const lines = text.split(/\r?\n/);
  if (lines.length > 1 && lines[lines.length - 1] === "") lines.pop();
  const startLine = lines[0] ?? "";
  const unfolded: string[] = [];
  for (const line of lines.slice(1)) {
    if (line.startsWith(" ") || line.startsWith("\t")) {
      if (unfolded.length === 0) fail("HEADER_LINE", "continuation line before any header");
      unfolded[unfolded.length - 1] += line;
    } else {
      unfolded.push(line);
    }
  }
  const headers: SipHeader[] = [];
  for (const line of unfolded) {
    const colon = line.indexOf(":");
    if (colon < 0) fail("HEADER_LINE", `header line without a colon: ${clip(line)}`);
    const rawName = line.slice(0, colon).trimEnd();
    if (!isToken(rawName)) fail("HEADER_LINE", `bad header name: ${clip(rawName)}`);
    const name = canonicalName(rawName);
    const value = line.slice(colon + 1).trim();
    if (/[\r\n]/.test(value)) fail("HEADER_LINE", "bare CR or LF in a header value", name);
    if (isListHeader(name)) {
      for (const item of splitTopLevel(value, ",", name)) {
        if (item === "" && name === "Via") fail("BAD_HEADER", "empty Via value", name);
        if (item !== "") headers.push({ name, value: item });
      }
    } else {
      headers.push({ name, value });
    }
  }
  return { startLine, headers };
}

export function parseMessage(data: Buffer, options: ParseOptions): SipMessage {
  if (data.length > (options.maxBytes ?? DEFAULT_MAX_BYTES)) fail("TOO_LARGE", `message of ${data.length} bytes is over the limit`);
  const start = skipLeadingNewlines(data);
  if (start >= data.length) fail("EMPTY", "no message");
  // a datagram that ends right after its last header line is taken as having no body (RFC 4475 baddn)
  const end = findHeadEnd(data, start) ?? (options.datagram && data.subarray(-1)[0] === 0x0a ? { at: data.length, length: 0 } : undefined);
  if (!end) return fail("FRAMING", "no blank line after the headers");
  const head = parseHead(data.toString("utf8", start, end.at));
  const startLine = parseStartLine(head.startLine);
  const available = data.subarray(end.at + end.length);
  const { core, headers, contentLength } = extractCore(head.headers, startLine);
  let body = available;
  if (contentLength === undefined) {
    if (!options.datagram) fail("CONTENT_LENGTH", "Content-Length is required on a stream transport");
  } else if (contentLength > available.length) {
    fail("CONTENT_LENGTH", `Content-Length ${contentLength} is larger than the ${available.length} bytes received`);
  } else {
    // on a datagram, bytes past Content-Length are noise (RFC 3261 §18.3, RFC 4475 dblreq)
    body = available.subarray(0, contentLength);
  }
  const common = { ...core, headers, body: Buffer.from(body) };
  if (startLine.kind === "request") {
    return { kind: "request", method: startLine.method, uri: startLine.uri, ...common };
  }
  return { kind: "response", status: startLine.status, reason: startLine.reason, ...common };
}

/** Like parseMessage, but answers the error instead of throwing it. */
export function tryParseMessage(data: Buffer, options: ParseOptions): SipMessage | SipParseError {
  try {
    return parseMessage(data, options);
  } catch (error) {
    if (error instanceof SipParseError) return error;
    throw error;
  }
}

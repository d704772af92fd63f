/** SIP messages as the stack passes them around: the headers the transaction layer needs, parsed; the rest as text. */
import { canonicalName } from "./parser/header-names.ts";
import type { NameAddr } from "./parser/name-addr.ts";
import type { Uri } from "./parser/uri.ts";
import type { Via } from "./parser/via.ts";

export interface SipHeader {
  /** Canonical spelling (compact forms expanded). */
  name: string;
  value: string;
}

export interface CSeq {
  seq: number;
  method: string;
}

interface MessageCommon {
  /** Top first. */
  via: Via[];
  from: NameAddr;
  to: NameAddr;
  callId: string;
  cseq: CSeq;
  /** Every other header in order, one entry per value of a list header. Content-Length is derived from `body`. */
  headers: SipHeader[];
  body: Buffer;
}

export interface SipRequest extends MessageCommon {
  kind: "request";
  method: string;
  uri: Uri;
}

export interface SipResponse extends MessageCommon {
  kind: "response";
  status: number;
  reason: string;
}

export type SipMessage = SipRequest | SipResponse;

export function getHeader(msg: { headers: SipHeader[] }, name: string): string | undefined {
  const lower = canonicalName(name).toLowerCase();
  return msg.headers.find((h) => h.name.toLowerCase() === lower)?.value;
}

export function getHeaders(msg: { headers: SipHeader[] }, name: string): string[] {
  const lower = canonicalName(name).toLowerCase();
  return msg.headers.filter((h) => h.name.toLowerCase() === lower).map((h) => h.value);
}

/** Replaces every value of `name` with `values` (none removes it), keeping the first one's place. */
export function setHeader(msg: { headers: SipHeader[] }, name: string, ...values: string[]): void {
  const canonical = canonicalName(name);
  const lower = canonical.toLowerCase();
  const at = msg.headers.findIndex((h) => h.name.toLowerCase() === lower);
  const kept = msg.headers.filter((h) => h.name.toLowerCase() !== lower);
  const added = values.map((value) => ({ name: canonical, value }));
  kept.splice(at < 0 ? kept.length : at, 0, ...added);
  msg.headers = kept;
}

export function isRequest(msg: SipMessage): msg is SipRequest {
  return msg.kind === "request";
}

/** Building requests and responses the way RFC 3261 §8 and §17 say to. */
import { randomBytes } from "node:crypto";
import type { SipHeader, SipRequest, SipResponse } from "./message.ts";
import { getHeaders } from "./message.ts";
import type { NameAddr } from "./parser/name-addr.ts";
import type { Uri } from "./parser/uri.ts";
import { MAGIC_COOKIE, type Via } from "./parser/via.ts";

export const REASONS: Record<number, string> = {
  100: "Trying", 180: "Ringing", 181: "Call Is Being Forwarded", 182: "Queued", 183: "Session Progress",
  200: "OK", 202: "Accepted", 400: "Bad Request", 401: "Unauthorized", 403: "Forbidden", 404: "Not Found",
  405: "Method Not Allowed", 407: "Proxy Authentication Required", 408: "Request Timeout", 415: "Unsupported Media Type",
  420: "Bad Extension", 423: "Interval Too Brief", 480: "Temporarily Unavailable", 481: "Call/Transaction Does Not Exist",
  482: "Loop Detected", 483: "Too Many Hops", 486: "Busy Here", 487: "Request Terminated", 488: "Not Acceptable Here",
  491: "Request Pending", 500: "Server Internal Error", 501: "Not Implemented", 503: "Service Unavailable",
  504: "Server Time-out", 505: "Version Not Supported", 513: "Message Too Large", 603: "Decline",
};

const token = (bytes: number) => randomBytes(bytes).toString("hex");

export const newBranch = (): string => `${MAGIC_COOKIE}${token(8)}`;
export const newTag = (): string => token(5);
export const newCallId = (): string => token(12);

function cloneNameAddr(value: NameAddr): NameAddr {
  return { ...value, params: new Map(value.params) };
}

function cloneVia(via: Via): Via {
  return { ...via, params: new Map(via.params) };
}

export interface ResponseOptions {
  reason?: string;
  /** Our tag for To, added when the request's To has none (every response but 100, RFC 3261 §8.2.6.2). */
  toTag?: string;
  headers?: SipHeader[];
  body?: Buffer;
}

export function createResponse(request: SipRequest, status: number, options: ResponseOptions = {}): SipResponse {
  const to = cloneNameAddr(request.to);
  if (options.toTag && status !== 100 && !to.params.has("tag")) to.params.set("tag", options.toTag);
  const headers: SipHeader[] = [];
  if (status === 100) for (const value of getHeaders(request, "Timestamp")) headers.push({ name: "Timestamp", value });
  return {
    kind: "response",
    status,
    reason: options.reason ?? REASONS[status] ?? "Unknown",
    via: request.via.map(cloneVia),
    from: cloneNameAddr(request.from),
    to,
    callId: request.callId,
    cseq: { ...request.cseq },
    headers: [...headers, ...(options.headers ?? [])],
    body: options.body ?? Buffer.alloc(0),
  };
}

export interface RequestParts {
  method: string;
  uri: Uri;
  via: Via;
  from: NameAddr;
  to: NameAddr;
  callId: string;
  seq: number;
  headers?: SipHeader[];
  body?: Buffer;
  maxForwards?: number;
}

export function createRequest(parts: RequestParts): SipRequest {
  return {
    kind: "request",
    method: parts.method,
    uri: parts.uri,
    via: [parts.via],
    from: parts.from,
    to: parts.to,
    callId: parts.callId,
    cseq: { seq: parts.seq, method: parts.method },
    headers: [{ name: "Max-Forwards", value: String(parts.maxForwards ?? 70) }, ...(parts.headers ?? [])],
    body: parts.body ?? Buffer.alloc(0),
  };
}

/** A request that goes with an INVITE: its Request-URI, Call-ID, From, CSeq number, top Via and Routes (§9.1, §17.1.1.3). */
function alongside(invite: SipRequest, method: "ACK" | "CANCEL", to: NameAddr): SipRequest {
  return {
    kind: "request",
    method,
    uri: invite.uri,
    via: invite.via.slice(0, 1).map(cloneVia),
    from: cloneNameAddr(invite.from),
    to: cloneNameAddr(to),
    callId: invite.callId,
    cseq: { seq: invite.cseq.seq, method },
    headers: [{ name: "Max-Forwards", value: "70" }, ...invite.headers.filter((h) => h.name === "Route")],
    body: Buffer.alloc(0),
  };
}

/** The ACK a client INVITE transaction sends for a non-2xx final response (RFC 3261 §17.1.1.3): To from the response. */
export const ackForFailure = (invite: SipRequest, response: SipResponse): SipRequest => alongside(invite, "ACK", response.to);

/** CANCEL for a pending INVITE (RFC 3261 §9.1). */
export const cancelFor = (invite: SipRequest): SipRequest => alongside(invite, "CANCEL", invite.to);

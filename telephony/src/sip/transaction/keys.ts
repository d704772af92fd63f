/** Transaction matching (RFC 3261 §17.1.3, §17.2.3), with the RFC 2543 fallback for branches without the magic cookie. */
import type { SipRequest, SipResponse } from "../message.ts";
import { formatUri } from "../parser/uri.ts";
import { branchOf, MAGIC_COOKIE, sentByOf } from "../parser/via.ts";

/** ACK belongs to the INVITE's server transaction; CANCEL has its own. */
function matchMethod(method: string): string {
  return method === "ACK" ? "INVITE" : method;
}

/** The key of the server transaction a request belongs to; `method` overrides (a CANCEL looking for its INVITE). */
export function serverKey(request: SipRequest, method = matchMethod(request.method)): string {
  const top = request.via[0];
  const branch = top ? branchOf(top) : undefined;
  if (top && branch?.startsWith(MAGIC_COOKIE)) return `${branch}|${sentByOf(top)}|${method}`;
  // RFC 2543: Request-URI, From tag, Call-ID, CSeq number and top Via (the To tag differs on the ACK)
  const via = top ? `${sentByOf(top)};${branch ?? ""}` : "";
  return `2543|${formatUri(request.uri)}|${request.from.params.get("tag") ?? ""}|${request.callId}|${request.cseq.seq}|${via}|${method}`;
}

export function clientKey(message: SipRequest | SipResponse): string {
  const top = message.via[0];
  return `${(top && branchOf(top)) ?? ""}|${message.cseq.method}`;
}

/** REGISTER as a client (RFC 3261 §10.2), answering a digest challenge: outbound registration to a trunk, and tests. */
import { newBranch } from "../build.ts";
import { authorize } from "../auth/digest.ts";
import { getHeaders, type SipResponse } from "../message.ts";
import type { NameAddr } from "../parser/name-addr.ts";
import { formatUri, type Uri } from "../parser/uri.ts";
import type { Destination } from "../transport/types.ts";
import type { UserAgent } from "./user-agent.ts";

export interface RegisterOptions {
  /** The registrar's URI (Request-URI), e.g. `sip:example.com`. */
  registrar: Uri;
  /** The address-of-record (To and From). */
  aor: NameAddr;
  /** The Contact to bind; default ours. */
  contact?: NameAddr;
  /** Seconds; 0 removes the binding. */
  expires: number;
  credentials?: { username: string; password: string };
  destination?: Destination;
  /** Keep the same Call-ID across refreshes (RFC 3261 §10.2.4). */
  callId?: string;
  seq?: number;
}

/** Sends REGISTER, answers up to two challenges (the second only when stale), resolves with the final response. */
export async function register(ua: UserAgent, options: RegisterOptions): Promise<SipResponse> {
  const { request, destination } = await ua.newRequest("REGISTER", {
    uri: options.registrar,
    from: options.aor,
    to: { ...options.aor, params: new Map() },
    contact: options.contact ? { ...options.contact, params: new Map([["expires", String(options.expires)]]) } : undefined,
    callId: options.callId,
    seq: options.seq,
    headers: [{ name: "Expires", value: String(options.expires) }],
    destination: options.destination,
  });
  let response = await ua.resend(request, destination);
  for (let attempt = 0; attempt < 2 && (response.status === 401 || response.status === 407) && options.credentials; attempt++) {
    const stale = attempt > 0;
    const challenges = getHeaders(response, response.status === 401 ? "WWW-Authenticate" : "Proxy-Authenticate");
    if (stale && !challenges.some((c) => /stale\s*=\s*"?true/i.test(c))) break;
    // the strongest algorithm offered that we speak: challenges come strongest first
    const answer = challenges.map((c) => authorize(c, { ...options.credentials!, method: "REGISTER", uri: formatUri(options.registrar) })).find((a) => a !== undefined);
    if (!answer) break;
    const name = response.status === 401 ? "Authorization" : "Proxy-Authorization";
    request.headers = [...request.headers.filter((h) => h.name !== name), { name, value: answer }];
    request.cseq = { ...request.cseq, seq: request.cseq.seq + 1 };
    request.via = [{ ...request.via[0]!, params: new Map([["branch", newBranch()], ["rport", null]]) }];
    response = await ua.resend(request, destination);
  }
  return response;
}

import { findInboundNumber, inboundTrunk, type Deps, type InboundNumber, type InboundTrunk } from "@yixian/server/domain";
import { unescapeUri, type SipHeader, type SipRequest } from "../sip/index.ts";
import type { TrunkDigest } from "../trunks/index.ts";
import { addressAllowed } from "./cidr.ts";

export type Admission =
  | { ok: true; number: InboundNumber; trunk: InboundTrunk }
  | { ok: false; status: 403; reason: string }
  /** A digest challenge: the caller is asked, nothing is refused yet. */
  | { ok: false; status: 407; headers: SipHeader[]; reason: string };

function numberIn(uri: SipRequest["uri"]): string | null {
  if (uri.kind === "sip") return uri.user === undefined ? null : unescapeUri(uri.user).split(";")[0] ?? null;
  if (uri.scheme === "tel") return uri.opaque.split(";")[0] ?? null;
  return null;
}

/** The number dialled: the Request-URI's user part (sip:), or a tel: URI's number. */
export function dialledNumber(request: SipRequest): string | null {
  return numberIn(request.uri);
}

const DIGITS = /^\+?\d+$/;

/**
 * The number a trunk's call is for: the Request-URI's, unless that holds no number — a provider we
 * register at sends calls to the Contact we registered (`sip:yixian@…`) and names the number in To.
 */
export function trunkDialledNumber(request: SipRequest): string | null {
  const requested = numberIn(request.uri);
  if (requested !== null && DIGITS.test(requested)) return requested;
  const to = numberIn(request.to.uri);
  return to !== null && DIGITS.test(to) ? to : requested;
}

/**
 * The first gate of a call from a trunk: the number dialled is one of a tenant's, on an enabled
 * trunk, the INVITE came from one of that trunk's allowed sources (when it lists any), and it
 * answers the trunk's digest challenge (when it has a digest user, telephony/src/trunks);
 * anything else is 403 (the same answer for every refusal, so a scanner learns nothing about which
 * numbers exist). A trunk with neither cannot be saved. Every refusal says why, for the log line
 * the caller writes.
 */
export async function admitTrunkCall(deps: Deps, request: SipRequest, source: string, digest?: TrunkDigest): Promise<Admission> {
  const dialled = trunkDialledNumber(request);
  if (!dialled) return { ok: false, status: 403, reason: "no number in the Request-URI or To" };
  const number = await findInboundNumber(deps, dialled);
  if (!number) return { ok: false, status: 403, reason: `no tenant has the number ${dialled.slice(0, 32)}` };
  const trunk = await inboundTrunk(deps, number.trunkId);
  if (!trunk?.enabled) return { ok: false, status: 403, reason: "the number's trunk is disabled" };
  if (trunk.allowedSources.length > 0 && !addressAllowed(source, trunk.allowedSources)) return { ok: false, status: 403, reason: `${source} is not an allowed source of trunk ${trunk.name}` };
  if (trunk.digest) {
    if (!digest) return { ok: false, status: 403, reason: `trunk ${trunk.name} asks for digest, which this node cannot check` };
    const checked = await digest.check(request, trunk);
    if (!checked.ok) return checked;
  } else if (trunk.allowedSources.length === 0) return { ok: false, status: 403, reason: `trunk ${trunk.name} allows no source` };
  return { ok: true, number, trunk };
}

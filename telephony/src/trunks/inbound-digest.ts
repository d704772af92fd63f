import type { InboundTrunk } from "@yixian/server/domain";
import { DigestAuthenticator, getHeader, type CredentialStore, type SipHeader, type SipRequest } from "../sip/index.ts";

export type DigestCheck = { ok: true } | { ok: false; status: 407; headers: SipHeader[]; reason: string } | { ok: false; status: 403; reason: string };

/** The trunk's own user and H(A1)s: nobody else's password opens it. */
function trunkCredentials(trunk: InboundTrunk): CredentialStore {
  return {
    lookup: async (username) => (trunk.digest && username === trunk.digest.username ? { ha1: { MD5: trunk.digest.md5, "SHA-256": trunk.digest.sha256 } } : undefined),
  };
}

/**
 * Digest for calls from a trunk that has a digest user (RFC 3261 §22.3: a B2BUA in front of the
 * provider answers as a proxy, 407 with Proxy-Authenticate). Nonces are the registrar's kind: they
 * carry their issue time and an HMAC, so nothing is stored per challenge, and a right answer to an
 * old nonce is asked again with stale=true. No credentials → 407; credentials that do not fit
 * (another user, a wrong password, a replayed nonce count) → 403.
 */
export class TrunkDigest {
  private readonly authenticator: DigestAuthenticator;

  constructor(realm: string, now?: () => number) {
    // MD5 first: the providers' gear (and sipp) answers the first challenge it reads, and most speak only MD5
    this.authenticator = new DigestAuthenticator({ realm, algorithms: ["MD5", "SHA-256"], hostUri: true, credentials: { lookup: async () => undefined }, ...(now ? { now } : {}) });
  }

  async check(request: SipRequest, trunk: InboundTrunk): Promise<DigestCheck> {
    if (!trunk.digest) return { ok: true };
    const header = getHeader(request, "Proxy-Authorization") !== undefined ? "Proxy-Authorization" : "Authorization";
    if (getHeader(request, header) === undefined) return { ok: false, status: 407, headers: this.authenticator.challenge(false, "Proxy-Authenticate"), reason: "no credentials" };
    const result = await this.authenticator.verify(request, header, trunkCredentials(trunk));
    if (result.ok) return { ok: true };
    if (result.stale) return { ok: false, status: 407, headers: this.authenticator.challenge(true, "Proxy-Authenticate"), reason: result.reason };
    return { ok: false, status: 403, reason: `digest of trunk ${trunk.name} refused: ${result.reason}` };
  }
}

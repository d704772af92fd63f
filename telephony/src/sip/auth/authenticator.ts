/** Server-side digest authentication of SIP requests: challenges, and checking the answers (RFC 3261 §22). */
import type { SipHeader, SipRequest } from "../message.ts";
import { getHeaders } from "../message.ts";
import { SipParseError } from "../parser/errors.ts";
import { formatUri, parseUri } from "../parser/uri.ts";
import { DIGEST_ALGORITHMS, digestHa1, digestResponse, formatChallenge, NonceIssuer, parseAuthHeader, safeEqualHex, type DigestAlgorithm } from "./digest.ts";

/** H(A1) of one password, per algorithm. */
export type Ha1Set = Partial<Record<DigestAlgorithm, string>>;

/**
 * Where SIP passwords live: the agents' devices, the trunks. A store may keep H(A1) instead of the
 * password, and may give several (a desk phone's password and each signed-in softphone's): any one fits.
 */
export interface CredentialStore {
  /**
   * `labels`, when given, name each H(A1) set (e.g. "device", "session:<id>"): a success says
   * which one fitted, so a registration can be tied to the session whose password made it.
   */
  lookup(username: string, realm: string): Promise<{ password: string } | { ha1: Ha1Set | Ha1Set[]; labels?: string[] } | undefined>;
}

export type AuthResult = { ok: true; username: string; credential?: string } | { ok: false; stale: boolean; reason: string };

export interface AuthenticatorOptions {
  realm: string;
  credentials: CredentialStore;
  /** Offered in this order (RFC 8760: the stronger first). */
  algorithms?: DigestAlgorithm[];
  nonceTtlMs?: number;
  now?: () => number;
  /**
   * Also take a digest uri that is the Request-URI's host and port alone (`sip:host:port`), as
   * trunks' gear and sipp write it. The answer stays bound to our nonce and its count.
   */
  hostUri?: boolean;
}

export class DigestAuthenticator {
  readonly realm: string;
  private readonly nonces: NonceIssuer;
  private readonly algorithms: DigestAlgorithm[];
  /** Highest nonce count seen per nonce: a replayed answer is refused. */
  private readonly counts = new Map<string, number>();

  constructor(private readonly options: AuthenticatorOptions) {
    this.realm = options.realm;
    this.algorithms = options.algorithms ?? [...DIGEST_ALGORITHMS];
    this.nonces = new NonceIssuer(options.nonceTtlMs, options.now);
  }

  /** WWW-Authenticate (or Proxy-Authenticate) headers for a 401 (407), one per algorithm. */
  challenge(stale = false, name: "WWW-Authenticate" | "Proxy-Authenticate" = "WWW-Authenticate"): SipHeader[] {
    const nonce = this.nonces.issue();
    return this.algorithms.map((algorithm) => ({ name, value: formatChallenge({ realm: this.realm, nonce, algorithm, stale }) }));
  }

  /** `credentials`, when given, stand in for the authenticator's own (a trunk's user, for the call it claims to carry). */
  async verify(request: SipRequest, header: "Authorization" | "Proxy-Authorization" = "Authorization", credentials: CredentialStore = this.options.credentials): Promise<AuthResult> {
    const answer = getHeaders(request, header)
      .map((value) => parseAuthHeader(value))
      .find((parsed) => parsed?.scheme === "digest" && parsed.params.get("realm") === this.realm);
    if (!answer) return { ok: false, stale: false, reason: "no credentials for this realm" };
    const p = answer.params;
    const username = p.get("username") ?? "";
    const nonce = p.get("nonce") ?? "";
    const uri = p.get("uri") ?? "";
    const algorithm = (p.get("algorithm") ?? "MD5").toUpperCase() as DigestAlgorithm;
    if (!this.algorithms.includes(algorithm)) return { ok: false, stale: false, reason: `algorithm ${algorithm} not offered` };
    if (p.get("qop") !== "auth") return { ok: false, stale: false, reason: "qop=auth required" };
    const nc = p.get("nc") ?? "";
    const cnonce = p.get("cnonce") ?? "";
    if (!/^[0-9a-fA-F]{8}$/.test(nc) || cnonce === "") return { ok: false, stale: false, reason: "bad nc or cnonce" };
    if (!sameUri(uri, request, this.options.hostUri ?? false)) return { ok: false, stale: false, reason: "digest uri is not the Request-URI" };
    const freshness = this.nonces.check(nonce);
    if (freshness === "invalid") return { ok: false, stale: false, reason: "nonce not ours" };
    const stored = await credentials.lookup(username, this.realm);
    if (!stored) return { ok: false, stale: false, reason: "unknown user" };
    const candidates = "password" in stored ? [digestHa1(algorithm, username, this.realm, stored.password)] : [stored.ha1].flat().map((set) => set[algorithm]);
    const given = p.get("response") ?? "";
    const fit = candidates.findIndex((ha1) => ha1 !== undefined && safeEqualHex(digestResponse({ algorithm, ha1, method: request.method, uri, nonce, qop: { nc, cnonce } }), given));
    if (fit < 0) return { ok: false, stale: false, reason: "wrong password" };
    const credential = "labels" in stored ? stored.labels?.[fit] : undefined;
    // a right answer to an expired nonce: ask again with stale=true, the client need not ask the user
    if (freshness === "stale") return { ok: false, stale: true, reason: "nonce expired" };
    const count = parseInt(nc, 16);
    if (count <= (this.counts.get(nonce) ?? 0)) return { ok: false, stale: true, reason: "nonce count replayed" };
    this.remember(nonce, count);
    return credential === undefined ? { ok: true, username } : { ok: true, username, credential };
  }

  private remember(nonce: string, count: number): void {
    this.counts.set(nonce, count);
    // nonces expire, so the table only needs the recent ones
    if (this.counts.size > 10_000) for (const key of [...this.counts.keys()].slice(0, 5_000)) this.counts.delete(key);
  }
}

/** The answer is bound to a URI: it must be the one this request is for (or, when `hostOnly` is allowed, its host and port). */
function sameUri(uri: string, request: SipRequest, hostOnly: boolean): boolean {
  try {
    const given = formatUri(parseUri(uri)).toLowerCase();
    if (given === formatUri(request.uri).toLowerCase()) return true;
    const target = request.uri;
    return hostOnly && target.kind === "sip" && given === `${target.scheme}:${target.host}${target.port === undefined ? "" : `:${target.port}`}`.toLowerCase();
  } catch (error) {
    if (error instanceof SipParseError) return false;
    throw error;
  }
}

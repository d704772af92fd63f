/** HTTP Digest for SIP (RFC 3261 §22.4, RFC 2617, RFC 7616, RFC 8760): MD5 and SHA-256 with qop=auth. */
import { createHash, createHmac, randomBytes, timingSafeEqual } from "node:crypto";

export type DigestAlgorithm = "MD5" | "SHA-256";
export const DIGEST_ALGORITHMS: readonly DigestAlgorithm[] = ["SHA-256", "MD5"];

const hash = (algorithm: DigestAlgorithm, text: string) => createHash(algorithm === "MD5" ? "md5" : "sha256").update(text, "utf8").digest("hex");

/** H(username:realm:password): what a credential store may keep instead of the password. */
export function digestHa1(algorithm: DigestAlgorithm, username: string, realm: string, password: string): string {
  return hash(algorithm, `${username}:${realm}:${password}`);
}

export interface DigestInput {
  algorithm: DigestAlgorithm;
  ha1: string;
  method: string;
  uri: string;
  nonce: string;
  /** With qop=auth: the nonce count (8 hex digits) and the client nonce. Without: RFC 2069 style. */
  qop?: { nc: string; cnonce: string };
}

export function digestResponse(input: DigestInput): string {
  const ha2 = hash(input.algorithm, `${input.method}:${input.uri}`);
  const middle = input.qop ? `${input.nonce}:${input.qop.nc}:${input.qop.cnonce}:auth` : input.nonce;
  return hash(input.algorithm, `${input.ha1}:${middle}:${ha2}`);
}

/** `Digest realm="x", nonce="y", qop=auth` → scheme and lower-cased parameter names with unquoted values. */
export function parseAuthHeader(value: string): { scheme: string; params: Map<string, string> } | undefined {
  const m = /^\s*([A-Za-z0-9-]+)\s+(.*)$/s.exec(value);
  if (!m) return undefined;
  const params = new Map<string, string>();
  const re = /\s*([A-Za-z0-9-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]*))\s*(?:,|$)/gy;
  const rest = m[2] ?? "";
  let match: RegExpExecArray | null;
  while (re.lastIndex < rest.length && (match = re.exec(rest)) !== null) {
    params.set((match[1] ?? "").toLowerCase(), match[2] !== undefined ? match[2].replace(/\\(.)/g, "$1") : (match[3] ?? ""));
  }
  if (re.lastIndex < rest.length && rest.slice(re.lastIndex).trim() !== "") return undefined;
  return { scheme: (m[1] ?? "").toLowerCase(), params };
}

const quoted = (s: string) => `"${s.replace(/(["\\])/g, "\\$1")}"`;

export function formatChallenge(c: { realm: string; nonce: string; algorithm: DigestAlgorithm; stale?: boolean; opaque?: string }): string {
  return `Digest realm=${quoted(c.realm)}, nonce=${quoted(c.nonce)}, algorithm=${c.algorithm}, qop="auth"${c.opaque ? `, opaque=${quoted(c.opaque)}` : ""}${c.stale ? ", stale=true" : ""}`;
}

/** The client side: an Authorization value answering `challenge` (a WWW- or Proxy-Authenticate value). */
export function authorize(challenge: string, credentials: { username: string; password: string; method: string; uri: string; nc?: number; cnonce?: string }): string | undefined {
  const parsed = parseAuthHeader(challenge);
  if (!parsed || parsed.scheme !== "digest") return undefined;
  const p = parsed.params;
  const algorithm = (p.get("algorithm") ?? "MD5").toUpperCase();
  if (algorithm !== "MD5" && algorithm !== "SHA-256") return undefined;
  const realm = p.get("realm") ?? "";
  const nonce = p.get("nonce") ?? "";
  const auth = (p.get("qop") ?? "").split(",").some((q) => q.trim() === "auth");
  const qop = auth ? { nc: (credentials.nc ?? 1).toString(16).padStart(8, "0"), cnonce: credentials.cnonce ?? randomBytes(12).toString("hex") } : undefined;
  const response = digestResponse({ algorithm, ha1: digestHa1(algorithm, credentials.username, realm, credentials.password), method: credentials.method, uri: credentials.uri, nonce, qop });
  const parts = [`username=${quoted(credentials.username)}`, `realm=${quoted(realm)}`, `nonce=${quoted(nonce)}`, `uri=${quoted(credentials.uri)}`, `response=${quoted(response)}`, `algorithm=${algorithm}`];
  if (qop) parts.push("qop=auth", `nc=${qop.nc}`, `cnonce=${quoted(qop.cnonce)}`);
  const opaque = p.get("opaque");
  if (opaque !== undefined) parts.push(`opaque=${quoted(opaque)}`);
  return `Digest ${parts.join(", ")}`;
}

/**
 * Nonces that carry their own issue time and an HMAC: no table of issued nonces, and an old one is
 * told apart from a forged one (stale=true only for the former, RFC 7616 §3.3).
 */
export class NonceIssuer {
  constructor(
    private readonly ttlMs = 5 * 60_000,
    private readonly now: () => number = Date.now,
    private readonly secret: Buffer = randomBytes(32),
  ) {}

  issue(): string {
    const body = `${this.now().toString(36)}.${randomBytes(9).toString("base64url")}`;
    return `${body}.${this.sign(body)}`;
  }

  check(nonce: string): "valid" | "stale" | "invalid" {
    const last = nonce.lastIndexOf(".");
    if (last < 0) return "invalid";
    const body = nonce.slice(0, last);
    const given = Buffer.from(nonce.slice(last + 1));
    const expected = Buffer.from(this.sign(body));
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return "invalid";
    const issued = parseInt(body.split(".")[0] ?? "", 36);
    if (!Number.isFinite(issued)) return "invalid";
    return this.now() - issued > this.ttlMs ? "stale" : "valid";
  }

  private sign(body: string): string {
    return createHmac("sha256", this.secret).update(body).digest("base64url").slice(0, 22);
  }
}

export function safeEqualHex(a: string, b: string): boolean {
  const x = Buffer.from(a.toLowerCase());
  const y = Buffer.from(b.toLowerCase());
  return x.length === y.length && timingSafeEqual(x, y);
}

import { DomainError } from "../domain/errors.ts";
import { originAllowed } from "../domain/widget/allowed-origin.ts";

/** The headers an origin decision reads, from an HTTP request or a socket handshake. */
export interface OriginHeaders {
  origin?: string | undefined;
  referer?: string | undefined;
  host?: string | undefined;
}

/** Methods that change something: a cookie-authenticated one must come from the server's own pages. */
export const UNSAFE_METHODS: ReadonlySet<string> = new Set(["POST", "PUT", "PATCH", "DELETE"]);

function originOf(url: string): string | null {
  try {
    const origin = new URL(url).origin;
    return origin === "null" ? null : origin;
  } catch {
    return null;
  }
}

/** The server's own origins: the Host a request was sent to (over http or https) and PUBLIC_URL's. */
export function ownOrigins(host: string | undefined, publicUrl: string | null): string[] {
  const own = host ? [`http://${host}`, `https://${host}`] : [];
  if (publicUrl) own.push(new URL(publicUrl).origin);
  return own.map((o) => o.toLowerCase());
}

/** Whether an origin is one of the server's own. */
export function isOwnOrigin(origin: string, host: string | undefined, publicUrl: string | null): boolean {
  return ownOrigins(host, publicUrl).includes(origin.toLowerCase());
}

/**
 * Whether a request (or a socket handshake) comes from a page of this server: its Origin, or the
 * Referer's origin when the browser sent no Origin, is one of the server's own. No Origin and no
 * Referer, or `Origin: null`, is not. The CSRF check of cookie-carried changes.
 */
export function fromOwnOrigin(headers: OriginHeaders, publicUrl: string | null): boolean {
  const given = headers.origin !== undefined ? originOf(headers.origin) : headers.referer ? originOf(headers.referer) : null;
  return given !== null && isOwnOrigin(given, headers.host, publicUrl);
}

/**
 * Login CSRF: another site's page must not sign the browser in (to an account the attacker
 * controls, whose session then records what the victim types). A sign-in that names an origin
 * (Origin, or Referer without one; `Origin: null` included) must name one of the server's own;
 * a client that names none (curl, an integration, the tests) signs in as before.
 * CSRF_REJECTED otherwise.
 */
export function checkSignInOrigin(headers: OriginHeaders, publicUrl: string | null): void {
  const named = headers.origin !== undefined || Boolean(headers.referer);
  if (named && !fromOwnOrigin(headers, publicUrl)) {
    throw new DomainError("CSRF_REJECTED", "sign in from the console's own page: this sign-in came from another site");
  }
}

/**
 * Whether a socket may be opened with the session cookie: only from the console's own origin, or
 * by a client that names none (not a browser). Another site's page must not ride an agent's
 * cookie into a socket (cross-site WebSocket hijacking).
 */
export function cookieMayOpenSocket(headers: Pick<OriginHeaders, "origin" | "host">, publicUrl: string | null): boolean {
  return !headers.origin || fromOwnOrigin({ origin: headers.origin, host: headers.host }, publicUrl);
}

/**
 * May a page of this origin use the widget? No Origin header (not a browser, or same-origin
 * GET), the server's own origin, or one of the widget's allowed origins (`http://localhost:*`:
 * any port). FORBIDDEN otherwise.
 */
export function checkWidgetOrigin(widget: { allowed_origins: readonly string[] }, headers: Pick<OriginHeaders, "origin" | "host">, publicUrl: string | null): void {
  const { origin } = headers;
  if (!origin || isOwnOrigin(origin, headers.host, publicUrl)) return;
  if (originAllowed(widget.allowed_origins, origin)) return;
  throw new DomainError("FORBIDDEN", `this widget may not be used from ${origin.slice(0, 200)}`);
}

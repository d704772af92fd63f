import type { IncomingHttpHeaders } from "node:http";

/** Methods that change something: a cookie-authenticated one must come from the server's own pages. */
export const UNSAFE_METHODS = new Set(["POST", "PUT", "PATCH", "DELETE"]);

function originOf(url: string): string | null {
  try {
    const origin = new URL(url).origin;
    return origin === "null" ? null : origin;
  } catch {
    return null;
  }
}

/**
 * Whether a request (or a socket handshake) comes from a page of this server: its Origin, or the
 * Referer's origin when the browser sent no Origin, is the Host it was sent to (http or https)
 * or PUBLIC_URL's origin. No Origin and no Referer, or `Origin: null`, is not.
 */
export function fromOwnOrigin(headers: Pick<IncomingHttpHeaders, "origin" | "referer" | "host">, publicUrl: string | null): boolean {
  const given = headers.origin !== undefined ? originOf(headers.origin) : headers.referer ? originOf(headers.referer) : null;
  if (!given) return false;
  const own = [...(headers.host ? [`http://${headers.host}`, `https://${headers.host}`] : []), ...(publicUrl ? [new URL(publicUrl).origin] : [])];
  return own.includes(given.toLowerCase());
}

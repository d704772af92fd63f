import { createHmac, timingSafeEqual } from "node:crypto";
import { widgetSecret } from "../shared/signing-secret.ts";

export { widgetSecret };

export interface VisitorClaims {
  tenantId: string;
  visitorId: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function mac(secret: Buffer, payload: string): string {
  return createHmac("sha256", secret).update(`visitor:${payload}`).digest("base64url");
}

/** vt.<tenant>.<visitor>.<HMAC>: bound to one tenant and one visitor. */
export function signVisitorToken(secret: Buffer, claims: VisitorClaims): string {
  const payload = `${claims.tenantId}.${claims.visitorId}`;
  return `vt.${payload}.${mac(secret, payload)}`;
}

/** The claims of a well-formed token with a valid signature, otherwise null. */
export function verifyVisitorToken(secret: Buffer, token: string): VisitorClaims | null {
  const parts = token.split(".");
  if (parts.length !== 4 || parts[0] !== "vt") return null;
  const [, tenantId = "", visitorId = "", signature = ""] = parts;
  if (!UUID.test(tenantId) || !UUID.test(visitorId)) return null;
  const expected = Buffer.from(mac(secret, `${tenantId}.${visitorId}`));
  const given = Buffer.from(signature);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  return { tenantId, visitorId };
}

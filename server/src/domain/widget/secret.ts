import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Config } from "../../config.ts";

const cache = new Map<string, Buffer>();

/** WIDGET_SECRET, or a random one generated once and kept in DATA_DIR (restarts keep tokens valid). */
export function widgetSecret(config: Pick<Config, "widgetSecret" | "dataDir">): Buffer {
  if (config.widgetSecret) return Buffer.from(config.widgetSecret, "utf8");
  const cached = cache.get(config.dataDir);
  if (cached) return cached;
  const file = join(config.dataDir, "widget-secret");
  let secret: Buffer;
  try {
    secret = Buffer.from(readFileSync(file, "utf8").trim(), "hex");
  } catch {
    mkdirSync(config.dataDir, { recursive: true });
    const fresh = randomBytes(32).toString("hex");
    // "wx": a second process that raced us keeps the first file; read what won
    try {
      writeFileSync(file, fresh, { flag: "wx", mode: 0o600 });
    } catch {
      // exists now
    }
    secret = Buffer.from(readFileSync(file, "utf8").trim(), "hex");
  }
  cache.set(config.dataDir, secret);
  return secret;
}

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

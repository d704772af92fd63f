import { createCipheriv, createDecipheriv, createHash, createHmac, randomBytes } from "node:crypto";
import type { Config } from "../../config.ts";
import { widgetSecret } from "../shared/signing-secret.ts";

/**
 * The secrets of the phone channel. Digest passwords are kept as HA1 only
 * (`H(username:realm:password)`, MD5 and SHA-256, RFC 7616), so a stolen table gives no
 * password. A trunk's outbound-registration password must be sent to the provider, so it is
 * kept encrypted with AES-256-GCM under a key derived from the server secret. The softphone's
 * password is derived from the signed-in session: it stops working when the session ends.
 */
export type DigestAlgorithm = "MD5" | "SHA-256";

export function ha1(algorithm: DigestAlgorithm, username: string, realm: string, password: string): string {
  return createHash(algorithm === "MD5" ? "md5" : "sha256").update(`${username}:${realm}:${password}`).digest("hex");
}

export function ha1Pair(username: string, realm: string, password: string): { md5: string; sha256: string } {
  return { md5: ha1("MD5", username, realm, password), sha256: ha1("SHA-256", username, realm, password) };
}

/** A random password a person can type into a desk phone: 16 letters and digits, no look-alikes. */
export function devicePassword(): string {
  const alphabet = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
  return Array.from(randomBytes(16), (b) => alphabet[b % alphabet.length]).join("");
}

function key(config: Pick<Config, "widgetSecret" | "dataDir">, purpose: string): Buffer {
  return createHmac("sha256", widgetSecret(config)).update(purpose).digest();
}

/** The softphone's SIP password for one session. */
export function softphonePassword(config: Pick<Config, "widgetSecret" | "dataDir">, sessionId: string): string {
  return createHmac("sha256", key(config, "softphone")).update(sessionId).digest("base64url").slice(0, 32);
}

export function seal(config: Pick<Config, "widgetSecret" | "dataDir">, plain: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key(config, "trunk-secrets"), iv);
  const data = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
  return ["v1", iv.toString("base64url"), cipher.getAuthTag().toString("base64url"), data.toString("base64url")].join(".");
}

export function unseal(config: Pick<Config, "widgetSecret" | "dataDir">, sealed: string): string {
  const [version, iv, tag, data] = sealed.split(".");
  if (version !== "v1" || !iv || !tag || data === undefined) throw new Error("not a sealed secret");
  const decipher = createDecipheriv("aes-256-gcm", key(config, "trunk-secrets"), Buffer.from(iv, "base64url"));
  decipher.setAuthTag(Buffer.from(tag, "base64url"));
  return Buffer.concat([decipher.update(Buffer.from(data, "base64url")), decipher.final()]).toString("utf8");
}

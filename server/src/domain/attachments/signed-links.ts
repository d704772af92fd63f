import { createHmac, timingSafeEqual } from "node:crypto";
import type { Deps } from "../context.ts";
import { widgetSecret } from "../shared/signing-secret.ts";

/** How long a link works: long enough to open a picture from a chat, short enough that a shared link dies. */
export const LINK_TTL_MS = 60 * 60_000;
/** Expiry is rounded up to this, so a file keeps one address (and one browser-cache entry) for a while. */
const STEP_MS = 5 * 60_000;

export type LinkDeps = Pick<Deps, "config" | "clock">;

export interface AttachmentLink {
  tenantId: string;
  attachmentId: string;
  /** Unix seconds. */
  expires: number;
  signature: string;
}

function mac(deps: LinkDeps, tenantId: string, attachmentId: string, expires: number): string {
  // the prefix keeps these MACs apart from visitor tokens made with the same secret
  return createHmac("sha256", widgetSecret(deps.config)).update(`attachment-link:${tenantId}:${attachmentId}:${expires}`).digest("base64url");
}

/**
 * A download address for one attachment that works without any session until it expires: an
 * HMAC over tenant, attachment and expiry. It grants that one file, nothing else.
 */
export function signedAttachmentUrl(deps: LinkDeps, tenantId: string, attachmentId: string): string {
  const expires = Math.ceil((deps.clock.now().getTime() + LINK_TTL_MS) / STEP_MS) * (STEP_MS / 1000);
  const query = new URLSearchParams({ tenant: tenantId, expires: String(expires), signature: mac(deps, tenantId, attachmentId, expires) });
  return `/api/widget/attachments/${attachmentId}?${query.toString()}`;
}

/** Whether a link was signed by this server for this attachment and has not expired. */
export function verifyAttachmentLink(deps: LinkDeps, link: AttachmentLink): boolean {
  if (link.expires * 1000 <= deps.clock.now().getTime()) return false;
  const expected = Buffer.from(mac(deps, link.tenantId, link.attachmentId, link.expires));
  const given = Buffer.from(link.signature);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** Seconds a link has left, for Cache-Control (a cached copy never outlives its link). */
export function linkSecondsLeft(deps: LinkDeps, link: Pick<AttachmentLink, "expires">): number {
  return Math.max(0, Math.floor(link.expires - deps.clock.now().getTime() / 1000));
}

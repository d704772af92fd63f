import type { Deps } from "../context.ts";
import { hashToken } from "../auth/sessions.ts";
import { isLinkToken } from "./wallboard-links.ts";

export interface LinkGrant {
  linkId: string;
  tenantId: string;
  /** null: every queue of the tenant. */
  queueIds: string[] | null;
  expiresAt: Date;
}

/** What a wallboard link token opens, or null if it is unknown, expired or revoked. */
export async function resolveWallboardLink(deps: Deps, token: string): Promise<LinkGrant | null> {
  if (!isLinkToken(token)) return null;
  const row = await deps.db
    .selectFrom("wallboard_links")
    .select(["id", "tenant_id", "queue_ids", "expires_at"])
    .where("token_hash", "=", hashToken(token))
    .where("revoked_at", "is", null)
    .where("expires_at", ">", deps.clock.now())
    .executeTakeFirst();
  if (!row) return null;
  return {
    linkId: row.id,
    tenantId: row.tenant_id,
    queueIds: row.queue_ids.length > 0 ? row.queue_ids : null,
    expiresAt: row.expires_at instanceof Date ? row.expires_at : new Date(row.expires_at),
  };
}

/**
 * The tenant's links the pusher must act on: filtered active links (each gets its own view) and
 * links revoked or expired in the last minutes (pages still showing them are disconnected).
 */
export async function linksForPush(deps: Deps, tenantId: string): Promise<{ filtered: { id: string; queueIds: string[] }[]; closed: string[] }> {
  const now = deps.clock.now();
  const recent = new Date(now.getTime() - 5 * 60_000);
  const rows = await deps.db
    .selectFrom("wallboard_links")
    .select(["id", "queue_ids", "expires_at", "revoked_at"])
    .where("tenant_id", "=", tenantId)
    .where((eb) => eb.or([eb("revoked_at", ">", recent), eb.and([eb("revoked_at", "is", null), eb("expires_at", ">", recent)])]))
    .execute();
  const filtered: { id: string; queueIds: string[] }[] = [];
  const closed: string[] = [];
  for (const r of rows) {
    const open = r.revoked_at === null && new Date(r.expires_at).getTime() > now.getTime();
    if (!open) closed.push(r.id);
    else if (r.queue_ids.length > 0) filtered.push({ id: r.id, queueIds: r.queue_ids });
  }
  return { filtered, closed };
}

import type { WallboardLink } from "@yixian/contracts";
import type { Executor } from "../../db/database.ts";
import type { Row } from "../../db/schema.ts";
import { iso, isoRequired } from "../shared/pagination.ts";

/** Link tokens carry a prefix, so the wallboard's socket can tell them from session tokens. */
export const LINK_TOKEN_PREFIX = "wb_";

export function isLinkToken(token: string): boolean {
  return token.startsWith(LINK_TOKEN_PREFIX);
}

const ms = (v: Date | string) => (v instanceof Date ? v : new Date(v)).getTime();

export function linkState(row: Pick<Row<"wallboard_links">, "expires_at" | "revoked_at">, now: Date): WallboardLink["state"] {
  if (row.revoked_at !== null) return "revoked";
  return ms(row.expires_at) <= now.getTime() ? "expired" : "active";
}

export function presentWallboardLink(row: Row<"wallboard_links">, now: Date): WallboardLink {
  return {
    id: row.id,
    name: row.name,
    queueIds: row.queue_ids,
    state: linkState(row, now),
    expiresAt: isoRequired(row.expires_at),
    revokedAt: iso(row.revoked_at),
    createdBy: row.created_by,
    createdAt: isoRequired(row.created_at),
  };
}

/** Tells the metrics pusher that a tenant's wallboard must be sent again (links, or anything the triggers do not see). */
export async function markWallboardChanged(tx: Executor, tenantId: string): Promise<void> {
  await tx.insertInto("wallboard_changes").values({ tenant: tenantId }).execute();
}

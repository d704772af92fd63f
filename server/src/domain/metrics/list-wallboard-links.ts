import type { WallboardLink } from "@yixian/contracts";
import type { Ctx } from "../context.ts";
import { presentWallboardLink } from "./wallboard-links.ts";

/** The tenant's wallboard links, newest first, active, expired and revoked. */
export async function listWallboardLinks(ctx: Ctx): Promise<WallboardLink[]> {
  const rows = await ctx.deps.db
    .selectFrom("wallboard_links")
    .selectAll()
    .where("tenant_id", "=", ctx.tenantId)
    .orderBy("created_at", "desc")
    .orderBy("id", "desc")
    .limit(500)
    .execute();
  const now = ctx.deps.clock.now();
  return rows.map((r) => presentWallboardLink(r, now));
}

import { inTransaction, type Ctx } from "../context.ts";
import { found } from "../errors.ts";
import { recordAudit } from "../shared/audit.ts";
import { markWallboardChanged } from "./wallboard-links.ts";

/**
 * Revokes a wallboard link: it opens nothing from now on, and pages showing it are cut off
 * within a second (the pusher disconnects them). Revoking a revoked link changes nothing.
 */
export async function revokeWallboardLink(ctx: Ctx, wallboardLinkId: string): Promise<void> {
  await inTransaction(ctx, async (tx) => {
    const link = found(
      await tx.selectFrom("wallboard_links").select(["id", "revoked_at"]).where("id", "=", wallboardLinkId).where("tenant_id", "=", ctx.tenantId).forUpdate().executeTakeFirst(),
      "wallboard link",
    );
    if (link.revoked_at !== null) return;
    await tx.updateTable("wallboard_links").set({ revoked_at: ctx.deps.clock.now() }).where("id", "=", link.id).where("tenant_id", "=", ctx.tenantId).execute();
    await recordAudit(tx, ctx, { action: "wallboard_link.revoked", entityType: "wallboard_link", entityId: link.id });
    await markWallboardChanged(tx, ctx.tenantId);
  });
}

import type { CannedReply, CreateCannedReply } from "@yixian/contracts";
import { newId } from "../../platform/ids.ts";
import { inTransaction, type Ctx } from "../context.ts";
import { agentOf } from "../shared/agent.ts";
import { recordAudit } from "../shared/audit.ts";
import { assertMayManageTenantReplies, assertShortcutFree, presentCannedReply } from "./canned-reply-store.ts";

/**
 * Saves a canned reply: a personal one for the caller, or (scope tenant, supervisors and admins
 * only) one everyone in the tenant can use. The shortcut is unique within its scope.
 */
export async function createCannedReply(ctx: Ctx, input: CreateCannedReply): Promise<CannedReply> {
  const me = agentOf(ctx);
  if (input.scope === "tenant") assertMayManageTenantReplies(ctx);
  const ownerId = input.scope === "tenant" ? null : me.id;
  return inTransaction(ctx, async (tx) => {
    await assertShortcutFree(tx, ctx, input.shortcut, ownerId, null);
    const now = ctx.deps.clock.now();
    const row = await tx
      .insertInto("canned_replies")
      .values({
        id: newId(now.getTime()),
        tenant_id: ctx.tenantId,
        owner_id: ownerId,
        shortcut: input.shortcut,
        title: input.title,
        body: input.body,
        category: input.category ?? null,
        tags: input.tags ?? [],
        created_by: me.id,
        created_at: now,
        updated_at: now,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordAudit(tx, ctx, { action: "canned_reply.created", entityType: "canned_reply", entityId: row.id, changes: { scope: input.scope, shortcut: input.shortcut } });
    return presentCannedReply(row);
  });
}

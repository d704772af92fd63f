import type { CannedReply, UpdateCannedReply } from "@yixian/contracts";
import { inTransaction, type Ctx } from "../context.ts";
import { diff, recordAudit } from "../shared/audit.ts";
import { assertShortcutFree, editableCannedReply, presentCannedReply } from "./canned-reply-store.ts";

/** Changes a canned reply: one's own, or a tenant-wide one with category:manage. */
export async function updateCannedReply(ctx: Ctx, cannedReplyId: string, input: UpdateCannedReply): Promise<CannedReply> {
  return inTransaction(ctx, async (tx) => {
    const before = await editableCannedReply(tx, ctx, cannedReplyId);
    if (input.shortcut !== undefined) await assertShortcutFree(tx, ctx, input.shortcut, before.owner_id, before.id);
    const changes = { shortcut: input.shortcut, title: input.title, body: input.body, category: input.category, tags: input.tags };
    const changed = diff(before, changes);
    if (Object.keys(changed).length === 0) return presentCannedReply(before);
    const row = await tx
      .updateTable("canned_replies")
      .set({ ...changes, updated_at: ctx.deps.clock.now() })
      .where("tenant_id", "=", ctx.tenantId)
      .where("id", "=", before.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordAudit(tx, ctx, { action: "canned_reply.updated", entityType: "canned_reply", entityId: row.id, changes: changed });
    return presentCannedReply(row);
  });
}

/** Deletes a canned reply: one's own, or a tenant-wide one with category:manage. */
export async function deleteCannedReply(ctx: Ctx, cannedReplyId: string): Promise<void> {
  await inTransaction(ctx, async (tx) => {
    const row = await editableCannedReply(tx, ctx, cannedReplyId);
    await tx.deleteFrom("canned_replies").where("tenant_id", "=", ctx.tenantId).where("id", "=", row.id).execute();
    await recordAudit(tx, ctx, { action: "canned_reply.deleted", entityType: "canned_reply", entityId: row.id, changes: { shortcut: row.shortcut, title: row.title } });
  });
}

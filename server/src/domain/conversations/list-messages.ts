import type { Message } from "@yixian/contracts";
import { attachmentsOfMessages } from "../attachments/claim-attachments.ts";
import type { Ctx } from "../context.ts";
import { DomainError, found } from "../errors.ts";
import { presentMessage } from "./present-message.ts";

/**
 * Messages of a conversation in seq order after `afterSeq` (a client that missed events resyncs
 * from the last seq it saw). A customer sees only their own conversation, without internal notes.
 */
export async function listMessages(
  ctx: Ctx,
  conversationId: string,
  options: { afterSeq: number; limit: number },
): Promise<{ items: Message[]; nextAfterSeq: number | null }> {
  const { db } = ctx.deps;
  const conversation = found(
    await db.selectFrom("conversations").select(["id", "contact_id"]).where("tenant_id", "=", ctx.tenantId).where("id", "=", conversationId).executeTakeFirst(),
    "conversation",
  );
  const customer = ctx.actor.type === "contact";
  if (ctx.actor.type === "contact" && conversation.contact_id !== ctx.actor.id) throw new DomainError("NOT_FOUND", "conversation not found");
  let query = db
    .selectFrom("messages")
    .selectAll()
    .where("tenant_id", "=", ctx.tenantId)
    .where("conversation_id", "=", conversation.id)
    .where("seq", ">", options.afterSeq);
  if (customer) query = query.where("direction", "<>", "internal");
  const rows = await query.orderBy("seq").limit(options.limit + 1).execute();
  const shown = rows.slice(0, options.limit);
  const attachments = await attachmentsOfMessages(db, ctx, shown.map((r) => r.id));
  const last = shown.at(-1);
  return {
    items: shown.map((r) => presentMessage(r, attachments.get(r.id) ?? [])),
    nextAfterSeq: rows.length > options.limit && last ? last.seq : null,
  };
}

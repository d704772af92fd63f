import type { ConversationDetail } from "@yixian/contracts";
import type { Tx } from "../../db/database.ts";
import type { Row } from "../../db/schema.ts";
import { inTransaction, type Ctx } from "../context.ts";
import { DomainError } from "../errors.ts";
import { recordAudit } from "../shared/audit.ts";
import { conversationChanged } from "./conversation-events.ts";
import { endedBySameSide } from "./ended-by.ts";
import { assertNotEnded, lockConversation } from "./conversation-guards.ts";
import { presentConversationDetail } from "./get-conversation.ts";
import { storeMessage } from "./store-message.ts";

/**
 * Ends the conversation (the agent closes the chat, the call hangs up, the customer leaves).
 * A wrap-up summary is kept as an internal note on it, and so on its ticket's timeline.
 * Participants leave; later messages are refused with CONVERSATION_ENDED. Its work item
 * completes (the agent goes to wrap-up) or, if nobody had answered yet, is abandoned. Ending it
 * again from the same side (a retry after a lost reply) answers the ended conversation unchanged.
 */
export async function endConversation(ctx: Ctx, conversationId: string, input: { wrapUp?: string | undefined }): Promise<ConversationDetail> {
  const row = await inTransaction(ctx, (tx) => endConversationTx(tx, ctx, conversationId, input));
  ctx.deps.routing.kick();
  return presentConversationDetail(ctx.deps.db, ctx, row);
}

/** endConversation inside the caller's transaction. */
export async function endConversationTx(tx: Tx, ctx: Ctx, conversationId: string, input: { wrapUp?: string | undefined }): Promise<Row<"conversations">> {
  const conversation = await lockConversation(tx, ctx, conversationId);
  if (ctx.actor.type === "contact" && conversation.contact_id !== ctx.actor.id) throw new DomainError("NOT_FOUND", "conversation not found");
  if (conversation.state === "ended" && (await endedBySameSide(tx, ctx, conversation.id))) return conversation;
  assertNotEnded(conversation);
  if (input.wrapUp) await storeMessage(tx, ctx, { conversationId: conversation.id, direction: "internal", text: input.wrapUp });
  const now = ctx.deps.clock.now();
  await tx
    .updateTable("conversation_participants")
    .set({ left_at: now })
    .where("tenant_id", "=", ctx.tenantId)
    .where("conversation_id", "=", conversation.id)
    .where("left_at", "is", null)
    .execute();
  const ended = await tx
    .updateTable("conversations")
    .set({ state: "ended", ended_at: now, updated_at: now })
    .where("tenant_id", "=", ctx.tenantId)
    .where("id", "=", conversation.id)
    .returningAll()
    .executeTakeFirstOrThrow();
  await recordAudit(tx, ctx, {
    action: "conversation.ended",
    entityType: "conversation",
    entityId: conversation.id,
    changes: { state: [conversation.state, "ended"], wrapUp: Boolean(input.wrapUp) },
  });
  await conversationChanged(tx, ended, ["state"]);
  await ctx.deps.routing.finishConversation(tx, ctx, conversation.id, now);
  return ended;
}

import { rooms, type ReadMarker } from "@yixian/contracts";
import { sql } from "kysely";
import { inTransaction, type Ctx } from "../context.ts";
import { conversationState } from "../conversations/conversation-guards.ts";
import { agentOf } from "../shared/agent.ts";
import { recordEvent } from "../events/outbox.ts";
import { found } from "../errors.ts";
import { recordAudit } from "../shared/audit.ts";
import { inboxChanged } from "../mentions/inbox-events.ts";
import { unreadByConversation } from "./unread.ts";

/**
 * The caller has read the conversation up to `seq` (capped at its newest message). The marker
 * only moves forward, so a late request from another tab does not bring old messages back as
 * unread. The agent's other tabs hear `inbox:changed`; the conversation's room (and through it
 * the customer's widget) hears `conversation:changed` with `agentRead`.
 */
export async function markConversationRead(ctx: Ctx, conversationId: string, input: { seq: number }): Promise<ReadMarker> {
  const me = agentOf(ctx);
  return inTransaction(ctx, async (tx) => {
    const conversation = found(
      await tx.selectFrom("conversations").selectAll().where("tenant_id", "=", ctx.tenantId).where("id", "=", conversationId).executeTakeFirst(),
      "conversation",
    );
    const seq = Math.min(input.seq, conversation.last_seq);
    const now = ctx.deps.clock.now();
    const before = await tx.selectFrom("conversation_reads").select("last_read_seq").where("user_id", "=", me.id).where("conversation_id", "=", conversation.id).forUpdate().executeTakeFirst();
    let lastReadSeq = before?.last_read_seq ?? 0;
    if (seq > lastReadSeq || !before) {
      const row = await tx
        .insertInto("conversation_reads")
        .values({ tenant_id: ctx.tenantId, user_id: me.id, conversation_id: conversation.id, last_read_seq: seq, updated_at: now })
        .onConflict((oc) =>
          oc.columns(["user_id", "conversation_id"]).doUpdateSet({ last_read_seq: sql<number>`greatest(conversation_reads.last_read_seq, excluded.last_read_seq)`, updated_at: now }),
        )
        .returning("last_read_seq")
        .executeTakeFirstOrThrow();
      await recordAudit(tx, ctx, { action: "conversation.read", entityType: "conversation", entityId: conversation.id, changes: { lastReadSeq: [before?.last_read_seq ?? null, row.last_read_seq] } });
      if (row.last_read_seq !== (before?.last_read_seq ?? null)) {
        await inboxChanged(tx, ctx.tenantId, [me.id], "read", conversation.id, now);
        // the customer's side shows their messages as read (only the conversation's room hears it)
        await recordEvent(tx, {
          tenantId: ctx.tenantId,
          event: "conversation:changed",
          rooms: [rooms.conversation(conversation.id)],
          payload: { id: conversation.id, channel: conversation.channel, ticketId: conversation.ticket_id, state: conversationState(conversation), updatedAt: now.toISOString(), changes: ["agentRead"] },
        });
      }
      lastReadSeq = row.last_read_seq;
    }
    const unread = (await unreadByConversation(tx, ctx.tenantId, me.id, [conversation.id])).get(conversation.id) ?? 0;
    return { conversationId: conversation.id, lastReadSeq, unread };
  });
}

import type { Tx } from "../../db/database.ts";
import type { Row } from "../../db/schema.ts";
import type { Ctx } from "../context.ts";
import { ticketOnAccept } from "../conversations/conversation-ticket.ts";
import { lockConversation } from "../conversations/conversation-guards.ts";
import { routedOnTimeline } from "./routed-timeline.ts";

/**
 * A contact that overflowed to voicemail / leave-a-message or "ticket only" is not lost: its
 * conversation is put on a ticket (the contact's open one, or a new one in the queue) for someone
 * to answer later, and the overflow shows on that ticket's timeline.
 */
export async function ticketForOverflow(tx: Tx, ctx: Ctx, item: Row<"work_items">, queue: Pick<Row<"queues">, "name">, action: string, now: Date): Promise<void> {
  let ticketId = item.ticket_id;
  if (!ticketId && item.conversation_id) {
    const conversation = await lockConversation(tx, ctx, item.conversation_id);
    ticketId = conversation.ticket_id;
    if (!ticketId) {
      const ticket = await ticketOnAccept(tx, ctx, { ...conversation, queue_id: item.queue_id }, null, now, { overflow: action });
      await tx
        .updateTable("conversations")
        .set({ ticket_id: ticket.id, updated_at: now })
        .where("tenant_id", "=", ctx.tenantId)
        .where("id", "=", conversation.id)
        .execute();
      ticketId = ticket.id;
    }
    await tx.updateTable("work_items").set({ ticket_id: ticketId, updated_at: now }).where("tenant_id", "=", ctx.tenantId).where("id", "=", item.id).execute();
  }
  if (ticketId) await routedOnTimeline(tx, ctx, ticketId, { ...item, ticket_id: ticketId }, queue.name, now);
}

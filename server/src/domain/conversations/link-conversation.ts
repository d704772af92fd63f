import { OPEN_STATUSES, type ConversationDetail } from "@yixian/contracts";
import { inTransaction, type Ctx } from "../context.ts";
import { DomainError } from "../errors.ts";
import { recordAudit } from "../shared/audit.ts";
import { ticketChanged } from "../tickets/ticket-events.ts";
import { assertNotMerged, lockTicket, ticketStatus } from "../tickets/ticket-guards.ts";
import { addTimelineEvent } from "../tickets/timeline.ts";
import { conversationChanged } from "./conversation-events.ts";
import { agentOf, lockConversation } from "./conversation-guards.ts";
import { moveMessagesToTicket } from "./conversation-ticket.ts";
import { presentConversationDetail } from "./get-conversation.ts";

/**
 * The agent files this conversation under another open ticket of the same customer: its
 * messages move there (conversation_detached on the old ticket, conversation_linked on the new).
 * TICKET_CLOSED for a resolved or closed ticket, TICKET_MERGED for a merged one, CONFLICT for
 * another customer's ticket, NOT_FOUND for another tenant's.
 */
export async function linkConversation(ctx: Ctx, conversationId: string, input: { ticketId: string }): Promise<ConversationDetail> {
  agentOf(ctx);
  const row = await inTransaction(ctx, async (tx) => {
    const conversation = await lockConversation(tx, ctx, conversationId);
    if (conversation.ticket_id === input.ticketId) return conversation;
    const target = await lockTicket(tx, ctx, input.ticketId);
    assertNotMerged(target);
    if (!OPEN_STATUSES.includes(ticketStatus(target))) {
      throw new DomainError("TICKET_CLOSED", `ticket ${target.number} is ${target.status}; link the conversation to an open ticket`);
    }
    if (conversation.contact_id && target.contact_id !== conversation.contact_id) {
      throw new DomainError("CONFLICT", `ticket ${target.number} belongs to another customer`);
    }
    const old = conversation.ticket_id ? await lockTicket(tx, ctx, conversation.ticket_id) : null;
    await moveMessagesToTicket(tx, ctx, conversation.id, target.id);
    const now = ctx.deps.clock.now();
    if (old) {
      await addTimelineEvent(tx, ctx, {
        ticketId: old.id,
        kind: "conversation_detached",
        conversationId: conversation.id,
        occurredAt: now,
        data: { toTicketId: target.id, toTicketNumber: target.number, reason: "linked_elsewhere" },
      });
    }
    await addTimelineEvent(tx, ctx, {
      ticketId: target.id,
      kind: "conversation_linked",
      conversationId: conversation.id,
      occurredAt: now,
      data: { channel: conversation.channel, fromTicketId: old?.id ?? null, reason: "agent" },
    });
    const linked = await tx
      .updateTable("conversations")
      .set({ ticket_id: target.id, updated_at: now })
      .where("tenant_id", "=", ctx.tenantId)
      .where("id", "=", conversation.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordAudit(tx, ctx, {
      action: "conversation.linked",
      entityType: "conversation",
      entityId: conversation.id,
      changes: { ticketId: [old?.id ?? null, target.id] },
    });
    if (old) await ticketChanged(tx, old, ["timeline"]);
    await ticketChanged(tx, target, ["timeline"]);
    await conversationChanged(tx, linked, ["ticket"]);
    return linked;
  });
  return presentConversationDetail(ctx.deps.db, ctx, row);
}

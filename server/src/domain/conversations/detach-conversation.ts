import type { ConversationDetail } from "@yixian/contracts";
import { inTransaction, type Ctx } from "../context.ts";
import { DomainError } from "../errors.ts";
import { recordAudit } from "../shared/audit.ts";
import { ticketChanged } from "../tickets/ticket-events.ts";
import { lockTicket } from "../tickets/ticket-guards.ts";
import { addTimelineEvent } from "../tickets/timeline.ts";
import { conversationChanged } from "./conversation-events.ts";
import { agentOf, lockConversation } from "./conversation-guards.ts";
import { moveMessagesToTicket, newTicketForConversation } from "./conversation-ticket.ts";
import { presentConversationDetail } from "./get-conversation.ts";

/**
 * The agent decides this conversation is a different problem: it is split off its ticket into a
 * new ticket, taking its messages (and their timeline entries and attachments) along.
 * CONVERSATION_HAS_NO_TICKET when it has none yet.
 */
export async function detachConversation(ctx: Ctx, conversationId: string, input: { subject?: string | undefined }): Promise<ConversationDetail> {
  const agent = agentOf(ctx);
  const row = await inTransaction(ctx, async (tx) => {
    const conversation = await lockConversation(tx, ctx, conversationId);
    if (!conversation.ticket_id) throw new DomainError("CONVERSATION_HAS_NO_TICKET", "this conversation has no ticket to detach from");
    const old = await lockTicket(tx, ctx, conversation.ticket_id);
    const ticket = await newTicketForConversation(tx, ctx, conversation, {
      subject: input.subject,
      assigneeId: agent.id,
      createdData: { detachedFrom: old.id, detachedFromNumber: old.number },
    });
    await moveMessagesToTicket(tx, ctx, conversation.id, ticket.id);
    const now = ctx.deps.clock.now();
    await addTimelineEvent(tx, ctx, {
      ticketId: old.id,
      kind: "conversation_detached",
      conversationId: conversation.id,
      occurredAt: now,
      data: { toTicketId: ticket.id, toTicketNumber: ticket.number, reason: "detached" },
    });
    const detached = await tx
      .updateTable("conversations")
      .set({ ticket_id: ticket.id, updated_at: now })
      .where("tenant_id", "=", ctx.tenantId)
      .where("id", "=", conversation.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordAudit(tx, ctx, {
      action: "conversation.detached",
      entityType: "conversation",
      entityId: conversation.id,
      changes: { ticketId: [old.id, ticket.id] },
    });
    await ticketChanged(tx, old, ["timeline"]);
    await ticketChanged(tx, ticket, ["timeline"]);
    await conversationChanged(tx, detached, ["ticket"]);
    return detached;
  });
  return presentConversationDetail(ctx.deps.db, ctx, row);
}

import type { Tx } from "../../db/database.ts";
import type { Row } from "../../db/schema.ts";
import type { Ctx } from "../context.ts";
import { reopenOnCustomerReply } from "../tickets/reopen-on-customer-reply.ts";
import { ticketChanged } from "../tickets/ticket-events.ts";
import { addTimelineEvent } from "../tickets/timeline.ts";
import { findOpenTicketOfContact, newTicketForConversation } from "./conversation-ticket.ts";

/**
 * Before a customer's message is stored: a resolved or pending ticket reopens; a closed one
 * stays closed and the conversation moves on to the contact's open ticket or a new one (one
 * problem, one ticket), so the message lands on a ticket someone is working.
 */
export async function ticketForCustomerMessage(tx: Tx, ctx: Ctx, conversation: Row<"conversations">): Promise<Row<"conversations">> {
  if (!conversation.ticket_id) return conversation;
  const outcome = await reopenOnCustomerReply(tx, ctx, conversation.ticket_id);
  if (!outcome.closed) return conversation;
  const closedId = conversation.ticket_id;
  const open = conversation.contact_id ? await findOpenTicketOfContact(tx, ctx, conversation.contact_id) : null;
  const next =
    open ??
    (await newTicketForConversation(tx, ctx, conversation, { assigneeId: conversation.assignee_id, createdData: { followsUp: closedId } }));
  const now = ctx.deps.clock.now();
  await addTimelineEvent(tx, ctx, {
    ticketId: closedId,
    kind: "conversation_detached",
    conversationId: conversation.id,
    occurredAt: now,
    data: { toTicketId: next.id, toTicketNumber: next.number, reason: "ticket_closed" },
  });
  if (open) {
    await addTimelineEvent(tx, ctx, {
      ticketId: open.id,
      kind: "conversation_linked",
      conversationId: conversation.id,
      occurredAt: now,
      data: { channel: conversation.channel, fromTicketId: closedId, reason: "open_ticket" },
    });
  }
  await ticketChanged(tx, outcome.ticket, ["timeline"]);
  return tx
    .updateTable("conversations")
    .set({ ticket_id: next.id, updated_at: now })
    .where("tenant_id", "=", ctx.tenantId)
    .where("id", "=", conversation.id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

import { sql } from "kysely";
import type { Tx } from "../../db/database.ts";
import type { Row } from "../../db/schema.ts";
import type { Ctx } from "../context.ts";
import { reopenOnCustomerReply } from "../tickets/reopen-on-customer-reply.ts";
import { ticketChanged } from "../tickets/ticket-events.ts";
import { addTimelineEvent, timelineRow } from "../tickets/timeline.ts";
import { findOpenTicketOfContact, messageTimelineEntry, newTicketForConversation } from "./conversation-ticket.ts";

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

/**
 * After a message is stored on a ticketed conversation: its `message` timeline entry, the
 * ticket's updated_at (and first_response_at on the first agent reply), and `ticket:changed`.
 */
export async function recordMessageOnTicket(tx: Tx, ctx: Ctx, ticketId: string, message: Row<"messages">): Promise<void> {
  const firstResponse = message.direction === "outbound" && message.author_type === "user";
  const now = new Date(message.created_at);
  // the timeline entry and the ticket's update in one statement
  const ticket = await tx
    .with("entry", (qc) => qc.insertInto("timeline_events").values(timelineRow(ctx, messageTimelineEntry(ticketId, message))))
    .updateTable("tickets")
    .set({ updated_at: now, ...(firstResponse ? { first_response_at: sql<Date>`coalesce(first_response_at, ${now})` } : {}) })
    .where("tenant_id", "=", ctx.tenantId)
    .where("id", "=", ticketId)
    .returning(["id", "tenant_id", "number", "updated_at", "assignee_id"])
    .executeTakeFirstOrThrow();
  await ticketChanged(tx, ticket, ["timeline"], true);
}

import { sql, type Insertable } from "kysely";
import type { Tx } from "../../db/database.ts";
import type { DB, Row } from "../../db/schema.ts";
import type { Ctx } from "../context.ts";
import { reopenOnCustomerReply } from "../tickets/reopen-on-customer-reply.ts";
import { ticketChanged } from "../tickets/ticket-events.ts";
import { addTimelineEvent, timelineRow } from "../tickets/timeline.ts";
import { findOpenTicketOfContact, messageTimelineEntry, newTicketForConversation, type TimelinedMessage } from "./conversation-ticket.ts";

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

/** A message row to insert, with what its timeline entry names. */
export type NewMessage = Insertable<DB["messages"]> & TimelinedMessage & { ticket_id: string | null };

/** Ticket statuses a customer's message acts on (reopens, or moves on from a closed one). */
export const STATUSES_A_REPLY_CHANGES = ["pending", "resolved", "closed"] as const;

/**
 * The ticket left new/open between the unlocked read of its status and the message's write (an
 * agent resolved it at that moment): the caller rolls back and stores again with the ticket locked.
 */
export class TicketMovedOn extends Error {}

/**
 * Inserts a message and, on a ticketed conversation, its `message` timeline entry and the ticket's
 * updated_at (and first_response_at on the first agent reply), all in one statement. Undefined when its clientId/externalId is already stored (nothing is written).
 * `unlocked`: the caller read the ticket's status without locking it, so the ticket is only
 * updated while it is still not one a customer's reply acts on; TicketMovedOn when it has become one.
 */
export async function insertMessage(tx: Tx, ctx: Ctx, row: NewMessage, unlocked: boolean): Promise<Row<"messages"> | undefined> {
  const values = row;
  const ticketId = row.ticket_id;
  if (!ticketId) return tx.insertInto("messages").values(values).onConflict((oc) => oc.doNothing()).returningAll().executeTakeFirst();
  const firstResponse = row.direction === "outbound" && row.author_type === "user";
  const now = new Date(row.created_at);
  const entry = timelineRow(ctx, messageTimelineEntry(ticketId, row));
  const stored = await tx
    .with("m", (qc) => qc.insertInto("messages").values(values).onConflict((oc) => oc.doNothing()).returningAll())
    // the entry only with a stored message (a duplicate inserts neither)
    .with("entry", (qc) =>
      qc
        .insertInto("timeline_events")
        .columns(["tenant_id", "ticket_id", "kind", "occurred_at", "actor_type", "actor_id", "conversation_id", "message_id", "data"])
        .expression(
          sql`select ${entry.tenant_id}::uuid, ${entry.ticket_id}::uuid, ${entry.kind}::text, ${entry.occurred_at}::timestamptz, ${entry.actor_type}::text, ${entry.actor_id}::uuid, ${entry.conversation_id}::uuid, m.id, ${entry.data}::jsonb from m`,
        ),
    )
    .with("t", (qc) => {
      let update = qc
        .updateTable("tickets")
        .set({ updated_at: now, ...(firstResponse ? { first_response_at: sql<Date>`coalesce(first_response_at, ${now})` } : {}) })
        .where("tenant_id", "=", ctx.tenantId)
        .where("id", "=", ticketId)
        .where((eb) => eb.exists(eb.selectFrom("m").select("m.id")));
      if (unlocked) update = update.where("status", "not in", [...STATUSES_A_REPLY_CHANGES]);
      return update.returning("id");
    })
    .selectFrom("m")
    .leftJoin("t", (join) => join.onTrue())
    .selectAll("m")
    .select("t.id as t_id")
    .executeTakeFirst();
  if (!stored) return undefined;
  const { t_id, ...message } = stored;
  if (t_id === null) throw new TicketMovedOn();
  // no ticket:changed: the message's own message:created tells the ticket's room
  return message;
}

import { OPEN_STATUSES } from "@yixian/contracts";
import type { Tx } from "../../db/database.ts";
import type { Row } from "../../db/schema.ts";
import type { Ctx } from "../context.ts";
import { insertTicket } from "../tickets/insert-ticket.ts";
import { ticketChanged } from "../tickets/ticket-events.ts";
import { addTimelineEvent, type TimelineEntry } from "../tickets/timeline.ts";
import { conversationChannel } from "./conversation-guards.ts";

/**
 * One problem, one ticket: the contact's newest open ticket (new, open or pending, not merged
 * away) that a new conversation of theirs joins, or null.
 */
export async function findOpenTicketOfContact(tx: Tx, ctx: Ctx, contactId: string | null): Promise<Row<"tickets"> | null> {
  if (!contactId) return null;
  const row = await tx
    .selectFrom("tickets")
    .selectAll()
    .where("tenant_id", "=", ctx.tenantId)
    .where("contact_id", "=", contactId)
    .where("status", "in", [...OPEN_STATUSES])
    .where("merged_into_id", "is", null)
    .orderBy("created_at", "desc")
    .orderBy("id", "desc")
    .limit(1)
    .executeTakeFirst();
  return row ?? null;
}

/**
 * Records that a conversation joined its contact's open ticket (found by findOpenTicketOfContact),
 * or the ticket an agent placed a call from (reason agent):
 * the `conversation_linked` entry on the ticket's timeline and `ticket:changed`. The one place
 * this link is written, whether the conversation joins at its start or when it is accepted.
 */
export async function linkToOpenTicket(
  tx: Tx,
  ctx: Ctx,
  conversation: Pick<Row<"conversations">, "id" | "channel">,
  ticket: Row<"tickets">,
  now: Date,
  reason: "open_ticket" | "agent" = "open_ticket",
): Promise<void> {
  await addTimelineEvent(tx, ctx, {
    ticketId: ticket.id,
    kind: "conversation_linked",
    conversationId: conversation.id,
    occurredAt: now,
    data: { channel: conversation.channel, reason },
  });
  await ticketChanged(tx, ticket, ["timeline"]);
}

/** The first line of the customer's first words, short enough for a subject. */
async function subjectFromFirstMessage(tx: Tx, ctx: Ctx, conversationId: string): Promise<string | null> {
  const first = await tx
    .selectFrom("messages")
    .select("body_text")
    .where("tenant_id", "=", ctx.tenantId)
    .where("conversation_id", "=", conversationId)
    .where("direction", "<>", "internal")
    .where("body_text", "<>", "")
    .orderBy("seq")
    .limit(1)
    .executeTakeFirst();
  const line = first?.body_text.split(/\r?\n/).map((l) => l.trim()).find(Boolean);
  if (!line) return null;
  const chars = [...line];
  return chars.length > 100 ? `${chars.slice(0, 99).join("")}…` : line;
}

/**
 * Opens a ticket for a conversation through insertTicket: its subject is the given one, the
 * conversation's, the customer's first message, the contact's name, or the channel, in that order.
 */
export async function newTicketForConversation(
  tx: Tx,
  ctx: Ctx,
  conversation: Row<"conversations">,
  options: { subject?: string | undefined; assigneeId: string | null; createdData: Record<string, unknown> },
): Promise<Row<"tickets">> {
  const contact = conversation.contact_id
    ? await tx.selectFrom("contacts").select(["name", "company_id"]).where("tenant_id", "=", ctx.tenantId).where("id", "=", conversation.contact_id).executeTakeFirst()
    : undefined;
  const subject =
    options.subject?.trim() ||
    conversation.subject.trim() ||
    // a conversation with no message yet (a phone call) has no first words to read
    (conversation.last_seq > 0 ? await subjectFromFirstMessage(tx, ctx, conversation.id) : null) ||
    contact?.name ||
    conversationChannel(conversation);
  return insertTicket(tx, ctx, {
    subject,
    sourceChannel: conversationChannel(conversation),
    contactId: conversation.contact_id,
    companyId: contact?.company_id ?? null,
    queueId: conversation.queue_id,
    assigneeId: options.assigneeId,
    createdData: { conversationId: conversation.id, ...options.createdData },
  });
}

/** The timeline actor of a message is its author; bots count as the system. */
function messageActor(message: Pick<Row<"messages">, "author_type" | "author_id">): NonNullable<TimelineEntry["actor"]> {
  switch (message.author_type) {
    case "contact":
    case "user":
    case "integration":
      return { type: message.author_type, id: message.author_id };
    default:
      return { type: "system", id: null };
  }
}

export type TimelinedMessage = Pick<Row<"messages">, "id" | "conversation_id" | "seq" | "direction" | "channel" | "author_type" | "author_id" | "created_at">;

/** The `message` entry on a ticket's timeline for one stored message. */
export function messageTimelineEntry(ticketId: string, message: TimelinedMessage): TimelineEntry {
  return { ticketId, ...messageEntry(message) };
}

/** A message's timeline entry, on whichever ticket it goes. */
export function messageEntry(message: TimelinedMessage): Omit<TimelineEntry, "ticketId"> {
  return {
    kind: "message",
    conversationId: message.conversation_id,
    messageId: message.id,
    occurredAt: new Date(message.created_at),
    actor: messageActor(message),
    data: { seq: message.seq, direction: message.direction, channel: message.channel, authorType: message.author_type, authorId: message.author_id },
  };
}

export async function addMessageToTimeline(tx: Tx, ctx: Ctx, ticketId: string, message: TimelinedMessage): Promise<void> {
  await addTimelineEvent(tx, ctx, messageTimelineEntry(ticketId, message));
}

/**
 * Puts every message of the conversation (and their attachments) on `ticketId`: timeline entries
 * already on another ticket move with them, messages stored before there was a ticket get theirs.
 * The caller updates conversations.ticket_id and writes the linked/detached entries.
 */
export async function moveMessagesToTicket(tx: Tx, ctx: Ctx, conversationId: string, ticketId: string): Promise<void> {
  const ofConversation = tx
    .selectFrom("messages")
    .select("id")
    .where("tenant_id", "=", ctx.tenantId)
    .where("conversation_id", "=", conversationId);
  await tx
    .updateTable("timeline_events")
    .set({ ticket_id: ticketId })
    .where("tenant_id", "=", ctx.tenantId)
    .where("ticket_id", "<>", ticketId)
    .where("message_id", "in", ofConversation)
    .execute();
  const unticketed = await tx
    .selectFrom("messages")
    .select(["id", "conversation_id", "seq", "direction", "channel", "author_type", "author_id", "created_at"])
    .where("tenant_id", "=", ctx.tenantId)
    .where("conversation_id", "=", conversationId)
    .where("ticket_id", "is", null)
    .orderBy("seq")
    .execute();
  for (const m of unticketed) await addMessageToTimeline(tx, ctx, ticketId, m);
  await tx
    .updateTable("messages")
    .set({ ticket_id: ticketId })
    .where("tenant_id", "=", ctx.tenantId)
    .where("conversation_id", "=", conversationId)
    .where((eb) => eb.or([eb("ticket_id", "is", null), eb("ticket_id", "<>", ticketId)]))
    .execute();
  await tx.updateTable("attachments").set({ ticket_id: ticketId }).where("tenant_id", "=", ctx.tenantId).where("message_id", "in", ofConversation).execute();
}

/**
 * The ticket an unticketed conversation gets when accepted (or when it overflows to "leave a
 * message", or is left as a message): the contact's open ticket if one was opened since the
 * conversation started (one problem, one ticket), otherwise a new one. The messages so far go on
 * its timeline.
 */
export async function ticketOnAccept(
  tx: Tx,
  ctx: Ctx,
  conversation: Row<"conversations">,
  agentId: string | null,
  now: Date,
  createdData: Record<string, unknown> = {},
  subject?: string,
): Promise<Row<"tickets">> {
  const open = await findOpenTicketOfContact(tx, ctx, conversation.contact_id);
  const ticket = open ?? (await newTicketForConversation(tx, ctx, conversation, { subject, assigneeId: agentId, createdData }));
  if (conversation.last_seq > 0) await moveMessagesToTicket(tx, ctx, conversation.id, ticket.id);
  if (open) await linkToOpenTicket(tx, ctx, conversation, open, now);
  return ticket;
}

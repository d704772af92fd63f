import { type AuthorType, type DeliveryState, type Message, type MessageDirection } from "@yixian/contracts";
import { CompiledQuery } from "kysely";
import type { Tx } from "../../db/database.ts";
import type { Row } from "../../db/schema.ts";
import { newId } from "../../platform/ids.ts";
import { claimAttachments } from "../attachments/claim-attachments.ts";
import type { Ctx } from "../context.ts";
import { DomainError, found } from "../errors.ts";
import { searchTokens } from "../shared/search-tokens.ts";
import { messageAudience } from "./conversation-events.ts";
import { insertMessage, STATUSES_A_REPLY_CHANGES, type Announcement } from "./insert-message.ts";
import { ticketForCustomerMessage } from "./message-ticket.ts";
import { presentMessage } from "./present-message.ts";
import { onMessageStored } from "../mentions/record-mentions.ts";

export interface MessageInput {
  conversationId: string;
  direction: MessageDirection;
  text: string;
  rich?: Record<string, unknown> | null | undefined;
  attachmentIds?: readonly string[] | undefined;
  /** Chosen by the sender (widget, console); unique per conversation. */
  clientId?: string | null | undefined;
  /** The channel's own message id (WeChat MsgId, e-mail Message-ID); unique per tenant and channel. */
  externalId?: string | null | undefined;
  /** Who wrote it. By default: for inbound the conversation's contact, otherwise the acting user or integration. */
  author?: { type: AuthorType; id: string | null } | undefined;
  deliveryState?: DeliveryState | undefined;
}

function authorOf(ctx: Ctx, conversation: Row<"conversations">, direction: MessageDirection): { type: AuthorType; id: string | null } {
  if (direction === "inbound") return { type: "contact", id: ctx.actor.type === "contact" ? ctx.actor.id : conversation.contact_id };
  switch (ctx.actor.type) {
    case "user":
      return { type: "user", id: ctx.actor.id };
    case "integration":
      return { type: "integration", id: ctx.actor.id };
    case "system":
      return { type: "system", id: null };
    case "contact":
      throw new DomainError("FORBIDDEN", "a customer can only send inbound messages");
  }
}

/** The conversation after nextSeq, with its ticket's status as read (unlocked) in the same statement. */
type Sequenced = Row<"conversations"> & { ticket_status: string | null };

/** Written out: it runs for every message (see MESSAGE_STATEMENT in insert-message.ts). */
const NEXT_SEQ = `with c as (
  update conversations set last_seq = last_seq + 1, last_message_at = $3, updated_at = $3
  where tenant_id = $1 and id = $2 and state <> 'ended'
  returning *
)
select c.*, t.status as ticket_status from c left join tickets t on t.tenant_id = c.tenant_id and t.id = c.ticket_id`;

/**
 * Takes the next seq (the UPDATE row-locks the conversation until commit, so seqs never collide)
 * and reads the ticket's status in the same statement.
 */
async function nextSeq(tx: Tx, ctx: Ctx, conversationId: string, now: Date): Promise<Sequenced> {
  const row = (await tx.executeQuery<Sequenced>(CompiledQuery.raw(NEXT_SEQ, [ctx.tenantId, conversationId, now]))).rows[0];
  if (row) return row;
  found(await tx.selectFrom("conversations").select("id").where("tenant_id", "=", ctx.tenantId).where("id", "=", conversationId).executeTakeFirst(), "conversation");
  throw new DomainError("CONVERSATION_ENDED", "this conversation has ended");
}

/**
 * Stores one message inside the caller's transaction: next seq, ticket (reopened or moved on for
 * a customer's reply), attachments, timeline, audit and realtime events. Throws DuplicateMessage
 * when its clientId/externalId is already stored, so that the caller rolls back and returns that one.
 * A customer's message reads the ticket's status without a lock unless `lockTicket`; TicketMovedOn
 * when the ticket changed status meanwhile (roll back and store again with `lockTicket`).
 * `last`: the caller's transaction writes nothing after the message, so that its COMMIT may go
 * with the message's statement.
 */
export async function storeMessage(tx: Tx, ctx: Ctx, input: MessageInput, options: { lockTicket?: boolean; last?: boolean } = {}): Promise<Message> {
  const now = ctx.deps.clock.now();
  const { ticket_status: ticketStatus, ...sequenced } = await nextSeq(tx, ctx, input.conversationId, now);
  let conversation: Row<"conversations"> = sequenced;
  if (ctx.actor.type === "contact" && conversation.contact_id !== ctx.actor.id) throw new DomainError("NOT_FOUND", "conversation not found");
  const author = input.author ?? authorOf(ctx, conversation, input.direction);
  if (input.direction === "outbound" && author.type === "user" && conversation.state === "queued") {
    throw new DomainError("CONVERSATION_NOT_ACCEPTED", "accept the conversation before replying");
  }
  // A customer's message acts on a pending, resolved or closed ticket (under its lock); on a new
  // or open one (nearly always) it goes without the lock, unless the ticket moves on meanwhile.
  const acts = input.direction === "inbound" && conversation.ticket_id !== null && (options.lockTicket || STATUSES_A_REPLY_CHANGES.some((s) => s === ticketStatus));
  if (acts) conversation = await ticketForCustomerMessage(tx, ctx, conversation);

  const id = newId(now.getTime());
  const announce: Announcement = {
    event: {
      tenantId: ctx.tenantId,
      event: "message:created",
      rooms: messageAudience(conversation),
      payload: {
        id,
        conversationId: conversation.id,
        ticketId: conversation.ticket_id,
        seq: conversation.last_seq,
        direction: input.direction,
        channel: conversation.channel,
        createdAt: now.toISOString(),
      },
    },
    audit: {
      action: "message.created",
      entityType: "message",
      entityId: id,
      changes: { conversationId: conversation.id, seq: conversation.last_seq, direction: input.direction, attachments: new Set(input.attachmentIds ?? []).size },
    },
  };
  const message = await insertMessage(
    tx,
    ctx,
    {
      id,
      tenant_id: ctx.tenantId,
      conversation_id: conversation.id,
      ticket_id: conversation.ticket_id,
      channel: conversation.channel,
      seq: conversation.last_seq,
      direction: input.direction,
      author_type: author.type,
      author_id: author.id,
      body_text: input.text,
      body_rich: input.rich ? JSON.stringify(input.rich) : null,
      delivery_state: input.deliveryState ?? (input.direction === "outbound" ? ctx.deps.channels.initialState(conversation.channel) : "received"),
      external_id: input.externalId ?? null,
      client_id: input.clientId ?? null,
      search_tokens: searchTokens(input.text),
      created_at: now,
    },
    announce,
    // nothing after the message's statement but its attachments and an internal note's mentions
    { unlocked: input.direction === "inbound" && !acts, last: options.last === true && (input.attachmentIds ?? []).length === 0 && input.direction !== "internal" },
  );

  const attachments = await claimAttachments(tx, ctx, input.attachmentIds ?? [], message);
  await onMessageStored(tx, ctx, conversation, message);
  return presentMessage(message, attachments);
}

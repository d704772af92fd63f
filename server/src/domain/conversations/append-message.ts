import type { Message } from "@yixian/contracts";
import type { Executor } from "../../db/database.ts";
import type { Row } from "../../db/schema.ts";
import { attachmentsOfMessages } from "../attachments/claim-attachments.ts";
import { inTransaction, type Ctx } from "../context.ts";
import { DomainError, found } from "../errors.ts";
import { presentMessage } from "./present-message.ts";
import { DuplicateMessage, TicketMovedOn } from "./insert-message.ts";
import { storeMessage, type MessageInput } from "./store-message.ts";

export type AppendMessageInput = MessageInput;

/** The message already stored under this input's clientId or externalId, if any. */
async function storedAlready(db: Executor, ctx: Ctx, input: MessageInput): Promise<Row<"messages"> | undefined> {
  if (!input.clientId && !input.externalId) return undefined;
  const conversation = await db
    .selectFrom("conversations")
    .select(["id", "channel", "contact_id"])
    .where("tenant_id", "=", ctx.tenantId)
    .where("id", "=", input.conversationId)
    .executeTakeFirst();
  // Unknown or not the customer's own: storeMessage answers NOT_FOUND.
  if (!conversation || (ctx.actor.type === "contact" && conversation.contact_id !== ctx.actor.id)) return undefined;
  const byClientId = input.clientId
    ? await db
        .selectFrom("messages")
        .selectAll()
        .where("tenant_id", "=", ctx.tenantId)
        .where("conversation_id", "=", conversation.id)
        .where("client_id", "=", input.clientId)
        .executeTakeFirst()
    : undefined;
  if (byClientId || !input.externalId) return byClientId;
  return db
    .selectFrom("messages")
    .selectAll()
    .where("tenant_id", "=", ctx.tenantId)
    .where("channel", "=", conversation.channel)
    .where("external_id", "=", input.externalId)
    .executeTakeFirst();
}

async function present(db: Executor, ctx: Ctx, row: Row<"messages">): Promise<Message> {
  const attachments = await attachmentsOfMessages(db, ctx, [row.id]);
  return presentMessage(row, attachments.get(row.id) ?? []);
}

/**
 * Adds a message to a conversation: an agent's reply or internal note, or (from channel
 * adapters and the widget) the customer's inbound message. The message is committed before
 * this resolves. A retried delivery (same clientId in the conversation, or same externalId on
 * the channel) returns the message stored the first time, even when both arrive at once or the
 * conversation has moved on since (ended, transferred).
 * CONVERSATION_ENDED once the conversation has ended; NOT_FOUND for another tenant's conversation.
 */
export async function appendMessage(ctx: Ctx, input: AppendMessageInput): Promise<Message> {
  try {
    // Optimistic: a first delivery (nearly every one) costs no look-up; a duplicate rolls back.
    try {
      return await inTransaction(ctx, (tx) => storeMessage(tx, ctx, input, { last: true }));
    } catch (err) {
      if (!(err instanceof TicketMovedOn)) throw err;
      return await inTransaction(ctx, (tx) => storeMessage(tx, ctx, input, { lockTicket: true, last: true }));
    }
  } catch (err) {
    const retry = err instanceof DuplicateMessage || err instanceof DomainError;
    if (!retry || (!input.clientId && !input.externalId)) throw err;
    const { db } = ctx.deps;
    const earlier = await storedAlready(db, ctx, input);
    if (earlier) return present(db, ctx, earlier);
    throw err instanceof DuplicateMessage ? found(undefined, "message") : err;
  }
}

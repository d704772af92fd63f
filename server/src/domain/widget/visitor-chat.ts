import type { VisitorConversation, VisitorMessage, VisitorMessageList, VisitorSendMessage } from "@yixian/contracts";
import { sql } from "kysely";
import type { Tx } from "../../db/database.ts";
import type { Row } from "../../db/schema.ts";
import { inTransaction } from "../context.ts";
import { conversationChanged } from "../conversations/conversation-events.ts";
import { receiveMessage, type InboundMessage } from "../conversations/receive-message.ts";
import { endConversation } from "../conversations/end-conversation.ts";
import { DomainError, found } from "../errors.ts";
import { messageLimiter } from "./rate-limit.ts";
import { presentVisitorConversation, presentVisitorMessages, visitorsOwnMessage } from "./present-visitor.ts";
import { noticesOfPage, storedVisitorNotices } from "./visitor-notices.ts";
import type { VisitorChannel } from "./visitor-channel.ts";
import { loadVisitorSession, type VisitorSession } from "./visitor-context.ts";

/** The visitor's newest conversation row (their own contact's), or null. */
export async function visitorConversationRow(session: VisitorSession): Promise<Row<"conversations"> | null> {
  const { visitor, contact } = session;
  if (!visitor.conversation_id) return null;
  const row = await session.ctx.deps.db
    .selectFrom("conversations")
    .selectAll()
    .where("tenant_id", "=", visitor.tenant_id)
    .where("id", "=", visitor.conversation_id)
    .where("contact_id", "=", contact.id)
    .executeTakeFirst();
  return row ?? null;
}

/** The visitor's current conversation: as loaded with the session, or read now. */
export async function currentConversationRow(session: VisitorSession): Promise<Row<"conversations"> | null> {
  return session.conversation !== undefined ? session.conversation : visitorConversationRow(session);
}

async function reload(session: VisitorSession): Promise<VisitorSession> {
  return loadVisitorSession(session.ctx.deps, session.visitor.tenant_id, session.visitor.id);
}

/** The visitor's row points at a conversation they start (unless another start moved it first). */
async function pointVisitorAt(tx: Tx, session: VisitorSession, conversationId: string): Promise<void> {
  const { visitor, ctx } = session;
  await tx
    .updateTable("widget_visitors")
    .set({ conversation_id: conversationId, read_seq: 0, updated_at: ctx.deps.clock.now() })
    .where("tenant_id", "=", ctx.tenantId)
    .where("id", "=", visitor.id)
    .where((eb) => (visitor.conversation_id ? eb("conversation_id", "=", visitor.conversation_id) : eb("conversation_id", "is", null)))
    .execute();
}

/**
 * What every visitor message and start hands receiveMessage: the adapter's channel and ref
 * (naming the visitor and their previous conversation), the visitor's contact, the widget's entry
 * point and queue. A start points the visitor at the new conversation in its own transaction, so
 * whoever hears of the conversation finds its visitor.
 */
function visitorInbound(session: VisitorSession, via: VisitorChannel, open: Row<"conversations"> | null): InboundMessage {
  const { visitor, widget, contact } = session;
  return {
    channel: via.channel,
    account: widget.entry_point,
    from: { contactId: contact.id },
    externalRef: via.externalRef(visitor.id, visitor.conversation_id),
    conversation: open,
    start: { queueId: widget.default_queue_id, language: contact.language ?? undefined },
    onStart: (tx, conversation) => pointVisitorAt(tx, session, conversation.id),
  };
}

/**
 * The visitor's open conversation, or a new one (web chat, the widget's entry point and default
 * queue: routing offers it to agents), through receiveMessage.
 */
export async function startVisitorConversation(session: VisitorSession, via: VisitorChannel): Promise<{ session: VisitorSession; conversation: Row<"conversations"> }> {
  const open = await currentConversationRow(session);
  if (open && open.state !== "ended") return { session, conversation: open };
  await receiveMessage(session.ctx, visitorInbound(session, via, null));
  const fresh = await reload(session);
  const row = found(await visitorConversationRow(fresh), "conversation");
  return { session: fresh, conversation: row };
}

export async function startConversationForVisitor(session: VisitorSession, via: VisitorChannel): Promise<VisitorConversation> {
  const started = await startVisitorConversation(session, via);
  return presentVisitorConversation(session.ctx.deps.db, started.conversation, started.session.visitor);
}

/** Only the visitor's own, unsent uploads may go with their message. */
async function checkUploads(session: VisitorSession, attachmentIds: readonly string[]): Promise<void> {
  if (attachmentIds.length === 0) return;
  const own = await session.ctx.deps.db
    .selectFrom("widget_uploads")
    .select("attachment_id")
    .where("tenant_id", "=", session.visitor.tenant_id)
    .where("visitor_id", "=", session.visitor.id)
    .where("attachment_id", "in", [...attachmentIds])
    .execute();
  const missing = attachmentIds.find((id) => !own.some((r) => r.attachment_id === id));
  if (missing) throw new DomainError("NOT_FOUND", `attachment ${missing} not found`);
}

/**
 * Stores the visitor's message (starting a conversation when none is open) before answering it
 * with its seq. A retry with the same clientId answers the message stored the first time.
 */
export async function sendVisitorMessage(session: VisitorSession, via: VisitorChannel, input: VisitorSendMessage): Promise<VisitorMessage> {
  const { ctx } = session;
  messageLimiter.take(`visitor:${session.visitor.id}`, ctx.deps.clock.now().getTime());
  await checkUploads(session, input.attachmentIds);
  const open = await currentConversationRow(session);
  // an open conversation (nearly always): the message goes straight in, with no look-up
  const received = await receiveMessage(ctx, {
    ...visitorInbound(session, via, open),
    text: input.text,
    attachmentIds: input.attachmentIds,
    clientId: input.clientId,
  });
  const stored = found(received.message ?? undefined, "message");
  return visitorsOwnMessage(ctx.deps, ctx.tenantId, stored);
}

/**
 * Resync: the visitor's messages after a seq (internal notes never), with the notices (queued,
 * agent joined, transferred, ended) placed among them, as the visitor saw them live.
 */
export async function visitorMessages(session: VisitorSession, afterSeq: number, limit = 200): Promise<VisitorMessageList> {
  const db = session.ctx.deps.db;
  const conversation = await visitorConversationRow(session);
  if (!conversation) return { conversation: null, items: [], nextAfterSeq: null, notices: [] };
  const rows = await db
    .selectFrom("messages")
    .selectAll()
    .where("tenant_id", "=", conversation.tenant_id)
    .where("conversation_id", "=", conversation.id)
    .where("direction", "in", ["inbound", "outbound"])
    .where("seq", ">", afterSeq)
    .orderBy("seq")
    .limit(limit + 1)
    .execute();
  const page = rows.slice(0, limit);
  const nextAfterSeq = rows.length > limit ? (page.at(-1)?.seq ?? null) : null;
  return {
    conversation: await presentVisitorConversation(db, conversation, session.visitor),
    items: await presentVisitorMessages(db, session.ctx.deps, conversation.tenant_id, page),
    nextAfterSeq,
    notices: noticesOfPage(await storedVisitorNotices(db, conversation), afterSeq, nextAfterSeq),
  };
}

/** The visitor has read up to seq; agents hear `conversation:changed` (changes: visitorRead). */
export async function markVisitorRead(session: VisitorSession, seq: number): Promise<VisitorConversation> {
  const { ctx, visitor } = session;
  const conversation = found(await visitorConversationRow(session), "conversation");
  const upTo = Math.max(0, Math.min(Math.trunc(seq), conversation.last_seq));
  const updated = await inTransaction(ctx, async (tx) => {
    const row = await tx
      .updateTable("widget_visitors")
      .set({ read_seq: sql<number>`greatest(read_seq, ${upTo})`, updated_at: ctx.deps.clock.now() })
      .where("tenant_id", "=", ctx.tenantId)
      .where("id", "=", visitor.id)
      .where("conversation_id", "=", conversation.id)
      .where("read_seq", "<", upTo)
      .returningAll()
      .executeTakeFirst();
    if (row) await conversationChanged(tx, conversation, ["visitorRead"]);
    return row ?? visitor;
  });
  return presentVisitorConversation(ctx.deps.db, conversation, updated);
}

/** The visitor closes the chat. */
export async function endVisitorConversation(session: VisitorSession): Promise<VisitorConversation> {
  const conversation = found(await visitorConversationRow(session), "conversation");
  if (conversation.state !== "ended") await endConversation(session.ctx, conversation.id, {});
  const row = found(await visitorConversationRow(session), "conversation");
  return presentVisitorConversation(session.ctx.deps.db, row, session.visitor);
}

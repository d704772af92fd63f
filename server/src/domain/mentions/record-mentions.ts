import { rooms } from "@yixian/contracts";
import type { Tx } from "../../db/database.ts";
import type { Row } from "../../db/schema.ts";
import { actorId, type Ctx } from "../context.ts";
import { recordEvent } from "../events/outbox.ts";
import { recordAudit } from "../shared/audit.ts";
import { inboxChanged } from "./inbox-events.ts";
import { excerptOf, parseMentions } from "./parse-mentions.ts";

export interface NoteSource {
  text: string;
  /** Ids named explicitly (the console's mention picker), besides the @names in the text. */
  explicitIds: readonly string[];
  conversationId: string | null;
  messageId: string | null;
  ticketId: string | null;
  timelineEventId: number | null;
}

/** The active users of the tenant among `ids`, or everyone active when ids is null (to match @names). */
async function people(tx: Tx, ctx: Ctx, ids: readonly string[] | null) {
  let q = tx.selectFrom("users").select(["id", "display_name as name"]).where("tenant_id", "=", ctx.tenantId).where("is_active", "=", true);
  if (ids) q = q.where("id", "in", [...ids]);
  return q.execute();
}

/**
 * Records who an internal note mentions (by @name or explicitly) and tells each of them at once
 * (`mention:new` and `inbox:changed` to their room, after commit). The author mentioning
 * themself and unknown ids are ignored. Returns the mentioned user ids.
 */
export async function recordMentions(tx: Tx, ctx: Ctx, note: NoteSource, now: Date): Promise<string[]> {
  const author = ctx.actor.type === "user" ? { id: ctx.actor.id, name: ctx.actor.name } : null;
  const byName = note.text.includes("@") ? parseMentions(note.text, await people(tx, ctx, null)) : [];
  const explicit = note.explicitIds.length > 0 ? (await people(tx, ctx, note.explicitIds)).map((p) => p.id) : [];
  const userIds = [...new Set([...byName, ...explicit])].filter((id) => id !== author?.id);
  if (userIds.length === 0) return [];
  const excerpt = excerptOf(note.text);
  const rows = await tx
    .insertInto("mentions")
    .values(
      userIds.map((userId) => ({
        tenant_id: ctx.tenantId,
        user_id: userId,
        author_id: author?.id ?? null,
        conversation_id: note.conversationId,
        message_id: note.messageId,
        ticket_id: note.ticketId,
        timeline_event_id: note.timelineEventId,
        excerpt,
        created_at: now,
      })),
    )
    .onConflict((oc) => oc.doNothing())
    .returning(["id", "user_id"])
    .execute();
  for (const row of rows) {
    await recordEvent(tx, {
      tenantId: ctx.tenantId,
      event: "mention:new",
      rooms: [rooms.agent(row.user_id)],
      payload: { mentionId: row.id, authorId: author?.id ?? null, authorName: author?.name ?? null, conversationId: note.conversationId, ticketId: note.ticketId, excerpt, createdAt: now.toISOString() },
    });
  }
  await inboxChanged(tx, ctx.tenantId, rows.map((r) => r.user_id), "mention", note.conversationId, now);
  await recordAudit(tx, ctx, {
    action: "mention.created",
    entityType: note.messageId ? "message" : "ticket",
    entityId: note.messageId ?? note.ticketId,
    changes: { mentioned: rows.map((r) => r.user_id), by: actorId(ctx.actor) },
  });
  return rows.map((r) => r.user_id);
}

function explicitMentions(rich: unknown): string[] {
  if (!rich || typeof rich !== "object" || !("mentions" in rich)) return [];
  const ids = (rich as { mentions: unknown }).mentions;
  return Array.isArray(ids) ? ids.filter((id): id is string => typeof id === "string" && /^[0-9a-f-]{36}$/i.test(id)) : [];
}

/**
 * Hook of storeMessage: an internal note's mentions are recorded (`@name` in the text, or
 * `mentions: [userId]` in its rich body). The agent's unread badge needs no event of its own:
 * they hear the message's `message:created`.
 */
export async function onMessageStored(tx: Tx, ctx: Ctx, conversation: Row<"conversations">, message: Row<"messages">): Promise<void> {
  if (message.direction !== "internal") return;
  const now = new Date(message.created_at);
  await recordMentions(
    tx,
    ctx,
    { text: message.body_text, explicitIds: explicitMentions(message.body_rich), conversationId: conversation.id, messageId: message.id, ticketId: message.ticket_id, timelineEventId: null },
    now,
  );
}

/** Hook of addNote: the note's mentions are recorded. */
export async function onNoteAdded(tx: Tx, ctx: Ctx, ticketId: string, timelineEventId: number, body: string): Promise<void> {
  await recordMentions(tx, ctx, { text: body, explicitIds: [], conversationId: null, messageId: null, ticketId, timelineEventId }, ctx.deps.clock.now());
}

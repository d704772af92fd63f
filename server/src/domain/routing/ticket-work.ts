import { CHANNELS } from "@yixian/contracts";
import type { Tx } from "../../db/database.ts";
import { newId } from "../../platform/ids.ts";
import { knownValue } from "../shared/known-value.ts";
import { mediaOf } from "./media.ts";
import type { Ctx } from "../context.ts";
import { withdrawItemOffers } from "./withdraw-offers.ts";
import { liveItemOfConversation, type WorkItemRow } from "./work-item-lock.ts";

/** Why a caller's item became ticket work: they left a voicemail, or asked to be called back. */
export type CallWorkKind = "voicemail" | "callback";

/**
 * A caller leaves the queue with a voicemail or a call-back request: the conversation's item
 * waiting (or ringing: its offers are withdrawn) for the call becomes work on the call's ticket —
 * the same row, so it keeps its queue, priority and place (enqueued_at) — marked with why and the
 * call record it came from, and no longer the conversation's (ending the conversation does not
 * abandon it). Routing offers it as any ticket work; accepting it assigns the ticket. A caller who
 * could not wait (the queue closed or full, overflowed to voicemail) leaves the overflowed item as
 * the work; one a closed-hours rule answered (no item) leaves new voicemail work in the
 * conversation's queue, for when agents are back. Null when the item was already answered, or
 * nothing queued a call-back. Call with the conversation locked.
 */
export async function keepCallerWorkOnTicket(
  tx: Tx,
  ctx: Ctx,
  conversationId: string,
  work: { kind: CallWorkKind; ticketId: string; callId: string },
  now: Date,
): Promise<WorkItemRow | null> {
  const item = (await liveItemOfConversation(tx, ctx.tenantId, conversationId)) ?? (await overflowedItem(tx, ctx.tenantId, conversationId));
  if (!item) return work.kind === "voicemail" ? closedHoursVoicemail(tx, ctx, conversationId, work, now) : null;
  if (item.state === "assigned") return null;
  if (item.state === "offered") await withdrawItemOffers(tx, ctx.tenantId, item.id, "cancelled", now);
  return tx
    .updateTable("work_items")
    .set({ kind: work.kind, call_id: work.callId, ticket_id: work.ticketId, conversation_id: null, state: "waiting", updated_at: now })
    .where("tenant_id", "=", ctx.tenantId)
    .where("id", "=", item.id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** The conversation's item that overflowed to voicemail or a ticket (its queue was closed or full), locked. */
async function overflowedItem(tx: Tx, tenantId: string, conversationId: string): Promise<WorkItemRow | undefined> {
  return tx
    .selectFrom("work_items")
    .selectAll()
    .where("tenant_id", "=", tenantId)
    .where("conversation_id", "=", conversationId)
    .where("state", "=", "overflowed")
    .orderBy("created_at", "desc")
    .limit(1)
    .forUpdate()
    .executeTakeFirst();
}

/** Voicemail left when the rules answered "closed" (nothing was queued): new voicemail work in the conversation's queue. */
async function closedHoursVoicemail(tx: Tx, ctx: Ctx, conversationId: string, work: { ticketId: string; callId: string }, now: Date): Promise<WorkItemRow | null> {
  const conversation = await tx.selectFrom("conversations").select(["queue_id", "contact_id", "channel"]).where("tenant_id", "=", ctx.tenantId).where("id", "=", conversationId).executeTakeFirstOrThrow();
  if (!conversation.queue_id) return null;
  const queue = await tx.selectFrom("queues").select("priority").where("tenant_id", "=", ctx.tenantId).where("id", "=", conversation.queue_id).executeTakeFirstOrThrow();
  return tx
    .insertInto("work_items")
    .values({
      id: newId(now.getTime()),
      tenant_id: ctx.tenantId,
      queue_id: conversation.queue_id,
      media: mediaOf(knownValue(CHANNELS, conversation.channel, "channel")),
      channel: conversation.channel,
      ticket_id: work.ticketId,
      contact_id: conversation.contact_id,
      priority: queue.priority,
      kind: "voicemail",
      call_id: work.callId,
      state: "waiting",
      enqueued_at: now,
      decision: JSON.stringify({ explanation: "voicemail left while the hotline was closed" }),
      created_at: now,
      updated_at: now,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

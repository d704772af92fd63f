import type { Tx } from "../../db/database.ts";
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
 * abandon it). Routing offers it as any ticket work; accepting it assigns the ticket. Null when
 * the conversation had no item waiting (never queued, or already answered). Call with the
 * conversation locked.
 */
export async function keepCallerWorkOnTicket(
  tx: Tx,
  ctx: Ctx,
  conversationId: string,
  work: { kind: CallWorkKind; ticketId: string; callId: string },
  now: Date,
): Promise<WorkItemRow | null> {
  const item = await liveItemOfConversation(tx, ctx.tenantId, conversationId);
  if (!item || item.state === "assigned") return null;
  if (item.state === "offered") await withdrawItemOffers(tx, ctx.tenantId, item.id, "cancelled", now);
  return tx
    .updateTable("work_items")
    .set({ kind: work.kind, call_id: work.callId, ticket_id: work.ticketId, conversation_id: null, state: "waiting", updated_at: now })
    .where("tenant_id", "=", ctx.tenantId)
    .where("id", "=", item.id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

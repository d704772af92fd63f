import type { Deps } from "../context.ts";
import { inTransaction } from "../context.ts";
import { ticketOnAccept } from "../conversations/conversation-ticket.ts";
import { lockConversation } from "../conversations/conversation-guards.ts";
import { endConversationTx } from "../conversations/end-conversation.ts";
import { keepCallerWorkOnTicket, type CallWorkKind } from "../routing/ticket-work.ts";
import { recordCallEvent } from "../voice/call-records.ts";
import { callerCtx } from "./call-ctx.ts";

export interface LeavingCall {
  tenantId: string;
  conversationId: string;
  callRecordId: string;
}

/** The work a caller left behind: their ticket, and the item that keeps their place (null: they were not queued). */
export interface CallWork {
  ticketId: string;
  workItemId: string | null;
}

/**
 * The caller leaves the queue as `kind`: the call's conversation is put on a ticket (the caller's
 * open one, or a new one in the item's queue), the waiting item becomes work on that ticket
 * keeping its place (`keepCallerWorkOnTicket`), the conversation ends as the caller's, and the
 * call record ends with that disposition (on the ticket's timeline). Routing is kicked.
 */
export async function callToWork(deps: Deps, call: LeavingCall, kind: CallWorkKind): Promise<CallWork> {
  const ctx = await callerCtx(deps, call.tenantId, call.conversationId);
  const work = await inTransaction(ctx, async (tx) => {
    const now = deps.clock.now();
    const conversation = await lockConversation(tx, ctx, call.conversationId);
    let ticketId = conversation.ticket_id;
    if (!ticketId) {
      const item = await tx
        .selectFrom("work_items")
        .select("queue_id")
        .where("tenant_id", "=", ctx.tenantId)
        .where("conversation_id", "=", conversation.id)
        .where("state", "in", ["waiting", "offered"])
        .executeTakeFirst();
      const ticket = await ticketOnAccept(tx, ctx, { ...conversation, queue_id: item?.queue_id ?? conversation.queue_id }, null, now, { [kind]: true });
      await tx.updateTable("conversations").set({ ticket_id: ticket.id, updated_at: now }).where("tenant_id", "=", ctx.tenantId).where("id", "=", conversation.id).execute();
      ticketId = ticket.id;
    }
    const item = await keepCallerWorkOnTicket(tx, ctx, conversation.id, { kind, ticketId, callId: call.callRecordId }, now);
    await endConversationTx(tx, ctx, conversation.id, {});
    return { ticketId, workItemId: item?.id ?? null };
  });
  deps.routing.kick();
  await recordCallEvent(ctx, call.callRecordId, { type: "ended", side: "caller", disposition: kind });
  return work;
}

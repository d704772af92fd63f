import type { Deps } from "../context.ts";
import { inTransaction, systemCtx, type RoutingAnswer } from "../context.ts";
import { recordCallEvent } from "../voice/call-records.ts";

export interface QueueCall {
  tenantId: string;
  conversationId: string;
  callRecordId: string;
  /** The number dialled: the navigation rules' entry point. */
  entryPoint: string;
  /** The key the caller chose in the number's menu: the rules' menu choice. */
  menuChoice?: string | null | undefined;
  language?: string | undefined;
}

/** The call's live work item's queue, if it has one. */
export async function queueOfCall(deps: Deps, tenantId: string, conversationId: string): Promise<string | null> {
  const item = await deps.db
    .selectFrom("work_items")
    .select("queue_id")
    .where("tenant_id", "=", tenantId)
    .where("conversation_id", "=", conversationId)
    .where("state", "in", ["waiting", "offered", "assigned"])
    .orderBy("created_at", "desc")
    .executeTakeFirst();
  return item?.queue_id ?? null;
}

/**
 * Why a queued caller cannot wait for an agent and is asked for a voicemail instead: the hotline
 * is closed (a navigation rule answers with its closed-hours or holiday message, or the queue is
 * closed by its calendar), or the queue is full and overflows to voicemail. Null: they wait.
 */
export type LeaveMessage = "closed" | "full" | null;

function leaveMessageOf(answer: RoutingAnswer): LeaveMessage {
  if (answer.kind === "message") return "closed";
  if (answer.kind !== "queued") return null;
  if (answer.refused === "closed") return "closed";
  return answer.overflow ? "full" : null;
}

export interface QueuedCall {
  queueId: string | null;
  leaveMessage: LeaveMessage;
  /** The navigation rule's own words when it answers with a message (closed today, renewal…): the IVR says them. */
  message: string | null;
}

/**
 * A call the IVR has finished asking about (verification, menu) is handed to routing, as a chat
 * is when it starts: the navigation rules see the caller as now identified and the menu choice,
 * and pick the queue (the number's own queue when no rule matches). Routing cannot offer the call
 * before this: its conversation was started without a work item. Answers the queue (null: nothing
 * routed it) and whether the caller is to leave a message instead of waiting (`LeaveMessage`), and
 * marks the call record queued. Queueing twice changes nothing.
 */
export async function queueInboundCall(deps: Deps, call: QueueCall, options: { justStarted?: boolean } = {}): Promise<QueuedCall> {
  const ctx = systemCtx(deps, call.tenantId);
  if (!options.justStarted) {
    const conversation = await deps.db.selectFrom("conversations").select("state").where("tenant_id", "=", ctx.tenantId).where("id", "=", call.conversationId).executeTakeFirstOrThrow();
    // a caller who left meanwhile is not queued
    if (conversation.state === "ended") return { queueId: null, leaveMessage: null, message: null };
  }
  const answer = await inTransaction(ctx, (tx) =>
    deps.routing.enqueue(tx, ctx, { conversationId: call.conversationId, channel: "phone", entryPoint: call.entryPoint, menuChoice: call.menuChoice ?? undefined, language: call.language }),
  );
  deps.routing.kick();
  const queueId = answer.kind === "queued" ? answer.queueId : answer.kind === "existing" ? await queueOfCall(deps, ctx.tenantId, call.conversationId) : null;
  if (queueId) await recordCallEvent(ctx, call.callRecordId, { type: "queued", queueId });
  return { queueId, leaveMessage: leaveMessageOf(answer), message: answer.kind === "message" ? answer.text : null };
}

import type { CallDisposition } from "@yixian/contracts";
import type { Ctx, Deps } from "../context.ts";
import { inTransaction, systemCtx } from "../context.ts";
import { endConversationTx } from "../conversations/end-conversation.ts";
import { DomainError } from "../errors.ts";
import { assertCallExists, recordCallEventTx } from "../voice/call-records.ts";
import { agentCtx, callerCtx } from "./call-ctx.ts";

export interface CallEnd {
  tenantId: string;
  conversationId: string;
  callRecordId: string;
  /** Who hung up: the caller, the agent (agentId), or the system (a failure). */
  side: "caller" | "agent" | "system";
  agentId?: string | null | undefined;
  cause?: string | undefined;
  /** Unset: answered, abandoned or missed as the record's times say; outbound calls name theirs (busy, unreachable: missed or failed). */
  disposition?: CallDisposition | undefined;
}

/**
 * A call's talking part is over: its conversation ends as that side's — an item still waiting or
 * ringing is abandoned, an answered one completes and the agent goes to wrap-up — and its call
 * record ends with the side and cause. Ending a conversation the agent already closed in the
 * console is not an error.
 */
export async function endCall(deps: Deps, end: CallEnd): Promise<void> {
  let ctx: Ctx;
  if (end.side === "caller") ctx = await callerCtx(deps, end.tenantId, end.conversationId);
  else if (end.side === "agent" && end.agentId) ctx = await agentCtx(deps, end.tenantId, end.agentId);
  else ctx = systemCtx(deps, end.tenantId);
  const event = { type: "ended", side: end.side, ...(end.cause ? { cause: end.cause } : {}), ...(end.disposition ? { disposition: end.disposition } : {}) } as const;
  // the conversation and the call record end together (one commit)
  const recorded = await inTransaction(ctx, async (tx) => {
    try {
      await endConversationTx(tx, ctx, end.conversationId, {});
    } catch (err) {
      if (!(err instanceof DomainError && err.code === "CONVERSATION_ENDED")) throw err;
    }
    return recordCallEventTx(tx, ctx, end.callRecordId, event);
  });
  deps.routing.kick();
  if (!recorded) await assertCallExists(ctx, end.callRecordId);
}

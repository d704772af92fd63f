import { sql } from "kysely";
import type { Deps } from "../context.ts";
import { recordCallEvent } from "../voice/call-records.ts";
import { endCall } from "./end-call.ts";

export const NODE_RESTARTED = "node restarted";

/**
 * Calls whose node is gone (stopped beating, or restarted under a new id) cannot go on: their
 * dialogs and media died with it. Each such open call record ends failed ("node restarted") and
 * its conversation ends (an item still waiting is abandoned), so nothing stays half-open. Run at
 * start-up and now and then by every node that handles calls. Returns how many it closed.
 */
export async function closeOrphanedCalls(deps: Deps, ownNodeId: string): Promise<number> {
  const alive = sql<boolean>`exists (select 1 from nodes n where n.id = calls.node_id and n.heartbeat_at >= now() - (${deps.config.nodeTimeoutMs}::int * interval '1 millisecond'))`;
  const orphans = await deps.db
    .selectFrom("calls")
    .select(["id", "tenant_id", "conversation_id"])
    .where("ended_at", "is", null)
    .where("node_id", "is not", null)
    .where("node_id", "<>", ownNodeId)
    .where((eb) => eb.not(alive))
    .limit(500)
    .execute();
  for (const call of orphans) {
    if (call.conversation_id) {
      await endCall(deps, { tenantId: call.tenant_id, conversationId: call.conversation_id, callRecordId: call.id, side: "system", cause: NODE_RESTARTED, disposition: "failed" });
    } else {
      await recordCallEvent({ tenantId: call.tenant_id, actor: { type: "system" }, deps, log: deps.log }, call.id, { type: "ended", side: "system", cause: NODE_RESTARTED, disposition: "failed" });
    }
  }
  if (orphans.length > 0) deps.log.warn({ calls: orphans.length }, "calls of a node that is gone were closed as failed");
  return orphans.length;
}

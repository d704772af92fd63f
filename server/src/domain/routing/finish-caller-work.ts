import { inTransaction, type Ctx } from "../context.ts";
import { DomainError, notFound } from "../errors.ts";
import { agentOf } from "../shared/agent.ts";
import { recordAudit } from "../shared/audit.ts";
import { completeItem } from "./finish-work.ts";
import { lockWorkItem, type WorkItemRow } from "./work-item-lock.ts";

/**
 * The agent has handled a voicemail or call-back item they accepted (listened and answered, or
 * called the customer back): it completes, and the agent goes to wrap-up as after a call — until
 * then it holds their voice capacity. Another agent's item is NOT_FOUND; an item not theirs to
 * finish (a live contact, not assigned) is INVALID_TRANSITION. Finishing twice answers the item.
 */
export async function finishCallerWork(ctx: Ctx, workItemId: string): Promise<WorkItemRow> {
  const agent = agentOf(ctx);
  const item = await inTransaction(ctx, async (tx) => {
    const row = await lockWorkItem(tx, ctx.tenantId, workItemId);
    if (!row || row.assigned_to !== agent.id) throw notFound("work item");
    if (row.kind === "contact") throw new DomainError("INVALID_TRANSITION", "only voicemail and call-back work is finished this way");
    if (row.state === "completed") return row;
    if (row.state !== "assigned") throw new DomainError("INVALID_TRANSITION", `this work is ${row.state}, not assigned to you`);
    const done = await completeItem(tx, ctx, row, ctx.deps.clock.now());
    await recordAudit(tx, ctx, { action: "work_item.finished", entityType: "work_item", entityId: row.id, changes: { kind: row.kind } });
    return done;
  });
  ctx.deps.routing.kick();
  return item;
}

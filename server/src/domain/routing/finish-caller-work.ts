import type { CallerWork, FinishCallerWork } from "@yixian/contracts";
import { inTransaction, type Ctx } from "../context.ts";
import { DomainError, notFound } from "../errors.ts";
import { agentOf } from "../shared/agent.ts";
import { recordAudit } from "../shared/audit.ts";
import { finishEntry, lockEntryOfItem, retryEntry } from "../voice/missed-calls/missed-call-entry.ts";
import { callerNumberOf, finishCallerWorkTx } from "./caller-work.ts";
import { presentCallerWork, selectCallerWork } from "./caller-work-rows.ts";
import { lockWorkItem } from "./work-item-lock.ts";

/** The voicemail and call-back work I hold now, oldest first (what I accepted and have not marked done). */
export async function listMyCallerWork(ctx: Ctx): Promise<CallerWork[]> {
  const agent = agentOf(ctx);
  const rows = await selectCallerWork(ctx.deps.db, ctx.tenantId).where("w.assigned_to", "=", agent.id).where("w.state", "=", "assigned").orderBy("w.assigned_at").orderBy("w.id").execute();
  return rows.map(presentCallerWork);
}

/**
 * The agent has handled a voicemail or call-back item they accepted (listened and answered, or
 * called the customer back), with the outcome: it completes, the agent goes to wrap-up as after a
 * call (until then it held their voice capacity), the outcome is on the ticket's timeline, and a
 * call-back's own missed-call entry (linked by id; another call-back the number asked for stays
 * open) is done with it, so nobody calls the customer about it again. A call-back with "no
 * answer" before its queue's last try goes back to the queue for the next try instead (state
 * waiting, its entry open). Another agent's item is NOT_FOUND; a live contact or call out, or
 * work not assigned, is INVALID_TRANSITION. Finishing twice answers the item as it is.
 */
export async function finishCallerWork(ctx: Ctx, workItemId: string, done: FinishCallerWork): Promise<CallerWork> {
  const agent = agentOf(ctx);
  const peek = await ctx.deps.db.selectFrom("work_items").select(["ticket_id", "assigned_to"]).where("tenant_id", "=", ctx.tenantId).where("id", "=", workItemId).executeTakeFirst();
  if (!peek || peek.assigned_to !== agent.id) throw notFound("work item");
  const changed = await inTransaction(ctx, async (tx) => {
    if (peek.ticket_id) await tx.selectFrom("tickets").select("id").where("tenant_id", "=", ctx.tenantId).where("id", "=", peek.ticket_id).forUpdate().execute();
    const row = await lockWorkItem(tx, ctx.tenantId, workItemId);
    if (!row || row.assigned_to !== agent.id) throw notFound("work item");
    if (row.kind !== "voicemail" && row.kind !== "callback") throw new DomainError("INVALID_TRANSITION", "only voicemail and call-back work is finished this way");
    if (row.state === "completed") return false;
    if (row.state !== "assigned") throw new DomainError("INVALID_TRANSITION", `this work is ${row.state}, not assigned to you`);
    const now = ctx.deps.clock.now();
    const number = await callerNumberOf(tx, row);
    const after = await finishCallerWorkTx(tx, ctx, row, { ...done, number }, now);
    const retried = after.state === "waiting";
    await recordAudit(tx, ctx, { action: retried ? "work_item.retry" : "work_item.finished", entityType: "work_item", entityId: row.id, changes: { kind: row.kind, outcome: done.outcome } });
    if (row.kind === "callback") {
      const entry = await lockEntryOfItem(tx, ctx.tenantId, row.id);
      if (entry) await (retried ? retryEntry(tx, ctx, entry, now) : finishEntry(tx, ctx, entry, { agentId: agent.id, ...done }, now));
    }
    return true;
  });
  if (changed) ctx.deps.routing.kick();
  return presentCallerWork(await selectCallerWork(ctx.deps.db, ctx.tenantId).where("w.id", "=", workItemId).executeTakeFirstOrThrow());
}

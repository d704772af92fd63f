import { inTransaction, type Ctx } from "../context.ts";
import { finishCallerWorkTx, lockCallbackItems } from "../routing/caller-work.ts";
import { recordCallEvent } from "../voice/call-records.ts";
import { finishEntry, lockOpenEntry } from "../voice/missed-calls/missed-call-entry.ts";

/**
 * A call was answered (an agent took the customer's call, or the customer answered the agent's
 * call): the call record is answered and, the customer having been reached, their open missed
 * call is done ("reached", by that agent) and a call-back nobody has taken yet is finished with
 * it, so nobody calls them back. Call-back work an agent holds stays theirs to mark done.
 */
export async function recordCallAnswered(ctx: Ctx, callRecordId: string, agentId: string): Promise<void> {
  if (!(await recordCallEvent(ctx, callRecordId, { type: "answered", agentId }))) return;
  const call = await ctx.deps.db.selectFrom("calls").select(["direction", "from_number", "to_number"]).where("tenant_id", "=", ctx.tenantId).where("id", "=", callRecordId).executeTakeFirstOrThrow();
  const number = call.direction === "inbound" ? call.from_number : call.to_number;
  if (!number) return;
  const changed = await inTransaction(ctx, async (tx) => {
    const now = ctx.deps.clock.now();
    const waiting = (await lockCallbackItems(tx, ctx.tenantId, number)).filter((i) => i.state !== "assigned");
    for (const item of waiting) await finishCallerWorkTx(tx, ctx, item, { outcome: "reached", number }, now);
    const entry = await lockOpenEntry(tx, ctx.tenantId, number);
    const done = entry ? await finishEntry(tx, ctx, entry, { agentId, outcome: "reached" }, now) : null;
    return waiting.length > 0 || done !== null;
  });
  if (changed) ctx.deps.routing.kick();
}

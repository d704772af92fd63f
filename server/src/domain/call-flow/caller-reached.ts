import { inTransaction, type Ctx } from "../context.ts";
import { finishCallerWorkTx, lockCallbackItems } from "../routing/caller-work.ts";
import { recordCallEvent } from "../voice/call-records.ts";
import { finishEntry, lockOpenEntries } from "../voice/missed-calls/missed-call-entry.ts";

/**
 * A call was answered (an agent took the customer's call, or the customer answered the agent's
 * call): the call record is answered and, the customer having been reached, their open missed
 * calls are done ("reached", by that agent) and the call-backs nobody has taken yet are finished
 * with them, so nobody calls them back. Call-back work an agent holds (and its entry) stays
 * theirs to mark done.
 */
export async function recordCallAnswered(ctx: Ctx, callRecordId: string, agentId: string): Promise<void> {
  if (!(await recordCallEvent(ctx, callRecordId, { type: "answered", agentId }))) return;
  const call = await ctx.deps.db.selectFrom("calls").select(["direction", "from_number", "to_number"]).where("tenant_id", "=", ctx.tenantId).where("id", "=", callRecordId).executeTakeFirstOrThrow();
  const number = call.direction === "inbound" ? call.from_number : call.to_number;
  if (!number) return;
  const changed = await inTransaction(ctx, async (tx) => {
    const now = ctx.deps.clock.now();
    const items = await lockCallbackItems(tx, ctx.tenantId, { number });
    const waiting = items.filter((i) => i.state !== "assigned");
    for (const item of waiting) await finishCallerWorkTx(tx, ctx, item, { outcome: "reached", number }, now);
    // an entry whose call-back an agent holds stays open with it, for them to mark done
    const held = new Set(items.filter((i) => i.state === "assigned").map((i) => i.id));
    let done = 0;
    for (const entry of await lockOpenEntries(tx, ctx.tenantId, number)) {
      if (entry.work_item_id && held.has(entry.work_item_id)) continue;
      if (await finishEntry(tx, ctx, entry, { agentId, outcome: "reached" }, now)) done += 1;
    }
    return waiting.length > 0 || done > 0;
  });
  if (changed) ctx.deps.routing.kick();
}

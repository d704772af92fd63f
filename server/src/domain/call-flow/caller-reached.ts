import { sql } from "kysely";
import { inTransaction, type Ctx } from "../context.ts";
import { finishCallerWorkTx, lockCallbackItems } from "../routing/caller-work.ts";
import { recordCallEvent } from "../voice/call-records.ts";
import { finishEntry, lockOpenEntries } from "../voice/missed-calls/missed-call-entry.ts";

/**
 * The customer's number of a call when they have a missed call open or call-back work not yet
 * done (one read; a transaction only when there is something to finish), else null.
 */
async function customerWithOpenWork(ctx: Ctx, callRecordId: string): Promise<string | null> {
  const { rows } = await sql<{ number: string | null; open: boolean }>`
    with call as (
      select case when direction = 'inbound' then from_number else to_number end as number
      from calls where tenant_id = ${ctx.tenantId} and id = ${callRecordId}
    )
    select call.number,
      exists (select 1 from missed_calls m where m.tenant_id = ${ctx.tenantId} and m.number = call.number and m.done_at is null)
      or exists (
        select 1 from work_items w join calls c on c.id = w.call_id
        where w.tenant_id = ${ctx.tenantId} and w.kind = 'callback' and w.state in ('waiting', 'offered', 'assigned') and c.from_number = call.number
      ) as open
    from call`.execute(ctx.deps.db);
  const row = rows[0];
  return row?.number && row.open ? row.number : null;
}

/**
 * A call was answered (an agent took the customer's call, or the customer answered the agent's
 * call): the call record is answered and, the customer having been reached, their open missed
 * calls are done ("reached", by that agent) and the call-backs nobody has taken yet are finished
 * with them, so nobody calls them back. Call-back work an agent holds (and its entry) stays
 * theirs to mark done.
 */
export async function recordCallAnswered(ctx: Ctx, callRecordId: string, agentId: string): Promise<void> {
  if (!(await recordCallEvent(ctx, callRecordId, { type: "answered", agentId }))) return;
  const number = await customerWithOpenWork(ctx, callRecordId);
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

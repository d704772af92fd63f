import type { MissedCall, MissedCallDone } from "@yixian/contracts";
import type { Tx } from "../../db/database.ts";
import { inTransaction, type Ctx } from "../context.ts";
import { DomainError, found } from "../errors.ts";
import { finishCallerWorkTx, lockCallbackItems, returnCallerWork, takeCallerWork } from "../routing/caller-work.ts";
import type { WorkItemRow } from "../routing/work-item-lock.ts";
import { agentOf } from "../shared/agent.ts";
import { loadMissedCall } from "../voice/missed-calls/missed-call-rows.ts";
import { claimEntry, finishEntry, releaseEntry, retryEntry, type MissedCallRow } from "../voice/missed-calls/missed-call-entry.ts";

// The missed-call list's actions. A call-back request is both the entry and the routed work item
// that keeps the caller's place (decision 0018): claiming the entry takes the item, giving it back
// returns the item to its queue, done finishes both — one action, so nobody calls twice.

/**
 * The entry and its call-back item (linked by id), locked (tickets → items → entry), for a change by this
 * agent: CALLBACK_DONE once it is done (unless this agent did it and `doneAgain`: a retried
 * "done"), CALLBACK_TAKEN while another agent has claimed it or holds its call-back work.
 */
async function lockForAgent(tx: Tx, ctx: Ctx, id: string, agentId: string, doneAgain: boolean): Promise<{ row: MissedCallRow; items: WorkItemRow[] }> {
  const peek = found(await tx.selectFrom("missed_calls").select(["work_item_id", "done_at"]).where("tenant_id", "=", ctx.tenantId).where("id", "=", id).executeTakeFirst(), "missed call");
  const items = peek.done_at || !peek.work_item_id ? [] : await lockCallbackItems(tx, ctx.tenantId, { workItemId: peek.work_item_id });
  const row = await tx.selectFrom("missed_calls").selectAll().where("tenant_id", "=", ctx.tenantId).where("id", "=", id).forUpdate().executeTakeFirstOrThrow();
  if (row.done_at && !(doneAgain && row.done_by === agentId)) throw new DomainError("CALLBACK_DONE", "this missed call has been called back already");
  const holder = row.claimed_by ?? items.find((i) => i.assigned_to)?.assigned_to;
  if (!row.done_at && holder && holder !== agentId) throw new DomainError("CALLBACK_TAKEN", "another agent is calling this number back");
  return { row, items };
}

async function change(ctx: Ctx, id: string, doneAgain: boolean, apply: (tx: Tx, locked: { row: MissedCallRow; items: WorkItemRow[] }, agentId: string, now: Date) => Promise<boolean>): Promise<MissedCall> {
  const agent = agentOf(ctx);
  const changed = await inTransaction(ctx, async (tx) => apply(tx, await lockForAgent(tx, ctx, id, agent.id, doneAgain), agent.id, ctx.deps.clock.now()));
  if (changed) ctx.deps.routing.kick();
  return loadMissedCall(ctx.deps.db, ctx.tenantId, id);
}

/**
 * The agent is calling the number back: the entry is theirs, so no other agent calls too
 * (CALLBACK_TAKEN for them), and so is its call-back work (accepted as from an offer: the ticket
 * is theirs). Claiming one's own claim again changes nothing.
 */
export function claimMissedCall(ctx: Ctx, id: string): Promise<MissedCall> {
  return change(ctx, id, false, async (tx, { row, items }, agentId, now) => {
    for (const item of items) await takeCallerWork(tx, ctx, item, agentId, now);
    return (await claimEntry(tx, ctx, row, agentId, now)) !== null || items.some((i) => i.state !== "assigned");
  });
}

/** The agent gives the call-back up (to try later, or for someone else): open again, its work back in its queue. */
export function releaseMissedCall(ctx: Ctx, id: string): Promise<MissedCall> {
  return change(ctx, id, false, async (tx, { row, items }, agentId, now) => {
    const mine = items.filter((i) => i.state === "assigned" && i.assigned_to === agentId);
    for (const item of mine) await returnCallerWork(tx, ctx, item, now);
    return (await releaseEntry(tx, ctx, row, now)) !== null || mine.length > 0;
  });
}

/**
 * Called back, with the outcome (and a note): the entry leaves the open list (the number's next
 * missed call opens a new one) and its call-back work is finished with it — but a call-back with
 * "no answer" before its last try waits in its queue for the next one, and the entry stays open,
 * unclaimed. Unclaimed entries may be marked done directly; the same agent marking it done again
 * (a retried request) changes nothing, nor does "no answer" again before the next try is due.
 */
export function markMissedCallDone(ctx: Ctx, id: string, input: MissedCallDone): Promise<MissedCall> {
  return change(ctx, id, true, async (tx, { row, items }, agentId, now) => {
    if (input.outcome === "no_answer" && items.some((i) => i.state === "waiting" && i.retry_at && new Date(i.retry_at) > now)) return false;
    const after = [];
    for (const item of items) after.push(await finishCallerWorkTx(tx, ctx, item, { ...input, number: row.number }, now));
    if (after.some((i) => i.state === "waiting")) return Boolean(await retryEntry(tx, ctx, row, now));
    return (await finishEntry(tx, ctx, row, { agentId, ...input }, now)) !== null || items.length > 0;
  });
}

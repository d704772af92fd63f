import type { CallbackOutcome } from "@yixian/contracts";
import type { Tx } from "../../db/database.ts";
import type { Ctx } from "../context.ts";
import { ticketChanged } from "../tickets/ticket-events.ts";
import { addTimelineEvent } from "../tickets/timeline.ts";
import { assignTicketOnAccept } from "./assign-ticket-work.ts";
import { assignWorkItem } from "./assign-work.ts";
import { completeItem, freeAgentIfIdle } from "./finish-work.ts";
import { withdrawItemOffers } from "./withdraw-offers.ts";
import { lockWorkItem, type WorkItemRow } from "./work-item-lock.ts";

// Voicemail and call-back work (a caller's item kept on their ticket, decision 0018) taken,
// given back and finished — by its offer, by its missed-call entry, or by the console's Done.

const LIVE = ["waiting", "offered", "assigned"] as const;

/** The number the caller's work came from (to call back), or null (withheld). */
export async function callerNumberOf(tx: Tx, item: WorkItemRow): Promise<string | null> {
  if (!item.call_id) return null;
  const call = await tx.selectFrom("calls").select("from_number").where("tenant_id", "=", item.tenant_id).where("id", "=", item.call_id).executeTakeFirst();
  return call?.from_number ?? null;
}

/**
 * Live call-back items, locked in the items' lock order (their tickets, then the items): those
 * of a number (a caller may ask twice), or the one item of a missed-call entry.
 */
export async function lockCallbackItems(tx: Tx, tenantId: string, of: { number: string } | { workItemId: string }): Promise<WorkItemRow[]> {
  let query = tx
    .selectFrom("work_items as w")
    .innerJoin("calls as c", "c.id", "w.call_id")
    .select(["w.id", "w.ticket_id"])
    .where("w.tenant_id", "=", tenantId)
    .where("w.kind", "=", "callback")
    .where("w.state", "in", [...LIVE]);
  query = "number" in of ? query.where("c.from_number", "=", of.number) : query.where("w.id", "=", of.workItemId);
  const found = await query.orderBy("w.enqueued_at").execute();
  const tickets = [...new Set(found.map((f) => f.ticket_id).filter((t): t is string => Boolean(t)))].sort();
  if (tickets.length > 0) await tx.selectFrom("tickets").select("id").where("tenant_id", "=", tenantId).where("id", "in", tickets).orderBy("id").forUpdate().execute();
  const items: WorkItemRow[] = [];
  for (const f of found) {
    const item = await lockWorkItem(tx, tenantId, f.id);
    if (item && (LIVE as readonly string[]).includes(item.state)) items.push(item);
  }
  return items;
}

/** The agent takes caller work still waiting or offered: it is theirs, and so is its ticket. */
export async function takeCallerWork(tx: Tx, ctx: Ctx, item: WorkItemRow, agentId: string, now: Date): Promise<WorkItemRow> {
  if (item.state === "assigned") return item;
  const taken = await assignWorkItem(tx, ctx, item, agentId, now);
  if (item.ticket_id) await assignTicketOnAccept(tx, ctx, item.ticket_id, agentId, now);
  return taken;
}

/**
 * Caller work back in its queue: the offer its agent accepted is over (withdrawn), so that the
 * next agent's offer can be accepted (the database allows one accepted offer per item).
 */
async function retireAcceptedOffer(tx: Tx, tenantId: string, itemId: string): Promise<void> {
  await tx.updateTable("offers").set({ state: "withdrawn" }).where("tenant_id", "=", tenantId).where("work_item_id", "=", itemId).where("state", "=", "accepted").execute();
}

/**
 * The agent gives caller work back: it waits in its queue again where it was (enqueued_at kept)
 * and their voice capacity is free; an agent holding nothing else is available again.
 */
export async function returnCallerWork(tx: Tx, ctx: Ctx, item: WorkItemRow, now: Date): Promise<WorkItemRow> {
  const back = await tx
    .updateTable("work_items")
    .set({ state: "waiting", assigned_to: null, assigned_at: null, updated_at: now })
    .where("tenant_id", "=", ctx.tenantId)
    .where("id", "=", item.id)
    .returningAll()
    .executeTakeFirstOrThrow();
  await retireAcceptedOffer(tx, ctx.tenantId, item.id);
  if (item.assigned_to) await freeAgentIfIdle(tx, ctx, item.assigned_to, null, now);
  return back;
}

/**
 * A call-back tried without an answer goes back to its queue for another try: waiting where it
 * was (enqueued_at kept: the same item, not a new call in the queue's figures), offered again
 * from `retry_at` (the queue's callback_retry_minutes on), the agent who tried it free (wrap-up).
 * Null at the queue's last try (callback_max_tries): it is finished, not reached.
 */
async function retryCallback(tx: Tx, ctx: Ctx, item: WorkItemRow, now: Date): Promise<{ row: WorkItemRow | null; tries: number; maxTries: number }> {
  const queue = await tx.selectFrom("queues").select(["callback_retry_minutes", "callback_max_tries"]).where("tenant_id", "=", ctx.tenantId).where("id", "=", item.queue_id).executeTakeFirstOrThrow();
  const tries = item.callback_tries + 1;
  if (tries >= queue.callback_max_tries) return { row: null, tries, maxTries: queue.callback_max_tries };
  const row = await tx
    .updateTable("work_items")
    .set({ state: "waiting", assigned_to: null, assigned_at: null, callback_tries: tries, retry_at: new Date(now.getTime() + queue.callback_retry_minutes * 60_000), updated_at: now })
    .where("tenant_id", "=", ctx.tenantId)
    .where("id", "=", item.id)
    .returningAll()
    .executeTakeFirstOrThrow();
  await retireAcceptedOffer(tx, ctx.tenantId, item.id);
  if (item.assigned_to) await freeAgentIfIdle(tx, ctx, item.assigned_to, item.queue_id, now);
  return { row, tries, maxTries: queue.callback_max_tries };
}

/**
 * Caller work is done with an outcome: completed (an agent who held it goes to wrap-up, its
 * capacity free), and the outcome on its ticket's timeline. Work nobody had taken yet (finished
 * from the missed-call list) has its offers withdrawn first. A call-back with "no answer" before
 * its queue's last try is not done but tried again later (`retryCallback`; the returned item is
 * waiting, and the timeline says which try it was and when the next is).
 */
export async function finishCallerWorkTx(
  tx: Tx,
  ctx: Ctx,
  item: WorkItemRow,
  done: { outcome: CallbackOutcome; note?: string | undefined; number: string | null },
  now: Date,
): Promise<WorkItemRow> {
  if (item.state === "offered") await withdrawItemOffers(tx, ctx.tenantId, item.id, "cancelled", now);
  const retry = item.kind === "callback" && done.outcome === "no_answer" ? await retryCallback(tx, ctx, item, now) : null;
  if (retry && !retry.row) await tx.updateTable("work_items").set({ callback_tries: retry.tries }).where("tenant_id", "=", ctx.tenantId).where("id", "=", item.id).execute();
  const finished = retry?.row ?? (await completeItem(tx, ctx, item, now));
  if (item.ticket_id) {
    const tries = retry ? { tries: retry.tries, maxTries: retry.maxTries, ...(retry.row ? { retryAt: new Date(retry.row.retry_at!).toISOString() } : {}) } : {};
    await addTimelineEvent(tx, ctx, {
      ticketId: item.ticket_id,
      kind: retry?.row ? "callback_retry" : "caller_work_done",
      occurredAt: now,
      data: { work: item.kind, outcome: done.outcome, number: done.number, ...tries, ...(done.note ? { note: done.note } : {}) },
    });
    const ticket = await tx.selectFrom("tickets").selectAll().where("tenant_id", "=", ctx.tenantId).where("id", "=", item.ticket_id).executeTakeFirstOrThrow();
    await ticketChanged(tx, ticket, ["timeline"]);
  }
  return finished;
}

import type { Tx } from "../../db/database.ts";
import type { Ctx } from "../context.ts";
import { changePresence, heldCount, loadOfAgents, lockPresence } from "../presence/presence-store.ts";
import { withdrawItemOffers } from "./withdraw-offers.ts";
import { liveItemOfConversation, type WorkItemRow } from "./work-item-lock.ts";

/** The customer left before an agent answered: the item is abandoned and its offers withdrawn. */
export async function abandonItem(tx: Tx, ctx: Ctx, item: WorkItemRow, now: Date): Promise<WorkItemRow> {
  await withdrawItemOffers(tx, ctx.tenantId, item.id, "cancelled", now);
  return tx
    .updateTable("work_items")
    .set({ state: "abandoned", abandoned_at: now, updated_at: now })
    .where("tenant_id", "=", ctx.tenantId)
    .where("id", "=", item.id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/**
 * The agent finished the item: completed with its hold time; an agent who holds nothing else
 * goes to wrap-up for the queue's wrap-up time (wrap_up_until, so it ends across restarts too),
 * or straight back to available when the queue has none.
 */
export async function completeItem(tx: Tx, ctx: Ctx, item: WorkItemRow, now: Date, holdMs = 0): Promise<WorkItemRow> {
  const completed = await tx
    .updateTable("work_items")
    .set({ state: "completed", completed_at: now, hold_ms: holdMs, updated_at: now })
    .where("tenant_id", "=", ctx.tenantId)
    .where("id", "=", item.id)
    .returningAll()
    .executeTakeFirstOrThrow();
  if (item.assigned_to) await freeAgentIfIdle(tx, ctx, item.assigned_to, item.queue_id, now);
  return completed;
}

/**
 * The agent let go of an item: one who holds nothing else goes to wrap-up for the queue's wrap-up
 * time (`wrapUpQueueId`; wrap_up_until, so it ends across restarts too), or straight back to
 * available when the queue has none or the work was given back undone (null).
 */
export async function freeAgentIfIdle(tx: Tx, ctx: Ctx, agentId: string, wrapUpQueueId: string | null, now: Date): Promise<void> {
  const presence = (await lockPresence(tx, ctx.tenantId, [agentId])).get(agentId);
  if (!presence || (presence.state !== "busy" && presence.state !== "available")) return;
  const held = heldCount((await loadOfAgents(tx, ctx.tenantId, [agentId])).get(agentId)!);
  if (held > 0) return;
  const queue = wrapUpQueueId ? await tx.selectFrom("queues").select("wrap_up_seconds").where("tenant_id", "=", ctx.tenantId).where("id", "=", wrapUpQueueId).executeTakeFirstOrThrow() : null;
  if (queue && queue.wrap_up_seconds > 0) {
    await changePresence(tx, presence, { state: "wrap_up", wrapUpUntil: new Date(now.getTime() + queue.wrap_up_seconds * 1000) }, now);
  } else {
    await changePresence(tx, presence, { state: "available" }, now);
  }
}

/**
 * End-conversation hook: an answered item completes, one still waiting or offered is abandoned.
 * Call with the conversation locked. Returns whether an item changed (then kick routing).
 */
export async function finishConversationWork(tx: Tx, ctx: Ctx, conversationId: string, now: Date): Promise<boolean> {
  const item = await liveItemOfConversation(tx, ctx.tenantId, conversationId);
  if (!item) return false;
  if (item.state === "assigned") await completeItem(tx, ctx, item, now);
  else await abandonItem(tx, ctx, item, now);
  return true;
}

import { inTransaction, type Deps } from "../context.ts";
import { changePresence, lockPresence, ROUTABLE_STATES } from "../presence/presence-store.ts";
import { offerClosed } from "./offer-events.ts";
import { withdrawAgentOffers } from "./withdraw-offers.ts";
import { lockWorkItem, releaseIfUnoffered } from "./work-item-lock.ts";

const BATCH = 200;
export const MISSED_OFFERS_REASON = "missed offers";

/**
 * Expires offers not answered in time: each item with overdue offers is locked (skipped when
 * another process has it), its overdue offers expire, each agent counts a miss — and is set away
 * ("missed offers") after the queue's maximum — and the item waits again to be re-routed,
 * preferably to someone else. Returns how many offers expired.
 */
export async function expireOffers(deps: Deps): Promise<number> {
  const due = await deps.db
    .selectFrom("offers")
    .select(["tenant_id", "work_item_id"])
    .distinct()
    .where("state", "=", "pending")
    .where("expires_at", "<=", deps.clock.now())
    .limit(BATCH)
    .execute();
  let count = 0;
  const setAway: { tenantId: string; agentId: string }[] = [];
  for (const { tenant_id: tenantId, work_item_id: itemId } of due) {
    count += await inTransaction({ deps }, async (tx) => {
      const item = await lockWorkItem(tx, tenantId, itemId, { skipLocked: true });
      if (!item) return 0;
      const now = deps.clock.now();
      const expired = await tx
        .updateTable("offers")
        .set({ state: "expired", responded_at: now })
        .where("tenant_id", "=", tenantId)
        .where("work_item_id", "=", itemId)
        .where("state", "=", "pending")
        .where("expires_at", "<=", now)
        .returning(["id", "work_item_id", "agent_id"])
        .execute();
      if (expired.length === 0) return 0;
      for (const offer of expired) await offerClosed(tx, tenantId, offer, { accepted: false, reason: "expired" });
      const queue = await tx.selectFrom("queues").select("max_missed_offers").where("tenant_id", "=", tenantId).where("id", "=", item.queue_id).executeTakeFirstOrThrow();
      const agents = await lockPresence(tx, tenantId, expired.map((o) => o.agent_id));
      for (const row of agents.values()) {
        const missed = row.missed_offers + 1;
        const tooMany = queue.max_missed_offers > 0 && missed >= queue.max_missed_offers && ROUTABLE_STATES.some((s) => s === row.state);
        if (tooMany) {
          await changePresence(tx, row, { state: "away", reason: MISSED_OFFERS_REASON, missedOffers: missed }, now);
          setAway.push({ tenantId, agentId: row.user_id });
        } else {
          await tx.updateTable("agent_presence").set({ missed_offers: missed, updated_at: now }).where("tenant_id", "=", tenantId).where("user_id", "=", row.user_id).execute();
        }
      }
      await releaseIfUnoffered(tx, item, now);
      return expired.length;
    });
  }
  for (const { tenantId, agentId } of setAway) await withdrawAgentOffers(deps, tenantId, agentId);
  return count;
}

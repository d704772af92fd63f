import type { Executor } from "../../db/database.ts";
import { inTransaction, type Deps } from "../context.ts";
import { offerClosed } from "./offer-events.ts";
import { lockWorkItem, releaseIfUnoffered } from "./work-item-lock.ts";

type Reason = "taken" | "cancelled";

/** Withdraws the pending offers of a locked item (all but `keepOfferId`), telling each agent why. */
export async function withdrawItemOffers(tx: Executor, tenantId: string, itemId: string, reason: Reason, now: Date, keepOfferId?: string): Promise<string[]> {
  let query = tx
    .updateTable("offers")
    .set({ state: "withdrawn", responded_at: now })
    .where("tenant_id", "=", tenantId)
    .where("work_item_id", "=", itemId)
    .where("state", "=", "pending");
  if (keepOfferId) query = query.where("id", "<>", keepOfferId);
  const withdrawn = await query.returning(["id", "work_item_id", "agent_id"]).execute();
  for (const offer of withdrawn) await offerClosed(tx, tenantId, offer, { accepted: false, reason });
  return withdrawn.map((o) => o.agent_id);
}

/**
 * Withdraws the offers pending for an agent who went away or offline. Each item is locked in
 * its own transaction (the caller holds no lock) and waits again; the caller kicks routing.
 */
export async function withdrawAgentOffers(deps: Deps, tenantId: string, agentId: string): Promise<void> {
  const pending = await deps.db
    .selectFrom("offers")
    .select(["id", "work_item_id"])
    .where("tenant_id", "=", tenantId)
    .where("agent_id", "=", agentId)
    .where("state", "=", "pending")
    .execute();
  for (const offer of pending) {
    await inTransaction({ deps }, async (tx) => {
      const item = await lockWorkItem(tx, tenantId, offer.work_item_id);
      if (!item) return;
      const now = deps.clock.now();
      const closed = await tx
        .updateTable("offers")
        .set({ state: "withdrawn", responded_at: now })
        .where("tenant_id", "=", tenantId)
        .where("id", "=", offer.id)
        .where("state", "=", "pending")
        .returning(["id", "work_item_id", "agent_id"])
        .executeTakeFirst();
      if (!closed) return;
      await offerClosed(tx, tenantId, closed, { accepted: false, reason: "cancelled" });
      await releaseIfUnoffered(tx, item, now);
    });
  }
}

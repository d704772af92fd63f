import type { Executor } from "../../db/database.ts";
import type { Row } from "../../db/schema.ts";

export type WorkItemRow = Row<"work_items">;

/**
 * The work item, row-locked. Every change to an item and to its offers happens under this lock,
 * taken before any agent's presence lock (lock order: conversation or ticket → item → agents by id).
 * With skipLocked an item another transaction holds is passed over (undefined) instead of waited for.
 */
export async function lockWorkItem(tx: Executor, tenantId: string, itemId: string, options: { skipLocked?: boolean } = {}): Promise<WorkItemRow | undefined> {
  const query = tx.selectFrom("work_items").selectAll().where("tenant_id", "=", tenantId).where("id", "=", itemId).forUpdate();
  return (options.skipLocked ? query.skipLocked() : query).executeTakeFirst();
}

/** The item of a conversation that is still being routed or worked (at most one). */
export async function liveItemOfConversation(tx: Executor, tenantId: string, conversationId: string): Promise<WorkItemRow | undefined> {
  return tx
    .selectFrom("work_items")
    .selectAll()
    .where("tenant_id", "=", tenantId)
    .where("conversation_id", "=", conversationId)
    .where("state", "in", ["waiting", "offered", "assigned"])
    .orderBy("created_at", "desc")
    .limit(1)
    .forUpdate()
    .executeTakeFirst();
}

/** An offered item with no pending offer left waits again (and is routed on the next pass). */
export async function releaseIfUnoffered(tx: Executor, item: WorkItemRow, now: Date): Promise<boolean> {
  if (item.state !== "offered") return false;
  const pending = await tx.selectFrom("offers").select("id").where("tenant_id", "=", item.tenant_id).where("work_item_id", "=", item.id).where("state", "=", "pending").limit(1).executeTakeFirst();
  if (pending) return false;
  await tx.updateTable("work_items").set({ state: "waiting", updated_at: now }).where("tenant_id", "=", item.tenant_id).where("id", "=", item.id).execute();
  return true;
}

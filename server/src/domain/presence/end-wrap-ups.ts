import { inTransaction, type Deps } from "../context.ts";
import { changePresence, heldCount, loadOfAgents } from "./presence-store.ts";
import { recordWrapTime } from "./wrap-up.ts";

/**
 * Ends every wrap-up whose time is up: the agent becomes available (busy if they still hold
 * work) and the items that started it get their wrap time. Driven by wrap_up_until in the
 * database, so a wrap-up running across a restart still ends. Returns how many ended.
 */
export async function endWrapUps(deps: Deps): Promise<number> {
  const due = await deps.db
    .selectFrom("agent_presence")
    .select(["tenant_id", "user_id"])
    .where("state", "=", "wrap_up")
    .where("wrap_up_until", "<=", deps.clock.now())
    .limit(200)
    .execute();
  let ended = 0;
  for (const { tenant_id: tenantId, user_id: userId } of due) {
    ended += await inTransaction({ deps }, async (tx) => {
      const row = await tx.selectFrom("agent_presence").selectAll().where("tenant_id", "=", tenantId).where("user_id", "=", userId).forUpdate().skipLocked().executeTakeFirst();
      const now = deps.clock.now();
      if (!row || row.state !== "wrap_up" || (row.wrap_up_until && new Date(row.wrap_up_until) > now)) return 0;
      const held = heldCount((await loadOfAgents(tx, tenantId, [userId])).get(userId)!);
      await recordWrapTime(tx, row, now);
      await changePresence(tx, row, { state: held > 0 ? "busy" : "available" }, now);
      return 1;
    });
  }
  return ended;
}

import { sql } from "kysely";
import type { Executor } from "../../db/database.ts";
import type { PresenceRow } from "./presence-store.ts";

/**
 * Records how long the wrap-up that is ending lasted on the items whose completion started it:
 * wrap_ms = end of wrap-up − completed_at, for the agent's items completed since the stretch began.
 */
export async function recordWrapTime(tx: Executor, row: PresenceRow, now: Date): Promise<void> {
  if (row.state !== "wrap_up") return;
  await tx
    .updateTable("work_items")
    .set({ wrap_ms: sql<number>`greatest(0, (extract(epoch from (${now}::timestamptz - completed_at)) * 1000)::bigint)`, updated_at: now })
    .where("tenant_id", "=", row.tenant_id)
    .where("assigned_to", "=", row.user_id)
    .where("state", "=", "completed")
    .where("wrap_ms", "=", 0)
    .where("completed_at", ">=", row.state_since)
    .execute();
}

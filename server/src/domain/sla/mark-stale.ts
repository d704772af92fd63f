import type { Executor } from "../../db/database.ts";

/**
 * Flags the SLA clocks of unclosed tickets under a policy (or under any policy measured in a
 * calendar) for recomputation: the SLA watcher refreshes them in batches, so an edit to a policy
 * or a calendar never has to rewrite thousands of tickets in the admin's request.
 */
export async function markSlaStale(tx: Executor, tenantId: string, by: { policyId: string } | { calendarId: string }): Promise<void> {
  const policyIds =
    "policyId" in by
      ? [by.policyId]
      : (await tx.selectFrom("sla_policies").select("id").where("tenant_id", "=", tenantId).where("calendar_id", "=", by.calendarId).execute()).map((p) => p.id);
  if (policyIds.length === 0) return;
  await tx
    .updateTable("ticket_sla")
    .set({ stale: true })
    .where("tenant_id", "=", tenantId)
    .where("policy_id", "in", policyIds)
    .where("stale", "=", false)
    .where("ticket_id", "in", (eb) => eb.selectFrom("tickets").select("id").where("tenant_id", "=", tenantId).where("status", "<>", "closed"))
    .execute();
}

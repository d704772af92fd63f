import { inTransaction, type Ctx } from "../context.ts";
import { recordAudit } from "../shared/audit.ts";
import { markSlaStale } from "./mark-stale.ts";
import { lockPolicy } from "./policy-rules.ts";

/** Deletes a policy; the SLA watcher re-matches its open tickets to the remaining policies. */
export async function deleteSlaPolicy(ctx: Ctx, slaPolicyId: string): Promise<void> {
  await inTransaction(ctx, async (tx) => {
    const row = await lockPolicy(tx, ctx, slaPolicyId);
    await markSlaStale(tx, ctx.tenantId, { policyId: slaPolicyId });
    await tx.deleteFrom("sla_policies").where("tenant_id", "=", ctx.tenantId).where("id", "=", slaPolicyId).execute();
    await recordAudit(tx, ctx, { action: "sla_policy.deleted", entityType: "sla_policy", entityId: slaPolicyId, changes: { name: row.name } });
  });
}

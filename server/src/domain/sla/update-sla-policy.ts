import type { SlaPolicy, UpdateSlaPolicy } from "@yixian/contracts";
import { inTransaction, type Ctx } from "../context.ts";
import { diff, recordAudit } from "../shared/audit.ts";
import { markSlaStale } from "./mark-stale.ts";
import { checkPolicy, lockPolicy, policyColumns, type PolicySettings } from "./policy-rules.ts";
import { presentSlaPolicy } from "./present-policy.ts";

/**
 * Changes a policy. New targets, calendar, warning point or pause rule reach the tickets already
 * under it through the SLA watcher, which recomputes their clocks shortly after; new match
 * conditions or order only affect tickets matched from now on.
 */
export async function updateSlaPolicy(ctx: Ctx, slaPolicyId: string, input: UpdateSlaPolicy): Promise<SlaPolicy> {
  return inTransaction(ctx, async (tx) => {
    const row = await lockPolicy(tx, ctx, slaPolicyId);
    const { id: _id, createdAt: _c, updatedAt: _u, ...before } = presentSlaPolicy(row);
    const after: PolicySettings = {
      ...before,
      ...(input.name !== undefined ? { name: input.name } : {}),
      ...(input.position !== undefined ? { position: input.position } : {}),
      ...(input.isDefault !== undefined ? { isDefault: input.isDefault } : {}),
      ...(input.calendarId !== undefined ? { calendarId: input.calendarId } : {}),
      ...(input.warnFraction !== undefined ? { warnFraction: input.warnFraction } : {}),
      ...(input.pauseWhenPending !== undefined ? { pauseWhenPending: input.pauseWhenPending } : {}),
      match: { ...before.match, ...input.match },
      targets: { ...before.targets, ...input.targets },
      escalation: { ...before.escalation, ...input.escalation },
    };
    const changes = diff(before, after);
    if (Object.keys(changes).length === 0) return presentSlaPolicy(row);
    await checkPolicy(tx, ctx, after, slaPolicyId);
    const updated = await tx
      .updateTable("sla_policies")
      .set({ ...policyColumns(after), updated_at: ctx.deps.clock.now() })
      .where("tenant_id", "=", ctx.tenantId)
      .where("id", "=", slaPolicyId)
      .returningAll()
      .executeTakeFirstOrThrow();
    if (["targets", "calendarId", "warnFraction", "pauseWhenPending"].some((k) => k in changes)) await markSlaStale(tx, ctx.tenantId, { policyId: slaPolicyId });
    await recordAudit(tx, ctx, { action: "sla_policy.updated", entityType: "sla_policy", entityId: slaPolicyId, changes });
    return presentSlaPolicy(updated);
  });
}

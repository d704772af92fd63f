import type { CreateSlaPolicy, SlaPolicy } from "@yixian/contracts";
import { sql } from "kysely";
import { newId } from "../../platform/ids.ts";
import { inTransaction, type Ctx } from "../context.ts";
import { recordAudit } from "../shared/audit.ts";
import { checkPolicy, policyColumns, type PolicySettings } from "./policy-rules.ts";
import { presentSlaPolicy } from "./present-policy.ts";

/**
 * Adds an SLA policy (by default after the others). It applies to tickets created, or whose
 * priority or company service pack changes, from now on; tickets keep the policy they have.
 */
export async function createSlaPolicy(ctx: Ctx, input: CreateSlaPolicy): Promise<SlaPolicy> {
  return inTransaction(ctx, async (tx) => {
    const last = await tx
      .selectFrom("sla_policies")
      .select(sql<number | null>`max(position)`.as("max"))
      .where("tenant_id", "=", ctx.tenantId)
      .executeTakeFirst();
    const settings: PolicySettings = { ...input, position: input.position ?? (last?.max ?? -1) + 1 };
    await checkPolicy(tx, ctx, settings, null);
    const now = ctx.deps.clock.now();
    const row = await tx
      .insertInto("sla_policies")
      .values({ id: newId(now.getTime()), tenant_id: ctx.tenantId, ...policyColumns(settings), created_at: now, updated_at: now })
      .returningAll()
      .executeTakeFirstOrThrow();
    const policy = presentSlaPolicy(row);
    await recordAudit(tx, ctx, {
      action: "sla_policy.created",
      entityType: "sla_policy",
      entityId: row.id,
      changes: { name: policy.name, isDefault: policy.isDefault, match: policy.match, targets: policy.targets, calendarId: policy.calendarId },
    });
    return policy;
  });
}

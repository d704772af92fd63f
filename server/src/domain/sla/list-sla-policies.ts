import type { SlaPolicy } from "@yixian/contracts";
import type { Ctx } from "../context.ts";
import { found } from "../errors.ts";
import { presentSlaPolicy } from "./present-policy.ts";

/** The tenant's policies in matching order: by position, the default policy last. */
export async function listSlaPolicies(ctx: Ctx): Promise<SlaPolicy[]> {
  const rows = await ctx.deps.db
    .selectFrom("sla_policies")
    .selectAll()
    .where("tenant_id", "=", ctx.tenantId)
    .orderBy("is_default")
    .orderBy("position")
    .orderBy("id")
    .execute();
  return rows.map(presentSlaPolicy);
}

export async function getSlaPolicy(ctx: Ctx, slaPolicyId: string): Promise<SlaPolicy> {
  const row = await ctx.deps.db.selectFrom("sla_policies").selectAll().where("tenant_id", "=", ctx.tenantId).where("id", "=", slaPolicyId).executeTakeFirst();
  return presentSlaPolicy(found(row, "SLA policy"));
}

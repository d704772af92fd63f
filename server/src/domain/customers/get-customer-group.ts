import type { CustomerGroup } from "@yixian/contracts";
import type { Ctx } from "../context.ts";
import { found } from "../errors.ts";
import { presentCustomerGroup } from "./present.ts";

export async function getCustomerGroup(ctx: Ctx, customerGroupId: string): Promise<CustomerGroup> {
  const row = await ctx.deps.db
    .selectFrom("customer_groups")
    .selectAll()
    .where("tenant_id", "=", ctx.tenantId)
    .where("id", "=", customerGroupId)
    .executeTakeFirst();
  return presentCustomerGroup(found(row, "customer group"));
}

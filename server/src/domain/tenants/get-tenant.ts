import type { Tenant } from "@yixian/contracts";
import type { Ctx } from "../context.ts";
import { found } from "../errors.ts";
import { presentTenant } from "./present-tenant.ts";

export async function getTenant(ctx: Ctx): Promise<Tenant> {
  const row = await ctx.deps.db.selectFrom("tenants").selectAll().where("id", "=", ctx.tenantId).executeTakeFirst();
  return presentTenant(found(row, "tenant"));
}

import type { Category } from "@yixian/contracts";
import type { Ctx } from "../context.ts";
import { presentCategory } from "./present-category.ts";

/** Every category (problem type) of the tenant, by name; a tenant has tens, not thousands. */
export async function listCategories(ctx: Ctx): Promise<Category[]> {
  const rows = await ctx.deps.db.selectFrom("categories").selectAll().where("tenant_id", "=", ctx.tenantId).orderBy("name").orderBy("id").execute();
  return rows.map(presentCategory);
}

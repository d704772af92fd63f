import type { CustomerGroup, Page, PageQuery } from "@yixian/contracts";
import { sql } from "kysely";
import type { Ctx } from "../context.ts";
import { toPage } from "../shared/pagination.ts";
import { nameCursor, nameKey } from "./keyset.ts";
import { presentCustomerGroup } from "./present.ts";

/** Customer groups of the tenant, by name. */
export async function listCustomerGroups(ctx: Ctx, query: PageQuery): Promise<Page<CustomerGroup>> {
  const after = nameCursor(query.cursor);
  let q = ctx.deps.db.selectFrom("customer_groups").selectAll().where("tenant_id", "=", ctx.tenantId);
  if (after) q = q.where(sql<boolean>`(lower(name), id) > (${after.name}, ${after.id}::uuid)`);
  const rows = await q.orderBy(sql`lower(name)`).orderBy("id").limit(query.limit + 1).execute();
  return toPage(rows, query.limit, nameKey, presentCustomerGroup);
}

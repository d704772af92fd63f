import type { Company, Page, ZCompanyListQuery } from "@yixian/contracts";
import { sql } from "kysely";
import type { z } from "zod";
import type { Ctx } from "../context.ts";
import { toPage } from "../shared/pagination.ts";
import { searchQuery } from "../shared/search-tokens.ts";
import { nameCursor, nameKey } from "./keyset.ts";
import { presentCompany } from "./present.ts";
import { customerSettings } from "./tenant-settings.ts";

/** Companies by name; searched by words of the name or the verification code, filtered by group, pack, expiry. */
export async function listCompanies(ctx: Ctx, query: z.infer<typeof ZCompanyListQuery>): Promise<Page<Company>> {
  const { today } = await customerSettings(ctx.deps.db, ctx);
  const after = nameCursor(query.cursor);
  let q = ctx.deps.db.selectFrom("companies").selectAll().where("tenant_id", "=", ctx.tenantId);
  const words = query.q ? searchQuery(query.q) : null;
  if (query.q && words) {
    const code = query.q.trim();
    q = q.where((eb) => eb.or([eb(sql<boolean>`search_vector @@ to_tsquery('simple', ${words})`, "=", true), eb("verification_code", "=", code)]));
  }
  if (query.customerGroupId) q = q.where("customer_group_id", "=", query.customerGroupId);
  if (query.servicePack) q = q.where("service_pack", "=", query.servicePack);
  if (query.expiresBefore) q = q.where("service_expires_on", "<", query.expiresBefore);
  if (after) q = q.where(sql<boolean>`(lower(name), id) > (${after.name}, ${after.id}::uuid)`);
  const rows = await q.orderBy(sql`lower(name)`).orderBy("id").limit(query.limit + 1).execute();
  return toPage(rows, query.limit, nameKey, (row) => presentCompany(row, today));
}

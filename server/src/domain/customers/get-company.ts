import type { Company } from "@yixian/contracts";
import type { Ctx } from "../context.ts";
import { found } from "../errors.ts";
import { presentCompany } from "./present.ts";
import { customerSettings } from "./tenant-settings.ts";

export async function getCompany(ctx: Ctx, companyId: string): Promise<Company> {
  const row = await ctx.deps.db.selectFrom("companies").selectAll().where("tenant_id", "=", ctx.tenantId).where("id", "=", companyId).executeTakeFirst();
  const { today } = await customerSettings(ctx.deps.db, ctx);
  return presentCompany(found(row, "company"), today);
}

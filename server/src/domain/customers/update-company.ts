import type { Company, UpdateCompany } from "@yixian/contracts";
import { inTransaction, type Ctx } from "../context.ts";
import { lockCompany, updateCompanyRow } from "./company-store.ts";
import { presentCompany } from "./present.ts";
import { customerSettings } from "./tenant-settings.ts";

export async function updateCompany(ctx: Ctx, companyId: string, input: UpdateCompany): Promise<Company> {
  return inTransaction(ctx, async (tx) => {
    const { today } = await customerSettings(tx, ctx);
    const before = await lockCompany(tx, ctx.tenantId, companyId);
    return presentCompany(await updateCompanyRow(tx, ctx, before, input), today);
  });
}

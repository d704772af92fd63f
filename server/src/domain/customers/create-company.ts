import type { Company, CreateCompany } from "@yixian/contracts";
import { inTransaction, type Ctx } from "../context.ts";
import { insertCompany } from "./company-store.ts";
import { presentCompany } from "./present.ts";
import { customerSettings } from "./tenant-settings.ts";

/** Creates a company; without a verification code it gets a random free 6-digit one. */
export async function createCompany(ctx: Ctx, input: CreateCompany): Promise<Company> {
  return inTransaction(ctx, async (tx) => {
    const { today } = await customerSettings(tx, ctx);
    return presentCompany(await insertCompany(tx, ctx, input), today);
  });
}

import type { Executor } from "../../db/database.ts";
import type { Ctx } from "../context.ts";
import { found } from "../errors.ts";
import { localDate } from "./service-status.ts";

export interface CustomerSettings {
  /** ISO country for numbers typed without one (tenants.default_country). */
  defaultCountry: string;
  /** Today on the tenant's calendar, for service status. */
  today: string;
}

export async function customerSettings(executor: Executor, ctx: Ctx): Promise<CustomerSettings> {
  const tenant = found(
    await executor.selectFrom("tenants").select(["default_country", "time_zone"]).where("id", "=", ctx.tenantId).executeTakeFirst(),
    "tenant",
  );
  return { defaultCountry: tenant.default_country, today: localDate(ctx.deps.clock.now(), tenant.time_zone) };
}

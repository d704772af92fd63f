import type { Calendar, CreateCalendar } from "@yixian/contracts";
import { newId } from "../../platform/ids.ts";
import { inTransaction, type Ctx } from "../context.ts";
import { DomainError, found } from "../errors.ts";
import { recordAudit } from "../shared/audit.ts";
import { presentCalendar, storedWeeklyHours } from "./present-calendar.ts";
import { canonicalTimeZone } from "../../platform/time-zone.ts";

/** Creates a business-hours calendar; its time zone defaults to the tenant's. NAME_TAKEN for a duplicate name. */
export async function createCalendar(ctx: Ctx, input: CreateCalendar): Promise<Calendar> {
  return inTransaction(ctx, async (tx) => {
    const tenant = found(await tx.selectFrom("tenants").select("time_zone").where("id", "=", ctx.tenantId).executeTakeFirst(), "tenant");
    const timeZone = canonicalTimeZone(input.timeZone ?? tenant.time_zone);
    const now = ctx.deps.clock.now();
    const row = await tx
      .insertInto("calendars")
      .values({
        id: newId(now.getTime()),
        tenant_id: ctx.tenantId,
        name: input.name,
        time_zone: timeZone,
        weekly_hours: JSON.stringify(storedWeeklyHours(input.weeklyHours)),
        holidays: JSON.stringify(input.holidays),
        extra_workdays: JSON.stringify(input.extraWorkdays),
        created_at: now,
        updated_at: now,
      })
      .onConflict((oc) => oc.columns(["tenant_id", "name"]).doNothing())
      .returningAll()
      .executeTakeFirst();
    if (!row) throw new DomainError("NAME_TAKEN", `a calendar named "${input.name}" already exists`);
    await recordAudit(tx, ctx, {
      action: "calendar.created",
      entityType: "calendar",
      entityId: row.id,
      changes: { name: row.name, timeZone, holidays: input.holidays.length, extraWorkdays: input.extraWorkdays.length },
    });
    return presentCalendar(row);
  });
}

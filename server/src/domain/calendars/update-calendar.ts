import { specialDaysProblem, type Calendar, type UpdateCalendar } from "@yixian/contracts";
import type { Executor } from "../../db/database.ts";
import type { Row } from "../../db/schema.ts";
import { inTransaction, type Ctx } from "../context.ts";
import { DomainError, found } from "../errors.ts";
import { diff, recordAudit } from "../shared/audit.ts";
import { markSlaStale } from "../sla/mark-stale.ts";
import { presentCalendar, storedWeeklyHours } from "./present-calendar.ts";
import { canonicalTimeZone } from "../../platform/time-zone.ts";

/** The tenant's calendar, row-locked for the rest of the transaction; NOT_FOUND otherwise. */
export async function lockCalendar(tx: Executor, ctx: Ctx, calendarId: string): Promise<Row<"calendars">> {
  return found(
    await tx.selectFrom("calendars").selectAll().where("tenant_id", "=", ctx.tenantId).where("id", "=", calendarId).forUpdate().executeTakeFirst(),
    "calendar",
  );
}

/**
 * Changes a calendar. Queues read it live; SLA clocks measured in it are recomputed by the SLA
 * watcher shortly after (their due times move with the new hours).
 */
export async function updateCalendar(ctx: Ctx, calendarId: string, input: UpdateCalendar): Promise<Calendar> {
  return inTransaction(ctx, async (tx) => {
    const before = await lockCalendar(tx, ctx, calendarId);
    const holidays = input.holidays ?? before.holidays;
    const extraWorkdays = input.extraWorkdays ?? before.extra_workdays;
    const problem = specialDaysProblem(holidays, extraWorkdays);
    if (problem) throw new DomainError("VALIDATION_FAILED", problem);
    if (input.name && input.name !== before.name) {
      const clash = await tx.selectFrom("calendars").select("id").where("tenant_id", "=", ctx.tenantId).where("name", "=", input.name).executeTakeFirst();
      if (clash) throw new DomainError("NAME_TAKEN", `a calendar named "${input.name}" already exists`);
    }
    const after = {
      name: input.name ?? before.name,
      timeZone: input.timeZone ? canonicalTimeZone(input.timeZone) : before.time_zone,
      weeklyHours: input.weeklyHours ? storedWeeklyHours(input.weeklyHours) : before.weekly_hours,
      holidays,
      extraWorkdays,
    };
    const changes = diff(
      { name: before.name, timeZone: before.time_zone, weeklyHours: before.weekly_hours, holidays: before.holidays, extraWorkdays: before.extra_workdays },
      after,
    );
    if (Object.keys(changes).length === 0) return presentCalendar(before);
    const row = await tx
      .updateTable("calendars")
      .set({
        name: after.name,
        time_zone: after.timeZone,
        weekly_hours: JSON.stringify(after.weeklyHours),
        holidays: JSON.stringify(after.holidays),
        extra_workdays: JSON.stringify(after.extraWorkdays),
        updated_at: ctx.deps.clock.now(),
      })
      .where("tenant_id", "=", ctx.tenantId)
      .where("id", "=", calendarId)
      .returningAll()
      .executeTakeFirstOrThrow();
    if (Object.keys(changes).some((k) => k !== "name")) await markSlaStale(tx, ctx.tenantId, { calendarId });
    await recordAudit(tx, ctx, { action: "calendar.updated", entityType: "calendar", entityId: calendarId, changes });
    return presentCalendar(row);
  });
}

/** Calendars: the admin's use-cases over `calendars` rows; business hours are in business-hours/. */
import type { Executor } from "../../db/database.ts";
import type { Row } from "../../db/schema.ts";
import { found } from "../errors.ts";

/** A tenant's calendar; NOT_FOUND when missing or another tenant's. */
export async function loadCalendar(executor: Executor, tenantId: string, calendarId: string): Promise<Row<"calendars">> {
  return found(
    await executor.selectFrom("calendars").selectAll().where("id", "=", calendarId).where("tenant_id", "=", tenantId).executeTakeFirst(),
    "calendar",
  );
}

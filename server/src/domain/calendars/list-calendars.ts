import type { Calendar, CalendarStatus } from "@yixian/contracts";
import type { Ctx } from "../context.ts";
import { isOpen, nextChange } from "../business-hours/index.ts";
import { loadCalendar } from "./index.ts";
import { presentCalendar } from "./present-calendar.ts";

export async function listCalendars(ctx: Ctx): Promise<Calendar[]> {
  const rows = await ctx.deps.db.selectFrom("calendars").selectAll().where("tenant_id", "=", ctx.tenantId).orderBy("name").execute();
  return rows.map(presentCalendar);
}

export async function getCalendar(ctx: Ctx, calendarId: string): Promise<Calendar> {
  return presentCalendar(await loadCalendar(ctx.deps.db, ctx.tenantId, calendarId));
}

/** Is the calendar open at `at` (default now), and when does that next change? */
export async function getCalendarStatus(ctx: Ctx, calendarId: string, at?: string): Promise<CalendarStatus> {
  const row = await loadCalendar(ctx.deps.db, ctx.tenantId, calendarId);
  const when = at ? new Date(at) : ctx.deps.clock.now();
  const change = nextChange(row, when);
  return { at: when.toISOString(), open: isOpen(row, when), nextChange: change ? change.toISOString() : null };
}

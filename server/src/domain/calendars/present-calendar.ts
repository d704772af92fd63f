import { WEEKDAY_KEYS, type Calendar } from "@yixian/contracts";
import type { Row } from "../../db/schema.ts";
import { isoRequired } from "../shared/pagination.ts";

/** A calendar as the API shows it: weekdays in order Monday → Sunday, closed days left out. */
export function presentCalendar(row: Row<"calendars">): Calendar {
  const weeklyHours: Calendar["weeklyHours"] = {};
  for (const day of WEEKDAY_KEYS) {
    const spans = row.weekly_hours[day];
    if (spans && spans.length > 0) weeklyHours[day] = spans;
  }
  return {
    id: row.id,
    name: row.name,
    timeZone: row.time_zone,
    weeklyHours,
    holidays: row.holidays,
    extraWorkdays: row.extra_workdays,
    createdAt: isoRequired(row.created_at),
    updatedAt: isoRequired(row.updated_at),
  };
}

/** Weekly hours as stored: only the days that open. */
export function storedWeeklyHours(week: Partial<Record<string, [string, string][] | undefined>>): Record<string, [string, string][]> {
  const out: Record<string, [string, string][]> = {};
  for (const day of WEEKDAY_KEYS) {
    const spans = week[day];
    if (spans && spans.length > 0) out[day] = spans;
  }
  return out;
}

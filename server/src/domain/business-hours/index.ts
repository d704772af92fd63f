/**
 * Business hours of a calendar row (or null for 24×7), for queues, navigation rules and SLA
 * clocks; `business-time.ts` has the arithmetic. Pure: no database, so SLA clocks and routing use
 * it without depending on the calendars use-cases (which mark SLA clocks stale when edited).
 */
import type { Row } from "../../db/schema.ts";
import * as bt from "./business-time.ts";

export type { BusinessCalendar } from "./business-time.ts";

export type CalendarRow = Pick<Row<"calendars">, "time_zone" | "weekly_hours" | "holidays" | "extra_workdays">;

const fromRows = new WeakMap<CalendarRow, bt.BusinessCalendar>();

/** The business-time view of a calendar row (memoised per row object). Null stays null: 24×7. */
export function toBusinessCalendar(row: CalendarRow | null | undefined): bt.BusinessCalendar | null {
  if (!row) return null;
  let cal = fromRows.get(row);
  if (!cal) {
    cal = { timeZone: row.time_zone, weeklyHours: row.weekly_hours, holidays: row.holidays, extraWorkdays: row.extra_workdays };
    fromRows.set(row, cal);
  }
  return cal;
}

/** Is the calendar open at `at`? A missing calendar (null) is open 24×7. */
export function isOpen(row: CalendarRow | null | undefined, at: Date): boolean {
  return bt.isOpenAt(toBusinessCalendar(row), at);
}

/** The first open instant at or after `at`; null when the calendar never opens again. */
export function nextOpening(row: CalendarRow | null | undefined, at: Date): Date | null {
  return bt.nextOpening(toBusinessCalendar(row), at);
}

/** When the calendar next opens (if closed) or closes (if open); null when it never changes. */
export function nextChange(row: CalendarRow | null | undefined, at: Date): Date | null {
  return bt.nextChange(toBusinessCalendar(row), at);
}

/** The instant `ms` of business time after `from`. */
export function addBusinessMs(row: CalendarRow | null | undefined, from: Date, ms: number): Date | null {
  return bt.addBusinessMs(toBusinessCalendar(row), from, ms);
}

/** Business time (ms) between two instants. */
export function businessMsBetween(row: CalendarRow | null | undefined, from: Date, to: Date): number {
  return bt.businessMsBetween(toBusinessCalendar(row), from, to);
}

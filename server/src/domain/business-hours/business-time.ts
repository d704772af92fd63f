/**
 * Business-hours arithmetic over a calendar: weekly opening spans in the calendar's IANA time
 * zone, holidays (closed all day) and 调休 make-up workdays (open with their own hours even on a
 * weekend). `null` is the 24×7 calendar. Pure: every function takes the instant it reasons about.
 *
 * A span is `["HH:MM","HH:MM"]` on one local day; `"24:00"` ends at the next midnight. A night
 * shift is written as two spans (`["22:00","24:00"]` and the next day's `["00:00","06:00"]`);
 * touching spans count as one opening.
 */
import { dateFromDay, dayFromDate, localDay, localToInstant, weekdayOf } from "../../platform/time-zone.ts";

export type Weekday = "sun" | "mon" | "tue" | "wed" | "thu" | "fri" | "sat";
export const WEEKDAYS: readonly Weekday[] = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];

export type Span = readonly [string, string];

export interface BusinessCalendar {
  timeZone: string;
  weeklyHours: Readonly<Partial<Record<string, readonly Span[]>>>;
  holidays: readonly { date: string; name?: string }[];
  extraWorkdays: readonly { date: string; hours: readonly Span[] }[];
}

type Interval = readonly [number, number];

interface Compiled {
  timeZone: string;
  weekly: readonly (readonly (readonly [number, number])[])[];
  holidays: ReadonlySet<number>;
  extra: ReadonlyMap<number, readonly (readonly [number, number])[]>;
  /** After this local day only the weekly pattern applies. */
  lastSpecialDay: number;
  days: Map<number, readonly Interval[]>;
}

const DAY_CACHE_LIMIT = 4_000;
// Past the last holiday or make-up day, eight closed days in a row mean the calendar never opens again.
const CLOSED_FOREVER_DAYS = 8;
// nextChange gives up looking for a closing after this long open without a break.
const MAX_OPEN_STRETCH_DAYS = 400;

const compiledCache = new WeakMap<BusinessCalendar, Compiled>();

export function minutesOf(time: string): number {
  const [h, m] = time.split(":").map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
}

function spans(list: readonly Span[] | undefined): (readonly [number, number])[] {
  return (list ?? []).map(([from, to]) => [minutesOf(from), minutesOf(to)] as const);
}

function compile(cal: BusinessCalendar): Compiled {
  let compiled = compiledCache.get(cal);
  if (compiled) return compiled;
  const holidays = new Set(cal.holidays.map((h) => dayFromDate(h.date)));
  const extra = new Map(cal.extraWorkdays.map((w) => [dayFromDate(w.date), spans(w.hours)] as const));
  const special = [...holidays, ...extra.keys()];
  compiled = {
    timeZone: cal.timeZone,
    weekly: WEEKDAYS.map((d) => spans(cal.weeklyHours[d])),
    holidays,
    extra,
    lastSpecialDay: special.length ? Math.max(...special) : Number.NEGATIVE_INFINITY,
    days: new Map(),
  };
  compiledCache.set(cal, compiled);
  return compiled;
}

/** The open intervals (epoch ms, ascending) of one local day. A make-up workday wins over a holiday. */
function dayIntervals(c: Compiled, day: number): readonly Interval[] {
  const cached = c.days.get(day);
  if (cached) return cached;
  const list = c.extra.get(day) ?? (c.holidays.has(day) ? [] : (c.weekly[weekdayOf(day)] ?? []));
  const intervals: Interval[] = [];
  for (const [from, to] of list) {
    const start = localToInstant(c.timeZone, day, from);
    const end = localToInstant(c.timeZone, day, to);
    // A span swallowed by a DST jump (02:00–03:00 on a spring-forward night) is empty.
    if (end > start) intervals.push([start, end]);
  }
  if (c.days.size >= DAY_CACHE_LIMIT) c.days.clear();
  c.days.set(day, intervals);
  return intervals;
}

/** Open intervals from an instant on, the first one clipped to start there; ends when the calendar never opens again. */
function* intervalsFrom(c: Compiled, from: number): Generator<Interval> {
  let closedStreak = 0;
  for (let day = localDay(c.timeZone, from); ; day++) {
    let open = false;
    for (const [start, end] of dayIntervals(c, day)) {
      if (end <= from) continue;
      open = true;
      yield [Math.max(start, from), end];
    }
    closedStreak = open ? 0 : closedStreak + 1;
    if (day > c.lastSpecialDay && closedStreak >= CLOSED_FOREVER_DAYS) return;
  }
}

/** Is the calendar open at this instant? */
export function isOpenAt(cal: BusinessCalendar | null, at: Date): boolean {
  if (!cal) return true;
  const c = compile(cal);
  const ms = at.getTime();
  return dayIntervals(c, localDay(c.timeZone, ms)).some(([start, end]) => start <= ms && ms < end);
}

/** The first open instant at or after `at` (`at` itself when open); null when it never opens again. */
export function nextOpening(cal: BusinessCalendar | null, at: Date): Date | null {
  if (!cal) return at;
  for (const [start] of intervalsFrom(compile(cal), at.getTime())) return new Date(start);
  return null;
}

/**
 * When the open/closed state next flips after `at`: the closing time when open (touching spans
 * across midnight are one opening), the next opening when closed; null when it never flips.
 */
export function nextChange(cal: BusinessCalendar | null, at: Date): Date | null {
  if (!cal) return null;
  const c = compile(cal);
  const ms = at.getTime();
  if (!isOpenAt(cal, at)) {
    for (const [start] of intervalsFrom(c, ms)) return new Date(start);
    return null;
  }
  let closing = ms;
  for (const [start, end] of intervalsFrom(c, ms)) {
    if (start > closing) break;
    closing = end;
    if (closing - ms > MAX_OPEN_STRETCH_DAYS * 86_400_000) return null;
  }
  return new Date(closing);
}

/**
 * The instant `ms` of business time after `from`: where a target measured in business hours
 * falls due. A target that runs out exactly at a closing is due at the closing. Null when the
 * calendar never opens again.
 */
export function addBusinessMs(cal: BusinessCalendar | null, from: Date, ms: number): Date | null {
  if (ms <= 0) return from;
  if (!cal) return new Date(from.getTime() + ms);
  let remaining = ms;
  for (const [start, end] of intervalsFrom(compile(cal), from.getTime())) {
    if (remaining <= end - start) return new Date(start + remaining);
    remaining -= end - start;
  }
  return null;
}

/** Business time (ms) between two instants; 0 when `to` is not after `from`. */
export function businessMsBetween(cal: BusinessCalendar | null, from: Date, to: Date): number {
  const a = from.getTime();
  const b = to.getTime();
  if (b <= a) return 0;
  if (!cal) return b - a;
  let total = 0;
  for (const [start, end] of intervalsFrom(compile(cal), a)) {
    if (start >= b) break;
    total += Math.min(end, b) - start;
  }
  return total;
}

/** The local date (YYYY-MM-DD) of an instant in the calendar's zone. */
export function localDate(cal: BusinessCalendar, at: Date): string {
  return dateFromDay(localDay(cal.timeZone, at.getTime()));
}

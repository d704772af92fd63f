/**
 * Wall-clock ↔ instant conversion in an IANA time zone with nothing but Intl.
 * A "day number" is a local calendar date counted in days since 1970-01-01.
 */

const DAY_MS = 86_400_000;
// Every modern zone changes offset on a quarter hour, so one offset per 15-minute slot is exact.
const SLOT_MS = 900_000;
const CACHE_LIMIT = 20_000;

interface ZoneInfo {
  format: Intl.DateTimeFormat;
  offsets: Map<number, number>;
}

const zones = new Map<string, ZoneInfo>();

function zone(timeZone: string): ZoneInfo {
  let info = zones.get(timeZone);
  if (!info) {
    const format = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    });
    info = { format, offsets: new Map() };
    zones.set(timeZone, info);
  }
  return info;
}

function computeOffset(format: Intl.DateTimeFormat, ms: number): number {
  const parts: Record<string, number> = {};
  for (const part of format.formatToParts(new Date(ms))) {
    if (part.type !== "literal") parts[part.type] = Number(part.value);
  }
  const local = Date.UTC(parts.year ?? 1970, (parts.month ?? 1) - 1, parts.day ?? 1, parts.hour ?? 0, parts.minute ?? 0, parts.second ?? 0);
  return local - (ms - (((ms % 1000) + 1000) % 1000));
}

/** The zone's offset from UTC (ms, east positive) at an instant. */
export function zoneOffset(timeZone: string, ms: number): number {
  const info = zone(timeZone);
  const slot = Math.floor(ms / SLOT_MS);
  let offset = info.offsets.get(slot);
  if (offset === undefined) {
    offset = computeOffset(info.format, slot * SLOT_MS);
    if (info.offsets.size >= CACHE_LIMIT) info.offsets.clear();
    info.offsets.set(slot, offset);
  }
  return offset;
}

/** True when Intl knows the zone name. */
export function isValidTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone });
    return true;
  } catch {
    return false;
  }
}

/** The canonical spelling of a zone name ("asia/shanghai" → "Asia/Shanghai"). */
export function canonicalTimeZone(timeZone: string): string {
  return new Intl.DateTimeFormat("en-US", { timeZone }).resolvedOptions().timeZone;
}

/** The local calendar day (day number) an instant falls on. */
export function localDay(timeZone: string, ms: number): number {
  return Math.floor((ms + zoneOffset(timeZone, ms)) / DAY_MS);
}

/** The local calendar date an instant falls on, as YYYY-MM-DD (a ticket number's day, "today"). */
export function localDate(timeZone: string, ms: number): string {
  return dateFromDay(localDay(timeZone, ms));
}

/**
 * The local day holding an instant, from its midnight to the next, as instants [start, end):
 * 23 or 25 hours on the days the clocks change; a midnight the clocks skip starts the day at the jump.
 */
export function localDayBounds(timeZone: string, ms: number): { start: number; end: number } {
  const day = localDay(timeZone, ms);
  return { start: localToInstant(timeZone, day, 0), end: localToInstant(timeZone, day + 1, 0) };
}

/**
 * The instant a local wall-clock time happens. A time skipped by a DST jump maps to the same
 * distance past the jump (02:30 on a spring-forward night is 03:30); a time that happens twice
 * (autumn) maps to its first occurrence.
 */
export function localToInstant(timeZone: string, day: number, minutes: number): number {
  const wall = day * DAY_MS + minutes * 60_000;
  const before = zoneOffset(timeZone, wall - DAY_MS);
  const after = zoneOffset(timeZone, wall + DAY_MS);
  const early = wall - before;
  const late = wall - after;
  const earlyValid = zoneOffset(timeZone, early) === before;
  const lateValid = zoneOffset(timeZone, late) === after;
  if (earlyValid && lateValid) return Math.min(early, late);
  if (lateValid) return late;
  return early;
}

/** 0 = Sunday … 6 = Saturday. */
export function weekdayOf(day: number): number {
  return (((day + 4) % 7) + 7) % 7;
}

export function dayFromDate(date: string): number {
  const [y, m, d] = date.split("-").map(Number);
  return Math.floor(Date.UTC(y ?? 1970, (m ?? 1) - 1, d ?? 1) / DAY_MS);
}

export function dateFromDay(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

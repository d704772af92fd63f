import { zoneOffset } from "../../platform/time-zone.ts";

/**
 * 15-minute intervals in a tenant's time zone, as epoch milliseconds. Every UTC offset in use
 * today is a whole number of quarter hours, so the quarter hours of any zone fall on the same
 * instants; they are still computed from local time. The local day is platform/time-zone.ts's
 * `localDayBounds`.
 */
export const BUCKET_MS = 15 * 60_000;

/** Start of the 15-minute interval holding `instant`. */
export function bucketStart(instant: number, timeZone: string): number {
  const offset = zoneOffset(timeZone, instant);
  const local = instant + offset;
  return local - (((local % BUCKET_MS) + BUCKET_MS) % BUCKET_MS) - offset;
}

/** The 15-minute intervals from the one holding `from` up to (not including) `to`. */
export function bucketsBetween(from: number, to: number, timeZone: string): { start: number; end: number }[] {
  const out: { start: number; end: number }[] = [];
  for (let start = bucketStart(from, timeZone); start < to; start += BUCKET_MS) out.push({ start, end: start + BUCKET_MS });
  return out;
}

/**
 * 15-minute intervals and local days in a tenant's time zone, as epoch milliseconds. Every UTC
 * offset in use today is a whole number of quarter hours, so the quarter hours of any zone fall
 * on the same instants; they are still computed from local time, which also holds for a day of
 * 23 or 25 hours around a daylight-saving change.
 */
export const BUCKET_MS = 15 * 60_000;
const DAY_MS = 24 * 3_600_000;

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** The zone's offset from UTC at an instant (Asia/Shanghai: +8 h). */
export function zoneOffsetMs(instant: number, timeZone: string): number {
  const parts: Record<string, number> = {};
  for (const p of formatter(timeZone).formatToParts(new Date(instant))) {
    if (p.type !== "literal") parts[p.type] = Number(p.value);
  }
  const asUtc = Date.UTC(parts.year ?? 1970, (parts.month ?? 1) - 1, parts.day ?? 1, parts.hour ?? 0, parts.minute ?? 0, parts.second ?? 0);
  const wholeSeconds = instant - (((instant % 1000) + 1000) % 1000);
  return asUtc - wholeSeconds;
}

/** The instant at which a local wall-clock time (as if it were UTC) occurs in the zone. */
function fromLocal(localMs: number, timeZone: string): number {
  const guess = localMs - zoneOffsetMs(localMs, timeZone);
  return localMs - zoneOffsetMs(guess, timeZone);
}

/** Start of the 15-minute interval holding `instant`. */
export function bucketStart(instant: number, timeZone: string): number {
  const offset = zoneOffsetMs(instant, timeZone);
  const local = instant + offset;
  return local - (((local % BUCKET_MS) + BUCKET_MS) % BUCKET_MS) - offset;
}

/** The local day holding `instant`, as [start, end). */
export function localDay(instant: number, timeZone: string): { start: number; end: number } {
  const local = instant + zoneOffsetMs(instant, timeZone);
  const midnight = local - (((local % DAY_MS) + DAY_MS) % DAY_MS);
  return { start: fromLocal(midnight, timeZone), end: fromLocal(midnight + DAY_MS, timeZone) };
}

/** The 15-minute intervals from the one holding `from` up to (not including) `to`. */
export function bucketsBetween(from: number, to: number, timeZone: string): { start: number; end: number }[] {
  const out: { start: number; end: number }[] = [];
  for (let start = bucketStart(from, timeZone); start < to; start += BUCKET_MS) out.push({ start, end: start + BUCKET_MS });
  return out;
}

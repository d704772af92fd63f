/** How numbers read on the wallboard. */

export const DASH = "—";

/** Seconds as m:ss, or h:mm:ss from an hour on; null as a dash. */
export function duration(seconds: number | null): string {
  if (seconds === null) return DASH;
  const total = Math.max(0, Math.floor(seconds));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, "0");
  return h > 0 ? `${h}:${String(m).padStart(2, "0")}:${s}` : `${m}:${s}`;
}

/** A ratio as a whole percentage; null as a dash. */
export function percent(ratio: number | null): string {
  return ratio === null ? DASH : `${Math.round(ratio * 100)}%`;
}

/** Wall-clock time in the tenant's time zone, e.g. 10:15. */
export function clockTime(iso: string | number, timeZone: string, withSeconds = false): string {
  return new Intl.DateTimeFormat("en-GB", {
    timeZone,
    hour: "2-digit",
    minute: "2-digit",
    ...(withSeconds ? { second: "2-digit" } : {}),
    hourCycle: "h23",
  }).format(new Date(iso));
}

/** Seconds elapsed from an ISO instant to `now` (epoch ms), never negative. */
export function secondsSince(iso: string | null, now: number): number | null {
  return iso === null ? null : Math.max(0, (now - Date.parse(iso)) / 1000);
}

import type { Lang } from "./i18n.tsx";

/** Times in the tenant's zone, in the console's language. */
export function formatTime(iso: string | null | undefined, lang: Lang, timeZone: string): string {
  if (!iso) return "";
  const d = new Date(iso);
  const sameDay = new Date().toDateString() === d.toDateString();
  return new Intl.DateTimeFormat(lang, sameDay ? { timeZone, hour: "2-digit", minute: "2-digit" } : { timeZone, month: "short", day: "numeric", hour: "2-digit", minute: "2-digit" }).format(d);
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(0)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

/** A duration as 0:42, 12:05 or 1:02:03; "—" when there is none (a call not answered, or still up). */
export function formatDuration(seconds: number | null): string {
  if (seconds === null) return "—";
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = String(seconds % 60).padStart(2, "0");
  return h > 0 ? `${h}:${String(m).padStart(2, "0")}:${s}` : `${m}:${s}`;
}

/** The zone's offset from UTC at a moment, in ms (Asia/Shanghai: +8 h). */
function zoneOffset(at: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat("en-US", { timeZone, hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit" }).formatToParts(at);
  const part = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)?.value);
  const wall = Date.UTC(part("year"), part("month") - 1, part("day"), part("hour"), part("minute"), part("second"));
  return wall - Math.floor(at / 1000) * 1000;
}

/** When a calendar day (`2026-12-07`, from a date input) starts in a time zone, as an ISO instant;
 * `days` moves to a later day (1: the start of the next day, the end of a range that includes `day`). */
export function dayStart(day: string, timeZone: string, days = 0): string {
  const [y = 1970, m = 1, d = 1] = day.split("-").map(Number);
  const midnight = Date.UTC(y, m - 1, d + days);
  // the offset at the guess, then at the corrected instant (a DST switch may lie between)
  const guess = midnight - zoneOffset(midnight, timeZone);
  return new Date(midnight - zoneOffset(guess, timeZone)).toISOString();
}

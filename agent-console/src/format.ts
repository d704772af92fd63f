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

import type { ServicePack, ServiceStatus } from "@yixian/contracts";

/** A pack is 'expiring' when it ends within this many days. */
export const EXPIRING_WITHIN_DAYS = 30;

/** Today's calendar date (YYYY-MM-DD) in the given IANA time zone. */
export function localDate(now: Date, timeZone: string): string {
  // en-CA formats as YYYY-MM-DD
  return new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).format(now);
}

/** date + days, both as YYYY-MM-DD. */
export function addDays(date: string, days: number): string {
  const [y, m, d] = date.split("-").map(Number);
  return new Date(Date.UTC(y ?? 1970, (m ?? 1) - 1, (d ?? 1) + days)).toISOString().slice(0, 10);
}

/**
 * Entitlement on `today` (the tenant's calendar): the expiry date is the last day of service.
 * No pack is 'none'; a pack without an end date is 'active'.
 */
export function serviceStatus(pack: ServicePack | null, expiresOn: string | null, today: string): ServiceStatus {
  if (!pack) return "none";
  if (!expiresOn) return "active";
  if (expiresOn < today) return "expired";
  if (expiresOn <= addDays(today, EXPIRING_WITHIN_DAYS)) return "expiring";
  return "active";
}

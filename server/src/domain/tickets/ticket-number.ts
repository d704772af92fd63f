import { sql } from "kysely";
import type { Executor } from "../../db/database.ts";

/** The tenant-local calendar day of `at`, as YYYY-MM-DD and YYYYMMDD. */
export function localDay(at: Date, timeZone: string): { iso: string; compact: string } {
  const parts = new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).format(at);
  return { iso: parts, compact: parts.replaceAll("-", "") };
}

/**
 * Allocates the next human-readable number, e.g. YX-20261122-0042: prefix, the tenant's local
 * date, and a per-day counter. The upsert takes a row lock, so concurrent creators never share
 * a number, and a rolled-back transaction gives its number back.
 */
export async function allocateTicketNumber(tx: Executor, tenantId: string, at: Date): Promise<string> {
  const tenant = await tx.selectFrom("tenants").select(["ticket_prefix", "time_zone"]).where("id", "=", tenantId).executeTakeFirstOrThrow();
  const day = localDay(at, tenant.time_zone);
  const row = await tx
    .insertInto("ticket_counters")
    .values({ tenant_id: tenantId, day: day.iso, last_value: 1 })
    .onConflict((oc) => oc.columns(["tenant_id", "day"]).doUpdateSet({ last_value: sql<number>`ticket_counters.last_value + 1` }))
    .returning("last_value")
    .executeTakeFirstOrThrow();
  return `${tenant.ticket_prefix}-${day.compact}-${String(row.last_value).padStart(4, "0")}`;
}

import { CompiledQuery } from "kysely";
import type { Executor } from "../../db/database.ts";
import type { Ctx } from "../context.ts";

/**
 * Takes the next value of the tenant's counter for the tenant-local day of $2 (created at 1), in
 * one statement: the tenant's prefix and time zone are read by it.
 */
const NEXT_NUMBER = `with te as (
  select ticket_prefix, ($2::timestamptz at time zone time_zone)::date as day from tenants where id = $1
)
insert into ticket_counters (tenant_id, day, last_value)
select $1::uuid, te.day, 1 from te
on conflict (tenant_id, day) do update set last_value = ticket_counters.last_value + 1
returning last_value, to_char(ticket_counters.day, 'YYYYMMDD') as day, (select ticket_prefix from te) as prefix`;

/**
 * Allocates the next human-readable number, e.g. YX-20261122-0042: prefix, the tenant's local
 * date, and a per-day counter, in one short statement on `db`. Run it outside any long
 * transaction (autocommitted): the counter row is locked only while the statement runs, so two
 * creators never share a number and never wait for each other's transaction (defect 17). A
 * number whose ticket is then not stored (its transaction rolled back) is not given out again:
 * a day's numbers may have gaps.
 */
export async function allocateTicketNumber(db: Executor, tenantId: string, at: Date): Promise<string> {
  const result = await db.executeQuery(CompiledQuery.raw(NEXT_NUMBER, [tenantId, at]));
  const row = result.rows[0] as { last_value: number; day: string; prefix: string } | undefined;
  if (!row) throw new Error(`no tenant ${tenantId} to number a ticket for`);
  return `${row.prefix}-${row.day}-${String(row.last_value).padStart(4, "0")}`;
}

/**
 * Where a ticket number is allocated for a ticket written in `tx`: on PostgreSQL a connection of
 * its own, autocommitted, so that accepts (which open tickets inside long transactions) do not
 * queue behind each other on the tenant's counter; on PGlite the transaction itself (its one
 * connection runs transactions one at a time, so nobody can wait on the row).
 */
export function numberingDb(ctx: Ctx, tx: Executor): Executor {
  return ctx.deps.autocommit ?? tx;
}

import { sql } from "kysely";
import { inTransaction, type Ctx } from "../context.ts";
import { DomainError } from "../errors.ts";
import { recordAudit } from "../shared/audit.ts";
import { lockCalendar } from "./update-calendar.ts";

/** Deletes a calendar no queue, SLA policy or navigation rule uses (CONFLICT names the first user otherwise). */
export async function deleteCalendar(ctx: Ctx, calendarId: string): Promise<void> {
  await inTransaction(ctx, async (tx) => {
    const row = await lockCalendar(tx, ctx, calendarId);
    const queue = await tx.selectFrom("queues").select("name").where("tenant_id", "=", ctx.tenantId).where("calendar_id", "=", calendarId).executeTakeFirst();
    if (queue) throw new DomainError("CONFLICT", `queue "${queue.name}" uses this calendar`);
    const policy = await tx.selectFrom("sla_policies").select("name").where("tenant_id", "=", ctx.tenantId).where("calendar_id", "=", calendarId).executeTakeFirst();
    if (policy) throw new DomainError("CONFLICT", `SLA policy "${policy.name}" uses this calendar`);
    const rule = await tx
      .selectFrom("routing_rules")
      .select("name")
      .where("tenant_id", "=", ctx.tenantId)
      .where(sql<string>`conditions->'calendar'->>'calendarId'`, "=", calendarId)
      .executeTakeFirst();
    if (rule) throw new DomainError("CONFLICT", `navigation rule "${rule.name}" uses this calendar`);
    await tx.deleteFrom("calendars").where("tenant_id", "=", ctx.tenantId).where("id", "=", calendarId).execute();
    await recordAudit(tx, ctx, { action: "calendar.deleted", entityType: "calendar", entityId: calendarId, changes: { name: row.name } });
  });
}

import type { RuleAction, RuleConditions } from "@yixian/contracts";
import type { Executor } from "../../../db/database.ts";
import type { Ctx } from "../../context.ts";
import { DomainError, found } from "../../errors.ts";

/** The queue, customer groups and calendar a rule names must be the tenant's (NOT_FOUND otherwise). */
export async function checkRuleRefs(tx: Executor, ctx: Ctx, conditions: RuleConditions | undefined, action: RuleAction | undefined): Promise<void> {
  if (action?.type === "queue") {
    found(await tx.selectFrom("queues").select("id").where("tenant_id", "=", ctx.tenantId).where("id", "=", action.queueId).executeTakeFirst(), "queue");
  }
  const groups = [...new Set(conditions?.customerGroupIds ?? [])];
  if (groups.length > 0) {
    const rows = await tx.selectFrom("customer_groups").select("id").where("tenant_id", "=", ctx.tenantId).where("id", "in", groups).execute();
    if (rows.length !== groups.length) throw new DomainError("NOT_FOUND", "customer group not found");
  }
  if (conditions?.calendar) {
    found(await tx.selectFrom("calendars").select("id").where("tenant_id", "=", ctx.tenantId).where("id", "=", conditions.calendar.calendarId).executeTakeFirst(), "calendar");
  }
}

/** The tenant's rules, row-locked in position order, so that position changes do not interleave. */
export async function lockRules(tx: Executor, tenantId: string): Promise<{ id: string; position: number }[]> {
  return tx.selectFrom("routing_rules").select(["id", "position"]).where("tenant_id", "=", tenantId).orderBy("position").orderBy("id").forUpdate().execute();
}

/** Writes positions 1…n in the given order (only rows whose position changes). */
export async function renumber(tx: Executor, tenantId: string, ordered: { id: string; position: number }[], now: Date): Promise<void> {
  for (const [i, rule] of ordered.entries()) {
    if (rule.position === i + 1) continue;
    await tx.updateTable("routing_rules").set({ position: i + 1, updated_at: now }).where("tenant_id", "=", tenantId).where("id", "=", rule.id).execute();
  }
}

import type { SlaPolicy } from "@yixian/contracts";
import type { Executor } from "../../db/database.ts";
import type { Row } from "../../db/schema.ts";
import type { Ctx } from "../context.ts";
import { DomainError, found } from "../errors.ts";

/** A policy's settings as one value, checked as a whole on create and on every update. */
export type PolicySettings = Omit<SlaPolicy, "id" | "createdAt" | "updatedAt">;

/**
 * VALIDATION_FAILED for a policy without targets or a default policy with match conditions;
 * NOT_FOUND for a calendar or queue outside the tenant; NAME_TAKEN / CONFLICT for a second
 * policy with the same name or a second default.
 */
export async function checkPolicy(tx: Executor, ctx: Ctx, p: PolicySettings, selfId: string | null): Promise<void> {
  const { firstResponseMinutes, nextResponseMinutes, resolutionMinutes } = p.targets;
  if (firstResponseMinutes === null && nextResponseMinutes === null && resolutionMinutes === null) {
    throw new DomainError("VALIDATION_FAILED", "targets: set at least one of firstResponseMinutes, nextResponseMinutes, resolutionMinutes");
  }
  if (p.isDefault && (p.match.priorities.length > 0 || p.match.servicePacks.length > 0)) {
    throw new DomainError("VALIDATION_FAILED", "match: the default policy applies when no other matches; leave its match empty");
  }
  if (p.calendarId) {
    found(await tx.selectFrom("calendars").select("id").where("tenant_id", "=", ctx.tenantId).where("id", "=", p.calendarId).executeTakeFirst(), "calendar");
  }
  if (p.escalation.moveToQueueId) {
    found(
      await tx.selectFrom("queues").select("id").where("tenant_id", "=", ctx.tenantId).where("id", "=", p.escalation.moveToQueueId).executeTakeFirst(),
      "queue",
    );
  }
  const others = await tx
    .selectFrom("sla_policies")
    .select(["id", "name", "is_default"])
    .where("tenant_id", "=", ctx.tenantId)
    .where((eb) => eb.or([eb("name", "=", p.name), eb("is_default", "=", true)]))
    .execute();
  for (const other of others) {
    if (other.id === selfId) continue;
    if (other.name === p.name) throw new DomainError("NAME_TAKEN", `an SLA policy named "${p.name}" already exists`);
    if (p.isDefault && other.is_default) throw new DomainError("CONFLICT", `"${other.name}" is already the default SLA policy`);
  }
}

/** The columns for a policy's settings. */
export function policyColumns(p: PolicySettings) {
  return {
    name: p.name,
    position: p.position,
    is_default: p.isDefault,
    priorities: [...p.match.priorities],
    service_packs: [...p.match.servicePacks],
    calendar_id: p.calendarId,
    first_response_minutes: p.targets.firstResponseMinutes,
    next_response_minutes: p.targets.nextResponseMinutes,
    resolution_minutes: p.targets.resolutionMinutes,
    warn_fraction: p.warnFraction,
    pause_when_pending: p.pauseWhenPending,
    notify_supervisors: p.escalation.notifySupervisors,
    raise_priority: p.escalation.raisePriority,
    move_to_queue_id: p.escalation.moveToQueueId,
  };
}

/** The tenant's policy, row-locked for the rest of the transaction; NOT_FOUND otherwise. */
export async function lockPolicy(tx: Executor, ctx: Ctx, slaPolicyId: string): Promise<Row<"sla_policies">> {
  return found(
    await tx.selectFrom("sla_policies").selectAll().where("tenant_id", "=", ctx.tenantId).where("id", "=", slaPolicyId).forUpdate().executeTakeFirst(),
    "SLA policy",
  );
}

import type { QueueRouting, UpdateQueueRouting } from "@yixian/contracts";
import { OVERFLOW_ACTIONS, QUEUE_STRATEGIES } from "@yixian/contracts";
import type { Executor } from "../../db/database.ts";
import type { Row } from "../../db/schema.ts";
import { knownValue } from "../shared/known-value.ts";
import type { Ctx } from "../context.ts";
import { DomainError, found } from "../errors.ts";

/** Required skills of the given queues, by queue id. */
export async function loadQueueSkills(db: Executor, tenantId: string, queueIds: string[]): Promise<Map<string, { skillId: string; minLevel: number }[]>> {
  const out = new Map<string, { skillId: string; minLevel: number }[]>();
  if (queueIds.length === 0) return out;
  const rows = await db
    .selectFrom("queue_skills")
    .select(["queue_id", "skill_id", "min_level"])
    .where("tenant_id", "=", tenantId)
    .where("queue_id", "in", queueIds)
    .orderBy("skill_id")
    .execute();
  for (const r of rows) {
    const list = out.get(r.queue_id) ?? [];
    list.push({ skillId: r.skill_id, minLevel: r.min_level });
    out.set(r.queue_id, list);
  }
  return out;
}

export function presentRouting(row: Row<"queues">, requiredSkills: { skillId: string; minLevel: number }[]): QueueRouting {
  return {
    strategy: knownValue(QUEUE_STRATEGIES, row.strategy, "queue strategy"),
    stickySeconds: row.sticky_seconds,
    vipFirst: row.vip_first,
    requiredSkills,
    priority: row.priority,
    calendarId: row.calendar_id,
    maxWaitSeconds: row.max_wait_seconds,
    maxLength: row.max_length,
    overflowAction: knownValue(OVERFLOW_ACTIONS, row.overflow_action, "overflow action"),
    overflowQueueId: row.overflow_queue_id,
    wrapUpSeconds: row.wrap_up_seconds,
    offerTimeoutSeconds: row.offer_timeout_seconds,
    serviceLevelSeconds: row.service_level_seconds,
    maxMissedOffers: row.max_missed_offers,
    callbackRetryMinutes: row.callback_retry_minutes,
    callbackMaxTries: row.callback_max_tries,
  };
}

async function checkReferences(tx: Executor, ctx: Ctx, queueId: string, input: UpdateQueueRouting): Promise<void> {
  if (input.calendarId) {
    found(await tx.selectFrom("calendars").select("id").where("tenant_id", "=", ctx.tenantId).where("id", "=", input.calendarId).executeTakeFirst(), "calendar");
  }
  if (input.overflowQueueId) {
    if (input.overflowQueueId === queueId) throw new DomainError("VALIDATION_FAILED", "a queue cannot overflow into itself");
    found(await tx.selectFrom("queues").select("id").where("tenant_id", "=", ctx.tenantId).where("id", "=", input.overflowQueueId).executeTakeFirst(), "overflow queue");
  }
  const skillIds = [...new Set((input.requiredSkills ?? []).map((s) => s.skillId))];
  if (skillIds.length !== (input.requiredSkills ?? []).length) throw new DomainError("VALIDATION_FAILED", "a skill is listed twice");
  if (skillIds.length > 0) {
    const skills = await tx.selectFrom("skills").select("id").where("tenant_id", "=", ctx.tenantId).where("id", "in", skillIds).execute();
    if (skills.length !== skillIds.length) throw new DomainError("NOT_FOUND", "skill not found");
  }
}

/**
 * Writes the given parts of a queue's routing configuration (and its required skills) in the
 * caller's transaction; returns what changed, for the audit log. References must be the tenant's.
 */
export async function applyQueueRouting(tx: Executor, ctx: Ctx, before: Row<"queues">, input: UpdateQueueRouting): Promise<Record<string, unknown>> {
  await checkReferences(tx, ctx, before.id, input);
  const action = input.overflowAction ?? before.overflow_action;
  const overflowQueueId = action === "queue" ? (input.overflowQueueId !== undefined ? input.overflowQueueId : before.overflow_queue_id) : null;
  if (action === "queue" && !overflowQueueId) throw new DomainError("VALIDATION_FAILED", "overflowAction queue needs an overflowQueueId");
  const set = {
    strategy: input.strategy,
    sticky_seconds: input.stickySeconds,
    vip_first: input.vipFirst,
    priority: input.priority,
    calendar_id: input.calendarId,
    max_wait_seconds: input.maxWaitSeconds,
    max_length: input.maxLength,
    overflow_action: input.overflowAction,
    overflow_queue_id: overflowQueueId,
    wrap_up_seconds: input.wrapUpSeconds,
    offer_timeout_seconds: input.offerTimeoutSeconds,
    service_level_seconds: input.serviceLevelSeconds,
    max_missed_offers: input.maxMissedOffers,
    callback_retry_minutes: input.callbackRetryMinutes,
    callback_max_tries: input.callbackMaxTries,
  };
  const changes: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(set)) {
    if (value !== undefined && value !== before[key as keyof typeof set]) changes[key] = [before[key as keyof typeof set], value];
  }
  if (Object.keys(changes).length > 0) {
    await tx
      .updateTable("queues")
      .set({ ...set, updated_at: ctx.deps.clock.now() })
      .where("tenant_id", "=", ctx.tenantId)
      .where("id", "=", before.id)
      .execute();
  }
  if (input.requiredSkills) {
    await tx.deleteFrom("queue_skills").where("tenant_id", "=", ctx.tenantId).where("queue_id", "=", before.id).execute();
    if (input.requiredSkills.length > 0) {
      await tx
        .insertInto("queue_skills")
        .values(input.requiredSkills.map((s) => ({ tenant_id: ctx.tenantId, queue_id: before.id, skill_id: s.skillId, min_level: s.minLevel })))
        .execute();
    }
    changes.requiredSkills = input.requiredSkills;
  }
  return changes;
}

/** Only the routing fields of a create/update body (the others are left undefined). */
export function routingPart(input: UpdateQueueRouting): UpdateQueueRouting {
  const { strategy, stickySeconds, vipFirst, requiredSkills, priority, calendarId, maxWaitSeconds, maxLength, overflowAction, overflowQueueId } = input;
  const { wrapUpSeconds, offerTimeoutSeconds, serviceLevelSeconds, maxMissedOffers, callbackRetryMinutes, callbackMaxTries } = input;
  return {
    ...{ strategy, stickySeconds, vipFirst, requiredSkills, priority, calendarId, maxWaitSeconds, maxLength, overflowAction, overflowQueueId },
    ...{ wrapUpSeconds, offerTimeoutSeconds, serviceLevelSeconds, maxMissedOffers, callbackRetryMinutes, callbackMaxTries },
  };
}

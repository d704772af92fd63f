import type { Channel, OverflowAction } from "@yixian/contracts";
import { sql } from "kysely";
import type { Executor, Tx } from "../../db/database.ts";
import type { Row } from "../../db/schema.ts";
import { newId } from "../../platform/ids.ts";
import { isOpen } from "../business-hours/index.ts";
import type { Ctx } from "../context.ts";
import { found } from "../errors.ts";
import { routedOnTimeline } from "./routed-timeline.ts";
import { mediaOf } from "./media.ts";
import type { WorkItemRow } from "./work-item-lock.ts";

/** How many overflow hops one contact may take before it waits where it is. */
export const MAX_HOPS = 3;

export interface Placement {
  queueId: string;
  channel: Channel;
  conversationId: string | null;
  ticketId: string | null;
  contactId: string | null;
  priorityBoost: number;
  vip: boolean;
  language: string | null;
  ruleId: string | null;
  /** What the decision so far says (rule, explanation); the queue and overflow path are added. */
  decision: Record<string, unknown>;
}

/** `refused`: why the queue the item ended in did not take it as usual (closed by its calendar, or full), else null. */
export type Placed = { item: WorkItemRow; overflow: Exclude<OverflowAction, "none" | "queue"> | null; queue: Row<"queues">; refused: "closed" | "full" | null };

/** Why a queue does not take a new item now: closed by its calendar, or full. Null when it does. */
export async function refusal(tx: Executor, queue: Row<"queues">, now: Date): Promise<"closed" | "full" | null> {
  if (queue.calendar_id) {
    const calendar = await tx.selectFrom("calendars").selectAll().where("tenant_id", "=", queue.tenant_id).where("id", "=", queue.calendar_id).executeTakeFirst();
    if (calendar && !isOpen(calendar, now)) return "closed";
  }
  if (queue.max_length) {
    const waiting = await tx
      .selectFrom("work_items")
      .select(sql<number>`count(*)::int`.as("n"))
      .where("tenant_id", "=", queue.tenant_id)
      .where("queue_id", "=", queue.id)
      .where("state", "in", ["waiting", "offered"])
      .executeTakeFirstOrThrow();
    if (waiting.n >= queue.max_length) return "full";
  }
  return null;
}

/** The agent who last took a conversation of this contact (returning-customer priority). */
async function lastAgentOf(tx: Tx, tenantId: string, contactId: string | null): Promise<string | null> {
  if (!contactId) return null;
  const row = await tx
    .selectFrom("work_items")
    .select("assigned_to")
    .where("tenant_id", "=", tenantId)
    .where("contact_id", "=", contactId)
    .where("assigned_to", "is not", null)
    .orderBy("assigned_at", "desc")
    .limit(1)
    .executeTakeFirst();
  return row?.assigned_to ?? null;
}

/**
 * Puts a contact in a queue as a work item: waiting, or — when the queue is closed by its
 * calendar or full — through the queue's overflow action: into the overflow queue (up to three
 * hops), or recorded as overflowed to voicemail or a ticket (the caller then puts it on a ticket:
 * `ticketForOverflow`). Writes the `routed` timeline entry on the ticket when there is one.
 */
export async function placeItem(tx: Tx, ctx: Ctx, p: Placement, now: Date): Promise<Placed> {
  const path: { queueId: string; why: string }[] = [];
  let queueId = p.queueId;
  for (;;) {
    const queue = found(await tx.selectFrom("queues").selectAll().where("tenant_id", "=", ctx.tenantId).where("id", "=", queueId).executeTakeFirst(), "queue");
    const why = path.length < MAX_HOPS ? await refusal(tx, queue, now) : null;
    if (why && queue.overflow_action === "queue" && queue.overflow_queue_id) {
      path.push({ queueId, why });
      queueId = queue.overflow_queue_id;
      continue;
    }
    const overflow = why && (queue.overflow_action === "voicemail" || queue.overflow_action === "ticket") ? queue.overflow_action : null;
    if (overflow && why) path.push({ queueId, why });
    const decision = { ...p.decision, queueId, ...(path.length ? { overflow: { path, action: overflow ?? "queue" } } : {}) };
    const item = await tx
      .insertInto("work_items")
      .values({
        id: newId(now.getTime()),
        tenant_id: ctx.tenantId,
        queue_id: queueId,
        media: mediaOf(p.channel),
        channel: p.channel,
        conversation_id: p.conversationId,
        ticket_id: p.ticketId,
        contact_id: p.contactId,
        priority: queue.priority + p.priorityBoost,
        vip: p.vip,
        language: p.language,
        preferred_agent_id: queue.sticky_seconds > 0 ? await lastAgentOf(tx, ctx.tenantId, p.contactId) : null,
        state: overflow ? "overflowed" : "waiting",
        enqueued_at: now,
        rule_id: p.ruleId,
        decision: JSON.stringify(decision),
        created_at: now,
        updated_at: now,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    if (p.ticketId && !overflow) await routedOnTimeline(tx, ctx, p.ticketId, item, queue.name, now);
    return { item, overflow, queue, refused: why };
  }
}

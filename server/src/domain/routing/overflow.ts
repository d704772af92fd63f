import { sql } from "kysely";
import { inTransaction, systemCtx, type Deps } from "../context.ts";
import { ticketForOverflow } from "./overflow-ticket.ts";
import { placeItem } from "./place-item.ts";
import { withdrawItemOffers } from "./withdraw-offers.ts";
import { lockWorkItem } from "./work-item-lock.ts";
import { CHANNELS } from "@yixian/contracts";
import { knownValue } from "../shared/known-value.ts";

/**
 * Items that waited longer than their queue's maximum go through its overflow action: into the
 * overflow queue as a new item (arriving there now), or — voicemail / leave a message, ticket
 * only — onto a ticket to be answered later. Pending offers are withdrawn. Returns how many moved.
 */
export async function overflowLongWaits(deps: Deps): Promise<number> {
  const now = deps.clock.now();
  const due = await deps.db
    .selectFrom("work_items")
    .innerJoin("queues", "queues.id", "work_items.queue_id")
    .select(["work_items.id", "work_items.tenant_id"])
    .where("work_items.state", "in", ["waiting", "offered"])
    .where("queues.max_wait_seconds", "is not", null)
    .where("queues.overflow_action", "<>", "none")
    .where(sql<boolean>`work_items.enqueued_at + queues.max_wait_seconds * interval '1 second' <= ${now}`)
    .limit(100)
    .execute();
  let moved = 0;
  for (const { id, tenant_id: tenantId } of due) {
    moved += await inTransaction({ deps }, async (tx) => {
      const item = await lockWorkItem(tx, tenantId, id, { skipLocked: true });
      if (!item || (item.state !== "waiting" && item.state !== "offered")) return 0;
      const queue = await tx.selectFrom("queues").selectAll().where("tenant_id", "=", tenantId).where("id", "=", item.queue_id).executeTakeFirstOrThrow();
      if (!queue.max_wait_seconds || queue.overflow_action === "none") return 0;
      await withdrawItemOffers(tx, tenantId, item.id, "cancelled", now);
      const overflow = { why: "max_wait", maxWaitSeconds: queue.max_wait_seconds, action: queue.overflow_action, at: now.toISOString() };
      const updated = await tx
        .updateTable("work_items")
        .set({ state: "overflowed", decision: JSON.stringify({ ...item.decision, overflow }), updated_at: now })
        .where("tenant_id", "=", tenantId)
        .where("id", "=", item.id)
        .returningAll()
        .executeTakeFirstOrThrow();
      const ctx = systemCtx(deps, tenantId);
      if (queue.overflow_action === "queue" && queue.overflow_queue_id) {
        await placeItem(
          tx,
          ctx,
          {
            queueId: queue.overflow_queue_id,
            channel: knownValue(CHANNELS, item.channel, "channel"),
            conversationId: item.conversation_id,
            ticketId: item.ticket_id,
            contactId: item.contact_id,
            priorityBoost: item.priority - queue.priority,
            vip: item.vip,
            language: item.language,
            ruleId: item.rule_id,
            decision: { rule: item.decision.rule ?? null, explanation: `waited over ${queue.max_wait_seconds} s in ${queue.name}`, overflowFrom: item.id },
          },
          now,
        );
      } else {
        await ticketForOverflow(tx, ctx, updated, queue, queue.overflow_action, now);
      }
      return 1;
    });
  }
  return moved;
}

import type { Tx } from "../../db/database.ts";
import type { Ctx } from "../context.ts";
import { ticketChanged } from "../tickets/ticket-events.ts";
import { addTimelineEvent } from "../tickets/timeline.ts";
import type { WorkItemRow } from "./work-item-lock.ts";

/** The `routed` entry on a ticket's timeline: where the item went and the decision that sent it. */
export async function routedOnTimeline(tx: Tx, ctx: Ctx, ticketId: string, item: WorkItemRow, queueName: string, now: Date): Promise<void> {
  await addTimelineEvent(tx, ctx, {
    ticketId,
    kind: "routed",
    conversationId: item.conversation_id,
    occurredAt: now,
    data: { workItemId: item.id, queueId: item.queue_id, queueName, state: item.state, ruleId: item.rule_id, ...item.decision },
  });
  const ticket = await tx.selectFrom("tickets").select(["id", "tenant_id", "number", "updated_at"]).where("tenant_id", "=", ctx.tenantId).where("id", "=", ticketId).executeTakeFirst();
  if (ticket) await ticketChanged(tx, ticket, ["timeline"]);
}

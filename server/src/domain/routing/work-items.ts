import { CHANNELS, MEDIA, WORK_ITEM_STATES, type OfferEvent, type WorkItem, type WorkItemState } from "@yixian/contracts";
import { sql } from "kysely";
import { inTransaction, type Ctx } from "../context.ts";
import { endConversationTx } from "../conversations/end-conversation.ts";
import { lockConversation } from "../conversations/conversation-guards.ts";
import { agentOf } from "../shared/agent.ts";
import { knownValue } from "../shared/known-value.ts";
import { DomainError, found } from "../errors.ts";
import { recordAudit } from "../shared/audit.ts";
import { iso, isoRequired } from "../shared/pagination.ts";
import { abandonItem } from "./finish-work.ts";
import { offerViews } from "./offer-events.ts";
import { lockWorkItem, type WorkItemRow } from "./work-item-lock.ts";

export function presentWorkItem(row: WorkItemRow): WorkItem {
  return {
    id: row.id,
    queueId: row.queue_id,
    media: knownValue(MEDIA, row.media, "medium"),
    channel: knownValue(CHANNELS, row.channel, "channel"),
    conversationId: row.conversation_id,
    ticketId: row.ticket_id,
    contactId: row.contact_id,
    priority: row.priority,
    vip: row.vip,
    language: row.language,
    preferredAgentId: row.preferred_agent_id,
    state: knownValue(WORK_ITEM_STATES, row.state, "work item state"),
    enqueuedAt: isoRequired(row.enqueued_at),
    offeredAt: iso(row.offered_at),
    assignedTo: row.assigned_to,
    assignedAt: iso(row.assigned_at),
    completedAt: iso(row.completed_at),
    abandonedAt: iso(row.abandoned_at),
    holdMs: row.hold_ms,
    wrapMs: row.wrap_ms,
    ruleId: row.rule_id,
    decision: row.decision,
  };
}

/**
 * Work items for supervisors: by default those still in queues (waiting or offered), in the
 * order they are served (VIP first where the queue says so, then priority, then arrival).
 */
export async function listWorkItems(ctx: Ctx, query: { queueId?: string | undefined; state?: WorkItemState | undefined; limit: number }): Promise<WorkItem[]> {
  let q = ctx.deps.db
    .selectFrom("work_items")
    .innerJoin("queues", "queues.id", "work_items.queue_id")
    .selectAll("work_items")
    .where("work_items.tenant_id", "=", ctx.tenantId);
  if (query.queueId) q = q.where("work_items.queue_id", "=", query.queueId);
  q = query.state ? q.where("work_items.state", "=", query.state) : q.where("work_items.state", "in", ["waiting", "offered"]);
  const rows = await q
    .orderBy(sql`case when queues.vip_first and work_items.vip then 1 else 0 end`, "desc")
    .orderBy("work_items.priority", "desc")
    .orderBy("work_items.enqueued_at")
    .orderBy("work_items.id")
    .limit(query.limit)
    .execute();
  return rows.map(presentWorkItem);
}

/** The caller's pending offers (the console shows them again after a reload). */
export async function listMyOffers(ctx: Ctx): Promise<OfferEvent[]> {
  const agent = agentOf(ctx);
  const pending = await ctx.deps.db
    .selectFrom("offers")
    .select("id")
    .where("tenant_id", "=", ctx.tenantId)
    .where("agent_id", "=", agent.id)
    .where("state", "=", "pending")
    .where("expires_at", ">", ctx.deps.clock.now())
    .execute();
  return (await offerViews(ctx.deps.db, ctx.tenantId, pending.map((p) => p.id))).map(({ agentId: _agent, ...view }) => view);
}

/**
 * The customer left before an agent answered (a caller hung up in the queue, a chat visitor
 * closed the window): the item is abandoned, its offers withdrawn, and its conversation ends.
 * An item already answered is CONFLICT; abandoning twice changes nothing.
 */
export async function abandonWorkItem(ctx: Ctx, workItemId: string): Promise<WorkItem> {
  const first = found(await ctx.deps.db.selectFrom("work_items").select(["conversation_id"]).where("tenant_id", "=", ctx.tenantId).where("id", "=", workItemId).executeTakeFirst(), "work item");
  const row = await inTransaction(ctx, async (tx) => {
    const conversation = first.conversation_id ? await lockConversation(tx, ctx, first.conversation_id) : null;
    const item = found(await lockWorkItem(tx, ctx.tenantId, workItemId), "work item");
    if (item.state === "abandoned") return item;
    if (item.state !== "waiting" && item.state !== "offered") throw new DomainError("CONFLICT", `this work item is ${item.state}, not waiting`);
    const now = ctx.deps.clock.now();
    const abandoned = await abandonItem(tx, ctx, item, now);
    await recordAudit(tx, ctx, { action: "work_item.abandoned", entityType: "work_item", entityId: item.id, changes: { state: [item.state, "abandoned"] } });
    if (conversation && conversation.state !== "ended") await endConversationTx(tx, ctx, conversation.id, {});
    return abandoned;
  });
  ctx.deps.routing.kick();
  return presentWorkItem(row);
}

import type { Tx } from "../../db/database.ts";
import type { Ctx } from "../context.ts";
import { changePresence, lockPresence } from "../presence/presence-store.ts";
import { recordWrapTime } from "../presence/wrap-up.ts";
import { reassignLockedTicket } from "../tickets/assign-ticket.ts";
import { lockTicket } from "../tickets/ticket-guards.ts";
import { offerClosed } from "./offer-events.ts";
import { routedOnTimeline } from "./routed-timeline.ts";
import { withdrawItemOffers } from "./withdraw-offers.ts";
import { liveItemOfConversation, type WorkItemRow } from "./work-item-lock.ts";

/**
 * Gives a locked item to an agent: their pending offer is accepted (the partial unique index
 * offers_one_accepted_key refuses a second accepted offer for the item), every other pending offer
 * is withdrawn as taken, the item is assigned, and an available agent (or one in wrap-up) turns
 * busy. The caller holds the item's lock (and its conversation's or ticket's, taken first).
 */
export async function assignWorkItem(tx: Tx, ctx: Ctx, item: WorkItemRow, agentId: string, now: Date): Promise<WorkItemRow> {
  const mine = await tx
    .updateTable("offers")
    .set({ state: "accepted", responded_at: now })
    .where("tenant_id", "=", ctx.tenantId)
    .where("work_item_id", "=", item.id)
    .where("agent_id", "=", agentId)
    .where("state", "=", "pending")
    .returning(["id", "work_item_id", "agent_id"])
    .executeTakeFirst();
  if (mine) await offerClosed(tx, ctx.tenantId, mine, { accepted: true });
  await withdrawItemOffers(tx, ctx.tenantId, item.id, "taken", now, mine?.id);
  const assigned = await tx
    .updateTable("work_items")
    .set({ state: "assigned", assigned_to: agentId, assigned_at: now, offered_at: item.offered_at ?? now, updated_at: now })
    .where("tenant_id", "=", ctx.tenantId)
    .where("id", "=", item.id)
    .returningAll()
    .executeTakeFirstOrThrow();
  const presence = (await lockPresence(tx, ctx.tenantId, [agentId])).get(agentId);
  if (presence && (presence.state === "available" || presence.state === "wrap_up")) {
    await recordWrapTime(tx, presence, now);
    await changePresence(tx, presence, { state: "busy", missedOffers: 0 }, now);
  } else if (presence && presence.missed_offers > 0) {
    await tx.updateTable("agent_presence").set({ missed_offers: 0, updated_at: now }).where("tenant_id", "=", ctx.tenantId).where("user_id", "=", agentId).execute();
  }
  return assigned;
}

/**
 * Accept-conversation hook: the conversation's item (waiting or offered) goes to the accepting
 * agent, and when accepting gave the conversation its ticket, the item joins that ticket and
 * the routing decision goes on its timeline. Call with the conversation locked.
 */
export async function claimConversationWork(tx: Tx, ctx: Ctx, conversationId: string, agentId: string, ticketId: string | null, now: Date): Promise<boolean> {
  const item = await liveItemOfConversation(tx, ctx.tenantId, conversationId);
  if (!item || item.state === "assigned") return false;
  let assigned = await assignWorkItem(tx, ctx, item, agentId, now);
  if (ticketId && !item.ticket_id) {
    assigned = await tx.updateTable("work_items").set({ ticket_id: ticketId }).where("tenant_id", "=", ctx.tenantId).where("id", "=", item.id).returningAll().executeTakeFirstOrThrow();
    const queue = await tx.selectFrom("queues").select("name").where("tenant_id", "=", ctx.tenantId).where("id", "=", item.queue_id).executeTakeFirstOrThrow();
    await routedOnTimeline(tx, ctx, ticketId, assigned, queue.name, now);
  }
  if (ticketId) await ticketFollowsAcceptedWork(tx, ctx, ticketId, agentId, item);
  return true;
}

/**
 * The ticket follows the conversation to the agent who accepted it when it was transferred or
 * nobody held the ticket; an agent who already owns it keeps it otherwise.
 */
async function ticketFollowsAcceptedWork(tx: Tx, ctx: Ctx, ticketId: string, agentId: string, item: WorkItemRow): Promise<void> {
  const ticket = await lockTicket(tx, ctx, ticketId);
  if (ticket.status === "closed" || ticket.merged_into_id || ticket.assignee_id === agentId) return;
  if (ticket.assignee_id && item.decision.transfer === undefined) return;
  const agent = await tx.selectFrom("users").select(["id", "display_name as name"]).where("tenant_id", "=", ctx.tenantId).where("id", "=", agentId).executeTakeFirstOrThrow();
  await reassignLockedTicket(tx, ctx, ticket, agent, item.decision.transfer === undefined ? undefined : "accepted a transfer");
}

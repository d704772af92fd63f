import { roleCan } from "@yixian/contracts";
import type { Tx } from "../../db/database.ts";
import type { Ctx } from "../context.ts";
import { DomainError } from "../errors.ts";
import { capacityOf, isMedia, loadOfAgents, lockPresence } from "../presence/presence-store.ts";
import { recordAudit } from "../shared/audit.ts";
import { liveItemOfConversation } from "./work-item-lock.ts";

type Broken = "queue" | "offline" | "capacity" | "offered";

const REFUSALS: Record<Broken, () => DomainError> = {
  queue: () => new DomainError("NOT_QUEUE_MEMBER", "you are not a member of this conversation's queue"),
  offline: () => new DomainError("AGENT_UNAVAILABLE", "you are offline: set yourself available or away to pick up conversations"),
  capacity: () => new DomainError("AGENT_AT_CAPACITY", "you have no room for another conversation of this kind; finish one first"),
  offered: () => new DomainError("OFFERED_TO_ANOTHER_AGENT", "this conversation is offered to another agent; it comes back to the queue if they do not take it"),
};

/**
 * The rules of a direct pick-up (`POST /conversations/{id}/accept`) of a conversation routing
 * is handling (its work item waiting or offered; anything else has nothing to check). An agent's
 * grab must be an offer routing could have made: a member of the item's queue, not offline (away
 * may pick up), with room for the item's medium counting held items and pending offers (their own
 * offer for this item once), and not taking an item offered to someone else — except in a
 * broadcast-grab queue, where anyone may. A supervisor (`queue:manage`) may assign it to
 * themselves over these rules; each rule they override is recorded in the audit log.
 * Call with the conversation locked; locks the item, then the agent (the routing lock order).
 */
export async function checkPickUp(tx: Tx, ctx: Ctx, conversationId: string): Promise<void> {
  if (ctx.actor.type !== "user") return;
  const { id: agentId, role } = ctx.actor;
  const item = await liveItemOfConversation(tx, ctx.tenantId, conversationId);
  if (!item || item.state === "assigned" || !isMedia(item.media)) return;
  const media = item.media;
  const queue = await tx.selectFrom("queues").select(["id", "strategy"]).where("tenant_id", "=", ctx.tenantId).where("id", "=", item.queue_id).executeTakeFirstOrThrow();
  const member = await tx.selectFrom("queue_members").select("user_id").where("queue_id", "=", queue.id).where("user_id", "=", agentId).executeTakeFirst();
  const presence = (await lockPresence(tx, ctx.tenantId, [agentId])).get(agentId);
  const load = (await loadOfAgents(tx, ctx.tenantId, [agentId])).get(agentId)!;
  const pending = await tx.selectFrom("offers").select("agent_id").where("tenant_id", "=", ctx.tenantId).where("work_item_id", "=", item.id).where("state", "=", "pending").execute();
  const mine = pending.some((o) => o.agent_id === agentId);

  const broken: Broken[] = [];
  if (!member) broken.push("queue");
  if (!presence || presence.state === "offline") broken.push("offline");
  if (load.load[media] + load.pending[media] - (mine ? 1 : 0) >= capacityOf(presence)[media]) broken.push("capacity");
  if (!mine && pending.length > 0 && queue.strategy !== "broadcast") broken.push("offered");
  const first = broken[0];
  if (!first) return;
  if (!roleCan(role, "queue:manage")) throw REFUSALS[first]();
  await recordAudit(tx, ctx, {
    action: "conversation.assigned_over_rules",
    entityType: "conversation",
    entityId: conversationId,
    changes: { overridden: broken, workItemId: item.id, queueId: queue.id, media, offeredTo: pending.map((o) => o.agent_id) },
  });
}

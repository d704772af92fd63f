import { ROLES, roleCan } from "@yixian/contracts";
import type { Tx } from "../../db/database.ts";
import type { Row } from "../../db/schema.ts";
import { newId } from "../../platform/ids.ts";
import type { Ctx } from "../context.ts";
import { conversationChannel } from "../conversations/conversation-guards.ts";
import { knownValue } from "../shared/known-value.ts";
import { DomainError } from "../errors.ts";
import { capacityOf, loadOfAgents, ROUTABLE_STATES, type PresenceRow } from "../presence/presence-store.ts";
import { mediaOf } from "../routing/media.ts";
import { offersMade } from "../routing/offer-events.ts";
import { findAssignableUser } from "../tickets/ticket-references.ts";

/** An active user of the tenant who may work conversations (NOT_FOUND outside the tenant). */
export async function transferTargetAgent(tx: Tx, ctx: Ctx, userId: string): Promise<{ id: string; name: string }> {
  const user = await findAssignableUser(tx, ctx, userId);
  const row = await tx.selectFrom("users").select("role").where("tenant_id", "=", ctx.tenantId).where("id", "=", user.id).executeTakeFirstOrThrow();
  if (!roleCan(knownValue(ROLES, row.role, "role"), "conversation:write")) {
    throw new DomainError("AGENT_UNAVAILABLE", `${user.name} does not take conversations`);
  }
  return user;
}

/**
 * AGENT_UNAVAILABLE unless the agent (their presence row locked by the caller) is available or
 * busy with room for one more item of the conversation's medium, counting offers still pending.
 */
export async function assertRoomFor(tx: Tx, ctx: Ctx, agent: { id: string; name: string }, presence: PresenceRow | undefined, conversation: Row<"conversations">): Promise<void> {
  const state = presence?.state ?? "offline";
  if (!presence || !ROUTABLE_STATES.some((s) => s === state)) {
    throw new DomainError("AGENT_UNAVAILABLE", `${agent.name} is ${state.replace("_", "-")} and cannot take a transfer now`);
  }
  const media = mediaOf(conversationChannel(conversation));
  const load = (await loadOfAgents(tx, ctx.tenantId, [agent.id])).get(agent.id)!;
  if (load.load[media] + load.pending[media] >= capacityOf(presence)[media]) {
    throw new DomainError("AGENT_UNAVAILABLE", `${agent.name} has no room for another ${media} right now`);
  }
}

/**
 * The new work item of a conversation transferred to one agent: in the queue the conversation
 * was in, offered to that agent alone (for the queue's offer timeout). Declined or unanswered,
 * it waits in that queue and routing offers it to the others there, like any item.
 */
export async function offerToAgent(
  tx: Tx,
  ctx: Ctx,
  input: { conversation: Row<"conversations">; queue: Row<"queues">; previous: Row<"work_items"> | undefined; agentId: string; decision: Record<string, unknown> },
  now: Date,
): Promise<{ item: Row<"work_items">; offerId: string }> {
  const { conversation, queue, previous } = input;
  const channel = conversationChannel(conversation);
  const item = await tx
    .insertInto("work_items")
    .values({
      id: newId(now.getTime()),
      tenant_id: ctx.tenantId,
      queue_id: queue.id,
      media: mediaOf(channel),
      channel,
      conversation_id: conversation.id,
      ticket_id: conversation.ticket_id,
      contact_id: conversation.contact_id,
      priority: previous?.priority ?? queue.priority,
      vip: previous?.vip ?? false,
      language: previous?.language ?? null,
      preferred_agent_id: input.agentId,
      state: "offered",
      enqueued_at: now,
      offered_at: now,
      decision: JSON.stringify({ ...input.decision, queueId: queue.id, offer: { at: now.toISOString(), strategy: "transfer", agentIds: [input.agentId], reason: "transferred to this agent" } }),
      created_at: now,
      updated_at: now,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  const offer = await tx
    .insertInto("offers")
    .values({ tenant_id: ctx.tenantId, work_item_id: item.id, agent_id: input.agentId, state: "pending", created_at: now, expires_at: new Date(now.getTime() + queue.offer_timeout_seconds * 1000) })
    .returning("id")
    .executeTakeFirstOrThrow();
  await offersMade(tx, ctx.tenantId, [offer.id]);
  return { item, offerId: offer.id };
}

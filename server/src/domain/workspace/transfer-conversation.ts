import { roleCan, type TransferConversation, type TransferResult } from "@yixian/contracts";
import { sql } from "kysely";
import type { Tx } from "../../db/database.ts";
import type { Row } from "../../db/schema.ts";
import { inTransaction, type Ctx } from "../context.ts";
import { conversationChanged } from "../conversations/conversation-events.ts";
import { assertNotEnded, conversationChannel, lockConversation } from "../conversations/conversation-guards.ts";
import { agentOf } from "../shared/agent.ts";
import { DomainError, found } from "../errors.ts";
import { lockPresence } from "../presence/presence-store.ts";
import { completeItem } from "../routing/finish-work.ts";
import { placeItem } from "../routing/place-item.ts";
import { ticketForOverflow } from "../routing/overflow-ticket.ts";
import { withdrawItemOffers } from "../routing/withdraw-offers.ts";
import { liveItemOfConversation } from "../routing/work-item-lock.ts";
import { inboxChanged } from "../mentions/inbox-events.ts";
import { assertRoomFor, offerToAgent, transferTargetAgent } from "./transfer-offer.ts";
import { recordTransfer, type TransferFacts } from "./transfer-record.ts";

/** The work item the conversation had ends: completed as transferred (the agent goes to wrap-up per its queue). */
async function finishPrevious(tx: Tx, ctx: Ctx, item: Row<"work_items">, transfer: Record<string, unknown>, now: Date): Promise<void> {
  const marked = await tx
    .updateTable("work_items")
    .set({ decision: sql`decision || ${JSON.stringify({ transferred: transfer })}::jsonb`, updated_at: now })
    .where("tenant_id", "=", ctx.tenantId)
    .where("id", "=", item.id)
    .returningAll()
    .executeTakeFirstOrThrow();
  if (marked.state === "assigned") {
    await completeItem(tx, ctx, marked, now);
    return;
  }
  await withdrawItemOffers(tx, ctx.tenantId, item.id, "cancelled", now);
  await tx.updateTable("work_items").set({ state: "cancelled", updated_at: now }).where("tenant_id", "=", ctx.tenantId).where("id", "=", item.id).execute();
}

/**
 * Hands an accepted conversation on, with a note for the colleague. To a queue: the current work
 * item completes as transferred and a new one waits in that queue. To an agent: the new item (in
 * the conversation's queue) is offered to that agent alone, who must be available or busy with
 * room (AGENT_UNAVAILABLE otherwise); declined or unanswered, it waits in the queue for the others.
 * Either way the first agent leaves the conversation and is freed (wrap-up per the queue), the
 * conversation waits for the accept, the ticket shows a `transferred` entry and follows, and the
 * customer reads a system notice. Only the conversation's agent or a supervisor transfers it.
 */
export async function transferConversation(ctx: Ctx, conversationId: string, input: TransferConversation): Promise<TransferResult> {
  const me = agentOf(ctx);
  const result = await inTransaction(ctx, async (tx): Promise<TransferResult> => {
    const conversation = await lockConversation(tx, ctx, conversationId);
    assertNotEnded(conversation);
    if (conversation.state !== "active" || !conversation.assignee_id) throw new DomainError("CONVERSATION_NOT_ACCEPTED", "only a conversation an agent has accepted can be transferred");
    const supervisor = ctx.actor.type === "user" && roleCan(ctx.actor.role, "queue:manage");
    if (conversation.assignee_id !== me.id && !supervisor) throw new DomainError("CONFLICT", "this conversation is another agent's; only they or a supervisor can transfer it");
    const fromId = conversation.assignee_id;
    const from = await tx.selectFrom("users").select(["id", "display_name as name"]).where("tenant_id", "=", ctx.tenantId).where("id", "=", fromId).executeTakeFirstOrThrow();
    const agent = input.toAgentId ? await transferTargetAgent(tx, ctx, input.toAgentId) : null;
    if (agent?.id === fromId) throw new DomainError("CONFLICT", `the conversation is already ${agent.name}'s`);
    const previous = await liveItemOfConversation(tx, ctx.tenantId, conversation.id);
    const queueId = input.toQueueId ?? previous?.queue_id ?? conversation.queue_id;
    if (!queueId) throw new DomainError("VALIDATION_FAILED", "this conversation is in no queue; transfer it to a queue");
    const queue = found(await tx.selectFrom("queues").selectAll().where("tenant_id", "=", ctx.tenantId).where("id", "=", queueId).executeTakeFirst(), "queue");

    const presence = await lockPresence(tx, ctx.tenantId, agent ? [fromId, agent.id] : [fromId]);
    if (agent) await assertRoomFor(tx, ctx, agent, presence.get(agent.id), conversation);
    const now = ctx.deps.clock.now();
    const to: TransferFacts["to"] = agent ? { agent } : { queue: { id: queue.id, name: queue.name } };
    const transfer = { at: now.toISOString(), by: me.id, from, to, note: input.note };
    if (previous) await finishPrevious(tx, ctx, previous, transfer, now);

    await tx
      .updateTable("conversation_participants")
      .set({ left_at: now })
      .where("tenant_id", "=", ctx.tenantId)
      .where("conversation_id", "=", conversation.id)
      .where("user_id", "=", fromId)
      .where("left_at", "is", null)
      .execute();
    const queued = await tx
      .updateTable("conversations")
      .set({ state: "queued", assignee_id: null, queue_id: queue.id, updated_at: now })
      .where("tenant_id", "=", ctx.tenantId)
      .where("id", "=", conversation.id)
      .returningAll()
      .executeTakeFirstOrThrow();

    let workItemId: string;
    let offerId: string | null = null;
    if (agent) {
      const offered = await offerToAgent(tx, ctx, { conversation: queued, queue, previous, agentId: agent.id, decision: { transfer } }, now);
      workItemId = offered.item.id;
      offerId = offered.offerId;
    } else {
      const placed = await placeItem(
        tx,
        ctx,
        {
          queueId: queue.id,
          channel: conversationChannel(queued),
          conversationId: queued.id,
          ticketId: queued.ticket_id,
          contactId: queued.contact_id,
          priorityBoost: 0,
          vip: previous?.vip ?? false,
          language: previous?.language ?? null,
          ruleId: null,
          decision: { transfer, explanation: `transferred by ${me.name}` },
        },
        now,
      );
      if (placed.overflow) await ticketForOverflow(tx, ctx, placed.item, placed.queue, placed.overflow, now);
      workItemId = placed.item.id;
    }
    await recordTransfer(tx, ctx, { conversation: queued, from, to, note: input.note, workItemId }, now);
    await conversationChanged(tx, queued, ["state", "assignee", "queue"]);
    await inboxChanged(tx, ctx.tenantId, [fromId, agent?.id ?? null], "transfer", queued.id, now);
    return { conversationId: queued.id, workItemId, target: agent ? "agent" : "queue", toAgentId: agent?.id ?? null, toQueueId: queue.id, offerId, note: input.note };
  });
  ctx.deps.routing.kick();
  return result;
}

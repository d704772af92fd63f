import type { ConversationDetail } from "@yixian/contracts";
import type { Tx } from "../../db/database.ts";
import type { Row } from "../../db/schema.ts";
import { inTransaction, type Ctx } from "../context.ts";
import { DomainError } from "../errors.ts";
import { recordAudit } from "../shared/audit.ts";
import { conversationChanged } from "./conversation-events.ts";
import { agentOf, assertNotEnded, lockConversation } from "./conversation-guards.ts";
import { ticketOnAccept } from "./conversation-ticket.ts";
import { presentConversationDetail } from "./get-conversation.ts";

/**
 * The agent takes the conversation: joins it, becomes its assignee, and it turns active. A
 * conversation without a ticket gets one now (see ticketOnAccept). Accepting one's own active
 * conversation again changes nothing; another agent's is CONFLICT (first to accept wins); an
 * ended one is CONVERSATION_ENDED. Its work item, if routing had one, goes to the agent, within
 * the pick-up rules of `checkPickUp` (queue, presence, capacity, offers pending for others).
 */
export async function acceptConversation(ctx: Ctx, conversationId: string): Promise<ConversationDetail> {
  const row = await inTransaction(ctx, async (tx) => {
    // a direct pick-up of routed work keeps routing's rules (an accepted offer does not come here)
    const locked = await lockConversation(tx, ctx, conversationId);
    await ctx.deps.routing.checkPickUp(tx, ctx, conversationId);
    return acceptConversationTx(tx, ctx, locked);
  });
  ctx.deps.routing.kick();
  return presentConversationDetail(ctx.deps.db, ctx, row);
}

/**
 * acceptConversation inside the caller's transaction, which holds the conversation's row lock
 * (`conversation` as read under it; an accepted offer also holds its item's).
 */
export async function acceptConversationTx(tx: Tx, ctx: Ctx, conversation: Row<"conversations">): Promise<Row<"conversations">> {
  const agent = agentOf(ctx);
  assertNotEnded(conversation);
  if (conversation.state === "active") {
    if (conversation.assignee_id === agent.id) return conversation;
    throw new DomainError("CONFLICT", "another agent has already accepted this conversation");
  }
  const now = ctx.deps.clock.now();
  const ticket = conversation.ticket_id ? null : await ticketOnAccept(tx, ctx, conversation, agent.id, now);
  await tx
    .insertInto("conversation_participants")
    .values({ tenant_id: ctx.tenantId, conversation_id: conversation.id, kind: "agent", user_id: agent.id, joined_at: now })
    .execute();
  const accepted = await tx
    .updateTable("conversations")
    .set({ state: "active", accepted_at: now, assignee_id: agent.id, ticket_id: ticket?.id ?? conversation.ticket_id, updated_at: now })
    .where("tenant_id", "=", ctx.tenantId)
    .where("id", "=", conversation.id)
    .returningAll()
    .executeTakeFirstOrThrow();
  await recordAudit(tx, ctx, {
    action: "conversation.accepted",
    entityType: "conversation",
    entityId: conversation.id,
    changes: { state: [conversation.state, "active"], assigneeId: [conversation.assignee_id, agent.id], ...(ticket ? { ticketId: [null, ticket.id] } : {}) },
  });
  await conversationChanged(tx, accepted, ticket ? ["state", "assignee", "ticket"] : ["state", "assignee"]);
  await ctx.deps.routing.claimConversation(tx, ctx, accepted.id, agent.id, accepted.ticket_id, now);
  return accepted;
}

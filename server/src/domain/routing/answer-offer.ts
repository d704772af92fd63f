import type { OfferResult } from "@yixian/contracts";
import { OFFER_STATES } from "@yixian/contracts";
import type { Tx } from "../../db/database.ts";
import type { Row } from "../../db/schema.ts";
import { inTransaction, type Ctx } from "../context.ts";
import { acceptConversationTx } from "../conversations/accept-conversation.ts";
import { lockConversation } from "../conversations/conversation-guards.ts";
import { agentOf } from "../shared/agent.ts";
import { knownValue } from "../shared/known-value.ts";
import { DomainError, found } from "../errors.ts";
import { recordAudit } from "../shared/audit.ts";
import { assignWorkItem } from "./assign-work.ts";
import { assignTicketOnAccept } from "./assign-ticket-work.ts";
import { offerClosed } from "./offer-events.ts";
import { claimEntry, lockEntryOfItem } from "../voice/missed-calls/missed-call-entry.ts";
import { lockWorkItem, releaseIfUnoffered, type WorkItemRow } from "./work-item-lock.ts";

/** The caller's own offer; anyone else's is NOT_FOUND (ids do not leak). */
async function ownOffer(ctx: Ctx, offerId: string): Promise<Row<"offers">> {
  const agent = agentOf(ctx);
  return found(
    await ctx.deps.db.selectFrom("offers").selectAll().where("tenant_id", "=", ctx.tenantId).where("id", "=", offerId).where("agent_id", "=", agent.id).executeTakeFirst(),
    "offer",
  );
}

/** The caller's own offer with what its work item is about (one read); anyone else's is NOT_FOUND. */
async function ownOfferAndSource(ctx: Ctx, offerId: string): Promise<{ offer: Row<"offers">; source: { conversation_id: string | null; ticket_id: string | null } }> {
  const agent = agentOf(ctx);
  const row = found(
    await ctx.deps.db
      .selectFrom("offers")
      .innerJoin("work_items", "work_items.id", "offers.work_item_id")
      .selectAll("offers")
      .select(["work_items.conversation_id as source_conversation_id", "work_items.ticket_id as source_ticket_id"])
      .where("offers.tenant_id", "=", ctx.tenantId)
      .where("offers.id", "=", offerId)
      .where("offers.agent_id", "=", agent.id)
      .executeTakeFirst(),
    "offer",
  );
  const { source_conversation_id, source_ticket_id, ...offer } = row;
  return { offer, source: { conversation_id: source_conversation_id, ticket_id: source_ticket_id } };
}

/** Re-reads the offer under its item's lock: accepted already, or refused when it can no longer be answered. */
async function stillPending(tx: Tx, ctx: Ctx, offerId: string, now: Date): Promise<Row<"offers">> {
  const offer = await tx.selectFrom("offers").selectAll().where("tenant_id", "=", ctx.tenantId).where("id", "=", offerId).executeTakeFirstOrThrow();
  return pendingOrRefused(offer, now);
}

function pendingOrRefused(offer: Row<"offers">, now: Date): Row<"offers"> {
  const state = knownValue(OFFER_STATES, offer.state, "offer state");
  if (state === "expired" || (state === "pending" && new Date(offer.expires_at) <= now)) throw new DomainError("OFFER_EXPIRED", "this offer expired before it was answered");
  if (state !== "pending") {
    const why = state === "withdrawn" ? "it was withdrawn (another agent took it or the customer left)" : `it was already ${state}`;
    throw new DomainError("OFFER_CLOSED", `this offer can no longer be answered: ${why}`);
  }
  return offer;
}

function result(offer: Row<"offers">, state: OfferResult["state"], item: { conversation_id: string | null; ticket_id: string | null }): OfferResult {
  return { offerId: offer.id, workItemId: offer.work_item_id, state, conversationId: item.conversation_id, ticketId: item.ticket_id };
}

/**
 * Accepting a call-back claims its missed-call entry (decision 0018: one action), so the list
 * shows who is calling back; an entry another agent is calling back refuses it (CALLBACK_TAKEN).
 */
async function claimCallbackEntry(tx: Tx, ctx: Ctx, item: WorkItemRow, agentId: string, now: Date): Promise<void> {
  const entry = await lockEntryOfItem(tx, ctx.tenantId, item.id);
  if (!entry) return;
  if (entry.claimed_by && entry.claimed_by !== agentId) throw new DomainError("CALLBACK_TAKEN", "another agent is calling this call-back's number");
  await claimEntry(tx, ctx, entry, agentId, now);
}

/**
 * Accepts an offer: locks the conversation (or ticket) and then the item, checks the offer is
 * still pending and not expired, and in one transaction accepts it, assigns the item, withdraws
 * the other agents' offers (a broadcast grab's losers see `offer:withdrawn`, reason taken) and
 * accepts the conversation, which opens or links its ticket. Accepting twice returns the same.
 */
export async function acceptOffer(ctx: Ctx, offerId: string): Promise<OfferResult> {
  const { offer, source } = await ownOfferAndSource(ctx, offerId);
  const answer = await inTransaction(ctx, async (tx) => {
    const conversation = source.conversation_id ? await lockConversation(tx, ctx, source.conversation_id) : null;
    if (!conversation && source.ticket_id) await tx.selectFrom("tickets").select("id").where("tenant_id", "=", ctx.tenantId).where("id", "=", source.ticket_id).forUpdate().execute();
    const item = found(await lockWorkItem(tx, ctx.tenantId, offer.work_item_id), "offer");
    const now = ctx.deps.clock.now();
    // the offer as it is under the item's lock
    const current = await tx.selectFrom("offers").selectAll().where("tenant_id", "=", ctx.tenantId).where("id", "=", offer.id).executeTakeFirstOrThrow();
    if (current.state === "accepted") return result(offer, "accepted", item);
    pendingOrRefused(current, now);
    if (item.conversation_id) {
      const accepted = await acceptConversationTx(tx, ctx, conversation?.id === item.conversation_id ? conversation : await lockConversation(tx, ctx, item.conversation_id));
      await recordAudit(tx, ctx, { action: "offer.accepted", entityType: "work_item", entityId: item.id, changes: { offerId: offer.id } });
      return result(offer, "accepted", { conversation_id: accepted.id, ticket_id: accepted.ticket_id });
    }
    await assignWorkItem(tx, ctx, item, offer.agent_id, now);
    if (item.ticket_id) await assignTicketOnAccept(tx, ctx, item.ticket_id, offer.agent_id, now);
    if (item.kind === "callback") await claimCallbackEntry(tx, ctx, item, offer.agent_id, now);
    await recordAudit(tx, ctx, { action: "offer.accepted", entityType: "work_item", entityId: item.id, changes: { offerId: offer.id } });
    return result(offer, "accepted", item);
  });
  ctx.deps.routing.kick();
  return answer;
}

/** Refuses an offer: the agent is passed over for this item (unless nobody else can take it) and it is routed again. */
export async function rejectOffer(ctx: Ctx, offerId: string): Promise<OfferResult> {
  const offer = await ownOffer(ctx, offerId);
  const answer = await inTransaction(ctx, async (tx) => {
    const item = found(await lockWorkItem(tx, ctx.tenantId, offer.work_item_id), "offer");
    const now = ctx.deps.clock.now();
    await stillPending(tx, ctx, offer.id, now);
    await tx.updateTable("offers").set({ state: "rejected", responded_at: now }).where("tenant_id", "=", ctx.tenantId).where("id", "=", offer.id).execute();
    await offerClosed(tx, ctx.tenantId, offer, { accepted: false, reason: "rejected" });
    await releaseIfUnoffered(tx, item, now);
    await recordAudit(tx, ctx, { action: "offer.rejected", entityType: "work_item", entityId: item.id, changes: { offerId: offer.id } });
    return result(offer, "rejected", item);
  });
  ctx.deps.routing.kick();
  return answer;
}

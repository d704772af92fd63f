import type { Channel, Rating } from "@yixian/contracts";
import type { Tx } from "../../db/database.ts";
import { newId } from "../../platform/ids.ts";
import { inTransaction, type Ctx } from "../context.ts";
import { DomainError, found } from "../errors.ts";
import { recordAudit } from "../shared/audit.ts";
import { ticketChanged } from "../tickets/ticket-events.ts";
import { assertNotMerged, lockTicket } from "../tickets/ticket-guards.ts";
import { addTimelineEvent } from "../tickets/timeline.ts";
import { presentRating } from "./present-rating.ts";

export interface CreateRatingInput {
  score: number;
  comment: string;
  channel: Channel;
  /** The interaction rated; null rates the ticket as a whole (e.g. a call-back). */
  conversationId: string | null;
}

async function ratingExists(tx: Tx, ctx: Ctx, ticketId: string, conversationId: string | null): Promise<boolean> {
  let q = tx.selectFrom("ratings").select("id").where("tenant_id", "=", ctx.tenantId).where("ticket_id", "=", ticketId);
  q = conversationId ? q.where("conversation_id", "=", conversationId) : q.where("conversation_id", "is", null);
  return (await q.executeTakeFirst()) !== undefined;
}

/**
 * Records a customer's satisfaction score (1–5) for a ticket, or for one interaction of it, and
 * puts it on the timeline. One rating per ticket and interaction: RATING_EXISTS for a second.
 */
export async function createRating(ctx: Ctx, ticketId: string, input: CreateRatingInput): Promise<Rating> {
  return inTransaction(ctx, async (tx) => {
    const ticket = await lockTicket(tx, ctx, ticketId);
    assertNotMerged(ticket);
    let contactId = ticket.contact_id;
    if (input.conversationId) {
      const conversation = found(
        await tx
          .selectFrom("conversations")
          .select(["id", "contact_id"])
          .where("tenant_id", "=", ctx.tenantId)
          .where("id", "=", input.conversationId)
          .where("ticket_id", "=", ticketId)
          .executeTakeFirst(),
        "conversation of this ticket",
      );
      contactId = conversation.contact_id ?? contactId;
    }
    // The ticket row lock serialises raters of one ticket, so this check cannot race.
    if (await ratingExists(tx, ctx, ticketId, input.conversationId)) {
      throw new DomainError("RATING_EXISTS", input.conversationId ? "this interaction has already been rated" : `ticket ${ticket.number} has already been rated`);
    }
    const now = ctx.deps.clock.now();
    const row = await tx
      .insertInto("ratings")
      .values({
        id: newId(now.getTime()),
        tenant_id: ctx.tenantId,
        ticket_id: ticketId,
        conversation_id: input.conversationId,
        contact_id: contactId,
        score: input.score,
        comment: input.comment,
        channel: input.channel,
        created_at: now,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await addTimelineEvent(tx, ctx, {
      ticketId,
      kind: "rating",
      conversationId: input.conversationId,
      occurredAt: now,
      data: { ratingId: row.id, score: row.score, comment: row.comment, channel: row.channel },
    });
    const updated = await tx.updateTable("tickets").set({ updated_at: now }).where("tenant_id", "=", ctx.tenantId).where("id", "=", ticketId).returningAll().executeTakeFirstOrThrow();
    await recordAudit(tx, ctx, { action: "rating.created", entityType: "ticket", entityId: ticketId, changes: { ratingId: row.id, score: row.score, channel: row.channel } });
    await ticketChanged(tx, updated, ["rating", "timeline"]);
    return presentRating(row);
  });
}

import type { LinkKind, TicketDetail } from "@yixian/contracts";
import type { Tx } from "../../db/database.ts";
import type { Row } from "../../db/schema.ts";
import { actorId, inTransaction, type Ctx } from "../context.ts";
import { DomainError } from "../errors.ts";
import { recordAudit } from "../shared/audit.ts";
import { getTicket } from "./get-ticket.ts";
import { ticketChanged } from "./ticket-events.ts";
import { assertNotMerged, lockTicket } from "./ticket-guards.ts";
import { reverseKind } from "./ticket-links-query.ts";
import { addTimelineEvent } from "./timeline.ts";

/** Locks two tickets in id order (so two requests on the same pair never deadlock). */
export async function lockPair(tx: Tx, ctx: Ctx, aId: string, bId: string): Promise<[Row<"tickets">, Row<"tickets">]> {
  if (aId < bId) {
    const a = await lockTicket(tx, ctx, aId);
    return [a, await lockTicket(tx, ctx, bId)];
  }
  const b = await lockTicket(tx, ctx, bId);
  return [await lockTicket(tx, ctx, aId), b];
}

/** Both tickets' timelines say the link was made or removed; both tickets announce the change. */
export async function recordLinkChange(tx: Tx, ctx: Ctx, a: Row<"tickets">, b: Row<"tickets">, kind: LinkKind, action: "added" | "removed"): Promise<void> {
  const now = ctx.deps.clock.now();
  for (const [self, other, k] of [[a, b, kind], [b, a, reverseKind(kind)]] as const) {
    await addTimelineEvent(tx, ctx, { ticketId: self.id, kind: "linked", occurredAt: now, data: { action, ticketId: other.id, number: other.number, kind: k } });
    const updated = await tx.updateTable("tickets").set({ updated_at: now }).where("tenant_id", "=", ctx.tenantId).where("id", "=", self.id).returningAll().executeTakeFirstOrThrow();
    await ticketChanged(tx, updated, ["links", "timeline"]);
  }
  await recordAudit(tx, ctx, { action: `ticket.link_${action}`, entityType: "ticket", entityId: a.id, changes: { linkedTicketId: b.id, kind } });
}

/**
 * Links two tickets of the tenant. `kind` is what the linked ticket is to this one (its parent,
 * child, a duplicate, or related). A pair is linked once, in whichever direction.
 */
export async function linkTickets(ctx: Ctx, ticketId: string, input: { linkedTicketId: string; kind: LinkKind }): Promise<TicketDetail> {
  if (ticketId === input.linkedTicketId) throw new DomainError("VALIDATION_FAILED", "a ticket cannot be linked to itself");
  await inTransaction(ctx, async (tx) => {
    const [ticket, linked] = await lockPair(tx, ctx, ticketId, input.linkedTicketId);
    assertNotMerged(ticket);
    assertNotMerged(linked);
    const existing = await tx
      .selectFrom("ticket_links")
      .select("kind")
      .where("tenant_id", "=", ctx.tenantId)
      .where((eb) =>
        eb.or([
          eb.and([eb("ticket_id", "=", ticket.id), eb("linked_ticket_id", "=", linked.id)]),
          eb.and([eb("ticket_id", "=", linked.id), eb("linked_ticket_id", "=", ticket.id)]),
        ]),
      )
      .executeTakeFirst();
    if (existing) throw new DomainError("CONFLICT", `tickets ${ticket.number} and ${linked.number} are already linked`);
    await tx
      .insertInto("ticket_links")
      .values({ tenant_id: ctx.tenantId, ticket_id: ticket.id, linked_ticket_id: linked.id, kind: input.kind, created_by: ctx.actor.type === "user" ? actorId(ctx.actor) : null })
      .execute();
    await recordLinkChange(tx, ctx, ticket, linked, input.kind, "added");
  });
  return getTicket(ctx, ticketId);
}

import { ZLinkKind } from "@yixian/contracts";
import { inTransaction, type Ctx } from "../context.ts";
import { notFound } from "../errors.ts";
import { lockPair, recordLinkChange } from "./link-tickets.ts";
import { assertNotMerged } from "./ticket-guards.ts";
import { reverseKind } from "./ticket-links-query.ts";

/** Removes the link between two tickets, whichever of them it was made from. */
export async function unlinkTickets(ctx: Ctx, ticketId: string, linkedTicketId: string): Promise<void> {
  await inTransaction(ctx, async (tx) => {
    const [ticket, linked] = await lockPair(tx, ctx, ticketId, linkedTicketId);
    assertNotMerged(ticket);
    const removed = await tx
      .deleteFrom("ticket_links")
      .where("tenant_id", "=", ctx.tenantId)
      .where((eb) =>
        eb.or([
          eb.and([eb("ticket_id", "=", ticket.id), eb("linked_ticket_id", "=", linked.id)]),
          eb.and([eb("ticket_id", "=", linked.id), eb("linked_ticket_id", "=", ticket.id)]),
        ]),
      )
      .returning(["ticket_id", "kind"])
      .executeTakeFirst();
    if (!removed) throw notFound("link");
    const stored = ZLinkKind.parse(removed.kind);
    await recordLinkChange(tx, ctx, ticket, linked, removed.ticket_id === ticket.id ? stored : reverseKind(stored), "removed");
  });
}

import type { Ticket, TicketStatus } from "@yixian/contracts";
import { inTransaction, type Ctx } from "../context.ts";
import { applyStatusChange } from "./apply-status-change.ts";
import { presentTicket } from "./present-ticket.ts";
import { assertNotMerged, lockTicket } from "./ticket-guards.ts";
import { loadTicketView } from "./ticket-query.ts";

/**
 * Moves a ticket along its lifecycle (see status-machine.ts): INVALID_TRANSITION for a move the
 * lifecycle does not allow, TICKET_CLOSED once closed, TICKET_MERGED for a merged ticket.
 */
export async function changeTicketStatus(ctx: Ctx, ticketId: string, input: { status: TicketStatus; reason?: string }): Promise<Ticket> {
  const row = await inTransaction(ctx, async (tx) => {
    const ticket = await lockTicket(tx, ctx, ticketId);
    assertNotMerged(ticket);
    await applyStatusChange(tx, ctx, ticket, input.status, input.reason ? { reason: input.reason } : {});
    return loadTicketView(tx, ctx, ticketId);
  });
  return presentTicket(row);
}

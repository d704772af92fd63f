import type { Executor } from "../../db/database.ts";
import type { Row } from "../../db/schema.ts";
import type { Ctx } from "../context.ts";
import { applyStatusChange } from "./apply-status-change.ts";
import { lockTicket } from "./ticket-guards.ts";

export interface CustomerReplyOutcome {
  /** The ticket after the reply was taken into account. */
  ticket: Row<"tickets">;
  /** True when the reply moved the ticket back to open (from resolved or pending). */
  reopened: boolean;
  /** True when the ticket is closed (or merged away): the caller should open a new ticket. */
  closed: boolean;
}

/**
 * Called, inside the caller's transaction, when a customer's message arrives on a ticket:
 * a resolved or pending ticket goes back to open (timeline status_changed with
 * reason "customer_reply"); new and open tickets are left as they are; a closed ticket stays
 * closed and `closed` tells the caller to start a new ticket. NOT_FOUND for another tenant's id.
 */
export async function reopenOnCustomerReply(tx: Executor, ctx: Ctx, ticketId: string): Promise<CustomerReplyOutcome> {
  const ticket = await lockTicket(tx, ctx, ticketId);
  if (ticket.status === "closed") return { ticket, reopened: false, closed: true };
  if (ticket.status !== "resolved" && ticket.status !== "pending") return { ticket, reopened: false, closed: false };
  const updated = await applyStatusChange(tx, ctx, ticket, "open", { reason: "customer_reply" });
  return { ticket: updated, reopened: true, closed: false };
}

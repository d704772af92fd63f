import type { Ticket } from "@yixian/contracts";
import type { Executor } from "../../db/database.ts";
import type { Row } from "../../db/schema.ts";
import { inTransaction, type Ctx } from "../context.ts";
import { DomainError } from "../errors.ts";
import { recordAudit } from "../shared/audit.ts";
import { presentTicket } from "./present-ticket.ts";
import { updateTicketWithEntry } from "./ticket-events.ts";
import { assertNotMerged, lockTicket } from "./ticket-guards.ts";
import { loadTicketView } from "./ticket-query.ts";
import { findAssignableUser } from "./ticket-references.ts";

/**
 * Inside the caller's transaction: gives a locked, open ticket to `to` (or nobody), with the
 * `assigned` timeline entry, an audit row and a change event. No-op when nothing changes.
 */
export async function reassignLockedTicket(tx: Executor, ctx: Ctx, ticket: Row<"tickets">, to: { id: string; name: string } | null, note?: string): Promise<void> {
  if ((to?.id ?? null) === ticket.assignee_id) return;
  const fromUser = ticket.assignee_id
    ? await tx.selectFrom("users").select(["id", "display_name as name"]).where("tenant_id", "=", ctx.tenantId).where("id", "=", ticket.assignee_id).executeTakeFirst()
    : undefined;
  const now = ctx.deps.clock.now();
  await updateTicketWithEntry(tx, ctx, ticket.id, { assignee_id: to?.id ?? null }, { kind: "assigned", occurredAt: now, data: { from: fromUser ?? null, to, ...(note ? { note } : {}) } }, ["assignee"]);
  await recordAudit(tx, ctx, { action: "ticket.assigned", entityType: "ticket", entityId: ticket.id, changes: { assigneeId: [ticket.assignee_id, to?.id ?? null] } });
}

/** Gives the ticket to an active user of the tenant, or takes it back (assigneeId null). */
export async function assignTicket(ctx: Ctx, ticketId: string, input: { assigneeId: string | null; note?: string }): Promise<Ticket> {
  const row = await inTransaction(ctx, async (tx) => {
    const ticket = await lockTicket(tx, ctx, ticketId);
    assertNotMerged(ticket);
    if (ticket.status === "closed") throw new DomainError("TICKET_CLOSED", `ticket ${ticket.number} is closed`);
    const to = input.assigneeId ? await findAssignableUser(tx, ctx, input.assigneeId) : null;
    await reassignLockedTicket(tx, ctx, ticket, to, input.note);
    return loadTicketView(tx, ctx, ticketId);
  });
  return presentTicket(row);
}

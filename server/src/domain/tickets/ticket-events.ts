import { rooms } from "@yixian/contracts";
import type { Executor } from "../../db/database.ts";
import { recordEvent } from "../events/outbox.ts";

/**
 * Queues `ticket:changed` for the tenant and the ticket's room, delivered after commit. A new
 * message on its timeline (`quiet`) tells only the ticket's room, its assignee and the
 * supervisors, as the conversation's messages do.
 */
export async function ticketChanged(
  tx: Executor,
  ticket: { id: string; tenant_id: string; number: string; updated_at: Date | string; assignee_id?: string | null },
  changes: string[],
  quiet = false,
): Promise<void> {
  const audience = quiet
    ? [rooms.ticket(ticket.id), rooms.supervisors(ticket.tenant_id), ...(ticket.assignee_id ? [rooms.agent(ticket.assignee_id)] : [])]
    : [rooms.tenant(ticket.tenant_id), rooms.ticket(ticket.id)];
  await recordEvent(tx, {
    tenantId: ticket.tenant_id,
    event: "ticket:changed",
    rooms: audience,
    payload: { id: ticket.id, number: ticket.number, updatedAt: new Date(ticket.updated_at).toISOString(), changes },
  });
}

import { rooms } from "@yixian/contracts";
import type { Executor } from "../../db/database.ts";
import { recordEvent } from "../events/outbox.ts";

/**
 * Queues `ticket:changed` for the tenant and the ticket's room, delivered after commit. (A new
 * message on its timeline is told by the message's own `message:created`.)
 */
export async function ticketChanged(
  tx: Executor,
  ticket: { id: string; tenant_id: string; number: string; updated_at: Date | string },
  changes: string[],
): Promise<void> {
  await recordEvent(tx, {
    tenantId: ticket.tenant_id,
    event: "ticket:changed",
    rooms: [rooms.tenant(ticket.tenant_id), rooms.ticket(ticket.id)],
    payload: { id: ticket.id, number: ticket.number, updatedAt: new Date(ticket.updated_at).toISOString(), changes },
  });
}

import { rooms } from "@yixian/contracts";
import type { Updateable } from "kysely";
import type { Executor } from "../../db/database.ts";
import type { DB, Row } from "../../db/schema.ts";
import type { Ctx } from "../context.ts";
import { recordEvent } from "../events/outbox.ts";
import { addTimelineEvent, type TimelineEntry } from "./timeline.ts";

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

/**
 * Changes a ticket beside another action: updates it (with updated_at = the entry's time), puts
 * the entry on its timeline and tells its rooms `changes` (plus "timeline"). Returns the row.
 */
export async function updateTicketWithEntry(
  tx: Executor,
  ctx: Ctx,
  ticketId: string,
  set: Updateable<DB["tickets"]>,
  entry: Omit<TimelineEntry, "ticketId" | "occurredAt"> & { occurredAt: Date },
  changes: string[],
): Promise<Row<"tickets">> {
  const updated = await tx
    .updateTable("tickets")
    .set({ ...set, updated_at: entry.occurredAt })
    .where("tenant_id", "=", ctx.tenantId)
    .where("id", "=", ticketId)
    .returningAll()
    .executeTakeFirstOrThrow();
  await addTimelineEvent(tx, ctx, { ticketId, ...entry });
  await ticketChanged(tx, updated, [...changes, "timeline"]);
  return updated;
}

import type { TimelineItem } from "@yixian/contracts";
import { inTransaction, type Ctx } from "../context.ts";
import { recordAudit } from "../shared/audit.ts";
import { ticketChanged } from "./ticket-events.ts";
import { assertNotMerged, lockTicket } from "./ticket-guards.ts";
import { addTimelineEvent } from "./timeline.ts";
import { loadTimelineItem } from "./timeline-query.ts";
import { onNoteAdded } from "../mentions/record-mentions.ts";

/** An internal note on the timeline: colleagues see it, the customer never does. Allowed on closed tickets. */
export async function addNote(ctx: Ctx, ticketId: string, input: { body: string }): Promise<TimelineItem> {
  return inTransaction(ctx, async (tx) => {
    const ticket = await lockTicket(tx, ctx, ticketId);
    assertNotMerged(ticket);
    const now = ctx.deps.clock.now();
    const eventId = await addTimelineEvent(tx, ctx, { ticketId, kind: "note", occurredAt: now, data: { body: input.body } });
    await onNoteAdded(tx, ctx, ticketId, eventId, input.body);
    const updated = await tx
      .updateTable("tickets")
      .set({ updated_at: now })
      .where("tenant_id", "=", ctx.tenantId)
      .where("id", "=", ticketId)
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordAudit(tx, ctx, { action: "ticket.note_added", entityType: "ticket", entityId: ticketId, changes: { timelineEventId: eventId } });
    await ticketChanged(tx, updated, ["timeline"]);
    return loadTimelineItem(tx, ctx, eventId);
  });
}

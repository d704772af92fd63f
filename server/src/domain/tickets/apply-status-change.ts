import type { TicketStatus } from "@yixian/contracts";
import type { Executor } from "../../db/database.ts";
import type { Row } from "../../db/schema.ts";
import type { Ctx } from "../context.ts";
import { recordAudit } from "../shared/audit.ts";
import { assertTransition, statusStamps } from "./status-machine.ts";
import { ticketChanged } from "./ticket-events.ts";
import { ticketStatus } from "./ticket-guards.ts";
import { addTimelineEvent } from "./timeline.ts";

/**
 * Moves a locked ticket to `to`: checks the transition, stamps resolved_at/closed_at, writes the
 * status_changed timeline entry (with `extra`, e.g. { reason }), the audit row and the change event.
 */
export async function applyStatusChange(
  tx: Executor,
  ctx: Ctx,
  ticket: Row<"tickets">,
  to: TicketStatus,
  extra: Record<string, unknown> = {},
): Promise<Row<"tickets">> {
  const from = ticketStatus(ticket);
  assertTransition(from, to);
  const now = ctx.deps.clock.now();
  const updated = await tx
    .updateTable("tickets")
    .set({ status: to, ...statusStamps(from, to, now), updated_at: now })
    .where("tenant_id", "=", ctx.tenantId)
    .where("id", "=", ticket.id)
    .returningAll()
    .executeTakeFirstOrThrow();
  await addTimelineEvent(tx, ctx, { ticketId: ticket.id, kind: "status_changed", occurredAt: now, data: { from, to, ...extra } });
  await recordAudit(tx, ctx, {
    action: "ticket.status_changed",
    entityType: "ticket",
    entityId: ticket.id,
    changes: { status: [from, to], ...extra },
  });
  await ticketChanged(tx, updated, ["status", "timeline"]);
  return updated;
}

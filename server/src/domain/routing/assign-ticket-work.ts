import type { Tx } from "../../db/database.ts";
import type { Ctx } from "../context.ts";
import { recordAudit } from "../shared/audit.ts";
import { ticketChanged } from "../tickets/ticket-events.ts";
import { addTimelineEvent } from "../tickets/timeline.ts";

/** A ticket routed on its own (no conversation) goes to the agent who accepted its offer. Caller holds the ticket's lock. */
export async function assignTicketOnAccept(tx: Tx, ctx: Ctx, ticketId: string, agentId: string, now: Date): Promise<void> {
  const ticket = await tx.selectFrom("tickets").selectAll().where("tenant_id", "=", ctx.tenantId).where("id", "=", ticketId).executeTakeFirstOrThrow();
  if (ticket.assignee_id === agentId) return;
  const agent = await tx.selectFrom("users").select(["id", "display_name as name"]).where("tenant_id", "=", ctx.tenantId).where("id", "=", agentId).executeTakeFirstOrThrow();
  const updated = await tx.updateTable("tickets").set({ assignee_id: agentId, updated_at: now }).where("tenant_id", "=", ctx.tenantId).where("id", "=", ticketId).returningAll().executeTakeFirstOrThrow();
  await addTimelineEvent(tx, ctx, { ticketId, kind: "assigned", occurredAt: now, data: { from: null, to: agent, via: "offer" } });
  await recordAudit(tx, ctx, { action: "ticket.assigned", entityType: "ticket", entityId: ticketId, changes: { assigneeId: [ticket.assignee_id, agentId] } });
  await ticketChanged(tx, updated, ["assignee", "timeline"]);
}

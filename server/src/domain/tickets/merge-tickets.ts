import type { TicketDetail } from "@yixian/contracts";
import { sql } from "kysely";
import type { Tx } from "../../db/database.ts";
import { inTransaction, type Ctx } from "../context.ts";
import { DomainError } from "../errors.ts";
import { recordAudit } from "../shared/audit.ts";
import { getTicket } from "./get-ticket.ts";
import { lockPair } from "./link-tickets.ts";
import { ticketChanged } from "./ticket-events.ts";
import { assertNotMerged } from "./ticket-guards.ts";
import { addTimelineEvent } from "./timeline.ts";

/** Moves everything attached to `from` onto `to`; ratings move unless `to` already has one for that interaction. */
async function moveAttached(tx: Tx, tenantId: string, from: string, to: string): Promise<Record<string, number>> {
  const move = async (table: "conversations" | "messages" | "timeline_events" | "attachments") =>
    Number((await tx.updateTable(table).set({ ticket_id: to }).where("tenant_id", "=", tenantId).where("ticket_id", "=", from).executeTakeFirst()).numUpdatedRows);
  const conversations = await move("conversations");
  const messages = await move("messages");
  const timelineEvents = await move("timeline_events");
  const attachments = await move("attachments");
  const ratings = Number(
    (
      await tx
        .updateTable("ratings as r")
        .set({ ticket_id: to })
        .where("r.tenant_id", "=", tenantId)
        .where("r.ticket_id", "=", from)
        .where(({ not, exists, selectFrom }) =>
          not(exists(selectFrom("ratings as o").select("o.id").where("o.ticket_id", "=", to).where(sql<boolean>`o.conversation_id is not distinct from r.conversation_id`))),
        )
        .executeTakeFirst()
    ).numUpdatedRows,
  );
  return { conversations, messages, timelineEvents, attachments, ratings };
}

/**
 * Folds `sourceTicketId` into `ticketId` (the same problem reported twice): the source's
 * conversations, messages, timeline, attachments and ratings move to the target; the source is
 * closed and points at the target. MERGE_SAME_TICKET for a ticket into itself, TICKET_MERGED
 * when either was already merged, TICKET_CLOSED when the target is closed.
 */
export async function mergeTickets(ctx: Ctx, ticketId: string, input: { sourceTicketId: string }): Promise<TicketDetail> {
  if (ticketId === input.sourceTicketId) throw new DomainError("MERGE_SAME_TICKET", "a ticket cannot be merged into itself");
  await inTransaction(ctx, async (tx) => {
    const [target, source] = await lockPair(tx, ctx, ticketId, input.sourceTicketId);
    assertNotMerged(target);
    assertNotMerged(source);
    if (target.status === "closed") throw new DomainError("TICKET_CLOSED", `ticket ${target.number} is closed; merge into an open ticket`);

    const moved = await moveAttached(tx, ctx.tenantId, source.id, target.id);
    const now = ctx.deps.clock.now();
    await addTimelineEvent(tx, ctx, {
      ticketId: target.id,
      kind: "merged_in",
      occurredAt: now,
      data: { ticketId: source.id, number: source.number, subject: source.subject, moved },
    });
    await addTimelineEvent(tx, ctx, {
      ticketId: source.id,
      kind: "merged_into",
      occurredAt: now,
      data: { ticketId: target.id, number: target.number, previousStatus: source.status },
    });
    const closedSource = await tx
      .updateTable("tickets")
      .set({ status: "closed", closed_at: source.closed_at ?? now, merged_into_id: target.id, updated_at: now })
      .where("tenant_id", "=", ctx.tenantId)
      .where("id", "=", source.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    const updatedTarget = await tx
      .updateTable("tickets")
      .set({ updated_at: now })
      .where("tenant_id", "=", ctx.tenantId)
      .where("id", "=", target.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordAudit(tx, ctx, { action: "ticket.merged", entityType: "ticket", entityId: target.id, changes: { sourceTicketId: source.id, sourceNumber: source.number, moved } });
    await recordAudit(tx, ctx, {
      action: "ticket.merged_into",
      entityType: "ticket",
      entityId: source.id,
      changes: { status: [source.status, "closed"], mergedIntoId: [null, target.id] },
    });
    await ticketChanged(tx, updatedTarget, ["merged", "timeline"]);
    await ticketChanged(tx, closedSource, ["status", "merged", "timeline"]);
  });
  return getTicket(ctx, ticketId);
}

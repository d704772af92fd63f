import { TICKET_STATUSES, type TicketStatus } from "@yixian/contracts";
import type { Executor } from "../../db/database.ts";
import type { Row } from "../../db/schema.ts";
import type { Ctx } from "../context.ts";
import { DomainError, found } from "../errors.ts";

/** The ticket in ctx's tenant, row-locked for the rest of the transaction; NOT_FOUND otherwise. */
export async function lockTicket(tx: Executor, ctx: Ctx, ticketId: string): Promise<Row<"tickets">> {
  const row = await tx
    .selectFrom("tickets")
    .selectAll()
    .where("tenant_id", "=", ctx.tenantId)
    .where("id", "=", ticketId)
    .forUpdate()
    .executeTakeFirst();
  return found(row, "ticket");
}

/** A ticket merged into another is read-only: work continues on the target. */
export function assertNotMerged(ticket: Row<"tickets">): void {
  if (ticket.merged_into_id) {
    throw new DomainError("TICKET_MERGED", `ticket ${ticket.number} was merged into another ticket (${ticket.merged_into_id})`);
  }
}

export function ticketStatus(ticket: Row<"tickets">): TicketStatus {
  const status = TICKET_STATUSES.find((s) => s === ticket.status);
  if (!status) throw new DomainError("INTERNAL", `ticket ${ticket.number} has an unknown status ${ticket.status}`);
  return status;
}

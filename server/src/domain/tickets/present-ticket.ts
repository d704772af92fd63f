import type { Channel, Ticket, TicketPriority, TicketStatus } from "@yixian/contracts";
import { iso, isoRequired } from "../shared/pagination.ts";
import type { TicketView } from "./ticket-query.ts";

export function presentTicket(row: TicketView): Ticket {
  return {
    id: row.id,
    number: row.number,
    subject: row.subject,
    status: row.status as TicketStatus,
    priority: row.priority as TicketPriority,
    sourceChannel: row.source_channel as Channel | null,
    categoryId: row.category_id,
    contactId: row.contact_id,
    companyId: row.company_id,
    queueId: row.queue_id,
    assigneeId: row.assignee_id,
    contactName: row.contact_name,
    companyName: row.company_name,
    assigneeName: row.assignee_name,
    tags: row.tags,
    customFields: row.custom_fields,
    mergedIntoId: row.merged_into_id,
    firstResponseAt: iso(row.first_response_at),
    resolvedAt: iso(row.resolved_at),
    closedAt: iso(row.closed_at),
    createdAt: isoRequired(row.created_at),
    updatedAt: isoRequired(row.updated_at),
  };
}

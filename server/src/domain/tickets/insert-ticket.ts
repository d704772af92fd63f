import type { Channel, TicketPriority } from "@yixian/contracts";
import type { Executor } from "../../db/database.ts";
import type { Row } from "../../db/schema.ts";
import { newId } from "../../platform/ids.ts";
import type { Ctx } from "../context.ts";
import { recordAudit } from "../shared/audit.ts";
import { searchTokens } from "../shared/search-tokens.ts";
import { ticketChanged } from "./ticket-events.ts";
import { allocateTicketNumber } from "./ticket-number.ts";
import { addTimelineEvent } from "./timeline.ts";

export interface TicketDraft {
  subject: string;
  priority?: TicketPriority;
  sourceChannel?: Channel | null;
  contactId?: string | null;
  companyId?: string | null;
  categoryId?: string | null;
  queueId?: string | null;
  assigneeId?: string | null;
  tags?: string[];
  customFields?: Record<string, unknown>;
  /** Extra detail for the ticket_created timeline entry (e.g. { conversationId, detachedFrom }). */
  createdData?: Record<string, unknown>;
}

/**
 * Inserts a ticket with its number, its first timeline entry, an audit row and a change event,
 * inside the caller's transaction. References must already be checked to be in ctx's tenant.
 * Every path that creates a ticket (API, accepted conversation, detach, channels) comes here.
 */
export async function insertTicket(tx: Executor, ctx: Ctx, draft: TicketDraft): Promise<Row<"tickets">> {
  const now = ctx.deps.clock.now();
  const number = await allocateTicketNumber(tx, ctx.tenantId, now);
  const tags = [...new Set(draft.tags ?? [])];
  const row = await tx
    .insertInto("tickets")
    .values({
      id: newId(now.getTime()),
      tenant_id: ctx.tenantId,
      number,
      subject: draft.subject,
      priority: draft.priority ?? "normal",
      source_channel: draft.sourceChannel ?? null,
      contact_id: draft.contactId ?? null,
      company_id: draft.companyId ?? null,
      category_id: draft.categoryId ?? null,
      queue_id: draft.queueId ?? null,
      assignee_id: draft.assigneeId ?? null,
      tags,
      custom_fields: JSON.stringify(draft.customFields ?? {}),
      search_tokens: searchTokens(number, draft.subject, tags.join(" ")),
      created_at: now,
      updated_at: now,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  await addTimelineEvent(tx, ctx, {
    ticketId: row.id,
    kind: "ticket_created",
    occurredAt: now,
    data: { number, subject: row.subject, channel: row.source_channel, ...draft.createdData },
  });
  await recordAudit(tx, ctx, { action: "ticket.created", entityType: "ticket", entityId: row.id, changes: { number } });
  await ticketChanged(tx, row, ["created"]);
  return row;
}

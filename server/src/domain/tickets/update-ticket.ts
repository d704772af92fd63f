import type { Ticket, TicketPriority } from "@yixian/contracts";
import type { Executor } from "../../db/database.ts";
import type { Row } from "../../db/schema.ts";
import { inTransaction, type Ctx } from "../context.ts";
import { loadFieldDefinitions } from "../custom-fields/load-definitions.ts";
import { applyCustomFields } from "../custom-fields/validate-custom-fields.ts";
import { DomainError } from "../errors.ts";
import { diff, recordAudit } from "../shared/audit.ts";
import { searchTokens } from "../shared/search-tokens.ts";
import { presentTicket } from "./present-ticket.ts";
import { ticketChanged } from "./ticket-events.ts";
import { assertNotMerged, lockTicket } from "./ticket-guards.ts";
import { loadTicketView } from "./ticket-query.ts";
import { findCategory, findQueue } from "./ticket-references.ts";
import { addTimelineEvent } from "./timeline.ts";

export interface UpdateTicketInput {
  subject?: string;
  priority?: TicketPriority;
  categoryId?: string | null;
  queueId?: string | null;
  tags?: string[];
  customFields?: Record<string, unknown>;
}

async function named(tx: Executor, ctx: Ctx, id: string | null, find: typeof findCategory): Promise<{ id: string; name: string } | null> {
  return id ? find(tx, ctx, id) : null;
}

/**
 * Edits a ticket's subject, priority, category, queue, tags and custom fields. Each kind of
 * change leaves its own timeline entry (priority_changed, category_changed, transferred,
 * fields_changed) and the whole change one audit row. Closed and merged tickets are read-only.
 */
export async function updateTicket(ctx: Ctx, ticketId: string, input: UpdateTicketInput): Promise<Ticket> {
  const row = await inTransaction(ctx, async (tx) => {
    const before = await lockTicket(tx, ctx, ticketId);
    assertNotMerged(before);
    if (before.status === "closed") throw new DomainError("TICKET_CLOSED", `ticket ${before.number} is closed`);
    const customFields =
      input.customFields === undefined ? undefined : applyCustomFields(await loadFieldDefinitions(tx, ctx, "ticket"), before.custom_fields, input.customFields);
    const tags = input.tags === undefined ? undefined : [...new Set(input.tags)];
    const changes = diff(
      { subject: before.subject, priority: before.priority, categoryId: before.category_id, queueId: before.queue_id, tags: before.tags, customFields: before.custom_fields },
      { subject: input.subject, priority: input.priority, categoryId: input.categoryId, queueId: input.queueId, tags, customFields },
    );
    if (Object.keys(changes).length === 0) return loadTicketView(tx, ctx, ticketId);

    const now = ctx.deps.clock.now();
    const timeline = (kind: "priority_changed" | "category_changed" | "transferred" | "fields_changed", data: Record<string, unknown>) =>
      addTimelineEvent(tx, ctx, { ticketId, kind, occurredAt: now, data });
    if (changes.priority) await timeline("priority_changed", { from: before.priority, to: input.priority });
    if (changes.categoryId) {
      const [from, to] = [await named(tx, ctx, before.category_id, findCategory), await named(tx, ctx, input.categoryId ?? null, findCategory)];
      await timeline("category_changed", { from, to });
    }
    if (changes.queueId) {
      const [from, to] = [await named(tx, ctx, before.queue_id, findQueue), await named(tx, ctx, input.queueId ?? null, findQueue)];
      await timeline("transferred", { from: { queue: from }, to: { queue: to } });
    }
    const fieldChanges = Object.fromEntries(Object.entries(changes).filter(([k]) => k === "subject" || k === "tags" || k === "customFields"));
    if (Object.keys(fieldChanges).length > 0) await timeline("fields_changed", { changes: fieldChanges });

    const subject = input.subject ?? before.subject;
    const newTags = tags ?? before.tags;
    const updated: Row<"tickets"> = await tx
      .updateTable("tickets")
      .set({
        subject,
        priority: input.priority ?? before.priority,
        category_id: input.categoryId === undefined ? before.category_id : input.categoryId,
        queue_id: input.queueId === undefined ? before.queue_id : input.queueId,
        tags: newTags,
        custom_fields: JSON.stringify(customFields ?? before.custom_fields),
        search_tokens: searchTokens(before.number, subject, newTags.join(" ")),
        updated_at: now,
      })
      .where("tenant_id", "=", ctx.tenantId)
      .where("id", "=", ticketId)
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordAudit(tx, ctx, { action: "ticket.updated", entityType: "ticket", entityId: ticketId, changes });
    await ticketChanged(tx, updated, [...Object.keys(changes), "timeline"]);
    return loadTicketView(tx, ctx, ticketId);
  });
  return presentTicket(row);
}

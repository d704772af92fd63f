import type { Page, Ticket, TicketPriority, TicketStatus } from "@yixian/contracts";
import { sql } from "kysely";
import type { Ctx } from "../context.ts";
import { DomainError } from "../errors.ts";
import { toPage } from "../shared/pagination.ts";
import { searchQuery } from "../shared/search-tokens.ts";
import { decodeTimeCursor, fromMicros } from "./keyset-time.ts";
import { presentTicket } from "./present-ticket.ts";
import { selectTicketViews } from "./ticket-query.ts";

export interface TicketFilter {
  status?: TicketStatus[];
  /** A user id, "me" (the caller) or "none" (unassigned). */
  assigneeId?: string;
  queueId?: string;
  contactId?: string;
  companyId?: string;
  categoryId?: string;
  priority?: TicketPriority;
  tag?: string;
  /** Words or Chinese text found in the number, subject, tags or any message of the ticket. */
  q?: string;
  limit: number;
  cursor?: string;
}

/** Tickets of ctx's tenant, most recently changed first, a page at a time. */
export async function listTickets(ctx: Ctx, filter: TicketFilter): Promise<Page<Ticket>> {
  let q = selectTicketViews(ctx.deps.db, ctx.tenantId);
  if (filter.status?.length) q = q.where("t.status", "in", filter.status);
  if (filter.assigneeId === "none") q = q.where("t.assignee_id", "is", null);
  else if (filter.assigneeId === "me") {
    if (ctx.actor.type !== "user") throw new DomainError("VALIDATION_FAILED", "assigneeId=me needs a signed-in user");
    q = q.where("t.assignee_id", "=", ctx.actor.id);
  } else if (filter.assigneeId) q = q.where("t.assignee_id", "=", filter.assigneeId);
  if (filter.queueId) q = q.where("t.queue_id", "=", filter.queueId);
  if (filter.contactId) q = q.where("t.contact_id", "=", filter.contactId);
  if (filter.companyId) q = q.where("t.company_id", "=", filter.companyId);
  if (filter.categoryId) q = q.where("t.category_id", "=", filter.categoryId);
  if (filter.priority) q = q.where("t.priority", "=", filter.priority);
  if (filter.tag) q = q.where(sql<boolean>`t.tags @> array[${filter.tag}]::text[]`);
  const tsquery = filter.q ? searchQuery(filter.q) : null;
  if (tsquery) {
    q = q.where(
      sql<boolean>`(t.search_vector @@ to_tsquery('simple', ${tsquery}) or exists (
        select 1 from messages m
        where m.tenant_id = t.tenant_id and m.ticket_id = t.id and m.search_vector @@ to_tsquery('simple', ${tsquery})))`,
    );
  }
  const after = decodeTimeCursor<string>(filter.cursor, "string");
  if (after) q = q.where(sql<boolean>`(t.updated_at, t.id) < (${fromMicros(after[0])}, ${after[1]}::uuid)`);
  const rows = await q.orderBy("t.updated_at", "desc").orderBy("t.id", "desc").limit(filter.limit + 1).execute();
  return toPage(rows, filter.limit, (r) => [r.updated_us, r.id], presentTicket);
}

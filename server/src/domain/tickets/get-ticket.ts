import type { TicketDetail } from "@yixian/contracts";
import type { Ctx } from "../context.ts";
import { presentTicket } from "./present-ticket.ts";
import { loadTicketLinks } from "./ticket-links-query.ts";
import { loadTicketView } from "./ticket-query.ts";

/** One ticket with what the ticket page shows around it: customer, category, queue, assignee, links. */
export async function getTicket(ctx: Ctx, ticketId: string): Promise<TicketDetail> {
  const db = ctx.deps.db;
  const row = await loadTicketView(db, ctx, ticketId);
  const [contact, company, category, queue, links, mergedInto] = await Promise.all([
    row.contact_id
      ? db.selectFrom("contacts").select(["id", "name", "is_vip", "company_id"]).where("tenant_id", "=", ctx.tenantId).where("id", "=", row.contact_id).executeTakeFirst()
      : undefined,
    row.company_id
      ? db
          .selectFrom("companies")
          .select(["id", "name", "service_pack", "service_expires_on"])
          .where("tenant_id", "=", ctx.tenantId)
          .where("id", "=", row.company_id)
          .executeTakeFirst()
      : undefined,
    row.category_id
      ? db.selectFrom("categories").select(["id", "name", "difficulty"]).where("tenant_id", "=", ctx.tenantId).where("id", "=", row.category_id).executeTakeFirst()
      : undefined,
    row.queue_id ? db.selectFrom("queues").select(["id", "name"]).where("tenant_id", "=", ctx.tenantId).where("id", "=", row.queue_id).executeTakeFirst() : undefined,
    loadTicketLinks(db, ctx.tenantId, row.id),
    row.merged_into_id
      ? db.selectFrom("tickets").select(["id", "number"]).where("tenant_id", "=", ctx.tenantId).where("id", "=", row.merged_into_id).executeTakeFirst()
      : undefined,
  ]);
  return {
    ...presentTicket(row),
    contact: contact ? { id: contact.id, name: contact.name, isVip: contact.is_vip, companyId: contact.company_id } : null,
    company: company ? { id: company.id, name: company.name, servicePack: company.service_pack, serviceExpiresOn: company.service_expires_on } : null,
    category: category ? { id: category.id, name: category.name, difficulty: Number(category.difficulty) } : null,
    queue: queue ?? null,
    assignee: row.assignee_id && row.assignee_name ? { id: row.assignee_id, name: row.assignee_name } : null,
    links,
    mergedInto: mergedInto ?? null,
  };
}

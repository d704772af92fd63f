import type { Executor } from "../../db/database.ts";
import type { Ctx } from "../context.ts";
import { found } from "../errors.ts";
import { micros } from "./keyset-time.ts";

/** Tickets of one tenant with the names a list shows (contact, company, assignee). */
export function selectTicketViews(db: Executor, tenantId: string) {
  return db
    .selectFrom("tickets as t")
    .leftJoin("contacts as c", "c.id", "t.contact_id")
    .leftJoin("companies as co", "co.id", "t.company_id")
    .leftJoin("users as u", "u.id", "t.assignee_id")
    .where("t.tenant_id", "=", tenantId)
    .selectAll("t")
    .select(["c.name as contact_name", "co.name as company_name", "u.display_name as assignee_name", micros("t.updated_at").as("updated_us")]);
}

export type TicketView = Awaited<ReturnType<ReturnType<typeof selectTicketViews>["executeTakeFirstOrThrow"]>>;

/** One ticket as a list shows it; NOT_FOUND outside ctx's tenant. */
export async function loadTicketView(db: Executor, ctx: Ctx, ticketId: string): Promise<TicketView> {
  return found(await selectTicketViews(db, ctx.tenantId).where("t.id", "=", ticketId).executeTakeFirst(), "ticket");
}

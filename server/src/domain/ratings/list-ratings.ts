import type { Rating } from "@yixian/contracts";
import type { Ctx } from "../context.ts";
import { found } from "../errors.ts";
import { presentRating } from "./present-rating.ts";

/** The satisfaction ratings given for one ticket, oldest first (one per interaction). */
export async function listRatings(ctx: Ctx, ticketId: string): Promise<Rating[]> {
  const db = ctx.deps.db;
  found(await db.selectFrom("tickets").select("id").where("tenant_id", "=", ctx.tenantId).where("id", "=", ticketId).executeTakeFirst(), "ticket");
  const rows = await db.selectFrom("ratings").selectAll().where("tenant_id", "=", ctx.tenantId).where("ticket_id", "=", ticketId).orderBy("created_at").orderBy("id").execute();
  return rows.map(presentRating);
}

import type { User, ZUserListQuery } from "@yixian/contracts";
import { sql } from "kysely";
import type { z } from "zod";
import type { Ctx } from "../context.ts";
import { presentUsers } from "./present-user.ts";

/** The tenant's users (at most a few thousand per tenant, so one page), filtered. */
export async function listUsers(ctx: Ctx, query: z.infer<typeof ZUserListQuery>): Promise<User[]> {
  let q = ctx.deps.db.selectFrom("users").selectAll("users").where("users.tenant_id", "=", ctx.tenantId);
  if (query.role) q = q.where("role", "=", query.role);
  if (query.active) q = q.where("is_active", "=", query.active === "true");
  if (query.q) {
    const like = `%${query.q.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    q = q.where((eb) => eb.or([eb(sql`lower(display_name)`, "like", like), eb(sql`lower(email)`, "like", like)]));
  }
  if (query.queueId) {
    const queueId = query.queueId;
    q = q.where("users.id", "in", (eb) => eb.selectFrom("queue_members").select("user_id").where("queue_id", "=", queueId).where("tenant_id", "=", ctx.tenantId));
  }
  const rows = await q.orderBy("display_name").orderBy("id").limit(5000).execute();
  return presentUsers(ctx.deps.db, ctx.tenantId, rows);
}

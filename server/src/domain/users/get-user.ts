import type { User } from "@yixian/contracts";
import type { Executor } from "../../db/database.ts";
import type { Row } from "../../db/schema.ts";
import type { Ctx } from "../context.ts";
import { found } from "../errors.ts";
import { presentUser } from "./present-user.ts";

export async function loadUser(db: Executor, tenantId: string, userId: string): Promise<Row<"users">> {
  return found(await db.selectFrom("users").selectAll().where("id", "=", userId).where("tenant_id", "=", tenantId).executeTakeFirst(), "user");
}

export async function getUser(ctx: Ctx, userId: string): Promise<User> {
  return presentUser(ctx.deps.db, ctx.tenantId, await loadUser(ctx.deps.db, ctx.tenantId, userId));
}
